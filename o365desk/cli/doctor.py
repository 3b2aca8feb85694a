"""`o365desk doctor`: checks the set-up a connection needs and says what to fix."""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
import uuid
from urllib.parse import urlsplit

from o365desk import __version__
from o365desk.cli.output import printable as _printable
from o365desk.core import connection_rules, tls, webengine_sandbox
from o365desk.core import settings as app_settings
from o365desk.core.words import plural
from o365desk.services import Services
from o365desk.storage.vault import MSAL_CACHE, VaultError

# Over the 2,560-byte entry limit, so the round trip exercises chunking too.
_PROBE_LENGTH = 3000

# Connections files kept aside are searched for ids in their first this many bytes.
_KEPT_FILE_LIMIT = 8 * 1024 * 1024

# The child that loads a test page (o365desk/ui/signin/probe.py) has its own 8 s deadline;
# this one covers starting Python and Qt too, on a busy machine.
_WEBENGINE_TIMEOUT_S = 45


def _report(ok: bool, topic: str, text: str) -> bool:
    # Paths, settings and the keychain's words come from outside: never raw on a terminal.
    print(f"[{'ok' if ok else 'problem'}] {topic}: {_printable(text)}")
    return ok


def _warn(topic: str, text: str) -> None:
    """Something to know that doesn't stop o365desk working (doctor still succeeds)."""
    print(f"[warning] {topic}: {_printable(text)}")


def check_config(services: Services) -> bool:
    store = services.store
    if not store.path.exists():
        return _report(True, "Config", f"{store.path} (not created yet; no connections)")
    count = len(store.connections)
    mode = ", read-only" if store.read_only else ""
    ok = _report(not store.read_only, "Config", f"{store.path} ("
                 + plural(count, "1 connection", "{count} connections") + f"{mode})")
    for notice in store.notices:
        print(f"        {_printable(notice)}")
    for connection in store.connections:
        if connection.damage:
            ok = _report(False, "Connection", f'"{_printable(connection.nickname)}" is damaged. '
                         + _printable(connection_rules.message(connection)))
    return ok


def check_keychain(services: Services) -> bool:
    try:
        vault = services.vault()
        probe_id = str(uuid.uuid4())
        value = secrets.token_urlsafe(_PROBE_LENGTH)[:_PROBE_LENGTH]
        try:
            vault.set(probe_id, MSAL_CACHE, value)
            read_back = vault.get(probe_id, MSAL_CACHE)
        except VaultError:
            with contextlib.suppress(VaultError):  # the first failure is the one to tell
                vault.delete_connection(probe_id)
            raise
        vault.delete_connection(probe_id)
        gone = vault.get(probe_id, MSAL_CACHE) is None
    except VaultError as exc:
        _report(False, "Keychain", str(exc))
        if exc.detail:
            print(f"        details: {_printable(exc.detail)}")
        return False
    if read_back != value or not gone:
        return _report(False, "Keychain", f"{vault.backend_name}: a test value did not "
                       "come back intact. Tokens can't be kept safely with this keychain.")
    return _report(True, "Keychain", f"{vault.backend_name}; write, read and delete work")


def check_orphans(services: Services, remove: bool = False) -> bool:
    """Find (and with `remove`, delete) keychain entries of connections that no longer exist."""
    topic = "Keychain entries"
    try:
        vault = services.vault()
        stored = vault.connection_ids()
    except VaultError as exc:
        return _report(False, topic, f"could not be looked through. {exc}")
    if stored is None:
        _warn(topic, f"{vault.backend_name} can't list its entries, so entries left behind "
              "by deleted connections can't be looked for here")
        return True
    orphans = sorted(cid for cid in stored if not _still_known(services, cid))
    if not orphans:
        return _report(True, topic, "none left behind by deleted connections")
    count = len(orphans)
    # A warning: o365desk works, but sign-ins nobody can use any more are still kept.
    if services.store.read_only:
        _warn(topic, plural(count, "1 connection", "{count} connections") + " not in your "
              "saved connections still " + plural(count, "has its sign-in", "have sign-ins")
              + " in the keychain, kept because the connections file can't be read fully. "
              "Fix that first (see Config above), then run: o365desk doctor --remove-orphans")
        _list_ids(orphans)
        return True
    gone = plural(count, "1 connection that no longer exists",
                  "{count} connections that no longer exist")
    if not remove:
        _warn(topic, gone + " still " + plural(count, "has its sign-in", "have sign-ins")
              + " in the keychain (left by an interrupted delete or a damaged connections "
              "file). Remove them with: o365desk doctor --remove-orphans")
        _list_ids(orphans)
        return True
    removed = 0
    try:
        for cid in orphans:
            removed += vault.delete_connection(cid)
    except VaultError as exc:
        return _report(False, topic, f"removed {_entries(removed)}, then the keychain "
                       f"failed. {exc}")
    return _report(True, topic, f"removed {_entries(removed)} of {gone}")


