"""Choosing the keychain: refusals, names, the real Secret Service, and a locked one."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import uuid

import pytest

from o365desk.storage import keychain
from o365desk.storage.keychain import choose_backend, describe_backend, open_vault, refusal
from o365desk.storage.vault import (
    LOCKED_MESSAGE,
    NO_KEYCHAIN_MESSAGE,
    NOT_ANSWERING_MESSAGE,
    PROBE_KEY,
    SERVICE,
    Vault,
    VaultUnavailable,
)
from tests.fakes.memory_keyring import MemoryKeyring
from tests.unit.keychain_kit import DAMAGED_MANIFEST, LARGE, BackendKit, skip_or_fail

# --- start-up cost ----------------------------------------------------------------------------


def test_importing_the_vault_and_keychain_does_not_import_keyring():
    code = (
        "import sys, o365desk.storage.vault, o365desk.storage.keychain; "
        "print(sorted(m for m in ('keyring', 'secretstorage', 'jeepney') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


# --- refusing what is not a keychain ----------------------------------------------------------


def fake_backend(module: str, name: str, priority: float | Exception = 5, backends=()):
    """A stand-in backend class living in `module` (not registered with keyring)."""

    def get_priority(cls):
        if isinstance(priority, Exception):
            raise priority
        return priority

    meta = type("Meta", (type,), {"priority": property(get_priority)})
    kind = meta(name, (), {"__module__": module, "__qualname__": name, "backends": backends})
    return kind()


def test_keyrings_alt_is_refused_whatever_its_priority():
    for name, priority in (("PlaintextKeyring", 0.5), ("EncryptedKeyring", 0.6), ("X", 9)):
        backend = fake_backend("keyrings.alt.file", name, priority)
        assert "keyrings.alt" in refusal(backend)
        with pytest.raises(VaultUnavailable) as info:
            choose_backend(backend)
        assert str(info.value) == NO_KEYCHAIN_MESSAGE
        assert "keyrings.alt" in info.value.detail


def test_fail_null_unrecommended_and_unviable_backends_are_refused():
    from keyring.backends import fail, null

    refused = [
        fail.Keyring(),
        null.Keyring(),
        fake_backend("somewhere", "Weak", 0.9),
        fake_backend("somewhere", "Gone", RuntimeError("daemon not running")),
        MemoryKeyring(),  # only ever injected into a Vault, never chosen
    ]
    for backend in refused:
        assert refusal(backend)
        with pytest.raises(VaultUnavailable, match="No keychain was found"):
            choose_backend(backend)
    assert refusal(fake_backend("somewhere", "Good", 1)) == ""


def test_a_chainer_without_viable_backends_is_refused():
    chainer = fake_backend(
        "keyring.backends.chainer",
        "ChainerBackend",
        -1,
        backends=[fake_backend("keyrings.alt.file", "PlaintextKeyring", 0.5)],
    )
    with pytest.raises(VaultUnavailable) as info:
        choose_backend(chainer)
    assert "no viable keychain" in info.value.detail
    empty = fake_backend("keyring.backends.chainer", "ChainerBackend", 10, backends=[])
    with pytest.raises(VaultUnavailable):
        choose_backend(empty)


def test_a_chainer_yields_its_best_real_keychain_alone():
    good = fake_backend("keyring.backends.kwallet", "DBusKeyring", 4.9)
    better = fake_backend("keyring.backends.libsecret", "Keyring", 4.8 + 0.15)
    chainer = fake_backend(
        "keyring.backends.chainer",
        "ChainerBackend",
        10,
        backends=[fake_backend("keyrings.alt.file", "PlaintextKeyring", 99), good, better],
    )
    assert choose_backend(chainer) is better
    assert open_vault(chainer).backend_name == "Secret Service (libsecret)"


@pytest.fixture
def keyring_state(monkeypatch):
    """Let a test re-detect keyring's backend; put keyring's choice back afterwards."""
    import keyring.core

    saved = keyring.core._keyring_backend
    for name in list(os.environ):
        if name.startswith("KEYRING_PROPERTY_"):
            monkeypatch.delenv(name)
    yield monkeypatch
    keyring.core._keyring_backend = saved
    keychain.forget_detected_backends()


@pytest.mark.parametrize(
    "name",
    [
        "keyring.backends.fail.Keyring",
        "keyring.backends.null.Keyring",
        "no.such.module.Keyring",
        "tests.fakes.memory_keyring.MemoryKeyring",
    ],
)
def test_open_vault_honours_and_refuses_python_keyring_backend(keyring_state, name):
    keyring_state.setenv("PYTHON_KEYRING_BACKEND", name)
    with pytest.raises(VaultUnavailable) as info:
        open_vault()
    assert str(info.value) == NO_KEYCHAIN_MESSAGE
    assert info.value.detail


def test_open_vault_without_a_session_bus_is_unavailable_not_a_hang(keyring_state, tmp_path):
    keyring_state.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring")
    keyring_state.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus")
    started = time.monotonic()
    with pytest.raises(VaultUnavailable) as info:
        open_vault()
    assert time.monotonic() - started < 5
    assert str(info.value) == NO_KEYCHAIN_MESSAGE
    assert "PYTHON_KEYRING_BACKEND=keyring.backends.SecretService.Keyring" in info.value.detail


def test_open_vault_detects_afresh_so_retry_works(keyring_state):
    keyring_state.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    with pytest.raises(VaultUnavailable) as first:
        open_vault()
    assert "fail.Keyring" in first.value.detail
    keyring_state.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    with pytest.raises(VaultUnavailable) as second:
        open_vault()  # keyring's remembered choice would still be the fail backend
    assert "null.Keyring" in second.value.detail


def test_no_keychain_details_say_why_each_backend_is_not_usable(keyring_state):
    keyring_state.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    with pytest.raises(VaultUnavailable) as info:
        open_vault()
    assert "not usable:" in info.value.detail
    assert "Windows.WinVaultKeyring: Requires Windows" in info.value.detail


def test_open_vault_accepts_an_injected_backend():
    good = fake_backend("somewhere", "Good", 3)
    vault = open_vault(good)
    assert isinstance(vault, Vault) and vault.backend is good


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "name", "expected"),
    [
        ("keyring.backends.kwallet", "DBusKeyring", "KWallet"),
        ("keyring.backends.macOS", "Keyring", "macOS Keychain"),
        ("keyring.backends.Windows", "WinVaultKeyring", "Windows Credential Manager"),
        ("keyring.backends.libsecret", "Keyring", "Secret Service (libsecret)"),
        ("keyrings.alt.file", "PlaintextKeyring", "keyrings.alt.file.PlaintextKeyring"),
    ],
)
def test_describe_backend(module, name, expected):
    assert describe_backend(fake_backend(module, name)) == expected


def test_describe_kwallet4_through_its_base_class():
    from keyring.backends import kwallet

    assert describe_backend(kwallet.DBusKeyringKWallet4()) == "KWallet"


def test_describe_secret_service(monkeypatch):
    from keyring.backends import SecretService

    monkeypatch.delenv("GNOME_KEYRING_CONTROL", raising=False)
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "KDE")
    backend = SecretService.Keyring()
    assert describe_backend(backend) == "Secret Service"
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "ubuntu:GNOME")
    assert describe_backend(backend) == "GNOME Keyring (Secret Service)"
    assert (
        describe_backend(keychain._with_prompt_timeout(backend, 1))
        == "GNOME Keyring (Secret Service)"
    )


def test_secret_service_is_wrapped_with_prompt_timeouts_and_keeps_its_settings():
    import keyring.backend
    from keyring.backends import SecretService

    raw = SecretService.Keyring()
    raw.preferred_collection = "/org/freedesktop/secrets/collection/login"
    chosen = keychain._with_prompt_timeout(raw, 7.5)
    assert isinstance(chosen, SecretService.Keyring)
    assert chosen.prompt_timeout == 7.5
    assert chosen.preferred_collection == raw.preferred_collection
    assert type(chosen) not in keyring.backend.KeyringBackend._classes  # never auto-selected


# --- the real Secret Service ------------------------------------------------------------------


@functools.cache
def _secret_service_problem() -> str:
    """Why the Secret Service of this session can't be used, or ""."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return "no Secret Service: DBUS_SESSION_BUS_ADDRESS is not set"
    from keyring.backends import SecretService

    try:
        SecretService.Keyring.priority  # noqa: B018 - raises when not viable
    except Exception as exc:
        return f"no Secret Service: {exc}"
    try:
        SecretService.Keyring().get_password(SERVICE, PROBE_KEY)
    except Exception as exc:
        return f"the Secret Service does not answer (locked?): {type(exc).__name__}: {exc}"
    return ""


