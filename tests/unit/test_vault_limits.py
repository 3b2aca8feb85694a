"""The vault keeps nothing unbounded: a value over MAX_VALUE_BYTES is refused before any
write, with a plain message, and the value saved before stays (in-memory keychain; a
sign-in through the fake identity platform over HTTPS for the message people see)."""

from __future__ import annotations

import uuid

import pytest

from o365desk.storage.vault import (
    MAX_CHUNKS,
    MAX_VALUE_BYTES,
    MSAL_CACHE,
    SERVICE,
    TOO_LARGE_MESSAGE,
    Vault,
    VaultCorrupt,
    VaultTooLarge,
)
from o365desk.storage.vault_errors import advice, headline
from tests.fakes.memory_keyring import MemoryKeyring
from tests.unit.keychain_kit import LARGE
from tests.unit.session_kit import sign_in

pytest_plugins = ["tests.unit.session_fixtures"]
pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


@pytest.mark.parametrize("value", ["x" * (60 * 1024 * 1024), "é" * (MAX_VALUE_BYTES // 2 + 1)],
                         ids=["60-MB", "just-over-in-UTF-8"])
def test_a_value_over_the_limit_is_refused_and_nothing_is_written(value):
    backend = MemoryKeyring()
    cid = str(uuid.uuid4())
    Vault(backend).set(cid, MSAL_CACHE, LARGE)
    before, writes = dict(backend.entries), backend.writes
    with pytest.raises(VaultTooLarge) as info:
        Vault(backend).set(cid, MSAL_CACHE, value)
    assert str(info.value) == TOO_LARGE_MESSAGE
    assert "nothing was written" in info.value.detail
    assert backend.writes == writes and backend.entries == before
    assert Vault(backend).get(cid, MSAL_CACHE) == LARGE


def test_the_limit_itself_is_kept_and_read_back():
    backend = MemoryKeyring()
    cid = str(uuid.uuid4())
    value = "é" * (MAX_VALUE_BYTES // 2)  # exactly MAX_VALUE_BYTES in UTF-8
    Vault(backend).set(cid, MSAL_CACHE, value)
    assert Vault(backend).get(cid, MSAL_CACHE) == value
    ascii_value = "a" * MAX_VALUE_BYTES  # the most chunks a value can take
    Vault(backend).set(cid, MSAL_CACHE, ascii_value)
    assert Vault(backend).get(cid, MSAL_CACHE) == ascii_value
    chunks = [u for u in backend.usernames(SERVICE) if u.count("/") == 3]
    assert len(chunks) <= MAX_CHUNKS


def test_a_manifest_claiming_more_chunks_than_any_value_takes_is_damage():
    backend = MemoryKeyring()
    cid = str(uuid.uuid4())
    backend.entries[(SERVICE, f"{cid}/{MSAL_CACHE}")] = (
        '{"v":1,"gen":"0123456789abcdef","chunks":100000,"sha256":"00"}')
    backend.calls.clear()
    with pytest.raises(VaultCorrupt):
        Vault(backend).get(cid, MSAL_CACHE)
    assert len(backend.calls) == 1  # the manifest alone: no 100,000 look-ups


def test_the_message_names_the_trouble_and_what_to_do():
    assert headline(TOO_LARGE_MESSAGE) == "The sign-in is too large to keep"
    assert TOO_LARGE_MESSAGE.startswith(headline(TOO_LARGE_MESSAGE))
    assert advice(TOO_LARGE_MESSAGE) in TOO_LARGE_MESSAGE
    assert "the sign-in saved before is kept" in advice(TOO_LARGE_MESSAGE)


def test_a_sign_in_too_large_to_keep_fails_plainly_and_keeps_the_one_before(
        fake_identity, session, keyring, connection):
    first = sign_in(fake_identity, session)
    saved = Vault(keyring).get(connection.id, MSAL_CACHE)
    assert saved and first.account.username
    # A server answering with an ID token of over a megabyte (a name the size of a book).
    fake_identity.add_user("big@contoso.example", "pw", display_name="N" * MAX_VALUE_BYTES)
    with pytest.raises(VaultTooLarge) as info:
        sign_in(fake_identity, session, username="big@contoso.example", password="pw")
    assert str(info.value) == TOO_LARGE_MESSAGE
    assert Vault(keyring).get(connection.id, MSAL_CACHE) == saved
    # Not kept, so not used either: the session holds the saved sign-in, not the refused one.
    import msal

    cache = session._token_cache()
    names = {a["username"] for a in cache.search(msal.TokenCache.CredentialType.ACCOUNT)}
    assert names == {first.account.username}
