"""ConnectionStore: the file format, changes, uniqueness, and two instances sharing one file."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from filelock import FileLock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from o365desk.core import nickname as nick
from o365desk.core import paths
from o365desk.core.clouds import Cloud
from o365desk.core.connection import Account, Connection, Credential, CredentialType, Kind
from o365desk.storage import store
from o365desk.storage.store import (
    ConnectionStore,
    NicknameRefused,
    NotFoundError,
    StoreError,
)
from tests.fakes.lock_holder import another_process_holding
from tests.unit.test_connection import usable_connections

FIXTURES = Path(__file__).parent.parent / "fixtures" / "store"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "connections.json"


def fresh(path: Path) -> ConnectionStore:
    """A second instance, as another o365desk window or the CLI would open it."""
    other = ConnectionStore(path)
    other.load()
    assert other.notices == []
    return other


def nicknames(s: ConnectionStore) -> list[str]:
    return [c.nickname for c in s.connections]


def valid_nickname(raw: str) -> bool:
    try:
        return nick.validate(raw) == raw
    except nick.NicknameError:
        return False


def full_connection() -> Connection:
    return Connection(
        nickname="Fabrikam China",
        description="Tenant for the Shanghai office",
        tenant="fabrikam.partner.onmschina.cn",
        cloud=Cloud.CHINA,
        client_id="00000000-1111-2222-3333-444444444444",
        authority="https://login.chinacloudapi.cn/fabrikam.partner.onmschina.cn",
        kind=Kind.APP_ONLY,
        scopes=("https://microsoftgraph.chinacloudapi.cn/.default", "User.Read"),
        account=Account("admin@fabrikam.cn", "uid.utid", "7d0b3c4a-0000-4000-8000-000000000001"),
        created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        last_used_at=datetime(2026, 11, 27, 7, 15, tzinfo=UTC),
        expires_at=datetime(2026, 11, 27, 8, 15, 30, 250000, tzinfo=UTC),
        credential=Credential(
            CredentialType.CERTIFICATE, expires_at=datetime(2027, 6, 30, tzinfo=UTC),
            sha1="0A" * 20, sha256="B1" * 32, subject="CN=Fabrikam daemon",
            not_after=datetime(2027, 6, 30, tzinfo=UTC)),
    )


# -- the file ----------------------------------------------------------------------------


def test_missing_file_means_no_connections_and_nothing_is_created(path: Path) -> None:
    s = ConnectionStore(path)
    assert s.load() == []
    assert s.connections == [] and s.notices == [] and not s.read_only
    assert not path.parent.exists()


def test_app_path_comes_from_the_config_dir(config_dir: Path) -> None:
    s = ConnectionStore(paths.connections_file())
    assert s.path == config_dir / "connections.json"
    s.add(Connection(nickname="a"))
    assert (config_dir / "connections.json").is_file()


def test_first_write_creates_the_folder_and_the_documented_form(path: Path) -> None:
    c = ConnectionStore(path).add(full_connection())
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc == {"schema_version": 1, "connections": [c.to_dict()]}
    assert path.with_name("connections.json.lock").exists()


def test_every_field_round_trips(path: Path) -> None:
    original = full_connection()
    assert ConnectionStore(path).add(original) == original
    assert fresh(path).connections == [original]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(usable_connections(st.text(min_size=1, max_size=30).filter(valid_nickname)))
def test_any_connection_round_trips(connection: Connection) -> None:
    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder) / "connections.json"
        assert ConnectionStore(where).add(connection) == connection
        assert fresh(where).connections == [connection]


def test_stored_form_is_what_a_later_load_reads(path: Path) -> None:
    # A naive time and an upper-case id read back differently; the store returns the
    # stored form so memory and file agree.
    ident = "ABCDEF01-2345-4678-89AB-CDEF01234567"
    stored = ConnectionStore(path).add(
        Connection(nickname="a", id=ident, created_at=datetime(2026, 1, 1))
    )
    assert stored.id == ident.lower()
    assert stored.created_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert fresh(path).connections == [stored]


def test_non_ascii_is_written_readably(path: Path) -> None:
    ConnectionStore(path).add(Connection(nickname="Müller & Söhne 東京"))
    assert "Müller & Söhne 東京" in path.read_text(encoding="utf-8")


def test_file_is_private_to_its_owner(path: Path) -> None:
    ConnectionStore(path).add(Connection(nickname="a"))
    if os.name == "posix":
        assert path.stat().st_mode & 0o077 == 0


# -- changes -----------------------------------------------------------------------------


def test_add_normalizes_the_nickname_and_keeps_order(path: Path) -> None:
    s = ConnectionStore(path)
    a = s.add(Connection(nickname="  Contoso  "))
    s.add(Connection(nickname="Fabrikam"))
    assert a.nickname == "Contoso"
    assert nicknames(s) == nicknames(fresh(path)) == ["Contoso", "Fabrikam"]


def test_nickname_clash_ignores_case_and_uses_the_rules_message(path: Path) -> None:
    s = ConnectionStore(path)
    s.add(Connection(nickname="Contoso"))
    before = path.read_bytes()
    with pytest.raises(NicknameRefused) as caught:
        s.add(Connection(nickname="CONTOSO"))
    with pytest.raises(nick.NicknameError) as expected:
        nick.validate("CONTOSO", ["Contoso"])
    assert str(caught.value) == str(expected.value)
    assert isinstance(caught.value, StoreError) and isinstance(caught.value, ValueError)
    assert path.read_bytes() == before


@pytest.mark.parametrize("bad", ["", "a\u202eb", "a\nb", "x" * 65])
def test_invalid_nicknames_are_refused_with_the_rules_message(path: Path, bad: str) -> None:
    with pytest.raises(nick.NicknameError) as expected:
        nick.validate(bad)
    with pytest.raises(NicknameRefused, match="^" + re.escape(str(expected.value)) + "$"):
        ConnectionStore(path).add(Connection(nickname=bad))
    assert not path.exists()


def test_adding_the_same_connection_twice_is_refused(path: Path) -> None:
    s = ConnectionStore(path)
    c = s.add(Connection(nickname="a"))
    with pytest.raises(StoreError, match="already saved"):
        s.add(c.replace(nickname="b"))
    assert nicknames(fresh(path)) == ["a"]


def test_update_replaces_by_id(path: Path) -> None:
    s = ConnectionStore(path)
    a = s.add(Connection(nickname="a"))
    b = s.add(Connection(nickname="b"))
    changed = s.update(a.replace(description="new", scopes=("Mail.Read",), nickname="A "))
    assert changed.nickname == "A" and changed.description == "new"
    assert fresh(path).connections == [changed, b]


def test_update_refuses_a_nickname_another_connection_has(path: Path) -> None:
    s = ConnectionStore(path)
    a = s.add(Connection(nickname="a"))
    s.add(Connection(nickname="b"))
    with pytest.raises(NicknameRefused, match='"b" already exists'):
        s.update(a.replace(nickname="B"))


def test_update_of_a_missing_connection(path: Path) -> None:
    s = ConnectionStore(path)
    with pytest.raises(NotFoundError, match="no longer exists"):
        s.update(Connection(nickname="ghost"))
    assert not path.exists()


def test_rename(path: Path) -> None:
    s = ConnectionStore(path)
    a = s.add(Connection(nickname="alpha"))
    s.add(Connection(nickname="beta"))
    assert s.rename(a.id, "ALPHA").nickname == "ALPHA"  # its own name in another case is fine
    assert s.rename(a.id, " gamma ").nickname == "gamma"
    with pytest.raises(NicknameRefused, match="already exists"):
        s.rename(a.id, "Beta")
    with pytest.raises(NicknameRefused, match="can't be empty"):
        s.rename(a.id, "   ")
    with pytest.raises(NotFoundError):
        s.rename("00000000-0000-4000-8000-000000000000", "delta")
    assert nicknames(fresh(path)) == ["gamma", "beta"]


def test_delete(path: Path) -> None:
    s = ConnectionStore(path)
    a = s.add(Connection(nickname="a"))
    s.add(Connection(nickname="b"))
    s.delete(a.id)
    assert nicknames(s) == nicknames(fresh(path)) == ["b"]
    with pytest.raises(NotFoundError):
        s.delete(a.id)
    s.add(Connection(nickname="A"))  # the name is free again


def test_touch_sets_last_used(path: Path) -> None:
    s = ConnectionStore(path)
    a = s.add(Connection(nickname="a"))
    assert a.last_used_at is None
    when = datetime(2026, 11, 27, 7, 15, tzinfo=UTC)
    assert s.touch(a.id, when).last_used_at == when
    assert fresh(path).find("a").last_used_at == when
    now = s.touch(a.id).last_used_at
    assert now is not None and abs(datetime.now(UTC) - now) < timedelta(seconds=5)
    assert fresh(path).find("a").last_used_at == now
    with pytest.raises(NotFoundError):
        s.touch("00000000-0000-4000-8000-000000000000")


# -- find --------------------------------------------------------------------------------


def test_find_by_id_or_nickname(path: Path) -> None:
    s = ConnectionStore(path)
    a = s.add(Connection(nickname="Straße Admin"))
    assert s.find(a.id) == a
    assert s.find(a.id.upper()) == a
    assert s.find("STRASSE ADMIN") == a
    assert s.find("  straße admin ") == a
    assert fresh(path).find("strasse admin") == a


def test_find_missing_says_so_plainly(path: Path) -> None:
    s = ConnectionStore(path)
    s.add(Connection(nickname="a"))
    with pytest.raises(NotFoundError) as caught:
        s.find("Contoso")
    assert str(caught.value) == 'No connection is called "Contoso".'


def test_connections_loads_on_first_use(path: Path) -> None:
    ConnectionStore(path).add(Connection(nickname="a"))
    assert nicknames(ConnectionStore(path)) == ["a"]


# -- two instances -----------------------------------------------------------------------


def test_two_instances_lose_nothing(path: Path) -> None:
    one, two = ConnectionStore(path), ConnectionStore(path)
    one.load()
    two.load()
    a = one.add(Connection(nickname="from one"))
    b = two.add(Connection(nickname="from two"))  # two never saw "from one"
    assert nicknames(two) == ["from one", "from two"]
    one.rename(b.id, "renamed by one")  # one never saw b
    when = datetime(2026, 1, 1, tzinfo=UTC)
    two.touch(a.id, when)
    one.delete(b.id)
    two.add(Connection(nickname="also from two"))
    final = fresh(path)
    assert nicknames(final) == ["from one", "also from two"]
    assert final.find("from one").last_used_at == when
    two.load()
    assert one.connections[0] == two.connections[0] == final.connections[0]


def test_clash_is_checked_against_the_latest_file(path: Path) -> None:
    one, two = ConnectionStore(path), ConnectionStore(path)
    one.load()
    two.load()
    one.add(Connection(nickname="Contoso"))
    with pytest.raises(NicknameRefused, match='"Contoso" already exists'):
        two.add(Connection(nickname="contoso"))
    assert nicknames(fresh(path)) == ["Contoso"]


def test_change_to_a_connection_deleted_elsewhere(path: Path) -> None:
    one = ConnectionStore(path)
    a = one.add(Connection(nickname="a"))
    two = fresh(path)
    two.delete(a.id)
    with pytest.raises(NotFoundError, match="deleted in another o365desk window"):
        one.rename(a.id, "b")
    assert one.connections == []  # refreshed from the file


# -- locking, temp files, write failures -------------------------------------------------


def test_busy_lock_gives_a_plain_error_and_changes_nothing(path: Path) -> None:
    s = ConnectionStore(path, lock_timeout=0.2)
    s.add(Connection(nickname="a"))
    before = path.read_bytes()
    with FileLock(s.lock_path):
        with pytest.raises(StoreError) as caught:
            s.add(Connection(nickname="b"))
    assert str(caught.value) == store.BUSY
    assert path.read_bytes() == before and nicknames(s) == ["a"]
    s.add(Connection(nickname="b"))


def test_lock_is_held_across_processes(path: Path) -> None:
    s = ConnectionStore(path, lock_timeout=0.3)
    s.add(Connection(nickname="a"))
    with another_process_holding(s.lock_path):
        with pytest.raises(StoreError, match="busy saving"):
            s.add(Connection(nickname="b"))
    s.add(Connection(nickname="b"))  # the kernel dropped the dead holder's lock


def test_temp_files_left_by_a_killed_writer_are_removed_by_the_next_write(path: Path) -> None:
    s = ConnectionStore(path)
    s.add(Connection(nickname="a"))
    stray = path.with_name("connections.json.tmp-4242-deadbeef")
    stray.write_bytes(b'{"schema_version": 1, "connec')
    unrelated = path.with_name("other.json.tmp-1-cafe")
    unrelated.write_text("keep me")
    assert nicknames(fresh(path)) == ["a"]  # a stray temp file doesn't disturb reading
    s.add(Connection(nickname="b"))
    assert not stray.exists() and unrelated.exists()
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "connections.json",
        "connections.json.lock",
        "other.json.tmp-1-cafe",
    ]


def test_failed_write_says_what_to_do_and_changes_nothing(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = ConnectionStore(path)
    s.add(Connection(nickname="a"))
    before = path.read_bytes()

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(StoreError) as caught:
        s.add(Connection(nickname="b"))
    message = str(caught.value)
    assert "No space left on device" in message and "disk is not full" in message
    monkeypatch.undo()
    assert path.read_bytes() == before and nicknames(s) == ["a"]
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "connections.json",
        "connections.json.lock",
    ]


def test_storage_imports_nothing_heavy() -> None:
    code = (
        "import sys, o365desk.storage.store;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'PySide6', 'shiboken6', 'msal', 'keyring', 'requests', 'filelock', 'platformdirs'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_real_migration_table_is_empty_at_version_1() -> None:
    from o365desk.storage import migrations

    assert migrations.CURRENT_VERSION == 1 and migrations.MIGRATIONS == {}


def test_fixture_of_version_1_still_loads(path: Path) -> None:
    # Frozen sample of the version-1 format: if this breaks, write a migration instead.
    path.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "valid.json", path)
    s = ConnectionStore(path)
    assert [c.nickname for c in s.load()] == ["Contoso admin", "Fabrikam (GCC High)"]
    assert s.notices == [] and not s.read_only
    contoso = s.find("contoso ADMIN")
    assert contoso.account is not None and contoso.scopes == ("User.Read.All", "Group.Read.All")
    assert s.find("fabrikam (gcc high)").cloud is Cloud.USGOV


def test_a_symlinked_file_stays_a_link_and_its_target_is_saved(tmp_path: Path) -> None:
    target = tmp_path / "dotfiles" / "connections.json"
    target.parent.mkdir()
    config = tmp_path / "config"
    config.mkdir()
    ConnectionStore(target).add(Connection(nickname="Before"))
    (config / "connections.json").symlink_to(target)
    ConnectionStore(config / "connections.json").add(Connection(nickname="Through the link"))
    assert (config / "connections.json").is_symlink()
    names = [c.nickname for c in ConnectionStore(target).load()]
    assert names == ["Before", "Through the link"]