def secret_service_or_skip():
    problem = _secret_service_problem()
    if problem:
        skip_or_fail(problem)
    from keyring.backends import SecretService

    return choose_backend(SecretService.Keyring(), prompt_timeout=10)


@pytest.mark.secret_service
class TestSecretServiceKit(BackendKit):
    """The shared backend kit against the session's real Secret Service."""

    @pytest.fixture
    def raw_backend(self):
        return secret_service_or_skip()

    def enumerate_keys(self, raw_backend, connection_id):
        """The Secret Service can list items: every one of ours whose username is the id's."""
        from contextlib import closing

        collection = raw_backend.get_preferred_collection()
        with closing(collection.connection):
            items = collection.search_items({"service": self.service})
            names = {item.get_attributes().get("username", "") for item in items}
        return {n for n in names if n.startswith(connection_id + "/")}


@pytest.mark.secret_service
def test_open_vault_finds_the_secret_service(keyring_state):
    secret_service_or_skip()
    keyring_state.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    vault = open_vault()
    assert "Secret Service" in vault.backend_name
    vault.check()


# --- a locked or absent Secret Service, each in a private D-Bus session -----------------------

FAKE_PROMPTER = textwrap.dedent(
    """
    # Owns the prompter's bus name and accepts every call, but never answers a prompt:
    # a password dialog nobody responds to.
    from jeepney import MessageType, message_bus, new_method_return
    from jeepney.io.blocking import open_dbus_connection

    conn = open_dbus_connection(bus="SESSION")
    conn.send_and_get_reply(message_bus.RequestName("org.gnome.keyring.SystemPrompter"))
    print("ready", flush=True)
    while True:
        msg = conn.receive()
        if msg.header.message_type == MessageType.method_call:
            conn.send(new_method_return(msg))
    """
)

