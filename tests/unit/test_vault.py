"""The vault over the in-memory backend: chunking, manifests, crash safety, failures."""

from __future__ import annotations

import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from keyring.errors import (
    InitError,
    KeyringLocked,
    NoKeyringError,
    PasswordDeleteError,
    PasswordSetError,
)

from o365desk.storage.vault import (
    CERTIFICATE,
    CERTIFICATE_KEY,
    CLIENT_SECRET,
    CORRUPT_MESSAGE,
    ENTRY_LIMIT_BYTES,
    FAILED_MESSAGE,
    LOCKED_MESSAGE,
    MSAL_CACHE,
    NO_KEYCHAIN_MESSAGE,
    PROXY_LOGIN,
    REFUSED_MESSAGE,
    SECRET_NAMES,
    SERVICE,
    Vault,
    VaultCorrupt,
    VaultError,
    VaultUnavailable,
    entry_cost,
    fits_inline,
    split_chunks,
)
from tests.fakes.memory_keyring import MemoryKeyring, SimulatedCrash
from tests.unit.keychain_kit import DAMAGED_MANIFEST, LARGE, NON_BMP_LARGE, SMALL, BackendKit


class TestMemoryBackendKit(BackendKit):
    """The shared backend kit against the in-memory backend (Windows' size limit)."""

    @pytest.fixture
    def raw_backend(self):
        return MemoryKeyring()

    def enumerate_keys(self, raw_backend, connection_id):
        return {u for u in raw_backend.usernames() if u.startswith(connection_id)}


def new_id() -> str:
    return str(uuid.uuid4())


def keys_of(backend: MemoryKeyring, cid: str) -> set[str]:
    return {u for u in backend.usernames(SERVICE) if u.startswith(cid)}


def manifest_of(backend: MemoryKeyring, cid: str, name: str = MSAL_CACHE) -> dict:
    return json.loads(backend.entries[(SERVICE, f"{cid}/{name}")])


def assert_clean(backend: MemoryKeyring, cid: str) -> None:
    """Only the manifest and the chunks of the current generation are left."""
    keys = keys_of(backend, cid)
    if not keys:
        return
    manifest = manifest_of(backend, cid)
    assert "pending" not in manifest and "stale" not in manifest
    expected = {f"{cid}/{MSAL_CACHE}"}
    if "gen" in manifest:
        gen = manifest["gen"]
        expected |= {f"{cid}/{MSAL_CACHE}/{gen}/{i}" for i in range(manifest["chunks"])}
    assert keys == expected


# --- sizes ------------------------------------------------------------------------------------

text_values = st.builds(
    lambda unit, times: unit * times,
    st.text(min_size=1, max_size=12),
    st.integers(min_value=0, max_value=700),
)
large_values = st.builds(
    lambda unit, times: unit * times,
    st.text(min_size=1, max_size=4),
    st.integers(min_value=400, max_value=3_000),
)
crash_values = st.one_of(text_values, large_values, large_values, large_values)


@given(st.text())
def test_entry_cost_is_the_utf16_size(value):
    assert entry_cost(value) == len(value.encode("utf-16-le"))


@given(text_values, st.sampled_from([4, 6, 64, ENTRY_LIMIT_BYTES]))
def test_split_chunks_fit_and_rejoin(value, limit):
    chunks = split_chunks(value, limit)
    assert "".join(chunks) == value
    assert all(0 < entry_cost(c) <= limit for c in chunks)
    for chunk, following in zip(chunks, chunks[1:], strict=False):
        assert entry_cost(chunk + following[0]) > limit  # greedy: no chunk is short early


def test_non_bmp_characters_cost_four_bytes():
    assert entry_cost("😀") == 4
    chunks = split_chunks("a" + "😀" * 1_000)
    assert [entry_cost(c) for c in chunks] == [2558, 1444]
    assert all(not ("\ud800" <= c[-1] <= "\udfff") for c in chunks)


# --- the fake backend -------------------------------------------------------------------------


def test_memory_keyring_refuses_what_windows_refuses():
    backend = MemoryKeyring()
    backend.set_password(SERVICE, "a", "x" * 1_280)
    with pytest.raises(PasswordSetError):
        backend.set_password(SERVICE, "b", "x" * 1_281)
    with pytest.raises(PasswordSetError):
        backend.set_password(SERVICE, "c", "😀" * 641)
    with pytest.raises(PasswordDeleteError):
        backend.delete_password(SERVICE, "missing")
    assert backend.usernames() == {"a"}


