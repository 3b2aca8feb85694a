"""`o365desk doctor`: checks the set-up a connection needs and says what to fix."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import uuid

from o365desk import __version__
from o365desk.core import settings as app_settings
from o365desk.core import tls
from o365desk.core.words import plural
from o365desk.services import Services
from o365desk.storage.vault import MSAL_CACHE, VaultError

# Over the 2,560-byte entry limit, so the round trip exercises chunking too.
_PROBE_LENGTH = 3000

_WEBENGINE_PROBE = (
    "import PySide6, PySide6.QtWebEngineCore, PySide6.QtWebEngineWidgets; "
    "print(PySide6.__version__)"
)


def _report(ok: bool, topic: str, text: str) -> bool:
    print(f"[{'ok' if ok else 'problem'}] {topic}: {text}")
    return ok


def check_config(services: Services) -> bool:
    store = services.store
    if not store.path.exists():
        return _report(True, "Config", f"{store.path} (not created yet; no connections)")
    count = len(store.connections)
    mode = ", read-only" if store.read_only else ""
    ok = _report(not store.read_only, "Config", f"{store.path} ("
                 + plural(count, "1 connection", "{count} connections") + f"{mode})")
    for notice in store.notices:
        print(f"        {notice}")
    return ok


def check_keychain(services: Services) -> bool:
    try:
        vault = services.vault()
        probe_id = str(uuid.uuid4())
        value = secrets.token_urlsafe(_PROBE_LENGTH)[:_PROBE_LENGTH]
        try:
            vault.set(probe_id, MSAL_CACHE, value)
            read_back = vault.get(probe_id, MSAL_CACHE)
        finally:
            vault.delete_connection(probe_id)
        gone = vault.get(probe_id, MSAL_CACHE) is None
    except VaultError as exc:
        _report(False, "Keychain", str(exc))
        if exc.detail:
            print(f"        details: {exc.detail}")
        return False
    if read_back != value or not gone:
        return _report(False, "Keychain", f"{vault.backend_name}: a test value did not "
                       "come back intact. Tokens can't be kept safely with this keychain.")
    return _report(True, "Keychain", f"{vault.backend_name}; write, read and delete work")


def check_webengine() -> bool:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        result = subprocess.run(
            [sys.executable, "-c", _WEBENGINE_PROBE],
            capture_output=True, text=True, timeout=60, env=env,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return _report(False, "QtWebEngine", f"could not be checked ({exc})")
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no error text"])[-1]
        return _report(False, "QtWebEngine", "not importable, so the sign-in window can't "
                       f"open; install the PySide6_WebEngine package ({last})")
    return _report(True, "QtWebEngine", f"importable (PySide6 {result.stdout.strip()})")


def check_settings() -> bool:
    path = app_settings.settings_file()
    current = app_settings.load()
    if current.problem:
        return _report(False, "Settings", current.problem)
    where = str(path) if path.exists() else f"{path} (not created; defaults)"
    return _report(True, "Settings", f"{where}; new connections use client ID "
                   f"{current.client_id} and redirect URI {current.redirect_uri}")


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
            print(f"        {name} is set ({os.environ[name]}); o365desk does not let it "
                  "replace the CAs above")
    return ok


def doctor(services: Services) -> int:
    print(f"o365desk {__version__}, Python {sys.version.split()[0]}")
    results = {
        "config": check_config(services),
        "keychain": check_keychain(services),
        "QtWebEngine": check_webengine(),
        "settings": check_settings(),
        "TLS": check_tls(),
    }
    failed = [name for name, ok in results.items() if not ok]
    if failed:
        print(f"o365desk: doctor found problems with: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0
