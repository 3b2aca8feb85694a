"""Honest states: a keychain that cuts values short or gives back something else fails the
save, and so the sign-in, with a plain message; it never says "Signed in" and then "never
signed in" (in-process CLI over a real store, the fake identity platform over HTTPS)."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from o365desk.cli.commands import run
from o365desk.cli.parser import build_parser
from o365desk.storage.vault import (
    MSAL_CACHE,
    NOT_KEPT_MESSAGE,
    Vault,
    VaultUnavailable,
    fits_inline,
)
from o365desk.storage.vault_errors import advice, headline
from tests.fakes.memory_keyring import MemoryKeyring
from tests.unit.keychain_kit import LARGE, SMALL
from tests.unit.session_kit import make_connection

pytest_plugins = ["tests.unit.session_fixtures"]


def faulty(kind: str) -> MemoryKeyring:
    backend = MemoryKeyring()
    if kind == "truncating":
        backend.truncate_to = 1000  # cuts inline manifests and every chunk
    else:
        backend.garbage = True
    return backend


@pytest.mark.parametrize("kind", ["truncating", "garbage"])
@pytest.mark.parametrize("value", [SMALL * 30, LARGE], ids=["inline", "chunked"])
def test_a_value_that_does_not_come_back_fails_the_write(kind, value):
    assert fits_inline(value) == (value != LARGE)
    vault = Vault(faulty(kind), backend_name="Keychain X")
    with pytest.raises(VaultUnavailable) as info:
        vault.set(str(uuid.uuid4()), MSAL_CACHE, value)
    assert str(info.value) == NOT_KEPT_MESSAGE
    assert "Keychain X" in info.value.detail


def test_a_small_value_a_truncating_keychain_keeps_whole_is_fine():
    vault = Vault(faulty("truncating"))
    cid = str(uuid.uuid4())
    vault.set(cid, MSAL_CACHE, SMALL)
    assert vault.get(cid, MSAL_CACHE) == SMALL


def test_the_message_names_the_trouble_and_what_to_do():
    assert NOT_KEPT_MESSAGE.startswith(headline(NOT_KEPT_MESSAGE))
    assert headline(NOT_KEPT_MESSAGE) == "The keychain did not keep the sign-in intact"
    assert advice(NOT_KEPT_MESSAGE).startswith("Sign in again")
    assert advice(NOT_KEPT_MESSAGE) in NOT_KEPT_MESSAGE


def cli(services, *argv: str) -> int:
    return run(build_parser().parse_args(list(argv)), services)


def approve_when_asked(fake) -> threading.Thread:
    """Approve the device code the CLI prints, once it has asked for one."""

    def approve():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                fake.approve_device_code()
                return
            except Exception:  # no code asked for yet
                time.sleep(0.05)

    thread = threading.Thread(target=approve, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("kind", ["truncating", "garbage"])
def test_login_through_a_keychain_that_loses_the_sign_in_fails_honestly(
        kind, trust_fake, services, keyring_backend, capsys):
    if kind == "truncating":
        keyring_backend.truncate_to = 1000
    else:
        keyring_backend.garbage = True
    services.store.add(make_connection(trust_fake))
    approve_when_asked(trust_fake)
    assert cli(services, "login", "Contoso", "--device-code") == 1
    captured = capsys.readouterr()
    assert "Signed in" not in captured.out
    assert captured.err.strip().endswith(f"o365desk: {NOT_KEPT_MESSAGE}")
    assert services.store.find("Contoso").account is None  # not recorded as signed in


def test_login_through_a_sound_keychain_still_signs_in(trust_fake, services, capsys):
    services.store.add(make_connection(trust_fake))
    approve_when_asked(trust_fake)
    assert cli(services, "login", "Contoso", "--device-code") == 0
    assert capsys.readouterr().out.startswith("Signed in as ")
    assert cli(services, "token", "Contoso") == 0