def test_memory_keyring_is_never_auto_selected():
    import keyring.backend

    from o365desk.storage.keychain import forget_detected_backends

    assert not MemoryKeyring.viable
    forget_detected_backends()
    assert not any(isinstance(b, MemoryKeyring) for b in keyring.backend.get_all_keyring())


def test_an_oversized_value_would_be_refused_so_every_write_fits():
    backend = MemoryKeyring()
    vault = Vault(backend)
    cid = new_id()
    for value in (LARGE, NON_BMP_LARGE, "😀" * 20_000, SMALL):
        vault.set(cid, MSAL_CACHE, value)
        assert vault.get(cid, MSAL_CACHE) == value
    assert all(entry_cost(v) <= ENTRY_LIMIT_BYTES for v in backend.entries.values())


# --- manifest format --------------------------------------------------------------------------


def test_small_value_is_inline_in_the_manifest():
    backend = MemoryKeyring()
    cid = new_id()
    Vault(backend).set(cid, MSAL_CACHE, SMALL)
    assert manifest_of(backend, cid) == {"v": 1, "value": SMALL}
    assert keys_of(backend, cid) == {f"{cid}/{MSAL_CACHE}"}


def test_large_value_manifest_names_generation_count_and_hash():
    import hashlib

    backend = MemoryKeyring()
    cid = new_id()
    Vault(backend).set(cid, MSAL_CACHE, LARGE)
    manifest = manifest_of(backend, cid)
    assert set(manifest) == {"v", "gen", "chunks", "sha256"}
    assert manifest["v"] == 1 and manifest["chunks"] == 16
    assert len(manifest["gen"]) == 16 and int(manifest["gen"], 16) >= 0
    assert manifest["sha256"] == hashlib.sha256(LARGE.encode()).hexdigest()
    assert_clean(backend, cid)


def test_keys_are_the_connection_uuid_never_a_nickname():
    vault = Vault(MemoryKeyring())
    with pytest.raises(ValueError, match="UUID"):
        vault.set("Contoso admin", MSAL_CACHE, SMALL)
    with pytest.raises(ValueError, match="UUID"):
        vault.delete_connection("contoso/../x")
    with pytest.raises(ValueError, match="unknown secret name"):
        vault.get(new_id(), "password")


def test_unencodable_value_is_refused_before_any_write():
    backend = MemoryKeyring()
    with pytest.raises(ValueError, match="surrogate"):
        Vault(backend).set(new_id(), MSAL_CACHE, "half a pair \ud83d")
    assert backend.entries == {}


def test_set_writes_every_chunk_before_the_manifest_points_at_it():
    backend = MemoryKeyring()
    cid = new_id()
    Vault(backend).set(cid, MSAL_CACHE, LARGE)
    backend.calls.clear()
    Vault(backend).set(cid, MSAL_CACHE, NON_BMP_LARGE)
    manifest_key = f"{cid}/{MSAL_CACHE}"
    sets = [u for op, u in backend.calls if op == "set"]
    new_gen = manifest_of(backend, cid)["gen"]
    new_chunks = [i for i, u in enumerate(sets) if f"/{new_gen}/" in u]
    manifest_writes = [i for i, u in enumerate(sets) if u == manifest_key]
    # pending first, then all chunks, then the switch, then the clean rewrite
    assert manifest_writes[0] < new_chunks[0]
    assert max(new_chunks) < manifest_writes[1]
    assert len(manifest_writes) == 3


# --- corruption -------------------------------------------------------------------------------


def _large_stored() -> tuple[MemoryKeyring, str, dict]:
    backend = MemoryKeyring()
    cid = new_id()
    Vault(backend).set(cid, MSAL_CACHE, LARGE)
    return backend, cid, manifest_of(backend, cid)


def test_missing_chunk_is_reported_as_damage():
    backend, cid, manifest = _large_stored()
    del backend.entries[(SERVICE, f"{cid}/{MSAL_CACHE}/{manifest['gen']}/7")]
    with pytest.raises(VaultCorrupt) as info:
        Vault(backend).get(cid, MSAL_CACHE)
    assert str(info.value) == CORRUPT_MESSAGE
    assert "chunk 7" in info.value.detail


def test_altered_chunk_is_reported_as_damage():
    backend, cid, manifest = _large_stored()
    key = (SERVICE, f"{cid}/{MSAL_CACHE}/{manifest['gen']}/3")
    backend.entries[key] = backend.entries[key][::-1]
    with pytest.raises(VaultCorrupt, match="damaged") as info:
        Vault(backend).get(cid, MSAL_CACHE)
    assert "SHA-256" in info.value.detail