def _entries(count: int) -> str:
    return plural(count, "1 keychain entry", "{count} keychain entries")


def _list_ids(connection_ids: list[str]) -> None:
    for cid in connection_ids:
        print(f"        connection ID {cid}")


def _still_known(services: Services, connection_id: str) -> bool:
    """Whether the connection is saved, or named in a connections file kept aside (a
    damaged one moved out of the way, a backup): its sign-in may still be wanted."""
    if any(c.id == connection_id for c in services.store.connections):
        return True
    path = services.store.path
    try:
        siblings = [p for p in path.parent.iterdir() if p.name.startswith(path.name)
                    and p.is_file() and not p.name.endswith(".lock")]
    except OSError:
        return True  # can't look: keep it
    for sibling in siblings:
        try:
            with sibling.open("rb") as handle:
                text = handle.read(_KEPT_FILE_LIMIT).decode("utf-8", "replace").lower()
        except OSError:
            return True
        if connection_id in text:
            return True
    return False


def check_webengine() -> bool:
    """Load a test page in QtWebEngine in a child process (a crash ends only the child)."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    root = webengine_sandbox.running_as_root()
    sandbox_off = webengine_sandbox.sandbox_switched_off(env)
    if root and not sandbox_off:
        # Only for the check: as root with its sandbox on, Chromium ends at once.
        env[webengine_sandbox.DISABLE_ENV] = "1"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "o365desk.ui.signin.probe"],
            capture_output=True, text=True, errors="replace", env=env,
            timeout=_WEBENGINE_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        ok = _report(False, "QtWebEngine", f"a test page did not load within "
                     f"{_WEBENGINE_TIMEOUT_S} seconds, so the sign-in window would not "
                     "work; sign in with the web browser or a code instead (o365desk login "
                     "NICK --browser, or --device-code)")
    except OSError as exc:
        ok = _report(False, "QtWebEngine", f"could not be checked ({_printable(str(exc))})")
    else:
        ok = _webengine_answer(result)
    if root:
        _warn("QtWebEngine", _root_warning(sandbox_off))
    return ok


def _webengine_answer(result: subprocess.CompletedProcess) -> bool:
    lines = result.stdout.strip().splitlines()
    last = lines[-1] if lines else ""
    if result.returncode == 0 and last.startswith("ok "):
        _, seconds, version = (last.split() + ["", ""])[:3]
        return _report(True, "QtWebEngine", f"a test page loaded and ran in {seconds} s "
                       f"(PySide6 {_printable(version)})")
    if last.startswith("problem "):
        why = last.removeprefix("problem ")
    elif result.returncode < 0:
        why = f"the web engine crashed (signal {-result.returncode})"
    else:
        why = f"the web engine stopped with exit code {result.returncode}"
    ok = _report(False, "QtWebEngine", f"{_printable(why)}, so the sign-in window can't "
                 "open. Sign in with the web browser or a code instead (o365desk login NICK "
                 "--browser, or --device-code); if a library is named below, install it")
    errors = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    for line in errors[-3:]:  # what the web engine said last, for IT
        print(f"        details: {_printable(line[:300])}")
    return ok


def _root_warning(sandbox_off: bool) -> str:
    if sandbox_off:
        return ("o365desk runs as root with the web engine's sandbox switched off "
                f"({webengine_sandbox.DISABLE_ENV} or --no-sandbox), so Microsoft's sign-in "
                "page runs without that protection. Run o365desk as your own user instead.")
    return ("o365desk runs as root, where the web engine can't use its sandbox, so the "
            "sign-in window stays closed (the check above ran without the sandbox) and "
            "sign-ins use the web browser or a code on another device. Run o365desk as your "
            "own user to sign in inside the window.")


def check_settings() -> bool:
    from o365desk.core import effective_settings

    path = app_settings.settings_file()
    current = effective_settings.load()
    if current.user.problem:
        return _report(False, "Settings", current.user.problem)
    where = str(path) if path.exists() else f"{path} (not created; defaults)"

    def origin(key: str) -> str:
        return " (set by the IT policy)" if current[key].managed else ""

    return _report(True, "Settings", f"{where}; new connections use client ID "
                   f"{current.client_id}{origin('client_id')} and redirect URI "
                   f"{current.redirect_uri}{origin('redirect_uri')}")


def check_policy(services: Services) -> bool:
    """The machine's IT policy: each setting it fixes, keys it does not know, and saved
    connections it would not allow to be created now (they still work)."""
    from o365desk.core import effective_settings, policy_sources
    from o365desk.core.policy import load

    policy = load()
    topic = "IT policy"
    if not policy.present:
        env = policy_sources.env_source()
        looked = policy_sources.machine_source().where + (
            f" and {env.where} (named by {policy_sources.POLICY_ENV})" if env else "")
        return _report(True, topic, f"none; no settings are managed (looked for {looked})")
    if policy.damaged:
        return _report(False, topic, policy.problem)
    current = effective_settings.load(policy)
    managed = current.managed()
    _report(True, topic, f"{policy.where} manages "
            + plural(len(managed), "1 setting", "{count} settings"))
    for setting in managed:
        print(f"        {setting.key} = {_printable(effective_settings.shown_value(setting))}"
              f" (from {_printable(setting.where)})")
    if policy.unknown:
        _warn(topic, f"{policy.where} has keys o365desk does not know, which it ignores: "
              + ", ".join(policy.unknown) + ". Check their spelling against the README.")
    for connection in services.store.connections:
        if connection.damage:
            continue
        reason = policy.refusal(connection)
        if reason:
            _warn("Connection", f'"{_printable(connection.nickname)}" still works, but the IT '
                  f"policy would not let it be created now: {_printable(reason)}")
    return True


def check_it_templates() -> bool:
    """The templates the IT policy offers (its `templates` key): how many, and whether they
    could be read. Nothing is said when the policy names none; a folder or address that
    can't be read, or a template that can't be used, is a warning: the wizard works without
    them."""
    from o365desk.usecases.it_templates import list_it_templates, policy_location

    where = policy_location()
    if not where:
        return True
    topic = "IT templates"
    found = list_it_templates(where)
    if found.problem:
        _warn(topic, found.problem)
        return True
    _report(True, topic, found.summary())
    for offered in found.usable:
        print(f"        {_printable(offered.name)} (from {_printable(offered.source)})")
    for offered in found.refused:
        _warn(topic, f"{offered.source} can't be used: {offered.refusal}")
    return True


def check_tls() -> bool:
    ok = _report(True, "TLS", f"public CAs from {tls.default_ca_bundle()}")
    for path, origin in tls.configured_ca_files():
        try:
            readable = path.is_file() and b"BEGIN CERTIFICATE" in path.read_bytes()
        except OSError:
            readable = False
        ok = _report(readable, "TLS", f"extra trusted CAs from {path} ({origin})" if readable
                     else f"{path} ({origin}) is not a readable PEM file") and ok
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        if os.environ.get(name):
            print(f"        {name} is set ({_printable(os.environ[name])}); o365desk does "
                  "not let it replace the CAs above")
    return ok


def _cloud_urls(services: Services) -> list[str]:
    """The login and Graph addresses of the saved connections' clouds (the global cloud's
    when there are none), each once."""
    from o365desk.core.clouds import Cloud

    urls: list[str] = []
    for connection in services.store.connections:
        if connection.damage:
            continue
        urls += [connection.effective_authority(), connection.effective_graph_endpoint()]
    if not urls:
        urls = [Cloud.GLOBAL.authority_for("organizations"), Cloud.GLOBAL.graph_endpoint]
    origins = []
    for url in urls:
        parts = urlsplit(url)
        origin = f"https://{parts.netloc}/"
        if parts.scheme == "https" and parts.netloc and origin not in origins:
            origins.append(origin)
    return origins


def check_network(services: Services) -> bool:
    """Each cloud host answers over HTTPS, through the proxy when there is one."""
    from o365desk.auth import reach
    from o365desk.auth.http import TrustedCertificatesError, http_session
    from o365desk.auth.proxy import ProxySettingError

    try:
        session = http_session()
    except (TrustedCertificatesError, ProxySettingError) as exc:
        return _report(False, "Network", str(exc))
    ok = True
    with session:
        for url in _cloud_urls(services):
            ok = _network_answer(reach.check(url, session)) and ok
    return ok


def _network_answer(result) -> bool:
    from o365desk.auth import reach
    from o365desk.core.signin_errors import TransportKind

    host = result.host
    via = f" through the proxy {result.via.key}" if result.via else ""
    if result.ok:
        return _report(True, "Network", f"{host} answers over HTTPS{via}")
    if result.kind is TransportKind.TLS and result.issuer:
        _report(False, "Network", f"the secure connection to {host}{via} is re-signed by "
                f"something on your network, often a company proxy that inspects traffic: "
                f"the certificate presented was issued by \"{result.issuer}\", which "
                "o365desk doesn't trust, so every sign-in would fail. If your IT department "
                "confirms that name, ask them for its CA certificate (a PEM file) and add it "
                f"to \"extra_ca_certs\" in {app_settings.settings_file()}, or ask "
                "IT to set it in the policy")
        print(f"        issuer: {_printable(result.issuer_dn)}")
        return False
    if result.kind is TransportKind.TLS:
        words = (f"the secure connection to {host}{via} couldn't be checked, so sign-ins "
                 "would fail. Check the computer's date and time; if they are right, ask IT "
                 "whether something on the network inspects HTTPS")
    elif result.kind is TransportKind.PROXY and "407" in result.detail:
        words = (f"{host} can't be reached{via}: the proxy asks for a user name and "
                 "password and none was accepted. Run doctor on a terminal to be asked; "
                 "o365desk keeps the answer in the keychain")
    elif result.kind is TransportKind.PROXY:
        words = (f"{host} can't be reached{via}: the proxy refused or didn't answer. Check "
                 "the proxy setting (HTTPS_PROXY) with IT")
    elif result.kind is TransportKind.TIMEOUT:
        limit = reach.CONNECT_TIMEOUT_S + reach.ANSWER_TIMEOUT_S
        words = (f"{host} didn't answer within {limit:.0f} seconds{via}. Check the network "
                 "connection, then run doctor again")
    else:
        words = (f"{host} can't be reached{via}. Check the network connection (and the "
                 "proxy setting, if you need one), then run doctor again")
    _report(False, "Network", words)
    print(f"        details: {_printable(result.detail[:300])}")
    return False


def doctor(services: Services, remove_orphans: bool = False) -> int:
    print(f"o365desk {__version__}, Python {sys.version.split()[0]}")
    results = {"config": check_config(services), "keychain": check_keychain(services)}
    if results["keychain"]:
        results["keychain entries"] = check_orphans(services, remove_orphans)
    results |= {
        "QtWebEngine": check_webengine(),
        "settings": check_settings(),
        "IT policy": check_policy(services),
        "IT templates": check_it_templates(),
        "TLS": check_tls(),
        "network": check_network(services),
    }
    failed = [name for name, ok in results.items() if not ok]
    if failed:
        print(f"o365desk: doctor found problems with: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0
