"""ConnectionStore under faults: damaged, newer and older files, and writers killed mid-save."""

from __future__ import annotations

import json
import os
import random
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from o365desk.core.connection import Connection
from o365desk.storage import atomic, migrations
from o365desk.storage.store import ConnectionStore, ReadOnlyError, StoreError

FIXTURES = Path(__file__).parent.parent / "fixtures" / "store"
KEPT = re.compile(r"kept unchanged at: (.+)$")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    where = tmp_path / "config" / "connections.json"
    where.parent.mkdir()
    return where


def place(path: Path, content: bytes | str) -> bytes:
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.write_bytes(data)
    return data


def kept_copy(s: ConnectionStore) -> Path:
    """The moved-aside file named in the store's one notice."""
    assert len(s.notices) == 1, s.notices
    match = KEPT.search(s.notices[0])
    assert match, s.notices[0]
    kept = Path(match.group(1))
    assert kept.parent == s.path.parent
    assert re.fullmatch(r"connections\.json\.corrupt-\d{8}T\d{6}Z(-\d+)?", kept.name)
    return kept


def entry(nickname: str, **extra) -> dict:
    return Connection(nickname=nickname).to_dict() | extra


# -- damaged files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("corrupt.json", "not in the format"),
        ("truncated.json", "cut off"),
        ("wrong-types.json", "number 2 is damaged"),
    ],
)
def test_damaged_fixture_is_kept_aside_and_the_store_starts_empty(
    path: Path, fixture: str, reason: str
) -> None:
    original = place(path, (FIXTURES / fixture).read_bytes())
    s = ConnectionStore(path)
    assert s.load() == []
    assert not s.read_only
    kept = kept_copy(s)
    assert reason in s.notices[0]
    assert kept.read_bytes() == original
    assert not path.exists()
    # Usable afterwards, and the kept copy is left alone.
    s.add(Connection(nickname="after"))
    again = ConnectionStore(path)
    assert [c.nickname for c in again.load()] == ["after"] and again.notices == []
    assert kept.read_bytes() == original


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("", id="empty"),
        pytest.param("[]", id="top-level-list"),
        pytest.param('"connections"', id="top-level-string"),
        pytest.param('{"connections": []}', id="no-schema-version"),
        pytest.param('{"schema_version": "1", "connections": []}', id="version-string"),
        pytest.param('{"schema_version": true, "connections": []}', id="version-bool"),
        pytest.param('{"schema_version": 0, "connections": []}', id="version-zero"),
        pytest.param('{"schema_version": 1}', id="no-connections"),
        pytest.param('{"schema_version": 1, "connections": {}}', id="connections-object"),
        pytest.param('{"schema_version": 1, "connections": [1]}', id="entry-number"),
        pytest.param("[" * 100_000, id="deeply-nested"),
        pytest.param('{"schema_version": 1, "connections": [], "x": ' + "9" * 5000 + "}",
                     id="number-too-long-to-read"),
        pytest.param(b"\xff\xfe\x00garbage", id="not-text"),
    ],
)
def test_wrongly_typed_files_are_kept_aside(path: Path, content: str | bytes) -> None:
    original = place(path, content)
    s = ConnectionStore(path)
    assert s.load() == []
    assert kept_copy(s).read_bytes() == original


def test_every_cut_of_a_valid_file_is_reported_as_cut_off() -> None:
    text = (FIXTURES / "valid.json").read_bytes()
    for end in range(1, len(text) - 1):
        assert migrations.examine(text[:end]).problem == "the file is cut off part-way", end


def test_duplicate_ids_and_nicknames_are_damage(path: Path) -> None:
    twin = entry("a")
    original = place(path, json.dumps({"schema_version": 1, "connections": [twin, twin]}))
    s = ConnectionStore(path)
    s.load()
    assert "same ID" in s.notices[0] and kept_copy(s).read_bytes() == original

    original = place(
        path, json.dumps({"schema_version": 1, "connections": [entry("Alpha"), entry("ALPHA")]})
    )
    s.load()
    assert "same nickname" in s.notices[0] and kept_copy(s).read_bytes() == original


