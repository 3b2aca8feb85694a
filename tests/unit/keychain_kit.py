"""A reusable test kit: the Vault's contract, checked against any keyring backend.

Subclass BackendKit (named Test...) and give it a `raw_backend` fixture; optionally
override `enumerate_keys` when the backend can list its entries. Used by
tests/unit/test_vault.py (in-memory backend, Windows' size limit) and
tests/unit/test_keychain.py (the real Secret Service).
"""

from __future__ import annotations

import contextlib
import os
import uuid

import pytest

from o365desk.storage.vault import ENTRY_LIMIT_BYTES, MSAL_CACHE, SERVICE, Vault

REQUIRE_ENV = "O365DESK_REQUIRE_SECRET_SERVICE"
SMALL = '{"AccessToken": {}, "Account": {}}'
LARGE = "".join(f"{i:05d}-token-" for i in range(2_000))[:20_000]  # 20,000 characters
DAMAGED_MANIFEST = '{"v":1,"gen":"zz'  # a manifest cut off: it names no chunk
NON_BMP_LARGE = ("Zürich 中文 😀 \U0001f9d1\u200d\U0001f4bb " * 1_000)[:15_001]


def skip_or_fail(reason: str) -> None:
    """Skip a Secret Service test; fail instead when the run requires the Secret Service."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


class Recorder:
    """Passes calls to a backend and remembers every key written through it."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.written: set[str] = set()

    def get_password(self, service, username):
        return self.inner.get_password(service, username)

    def set_password(self, service, username, password):
        self.written.add(username)
        self.inner.set_password(service, username, password)

    def delete_password(self, service, username):
        self.inner.delete_password(service, username)

    def __getattr__(self, name):
        if name == "usernames":  # the inner backend's listing, where it has one
            return getattr(self.inner, name)
        raise AttributeError(name)

    def batch(self):
        """The inner backend's batch, so the vault runs as it does in the app."""
        return getattr(self.inner, "batch", contextlib.nullcontext)()


