"""Every keychain call has a deadline: a keychain that never answers is reported as not
answering, a late call can't spoil what comes after, an unlock prompt keeps its longer
wait (in-memory keychain whose calls block on an Event; test_keychain.py stops a real
gnome-keyring-daemon with SIGSTOP)."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from o365desk.cli import doctor
from o365desk.cli.commands import run
from o365desk.cli.parser import build_parser
from o365desk.core.connection import Connection
from o365desk.services import Services
from o365desk.storage import keychain
from o365desk.storage import vault as vault_module
from o365desk.storage.deadline import extend_current
from o365desk.storage.store import ConnectionStore
from o365desk.storage.vault import (
    BUSY_MESSAGE,
    MSAL_CACHE,
    NOT_ANSWERING_MESSAGE,
    SERVICE,
    Vault,
    VaultError,
    VaultUnavailable,
)
from o365desk.storage.vault_errors import advice, headline
from tests.fakes.memory_keyring import MemoryKeyring
from tests.unit.keychain_kit import LARGE, NON_BMP_LARGE, SMALL

DEADLINE = 0.3  # seconds: short for the tests (the app's is vault.CALL_TIMEOUT)


@pytest.fixture
def stopped():
    """A keychain whose every call waits until the test lets it answer."""
    backend = MemoryKeyring()
    backend.hang = lambda operation, username: True
    yield backend
    backend.answer.set()


def wait_until(condition, seconds: float = 30.0) -> None:
    ends = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < ends, "never happened"
        time.sleep(0.01)


@pytest.mark.parametrize("operation", ["check", "get", "set", "delete", "list"])
def test_a_keychain_that_never_answers_is_not_answering(stopped, tmp_path, operation):
    vault = Vault(stopped, lock_path=tmp_path / "vault.lock", call_timeout=DEADLINE)
    cid = str(uuid.uuid4())
    call = {
        "check": vault.check,
        "get": lambda: vault.get(cid, MSAL_CACHE),
        "set": lambda: vault.set(cid, MSAL_CACHE, LARGE),
        "delete": lambda: vault.delete_connection(cid),
        "list": vault.connection_ids,
    }[operation]
    outcome: list[BaseException] = []

    def attempt():
        try:
            call()
        except BaseException as exc:  # noqa: BLE001 - looked at below
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(30)  # far beyond the deadline: without one, the call would still wait
    assert not worker.is_alive(), "the call waited for ever"
    assert stopped.hung.is_set()
    (error,) = outcome
    assert isinstance(error, VaultUnavailable)
    assert str(error) == NOT_ANSWERING_MESSAGE
    assert f"{DEADLINE:g} s" in error.detail


def test_the_message_says_what_happened_and_what_to_do():
    assert headline(NOT_ANSWERING_MESSAGE) == "The keychain is not answering"
    assert NOT_ANSWERING_MESSAGE.startswith(headline(NOT_ANSWERING_MESSAGE))
    assert advice(NOT_ANSWERING_MESSAGE) in NOT_ANSWERING_MESSAGE
    assert "restart it" in NOT_ANSWERING_MESSAGE and "logging out and in" in NOT_ANSWERING_MESSAGE


def test_while_a_call_is_late_the_vault_refuses_at_once_then_works_again(tmp_path):
    backend = MemoryKeyring()
    cid = str(uuid.uuid4())
    Vault(backend, lock_path=tmp_path / "vault.lock").set(cid, MSAL_CACHE, SMALL)
    backend.calls.clear()
    backend.hang = lambda operation, username: True
    vault = Vault(backend, lock_path=tmp_path / "vault.lock", call_timeout=DEADLINE)
    with pytest.raises(VaultUnavailable, match="not answering"):
        vault.get(cid, MSAL_CACHE)
    with pytest.raises(VaultUnavailable) as again:
        vault.get(cid, MSAL_CACHE)  # the first call still waits in the keychain
    assert "has not returned yet" in again.value.detail
    assert backend.calls == []  # nothing reached the keychain meanwhile

    backend.hang = None
    backend.answer.set()
    wait_until(lambda: not vault._still_stuck())
    assert vault.get(cid, MSAL_CACHE) == SMALL


def test_a_late_write_holds_the_lock_file_until_it_lands(tmp_path, monkeypatch):
    """The vault gave up on the manifest's switch, which the keychain still makes later: no
    other o365desk may come between (it would clean up chunks the switch points at)."""
    monkeypatch.setattr(vault_module, "LOCK_TIMEOUT", 0.3)
    lock_path = tmp_path / "vault.lock"
    backend = MemoryKeyring()
    cid = str(uuid.uuid4())
    manifest = f"{cid}/{MSAL_CACHE}"
    Vault(backend, lock_path=lock_path).set(cid, MSAL_CACHE, LARGE)
    manifest_writes = []

    def at_the_switch(operation, username):
        if operation == "set" and username == manifest:
            manifest_writes.append(username)
            return len(manifest_writes) == 2  # 1: names the pending generation; 2: switch
        return False

    backend.hang = at_the_switch
    first = Vault(backend, lock_path=lock_path, call_timeout=DEADLINE)
    with pytest.raises(VaultUnavailable, match="not answering"):
        first.set(cid, MSAL_CACHE, NON_BMP_LARGE)

    other = Vault(backend, lock_path=lock_path)  # another o365desk process
    with pytest.raises(VaultError) as busy:
        other.set(cid, MSAL_CACHE, SMALL)
    assert str(busy.value) == BUSY_MESSAGE

    backend.answer.set()  # the switch lands now
    wait_until(lambda: not first._still_stuck())
    monkeypatch.setattr(vault_module, "LOCK_TIMEOUT", 30)
    assert other.get(cid, MSAL_CACHE) == NON_BMP_LARGE  # whole: the late switch's value
    other.set(cid, MSAL_CACHE, SMALL)
    assert other.get(cid, MSAL_CACHE) == SMALL
    assert {u for u in backend.usernames(SERVICE) if u.startswith(cid)} == {manifest}
    assert first.get(cid, MSAL_CACHE) == SMALL  # the first vault works again too


def test_another_process_is_told_the_keychain_is_not_answering_not_that_it_is_in_use(
        stopped, tmp_path, monkeypatch):
    """Waiting for a lock file whose holder's call is late ends after the call deadline,
    with what is really wrong; the mark goes with the lock."""
    monkeypatch.setattr(vault_module, "LOCK_TIMEOUT", 60)
    lock_path = tmp_path / "vault.lock"
    first = Vault(stopped, lock_path=lock_path, call_timeout=DEADLINE)
    with pytest.raises(VaultUnavailable, match="not answering"):
        first.check()
    assert (tmp_path / "vault.lock.late").exists()

    other = Vault(MemoryKeyring(), lock_path=lock_path, call_timeout=DEADLINE)
    with pytest.raises(VaultUnavailable) as info:
        other.check()
    assert str(info.value) == NOT_ANSWERING_MESSAGE
    assert "another o365desk holds" in info.value.detail

    stopped.hang = None
    stopped.answer.set()
    wait_until(lambda: not first._still_stuck())
    wait_until(lambda: not (tmp_path / "vault.lock.late").exists())
    other.check()  # free again


def test_a_late_mark_left_by_a_process_that_died_is_ignored(tmp_path, monkeypatch):
    (tmp_path / "vault.lock.late").touch()
    vault = Vault(MemoryKeyring(), lock_path=tmp_path / "vault.lock", call_timeout=DEADLINE)
    vault.check()  # the lock is free: nobody is late
    assert not (tmp_path / "vault.lock.late").exists()


def test_an_unlock_prompt_keeps_its_longer_wait(tmp_path):
    class Prompting(MemoryKeyring):
        def get_password(self, service, username):
            extend_current(5.0)  # as keychain.py does while an unlock prompt is shown
            time.sleep(3 * DEADLINE)  # the person types the password
            return super().get_password(service, username)

    vault = Vault(Prompting(), lock_path=tmp_path / "vault.lock", call_timeout=DEADLINE)
    assert vault.get(str(uuid.uuid4()), MSAL_CACHE) is None


def test_keychain_detection_has_a_deadline(monkeypatch):
    answer = threading.Event()
    monkeypatch.setattr(keychain, "_detect", lambda: answer.wait())
    try:
        with pytest.raises(VaultUnavailable) as info:
            keychain.open_vault(call_timeout=DEADLINE)
    finally:
        answer.set()
    assert str(info.value) == NOT_ANSWERING_MESSAGE
    assert "detection" in info.value.detail


# --- what people see: token, doctor, the window's keychain check ------------------------------


@pytest.fixture
def stopped_services(stopped, store_path, config_dir):
    vault = Vault(stopped, lock_path=config_dir / "vault.lock", call_timeout=DEADLINE)
    services = Services(ConnectionStore(store_path), vault_factory=lambda: vault)
    services.store.add(Connection(nickname="Contoso", tenant="contoso.com"))
    return services


def test_token_says_the_keychain_is_not_answering(stopped_services, capsys):
    args = build_parser().parse_args(["token", "Contoso"])
    assert run(args, stopped_services) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == f"o365desk: {NOT_ANSWERING_MESSAGE}"


def test_doctor_says_the_keychain_is_not_answering(stopped_services, capsys):
    assert doctor.check_keychain(stopped_services) is False
    out = capsys.readouterr().out
    assert f"[problem] Keychain: {NOT_ANSWERING_MESSAGE}" in out
    # The details name the call that hung, not the clean-up refused after it.
    assert "details: no answer from get_password" in out
    assert "has not returned yet" not in out


def test_the_windows_keychain_check_says_it_is_not_answering(stopped_services):
    state = stopped_services.keychain_state()
    assert not state.available
    assert state.problem == NOT_ANSWERING_MESSAGE and state.detail