def test_a_second_damaged_file_in_the_same_second_gets_a_counter(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(atomic, "timestamp", lambda now=None: "20261127T071500Z")
    kept = []
    for garbage in (b"one", b"two", b"three"):
        place(path, garbage)
        s = ConnectionStore(path)
        s.load()
        kept.append(kept_copy(s))
        assert kept[-1].read_bytes() == garbage
    assert [k.name for k in kept] == [
        "connections.json.corrupt-20261127T071500Z",
        "connections.json.corrupt-20261127T071500Z-2",
        "connections.json.corrupt-20261127T071500Z-3",
    ]


def test_when_moving_aside_fails_the_store_goes_read_only(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = place(path, "garbage")

    def refuse(source: Path, target: Path) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic, "move_aside", refuse)
    s = ConnectionStore(path)
    assert s.load() == [] and s.read_only
    assert len(s.notices) == 1 and "Permission denied" in s.notices[0]
    assert str(path) in s.notices[0]
    with pytest.raises(ReadOnlyError, match="could not be moved out of the way"):
        s.add(Connection(nickname="a"))
    assert path.read_bytes() == original


def test_damage_found_while_saving_is_kept_aside_and_nothing_is_applied(path: Path) -> None:
    s = ConnectionStore(path)
    s.add(Connection(nickname="a"))
    original = place(path, '{"schema_version": 1, "connections": [')  # edited by hand, badly
    with pytest.raises(StoreError, match="Nothing was changed; try again") as caught:
        s.add(Connection(nickname="b"))
    kept = Path(re.search(r"kept unchanged at: (\S+)", str(caught.value)).group(1))
    assert kept.read_bytes() == original and not path.exists()
    assert s.connections == []
    s.add(Connection(nickname="b"))
    assert [c.nickname for c in ConnectionStore(path).load()] == ["b"]


def test_byte_order_mark_from_a_hand_edit_is_accepted(path: Path) -> None:
    place(path, b"\xef\xbb\xbf" + (FIXTURES / "valid.json").read_bytes())
    s = ConnectionStore(path)
    assert len(s.load()) == 2 and s.notices == []


def test_lone_surrogate_from_a_hand_edit_survives_a_save(path: Path) -> None:
    doc = {"schema_version": 1, "connections": [entry("x", description="\\ud800")]}
    place(path, json.dumps(doc).replace("\\\\ud800", "\\ud800"))
    s = ConnectionStore(path)
    (c,) = s.load()
    assert c.description == "\ud800"
    s.touch(c.id)
    assert ConnectionStore(path).load()[0].description == "\ud800"


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
_file_bytes = st.one_of(
    st.binary(max_size=200),
    _json_values.map(lambda v: json.dumps(v).encode()),
    st.builds(
        lambda v, c: json.dumps({"schema_version": v, "connections": c}).encode(),
        st.integers(-1, 3),
        st.lists(_json_values, max_size=2) | _json_values,
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_file_bytes)
def test_any_file_content_is_read_or_kept_aside_never_lost(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder) / "connections.json"
        where.write_bytes(content)
        s = ConnectionStore(where)
        s.load()  # never raises
        if where.exists():
            assert where.read_bytes() == content  # read as is (or newer: left alone)
            assert s.read_only or s.notices == []
        else:
            assert kept_copy(s).read_bytes() == content and s.connections == []


# -- a file from a newer o365desk --------------------------------------------------------


def test_future_version_is_listed_read_only_and_never_written(path: Path) -> None:
    original = place(path, (FIXTURES / "future-version.json").read_bytes())
    s = ConnectionStore(path)
    (c,) = s.load()
    assert c.nickname == "Contoso admin" and c.account is not None
    assert s.read_only
    assert len(s.notices) == 1 and "newer version of o365desk" in s.notices[0]
    assert "until you update" in s.notices[0]
    for change in (
        lambda: s.add(Connection(nickname="b")),
        lambda: s.update(c.replace(description="x")),
        lambda: s.rename(c.id, "b"),
        lambda: s.touch(c.id),
        lambda: s.delete(c.id),
    ):
        with pytest.raises(ReadOnlyError) as caught:
            change()
        assert "Update o365desk" in str(caught.value)
    assert s.find("contoso admin") == c
    assert path.read_bytes() == original
    assert sorted(os.listdir(path.parent)) == ["connections.json"]  # not even a lock file


def test_future_version_shows_what_it_can(path: Path) -> None:
    bad = {"id": "x", "nickname": 1, "shape": "from the future"}
    place(path, json.dumps({"schema_version": 2, "connections": [entry("a"), bad]}))
    s = ConnectionStore(path)
    assert [c.nickname for c in s.load()] == ["a"]
    assert s.read_only and "1 of them can't be shown" in s.notices[0]


def test_newer_file_written_while_running_turns_changes_off(path: Path) -> None:
    s = ConnectionStore(path)
    s.add(Connection(nickname="a"))
    original = place(path, json.dumps({"schema_version": 5, "connections": [entry("new")]}))
    with pytest.raises(ReadOnlyError):
        s.add(Connection(nickname="b"))
    assert s.read_only and [c.nickname for c in s.connections] == ["new"]
    assert path.read_bytes() == original


# -- migrations --------------------------------------------------------------------------


@pytest.fixture
def version_2(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Pretend the current format is 2, with a 1 -> 2 migration that records its runs."""
    runs: list[int] = []

    def one_to_two(doc: dict) -> dict:
        runs.append(1)
        for item in doc["connections"]:
            item["description"] = (item.get("description") or "") + " [v2]"
        return doc

    monkeypatch.setattr(migrations, "CURRENT_VERSION", 2)
    monkeypatch.setitem(migrations.MIGRATIONS, 1, one_to_two)
    return runs


def test_older_file_is_backed_up_then_migrated(path: Path, version_2: list[int]) -> None:
    original = place(path, (FIXTURES / "valid.json").read_bytes())
    s = ConnectionStore(path)
    loaded = s.load()
    assert version_2 == [1] and s.notices == [] and not s.read_only
    assert [c.description for c in loaded] == ["Helpdesk tenant [v2]", " [v2]"]
    (backup,) = path.parent.glob("connections.json.v1-backup-*")
    assert re.fullmatch(r"connections\.json\.v1-backup-\d{8}T\d{6}Z", backup.name)
    assert backup.read_bytes() == original
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["schema_version"] == 2
    again = ConnectionStore(path)
    assert again.load() == loaded and version_2 == [1]  # migrated once only


def test_migrations_run_in_order(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def step(mark: str):
        def run(doc: dict) -> dict:
            for item in doc["connections"]:
                item["description"] += mark
            return doc

        return run

    monkeypatch.setattr(migrations, "CURRENT_VERSION", 4)
    monkeypatch.setattr(migrations, "MIGRATIONS", {3: step("c"), 1: step("a"), 2: step("b")})
    place(path, json.dumps({"schema_version": 1, "connections": [entry("x", description="")]}))
    (c,) = ConnectionStore(path).load()
    assert c.description == "abc"


def test_migrate_leaves_its_input_alone(version_2: list[int]) -> None:
    doc = {"schema_version": 1, "connections": [entry("x")]}
    before = json.dumps(doc)
    assert migrations.migrate(doc, 1)["schema_version"] == 2
    assert json.dumps(doc) == before


@pytest.mark.parametrize("table", [{}, {1: lambda doc: doc["missing"]}, {1: lambda doc: [doc]}])
def test_failed_migration_keeps_the_file_aside(
    path: Path, monkeypatch: pytest.MonkeyPatch, table: dict
) -> None:
    monkeypatch.setattr(migrations, "CURRENT_VERSION", 2)
    monkeypatch.setattr(migrations, "MIGRATIONS", table)
    original = place(path, (FIXTURES / "valid.json").read_bytes())
    s = ConnectionStore(path)
    assert s.load() == [] and not s.read_only
    assert "could not be updated from format version 1" in s.notices[0]
    assert kept_copy(s).read_bytes() == original
    (backup,) = path.parent.glob("connections.json.v1-backup-*")
    assert backup.read_bytes() == original


def test_no_backup_no_migration(
    path: Path, version_2: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    original = place(path, (FIXTURES / "valid.json").read_bytes())

    def disk_full(target: Path, data: bytes, temp_prefix: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "write", disk_full)
    s = ConnectionStore(path)
    s.load()
    assert s.read_only and "could not keep a copy" in s.notices[0]
    assert version_2 == [] and path.read_bytes() == original


# -- writers killed mid-save -------------------------------------------------------------

CHILD = """
import sys
from pathlib import Path
from o365desk.core.connection import Connection
from o365desk.storage.store import ConnectionStore
store = ConnectionStore(Path(sys.argv[1]))
i = 1 + max((int(c.nickname[1:]) for c in store.load()), default=-1)
out = sys.stdout
out.write("ready\\n"); out.flush()
while True:
    store.add(Connection(nickname=f"c{i}"))
    out.write(f"{i}\\n"); out.flush()  # only once add() has returned
    i += 1
"""

KILLS = 200


class Child:
    """A child process adding connections in a loop, whose output we read without blocking."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert self.proc.stdout is not None
        self.fd = self.proc.stdout.fileno()
        self.buffer = b""

    def lines(self) -> list[str]:
        return [line.decode() for line in self.buffer.split(b"\n")[:-1]]  # complete lines only

    def wait_for_lines(self, count: int, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.lines()) < count:
            left = deadline - time.monotonic()
            assert left > 0, "child made no progress"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                chunk = os.read(self.fd, 65536)
                assert chunk, f"child exited: {self.proc.stderr.read().decode()}"  # type: ignore
                self.buffer += chunk

    def kill(self) -> list[int]:
        """SIGKILL it; return the numbers it reported as saved."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.buffer += self.proc.stdout.read()  # type: ignore[union-attr]
        stderr = self.proc.stderr.read().decode()  # type: ignore[union-attr]
        self.proc.stdout.close()  # type: ignore[union-attr]
        self.proc.stderr.close()  # type: ignore[union-attr]
        assert self.proc.returncode == -signal.SIGKILL, stderr
        return [int(line) for line in self.lines() if line != "ready"]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and select on pipes are POSIX")
def test_killing_writers_at_random_moments_loses_nothing(path: Path) -> None:
    rng = random.Random(os.environ.get("O365DESK_FAULT_SEED", "20261127"))
    reported: set[int] = set()
    stray_temps = 0
    started = time.monotonic()
    for _ in range(KILLS):
        child = Child(path)
        if rng.random() < 0.25:
            time.sleep(rng.uniform(0, 0.06))  # during start-up, load() or the first add
        else:
            child.wait_for_lines(rng.randint(1, 3))
            time.sleep(rng.uniform(0, 0.03))
        reported.update(child.kill())

        if path.exists():
            check = ConnectionStore(path)
            saved = {c.nickname for c in check.load()}
            assert check.notices == [] and not check.read_only
            missing = sorted(i for i in reported if f"c{i}" not in saved)
            assert not missing, f"reported as saved but not in the file: {missing}"
        else:
            assert not reported
        names = os.listdir(path.parent)
        assert not [n for n in names if ".corrupt-" in n], names
        stray_temps += sum(".tmp-" in n for n in names)

    # One more successful save clears whatever temp files the kills left behind.
    ConnectionStore(path).add(Connection(nickname="final"))
    assert sorted(os.listdir(path.parent)) == ["connections.json", "connections.json.lock"]
    elapsed = time.monotonic() - started
    print(
        f"\n{KILLS} kills in {elapsed:.1f} s; {len(reported)} adds reported; "
        f"{stray_temps} times a killed writer left a temp file"
    )
    assert len(reported) > KILLS  # the kills landed among real saves, not only at start-up


ADDER = """
import sys
from pathlib import Path
from o365desk.core.connection import Connection
from o365desk.storage.store import ConnectionStore
store = ConnectionStore(Path(sys.argv[1]))
store.load()
for i in range(int(sys.argv[3])):
    store.add(Connection(nickname=f"{sys.argv[2]}{i}"))
"""


@pytest.mark.slow
def test_concurrent_processes_lose_nothing(path: Path) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-c", ADDER, str(path), prefix, "40"])
        for prefix in ("a", "b", "c")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    s = ConnectionStore(path)
    names = {c.nickname for c in s.load()}
    assert s.notices == []
    assert names == {f"{p}{i}" for p in "abc" for i in range(40)}


def test_fixture_files_are_untouched() -> None:
    # The tests above copy fixtures before loading them; the originals must stay as written.
    assert sorted(p.name for p in FIXTURES.iterdir()) == [
        "corrupt.json",
        "future-version.json",
        "truncated.json",
        "valid.json",
        "wrong-types.json",
    ]