@pytest.mark.parametrize(
    "raw",
    ["not json", "[1]", '{"v": 99, "value": "x"}', '{"v": 1, "gen": "XYZ", "chunks": 1}'],
)
def test_unreadable_manifest_is_damage_and_set_or_delete_replace_it(raw):
    backend = MemoryKeyring()
    cid = new_id()
    backend.entries[(SERVICE, f"{cid}/{MSAL_CACHE}")] = raw
    vault = Vault(backend)
    with pytest.raises(VaultCorrupt):
        vault.get(cid, MSAL_CACHE)
    vault.set(cid, MSAL_CACHE, LARGE)
    assert vault.get(cid, MSAL_CACHE) == LARGE
    backend.entries[(SERVICE, f"{cid}/{MSAL_CACHE}")] = raw
    present = keys_of(backend, cid)
    assert len(present) == 17  # the manifest names none of its 16 chunks any more
    assert vault.delete_connection(cid) == 17  # the backend lists them all
    assert keys_of(backend, cid) == set()
    assert vault.get(cid, MSAL_CACHE) is None


class Unlisted:
    """A backend that can't list its entries (as keyring's macOS and Windows ones)."""

    def __init__(self, inner: MemoryKeyring) -> None:
        self.inner = inner

    def get_password(self, service, username):
        return self.inner.get_password(service, username)

    def set_password(self, service, username, password):
        self.inner.set_password(service, username, password)

    def delete_password(self, service, username):
        self.inner.delete_password(service, username)


def test_a_cut_off_manifest_still_names_its_generation_without_listing():
    backend, cid, manifest = _large_stored()
    key = (SERVICE, f"{cid}/{MSAL_CACHE}")
    backend.entries[key] = backend.entries[key][:40]  # {"v":1,"gen":"<16 hex>","chu
    assert manifest["gen"] in backend.entries[key]
    vault = Vault(Unlisted(backend))
    assert not vault.can_list and vault.connection_ids() is None
    assert vault.delete_connection(cid) == 17
    assert keys_of(backend, cid) == set()


def test_without_listing_a_wholly_damaged_manifest_counts_only_what_was_removed(caplog):
    backend, cid, _manifest = _large_stored()
    backend.entries[(SERVICE, f"{cid}/{MSAL_CACHE}")] = DAMAGED_MANIFEST
    assert Vault(Unlisted(backend)).delete_connection(cid) == 1
    assert len(keys_of(backend, cid)) == 16
    assert "can't list its entries" in caplog.text


def test_delete_removes_chunks_past_a_gap_and_entries_of_unknown_names():
    backend, cid, manifest = _large_stored()
    del backend.entries[(SERVICE, f"{cid}/{MSAL_CACHE}/{manifest['gen']}/5")]
    backend.entries[(SERVICE, f"{cid}/some-later-secret")] = "x"
    backend.entries[(SERVICE, f"{cid}/{MSAL_CACHE}/0123456789abcdef/0")] = "left by a crash"
    present = keys_of(backend, cid)
    assert Vault(backend).delete_connection(cid) == len(present) == 18
    assert keys_of(backend, cid) == set()


def test_connection_ids_are_those_with_entries():
    backend = MemoryKeyring()
    one, two = new_id(), new_id()
    Vault(backend).set(one, MSAL_CACHE, LARGE)
    Vault(backend).set(two, MSAL_CACHE, SMALL)
    backend.entries[(SERVICE, "vault-check")] = "not a connection"
    backend.entries[("another-app", f"{new_id()}/x")] = "not ours"
    assert Vault(backend).connection_ids() == {one, two}


def test_vault_errors_carry_message_and_detail():
    error = VaultCorrupt("plain", "raw")
    assert isinstance(error, VaultError) and str(error) == "plain" and error.detail == "raw"


# --- keychain failures ------------------------------------------------------------------------


def test_locked_keychain_is_unavailable_everywhere_with_a_plain_message():
    backend = MemoryKeyring()
    cid = new_id()
    Vault(backend).set(cid, MSAL_CACHE, LARGE)
    backend.locked = True
    vault = Vault(backend)
    calls = [
        vault.check,
        lambda: vault.get(cid, MSAL_CACHE),
        lambda: vault.set(cid, MSAL_CACHE, SMALL),
        lambda: vault.delete_connection(cid),
    ]
    for call in calls:
        with pytest.raises(VaultUnavailable) as info:
            call()
        assert str(info.value) == LOCKED_MESSAGE
        assert "keyring.errors.KeyringLocked: Failed to unlock the collection!" in info.value.detail
    backend.locked = False
    assert vault.get(cid, MSAL_CACHE) == LARGE