SCENARIO = textwrap.dedent(
    """
    import json, os, subprocess, sys, threading, time, uuid
    from contextlib import closing

    scenario, timeout, call_timeout = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    result = {}
    prompter = None

    def attempt(label, call):
        started = time.monotonic()
        try:
            call()
            outcome = {"error": None}
        except Exception as exc:
            outcome = {"error": type(exc).__name__, "message": str(exc),
                       "detail": getattr(exc, "detail", "")}
        outcome["seconds"] = round(time.monotonic() - started, 2)
        result[label] = outcome

    if scenario in ("locked", "unanswered"):
        import secretstorage
        with closing(secretstorage.dbus_init()) as bus:
            collection = secretstorage.get_default_collection(bus)
            collection.lock()
            result["collection_locked"] = collection.is_locked()
    if scenario == "stopped":
        def o365desk(*args):
            started = time.monotonic()
            done = subprocess.run([sys.executable, "-m", "o365desk", *args],
                                  capture_output=True, text=True, timeout=80)
            return {"rc": done.returncode, "out": done.stdout, "err": done.stderr,
                    "seconds": round(time.monotonic() - started, 2)}

        result["add"] = o365desk("add", "Contoso")
        # A daemon that is there but never answers: stopped (SIGSTOP), as when it hangs.
        import signal
        from jeepney import message_bus
        from jeepney.io.blocking import open_dbus_connection
        with closing(open_dbus_connection(bus="SESSION")) as conn:
            reply = conn.send_and_get_reply(
                message_bus.GetConnectionUnixProcessID("org.freedesktop.secrets"))
        daemon_pid = reply.body[0]
        os.kill(daemon_pid, signal.SIGSTOP)
        result["daemon_stopped"] = True
        result["token"] = o365desk("token", "Contoso")  # with the app's own deadline
        late_mark = os.path.join(os.environ["O365DESK_CONFIG_DIR"], "vault.lock.late")
        result["late mark left at exit"] = os.path.exists(late_mark)
    if scenario == "unanswered":
        prompter = subprocess.Popen([sys.executable, "-c", os.environ["FAKE_PROMPTER"]],
                                    stdout=subprocess.PIPE, text=True)
        result["prompter"] = prompter.stdout.readline().strip()

    from o365desk.storage.keychain import open_vault
    from o365desk.storage.vault import MSAL_CACHE

    vault = None

    def open_it():
        global vault
        vault = open_vault(prompt_timeout=timeout, call_timeout=call_timeout)

    attempt("open", open_it)
    if vault is not None:
        cid = str(uuid.uuid4())
        attempt("check", vault.check)
        attempt("get", lambda: vault.get(cid, MSAL_CACHE))
        attempt("set", lambda: vault.set(cid, MSAL_CACHE, "x" * 5000))
    if scenario == "unanswered":
        # For the record: keyring's own backend waits for the answer without a limit.
        from keyring.backends import SecretService
        raw = threading.Thread(
            target=lambda: SecretService.Keyring().get_password("o365desk", "x"), daemon=True)
        raw.start()
        raw.join(2)
        result["raw_keyring_still_waiting_after_2s"] = raw.is_alive()
    if scenario == "stopped":
        attempt("check again", vault.check)  # fails at once: the first call still waits
        # This process's late call holds the lock file: another process is told so.
        result["token while late"] = o365desk("token", "Contoso")
        os.kill(daemon_pid, signal.SIGCONT)
        ends = time.monotonic() + 30
        while True:  # the late call returns, then the vault works again
            attempt("after it answers again", vault.check)
            if result["after it answers again"]["error"] is None or time.monotonic() > ends:
                break
            time.sleep(0.2)
    if prompter is not None:
        prompter.kill()
    print("RESULT " + json.dumps(result), flush=True)
    os._exit(0)
    """
)

