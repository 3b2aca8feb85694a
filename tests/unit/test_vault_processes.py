"""Two o365desk processes saving one connection's sign-in at once: the vault's lock file.

Each Vault below is a separate instance, as in separate processes, over one shared
keychain that is slow enough for their writes to interleave. The lock file (beside
connections.json) lets one finish before the other starts; without it, one's clean-up
deletes the chunks the other has just written, or chunks are left that no manifest names
(checked by the second test).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from o365desk.storage import vault as vault_module
from o365desk.storage.vault import (
    BUSY_MESSAGE,
    MSAL_CACHE,
    NOT_KEPT_MESSAGE,
    Vault,
    VaultCorrupt,
    VaultError,
)
from tests.fakes.memory_keyring import MemoryKeyring

CONNECTION = "0b7e9a52-6b1c-4d7e-9a55-1b2c3d4e5f60"
VALUES = {writer: writer * 6000 for writer in "ABCD"}  # chunked: over 2,560 bytes


class SlowKeyring(MemoryKeyring):
    """One keychain shared by every "process", each call taking a little time."""

    def set_password(self, service, username, password):
        time.sleep(0.0005)
        super().set_password(service, username, password)

    def delete_password(self, service, username):
        time.sleep(0.0005)
        super().delete_password(service, username)


def _race(shared: MemoryKeyring, rounds: int = 15) -> list[BaseException]:
    problems: list[BaseException] = []
    start = threading.Barrier(len(VALUES) + 1)

    def writer(letter: str) -> None:
        vault = Vault(shared)  # its own instance: its own in-process lock
        start.wait()
        for _ in range(rounds):
            try:
                vault.set(CONNECTION, MSAL_CACHE, VALUES[letter])
            except BaseException as exc:  # noqa: BLE001 (collected for the assertion)
                problems.append(exc)

    def reader() -> None:
        vault = Vault(shared)
        start.wait()
        for _ in range(rounds * 2):
            try:
                value = vault.get(CONNECTION, MSAL_CACHE)
                assert value is None or value in VALUES.values()
            except BaseException as exc:  # noqa: BLE001
                problems.append(exc)

    threads = [threading.Thread(target=writer, args=(letter,)) for letter in VALUES]
    threads.append(threading.Thread(target=reader))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return problems


def test_simultaneous_saves_leave_one_whole_value_and_no_leftovers():
    shared = SlowKeyring()
    assert _race(shared) == []
    assert Vault(shared).get(CONNECTION, MSAL_CACHE) in VALUES.values()
    assert Vault(shared).delete_connection(CONNECTION) > 0
    assert shared.entries == {}  # no chunk of any generation left behind


class ManifestOnly:
    """The shared keychain seen without its listing: only what manifests name is found."""

    def __init__(self, inner: MemoryKeyring) -> None:
        self.get_password = inner.get_password
        self.set_password = inner.set_password
        self.delete_password = inner.delete_password


def test_without_the_lock_file_the_same_race_damages_or_leaks(monkeypatch):
    monkeypatch.setattr(Vault, "_hold_process_lock", lambda self: None)
    shared = SlowKeyring()
    problems = _race(shared)
    # A value read back as another writer's (or damaged), or chunks no manifest names.
    damaged = any(isinstance(p, VaultCorrupt) or str(p) == NOT_KEPT_MESSAGE for p in problems)
    try:
        Vault(ManifestOnly(shared)).delete_connection(CONNECTION)
    except VaultCorrupt:
        damaged = True
    assert damaged or shared.entries, "the race did no harm: this test no longer shows why"


def test_a_keychain_held_too_long_elsewhere_says_try_again(tmp_path: Path, monkeypatch):
    from filelock import FileLock

    monkeypatch.setattr(vault_module, "LOCK_TIMEOUT", 0.2)
    lock_path = tmp_path / "vault.lock"
    vault = Vault(MemoryKeyring(), lock_path=lock_path)
    with FileLock(str(lock_path)):  # another process in the middle of a keychain prompt
        with pytest.raises(VaultError) as caught:
            vault.set(CONNECTION, MSAL_CACHE, "x")
    assert str(caught.value) == BUSY_MESSAGE
    vault.set(CONNECTION, MSAL_CACHE, "x")  # free again: works
    assert vault.get(CONNECTION, MSAL_CACHE) == "x"


def test_a_second_process_waits_longer_than_a_keychain_prompt():
    from o365desk.storage import keychain

    assert vault_module.LOCK_TIMEOUT > keychain.PROMPT_TIMEOUT_SECONDS