class FailingBackend:
    def __init__(self, error: BaseException) -> None:
        self.error = error

    def get_password(self, service, username):
        raise self.error

    set_password = delete_password = get_password


def _secretstorage_errors():
    from secretstorage.exceptions import (
        LockedException,
        PromptDismissedException,
        SecretServiceNotAvailableException,
    )

    return [
        (LockedException("Collection is locked!"), LOCKED_MESSAGE),
        (PromptDismissedException("Prompt dismissed."), LOCKED_MESSAGE),
        (
            SecretServiceNotAvailableException("Environment variable DBUS_SESSION_BUS_ADDRESS"),
            NO_KEYCHAIN_MESSAGE,
        ),
    ]


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (KeyringLocked("Failed to unlock the collection!"), LOCKED_MESSAGE),
        (InitError("Failed to create the collection: Prompt dismissed.."), LOCKED_MESSAGE),
        (InitError("Failed to create the collection: no such object."), NO_KEYCHAIN_MESSAGE),
        (NoKeyringError("No recommended backend was available."), NO_KEYCHAIN_MESSAGE),
        (PasswordSetError("(1783, 'CredWrite', 'The stub received bad data.')"), REFUSED_MESSAGE),
        (PasswordDeleteError("Access denied"), FAILED_MESSAGE),
        (ConnectionResetError(104, "Connection reset by peer"), FAILED_MESSAGE),
        (TimeoutError("no reply"), FAILED_MESSAGE),
        *_secretstorage_errors(),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseException) else "",
)
def test_backend_errors_become_unavailable_with_the_raw_text_in_detail(error, message):
    vault = Vault(FailingBackend(error))
    with pytest.raises(VaultUnavailable) as info:
        vault.check()
    assert str(info.value) == message
    assert str(error) in info.value.detail
    assert type(error).__name__ in info.value.detail
    assert isinstance(info.value.__cause__, type(error))


def test_missing_entry_on_delete_is_not_an_error_but_a_zero():
    assert Vault(MemoryKeyring()).delete_connection(new_id()) == 0


def test_delete_connection_covers_every_secret_name():
    # add names here and in the vault together
    assert SECRET_NAMES == (MSAL_CACHE, CLIENT_SECRET, CERTIFICATE_KEY, CERTIFICATE, PROXY_LOGIN)


def test_backend_name_falls_back_to_the_class():
    assert Vault(MemoryKeyring()).backend_name == "tests.fakes.memory_keyring.MemoryKeyring"


# --- crash safety -----------------------------------------------------------------------------


def largest_inline(unit: str) -> str:
    """The longest repetition of `unit` the vault still keeps inline in its manifest."""
    count = 1
    while fits_inline(unit * (count + 1)):
        count += 1
    return unit * count


INLINE_MAX = largest_inline("0")
INLINE_MAX_EMOJI = largest_inline("😀")


def test_inline_values_leave_room_for_bookkeeping():
    assert fits_inline(INLINE_MAX) and not fits_inline(INLINE_MAX + "0")
    assert not fits_inline("0" * 1_281)
    assert 1_100 < len(INLINE_MAX) < 1_280 and 500 < len(INLINE_MAX_EMOJI) < 640


SCENARIOS = {
    "large-to-large": (LARGE, NON_BMP_LARGE),
    "inline-max-to-large": (INLINE_MAX, LARGE),
    "inline-max-emoji-to-just-over": (INLINE_MAX_EMOJI, INLINE_MAX_EMOJI + "😀"),
    "large-to-inline-max": (LARGE, INLINE_MAX),
    "none-to-large": (None, LARGE),
    "large-to-small": (LARGE, SMALL),
    "small-to-large": (SMALL, NON_BMP_LARGE),
    "small-to-small": (SMALL, SMALL[::-1]),
}


def _prepared(old: str | None) -> tuple[MemoryKeyring, str]:
    backend = MemoryKeyring()
    cid = new_id()
    if old is not None:
        Vault(backend).set(cid, MSAL_CACHE, old)
    return backend, cid