class BackendKit:
    """The Vault's contract; subclasses supply `raw_backend`."""

    service = SERVICE

    @pytest.fixture
    def raw_backend(self):
        raise NotImplementedError

    @pytest.fixture
    def recorder(self, raw_backend) -> Recorder:
        return Recorder(raw_backend)

    @pytest.fixture
    def vault(self, recorder) -> Vault:
        return Vault(recorder, self.service)

    @pytest.fixture
    def new_id(self, vault):
        """Fresh random connection ids, all deleted again after the test."""
        made: list[str] = []

        def make() -> str:
            made.append(str(uuid.uuid4()))
            return made[-1]

        yield make
        for connection_id in made:
            vault.delete_connection(connection_id)

    # --- what is stored -----------------------------------------------------------------------

    def enumerate_keys(self, raw_backend, connection_id: str) -> set[str] | None:
        """Every stored key of the connection if the backend can list them, else None."""
        return None

    def stored(self, raw_backend, recorder: Recorder, connection_id: str) -> dict[str, str]:
        """Entries of the connection that exist: every key ever written, read back."""
        keys = {k for k in recorder.written if k.startswith(connection_id + "/")}
        listed = self.enumerate_keys(raw_backend, connection_id)
        if listed is not None:
            keys |= listed
        found = {}
        for key in keys:
            value = raw_backend.get_password(self.service, key)
            if value is not None:
                found[key] = value
        return found

    @staticmethod
    def chunk_keys(entries: dict[str, str]) -> set[str]:
        return {k for k in entries if k.count("/") == 3}

    # --- the contract -------------------------------------------------------------------------

    def test_missing_value_is_none(self, vault, new_id):
        assert vault.get(new_id(), MSAL_CACHE) is None

    def test_check_answers(self, vault):
        vault.check()

    def test_small_value_round_trip_is_one_entry(self, vault, new_id, raw_backend, recorder):
        cid = new_id()
        vault.set(cid, MSAL_CACHE, SMALL)
        assert vault.get(cid, MSAL_CACHE) == SMALL
        assert set(self.stored(raw_backend, recorder, cid)) == {f"{cid}/{MSAL_CACHE}"}

    def test_large_value_round_trip_is_chunked(self, vault, new_id, raw_backend, recorder):
        cid = new_id()
        vault.set(cid, MSAL_CACHE, LARGE)
        assert Vault(raw_backend, self.service).get(cid, MSAL_CACHE) == LARGE
        entries = self.stored(raw_backend, recorder, cid)
        chunks = self.chunk_keys(entries)
        assert len(chunks) == -(-len(LARGE.encode("utf-16-le")) // ENTRY_LIMIT_BYTES)
        assert set(entries) == chunks | {f"{cid}/{MSAL_CACHE}"}
        for value in entries.values():
            assert len(value.encode("utf-16-le")) <= ENTRY_LIMIT_BYTES

    @pytest.mark.parametrize(
        "value",
        [
            "",
            "Zürich – ÆØÅ ñ 中文 ✓",
            "😀\U0001f9d1\u200d\U0001f4bb",
            "é" * 1_281,  # just over one entry
            "😀" * 641,  # 2,564 bytes: over one entry though only 641 characters
            "a" + "😀" * 5_000,  # every chunk boundary falls between surrogate pairs
            NON_BMP_LARGE,
        ],
        ids=["empty", "accents-cjk", "emoji", "bmp-over", "emoji-over", "emoji-odd", "mixed"],
    )
    def test_non_ascii_and_non_bmp_round_trip(self, vault, new_id, raw_backend, recorder, value):
        cid = new_id()
        vault.set(cid, MSAL_CACHE, value)
        assert Vault(raw_backend, self.service).get(cid, MSAL_CACHE) == value
        for stored in self.stored(raw_backend, recorder, cid).values():
            assert len(stored.encode("utf-16-le")) <= ENTRY_LIMIT_BYTES

    def test_overwrite_large_small_large_leaves_no_stale_chunks(
        self, vault, new_id, raw_backend, recorder
    ):
        cid = new_id()
        manifest = f"{cid}/{MSAL_CACHE}"
        vault.set(cid, MSAL_CACHE, LARGE)
        first = self.chunk_keys(self.stored(raw_backend, recorder, cid))
        assert first

        vault.set(cid, MSAL_CACHE, SMALL)
        assert vault.get(cid, MSAL_CACHE) == SMALL
        for key in first:
            assert raw_backend.get_password(self.service, key) is None
        assert set(self.stored(raw_backend, recorder, cid)) == {manifest}

        vault.set(cid, MSAL_CACHE, NON_BMP_LARGE)
        second = self.chunk_keys(self.stored(raw_backend, recorder, cid))
        vault.set(cid, MSAL_CACHE, LARGE[::-1])
        assert vault.get(cid, MSAL_CACHE) == LARGE[::-1]
        third = self.chunk_keys(self.stored(raw_backend, recorder, cid))
        assert not (second & third)
        for key in first | second:
            assert raw_backend.get_password(self.service, key) is None
        assert set(self.stored(raw_backend, recorder, cid)) == third | {manifest}

    def test_delete_connection_removes_everything(self, vault, new_id, raw_backend, recorder):
        cid = new_id()
        vault.set(cid, MSAL_CACHE, LARGE)
        vault.set(cid, MSAL_CACHE, NON_BMP_LARGE)
        present = self.stored(raw_backend, recorder, cid)
        assert len(present) > 2

        assert vault.delete_connection(cid) == len(present)
        assert self.stored(raw_backend, recorder, cid) == {}
        for key in recorder.written:
            assert raw_backend.get_password(self.service, key) is None, key
        assert vault.get(cid, MSAL_CACHE) is None
        assert vault.delete_connection(cid) == 0

    def test_delete_finds_every_entry_whatever_state_the_manifest_is_in(
        self, vault, new_id, raw_backend, recorder
    ):
        cid, other = new_id(), new_id()
        vault.set(cid, MSAL_CACHE, LARGE)
        vault.set(other, MSAL_CACHE, NON_BMP_LARGE)
        present = self.stored(raw_backend, recorder, cid)
        assert len(present) > 2
        raw_backend.set_password(self.service, f"{cid}/{MSAL_CACHE}", DAMAGED_MANIFEST)
        assert vault.can_list and cid in vault.connection_ids()

        assert vault.delete_connection(cid) == len(present)
        assert self.stored(raw_backend, recorder, cid) == {}
        assert cid not in vault.connection_ids()
        assert vault.get(other, MSAL_CACHE) == NON_BMP_LARGE

    def test_connections_do_not_see_each_other(self, vault, new_id):
        one, two = new_id(), new_id()
        vault.set(one, MSAL_CACHE, LARGE)
        vault.set(two, MSAL_CACHE, SMALL)
        assert vault.get(one, MSAL_CACHE) == LARGE
        assert vault.get(two, MSAL_CACHE) == SMALL
        assert vault.delete_connection(two) == 1
        assert vault.get(two, MSAL_CACHE) is None
        assert vault.get(one, MSAL_CACHE) == LARGE
