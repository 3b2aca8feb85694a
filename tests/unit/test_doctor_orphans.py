"""`o365desk doctor` finds, and with --remove-orphans removes, keychain entries of
connections that no longer exist (in-process, over a real store and the in-memory keychain;
tests/unit/test_keychain.py does the same against the real Secret Service)."""

from __future__ import annotations

import uuid

import pytest

from o365desk.cli import doctor
from o365desk.cli.commands import run
from o365desk.cli.parser import build_parser
from o365desk.core.connection import Connection
from o365desk.storage.vault import MSAL_CACHE, SERVICE, Vault
from tests.unit.keychain_kit import DAMAGED_MANIFEST, LARGE, SMALL


def cli(services, *argv: str) -> int:
    return run(build_parser().parse_args(list(argv)), services)


@pytest.fixture
def no_webengine_check(monkeypatch):
    """doctor's other checks only: the web engine's child process and the network are not
    what is tested."""
    monkeypatch.setattr(doctor, "check_webengine", lambda: True)
    monkeypatch.setattr(doctor, "check_network", lambda services: True)


def keys_of(backend, cid: str) -> set[str]:
    return {u for u in backend.usernames(SERVICE) if u.startswith(cid + "/")}


@pytest.fixture
def orphans(services, keyring_backend):
    """A saved connection with a sign-in, and two deleted ones whose entries remain (one
    of them with a damaged manifest): (kept id, [orphan ids])."""
    kept = services.store.add(Connection(nickname="Contoso", tenant="contoso.com"))
    vault = Vault(keyring_backend)
    vault.set(kept.id, MSAL_CACHE, SMALL)
    gone = [str(uuid.uuid4()), str(uuid.uuid4())]
    for cid in gone:
        vault.set(cid, MSAL_CACHE, LARGE)
    keyring_backend.set_password(SERVICE, f"{gone[1]}/{MSAL_CACHE}", DAMAGED_MANIFEST)
    return kept.id, sorted(gone)


def test_doctor_names_orphans_and_keeps_them_without_the_switch(
        services, keyring_backend, orphans, no_webengine_check, capsys):
    kept, gone = orphans
    assert cli(services, "doctor") == 0
    out = capsys.readouterr().out
    assert ("[warning] Keychain entries: 2 connections that no longer exist still have "
            "sign-ins in the keychain") in out
    assert "Remove them with: o365desk doctor --remove-orphans" in out
    for cid in gone:
        assert f"connection ID {cid}" in out
        assert len(keys_of(keyring_backend, cid)) == 17
    assert kept not in out


def test_doctor_remove_orphans_removes_every_entry_of_them_and_nothing_else(
        services, keyring_backend, orphans, no_webengine_check, capsys):
    kept, gone = orphans
    assert cli(services, "doctor", "--remove-orphans") == 0
    out = capsys.readouterr().out
    assert ("[ok] Keychain entries: removed 34 keychain entries of 2 connections that no "
            "longer exist") in out
    for cid in gone:
        assert keys_of(keyring_backend, cid) == set()
    assert Vault(keyring_backend).get(kept, MSAL_CACHE) == SMALL

    assert cli(services, "doctor") == 0
    assert "[ok] Keychain entries: none left behind by deleted connections" in \
        capsys.readouterr().out


def test_an_id_named_in_a_connections_file_kept_aside_is_not_an_orphan(
        services, keyring_backend, orphans, store_path, capsys):
    _kept, gone = orphans
    aside = store_path.with_name(store_path.name + ".corrupt-20261204T120000Z")
    aside.write_text(f'{{"version": 1, "connections": [{{"id": "{gone[0]}", "nick')
    assert doctor.check_orphans(services, remove=True)
    assert "removed 17 keychain entries of 1 connection that no longer exists" in \
        capsys.readouterr().out
    assert len(keys_of(keyring_backend, gone[0])) == 17
    assert keys_of(keyring_backend, gone[1]) == set()


def test_with_an_unreadable_connections_file_nothing_is_removed(
        services, keyring_backend, orphans, store_path, capsys):
    kept, gone = orphans
    store_path.write_text('{"schema_version": 999, "connections": []}')  # a newer o365desk's
    services.store.load()
    assert services.store.read_only
    assert doctor.check_orphans(services, remove=True)
    out = capsys.readouterr().out
    assert "3 connections not in your saved connections still have sign-ins" in out
    assert "kept because the connections file can't be read fully" in out
    for cid in [kept, *gone]:
        assert keys_of(keyring_backend, cid)


def test_a_keychain_that_cannot_list_is_said_plainly(services, capsys, monkeypatch):
    class Unlisted:
        def get_password(self, service, username):
            return None

    monkeypatch.setattr(services, "vault", lambda: Vault(Unlisted(), backend_name="Keychain X"))
    assert doctor.check_orphans(services)
    assert ("[warning] Keychain entries: Keychain X can't list its entries, so entries "
            "left behind by deleted connections can't be looked for here") in \
        capsys.readouterr().out