def _writes_needed(backend: MemoryKeyring, action) -> int:
    """How many writes `action` makes when nothing crashes."""
    trial = backend.copy()
    action(Vault(trial))
    return trial.writes


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_crash_at_every_write_of_set_leaves_old_or_new_then_heals(scenario):
    old, new = SCENARIOS[scenario]
    backend, cid = _prepared(old)
    writes = _writes_needed(backend, lambda v: v.set(cid, MSAL_CACHE, new))
    assert writes >= 1
    done = backend.copy()
    Vault(done).set(cid, MSAL_CACHE, new)
    assert Vault(done.copy()).get(cid, MSAL_CACHE) == new
    assert_clean(done, cid)
    for position in range(writes):
        crashed = backend.copy()
        crashed.crash_after_writes = position
        with pytest.raises(SimulatedCrash):
            Vault(crashed).set(cid, MSAL_CACHE, new)
        restarted = crashed.copy()  # a new process
        value = Vault(restarted).get(cid, MSAL_CACHE)
        assert value in (old, new), f"crash before write {position}"
        if position == 0:
            assert value == old
        final = LARGE[::-1]
        Vault(restarted).set(cid, MSAL_CACHE, final)
        assert Vault(restarted.copy()).get(cid, MSAL_CACHE) == final
        assert_clean(restarted, cid)


@pytest.mark.parametrize("scenario", ["large-to-large", "none-to-large", "small-to-large"])
def test_crash_at_every_write_then_delete_connection_removes_everything(scenario):
    old, new = SCENARIOS[scenario]
    backend, cid = _prepared(old)
    writes = _writes_needed(backend, lambda v: v.set(cid, MSAL_CACHE, new))
    for position in range(writes):
        crashed = backend.copy()
        crashed.crash_after_writes = position
        with pytest.raises(SimulatedCrash):
            Vault(crashed).set(cid, MSAL_CACHE, new)
        restarted = crashed.copy()
        present = keys_of(restarted, cid)
        assert Vault(restarted).delete_connection(cid) == len(present)
        assert keys_of(restarted, cid) == set()


@pytest.mark.parametrize("old", [LARGE, SMALL])
def test_crash_at_every_write_of_delete_leaves_old_or_nothing_then_heals(old):
    backend, cid = _prepared(old)
    other = new_id()
    Vault(backend).set(other, MSAL_CACHE, NON_BMP_LARGE)
    writes = _writes_needed(backend, lambda v: v.delete_connection(cid))
    for position in range(writes):
        crashed = backend.copy()
        crashed.crash_after_writes = position
        with pytest.raises(SimulatedCrash):
            Vault(crashed).delete_connection(cid)
        restarted = crashed.copy()
        assert Vault(restarted).get(cid, MSAL_CACHE) in (old, None)
        Vault(restarted).delete_connection(cid)
        assert keys_of(restarted, cid) == set()
        assert Vault(restarted).get(other, MSAL_CACHE) == NON_BMP_LARGE


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    steps=st.lists(
        st.tuples(
            st.one_of(st.none(), crash_values),  # None: delete the connection
            st.integers(min_value=0, max_value=24),  # crash before this write (if reached)
        ),
        min_size=1,
        max_size=6,
    ),
    final=crash_values,
)
def test_random_writes_and_crashes_never_mix_values(steps, final):
    backend = MemoryKeyring()
    cid = new_id()
    neighbour = new_id()
    Vault(backend).set(neighbour, MSAL_CACHE, SMALL)
    current: str | None = None
    for value, crash_at in steps:
        backend.crash_after_writes = backend.writes + crash_at
        crashed = False
        try:
            if value is None:
                Vault(backend).delete_connection(cid)
            else:
                Vault(backend).set(cid, MSAL_CACHE, value)
        except SimulatedCrash:
            crashed = True
        backend.crash_after_writes = None
        seen = Vault(backend.copy()).get(cid, MSAL_CACHE)
        if crashed:
            assert seen in (current, value)
        else:
            assert seen == value
        current = seen
    Vault(backend).set(cid, MSAL_CACHE, final)
    assert Vault(backend.copy()).get(cid, MSAL_CACHE) == final
    assert_clean(backend, cid)
    assert Vault(backend).get(neighbour, MSAL_CACHE) == SMALL
    Vault(backend).delete_connection(cid)
    assert keys_of(backend, cid) == set()


def test_a_backend_batch_wraps_each_operation_and_its_failure_is_unavailable():
    import contextlib

    class Batching(MemoryKeyring):
        opened = 0
        refuse = False

        @contextlib.contextmanager
        def batch(self):
            if self.refuse:
                raise KeyringLocked("Failed to unlock the collection!")
            self.opened += 1
            yield

    backend = Batching()
    vault = Vault(backend)
    cid = new_id()
    vault.set(cid, MSAL_CACHE, LARGE)
    assert vault.get(cid, MSAL_CACHE) == LARGE
    assert backend.opened == 2
    backend.refuse = True
    with pytest.raises(VaultUnavailable) as info:
        vault.get(cid, MSAL_CACHE)
    assert str(info.value) == LOCKED_MESSAGE