BARE_SESSION_BUS = """<!DOCTYPE busconfig PUBLIC
 "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

SETUPS = {
    # gnome-keyring running but never unlocked, no keyring yet (CI without --unlock)
    "fresh": "gnome-keyring-daemon --start --components=secrets >/dev/null",
    # a login keyring that exists and is locked; the unlock prompt can't be shown
    "locked": "printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null",
    # the same, but a prompter shows the dialog and nobody answers it
    "unanswered": "printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null",
    # an unlocked keyring whose daemon is then stopped (SIGSTOP) and never answers
    "stopped": "printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null",
    # a session bus with no Secret Service on it at all (nothing activatable)
    "absent": "",
}


def run_scenario(tmp_path, scenario: str, timeout: float = 1.0,
                 call_timeout: float | None = None) -> dict:
    """Run SCENARIO in a private D-Bus session; `timeout` for unlock prompts, and
    `call_timeout` (default: the same) for every other keychain call."""
    for tool in ("dbus-run-session", "gnome-keyring-daemon"):
        if not shutil.which(tool):
            skip_or_fail(f"{tool} is not installed")
    home = tmp_path / "home"
    runtime = tmp_path / "run"
    for path in (home, runtime):
        path.mkdir(mode=0o700)
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DBUS_SESSION_BUS_ADDRESS",
            "DISPLAY",
            "WAYLAND_DISPLAY",
            "PYTHON_KEYRING_BACKEND",
            "GNOME_KEYRING_CONTROL",
        }
    }
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_RUNTIME_DIR=str(runtime),  # a daemon of its own, never the developer's
        FAKE_PROMPTER=FAKE_PROMPTER,
        PYTHONPATH=os.pathsep.join(filter(None, [os.getcwd(), env.get("PYTHONPATH")])),
    )
    script = tmp_path / "scenario.py"
    script.write_text(SCENARIO)
    command = ["dbus-run-session"]
    if scenario == "absent":
        config = tmp_path / "bare-session.conf"
        config.write_text(BARE_SESSION_BUS)
        command.append(f"--config-file={config}")
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.SecretService.Keyring"
    calls = timeout if call_timeout is None else call_timeout
    shell = f"{SETUPS[scenario]}\nexec {sys.executable} {script} {scenario} {timeout} {calls}"
    started = time.monotonic()
    done = subprocess.run(
        [*command, "--", "bash", "-c", shell],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, f"no result (rc {done.returncode}):\n{done.stdout}\n{done.stderr[-3000:]}"
    result = json.loads(lines[-1][len("RESULT ") :])
    result["total_seconds"] = time.monotonic() - started
    return result


def assert_locked(outcome: dict) -> None:
    assert outcome["error"] == "VaultUnavailable", outcome
    assert outcome["message"] == LOCKED_MESSAGE
    assert outcome["detail"]


@pytest.mark.secret_service
def test_never_unlocked_secret_service_is_unavailable(tmp_path):
    # A prompt deadline well beyond the daemon's own refusal: under load a 1 s one can end
    # the wait first, and the refusal ("dismissed") is what this test is about.
    result = run_scenario(tmp_path, "fresh", timeout=20.0)
    assert result["open"]["error"] is None
    for step in ("check", "get", "set"):
        assert_locked(result[step])
        assert "dismissed" in result[step]["detail"].lower()


@pytest.mark.secret_service
def test_locked_secret_service_is_unavailable(tmp_path):
    result = run_scenario(tmp_path, "locked", timeout=20.0)
    assert result["collection_locked"] is True
    for step in ("check", "get", "set"):
        assert_locked(result[step])
        assert "KeyringLocked" in result[step]["detail"]


@pytest.mark.secret_service
def test_unanswered_unlock_prompt_times_out_instead_of_hanging(tmp_path):
    result = run_scenario(tmp_path, "unanswered", timeout=1.0)
    assert result["prompter"] == "ready"
    for step in ("check", "get", "set"):
        assert_locked(result[step])
        assert "nobody answered" in result[step]["detail"]
        assert 0.9 <= result[step]["seconds"] < 10
    assert result["raw_keyring_still_waiting_after_2s"] is True


@pytest.mark.secret_service
def test_a_stopped_secret_service_daemon_is_not_answering_instead_of_a_hang(tmp_path):
    result = run_scenario(tmp_path, "stopped", timeout=1.0)
    assert result["daemon_stopped"] is True
    assert result["open"]["error"] is None, result["open"]
    for step in ("check", "get", "set", "check again"):
        outcome = result[step]
        assert outcome["error"] == "VaultUnavailable", outcome
        assert outcome["message"] == NOT_ANSWERING_MESSAGE
        assert outcome["seconds"] < 10
    assert "has not returned yet" in result["check again"]["detail"]
    assert result["after it answers again"]["error"] is None, result["after it answers again"]
    assert result["add"]["rc"] == 0, result["add"]
    assert result["late mark left at exit"] is False
    for step in ("token", "token while late"):
        token = result[step]
        assert token["rc"] == 1 and token["out"] == "", token
        assert token["err"].strip() == f"o365desk: {NOT_ANSWERING_MESSAGE}"
        assert token["seconds"] < 60  # the call deadline, not for ever


@pytest.mark.secret_service
def test_an_unlock_prompt_waits_longer_than_the_call_deadline(tmp_path):
    """The person gets the prompt's time (3 s here) to answer, though each keychain call
    otherwise gives up after 1 s; then the prompt, not the call, ends the wait."""
    result = run_scenario(tmp_path, "unanswered", timeout=3.0, call_timeout=1.0)
    assert result["prompter"] == "ready"
    for step in ("check", "get", "set"):
        assert_locked(result[step])
        assert "nobody answered the keychain's unlock prompt within 3 s" in \
            result[step]["detail"]
        assert result[step]["seconds"] >= 2.9


@pytest.mark.secret_service
def test_absent_secret_service_is_no_keychain(tmp_path):
    result = run_scenario(tmp_path, "absent")
    assert result["open"]["error"] == "VaultUnavailable"
    assert result["open"]["message"] == NO_KEYCHAIN_MESSAGE
    assert "neither running nor activatable" in result["open"]["detail"]


# --- delete and doctor find every entry, whatever the manifest says ---------------------------


def _secret_service_keys(backend, service: str, connection_id: str) -> set[str]:
    return {k for k in backend.usernames(service) if k.startswith(connection_id + "/")}


@pytest.mark.secret_service
def test_cli_delete_with_a_damaged_manifest_removes_every_entry(config_dir):
    backend = secret_service_or_skip()
    env = os.environ.copy()
    env.pop("PYTHON_KEYRING_BACKEND", None)

    def o365desk(*args):
        return subprocess.run([sys.executable, "-m", "o365desk", *args], capture_output=True,
                              text=True, timeout=120, env=env)

    assert o365desk("add", "Contoso").returncode == 0
    cid = json.loads(o365desk("show", "Contoso", "--json").stdout)["connection"]["id"]
    Vault(backend).set(cid, "msal-cache", LARGE)
    present = _secret_service_keys(backend, SERVICE, cid)
    assert len(present) == 17
    backend.set_password(SERVICE, f"{cid}/msal-cache", DAMAGED_MANIFEST)

    deleted = o365desk("delete", "Contoso", "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert deleted.stdout.strip() == (
        'Deleted the connection "Contoso" (17 keychain entries removed).')
    assert _secret_service_keys(backend, SERVICE, cid) == set()


@pytest.mark.secret_service
def test_doctor_removes_orphans_from_the_secret_service(config_dir, capsys):
    from o365desk.cli.doctor import check_orphans
    from o365desk.core.connection import Connection
    from o365desk.services import Services
    from o365desk.storage.store import ConnectionStore

    backend = secret_service_or_skip()
    service = f"o365desk-test-{uuid.uuid4()}"  # alone there: other tests' entries are not ours
    vault = Vault(backend, service)
    services = Services(ConnectionStore(config_dir / "connections.json"), lambda: vault)
    kept = services.store.add(Connection(nickname="Contoso", tenant="contoso.com")).id
    gone = str(uuid.uuid4())
    for cid in (kept, gone):
        vault.set(cid, "msal-cache", LARGE)
    backend.set_password(service, f"{gone}/msal-cache", DAMAGED_MANIFEST)
    try:
        assert check_orphans(services)
        assert f"connection ID {gone}" in capsys.readouterr().out
        assert check_orphans(services, remove=True)
        assert ("removed 17 keychain entries of 1 connection that no longer exists"
                in capsys.readouterr().out)
        assert _secret_service_keys(backend, service, gone) == set()
        assert vault.get(kept, "msal-cache") == LARGE
    finally:
        vault.delete_connection(kept)
        vault.delete_connection(gone)
