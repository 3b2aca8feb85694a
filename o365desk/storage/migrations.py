"""The connections file's format: its versions, the numbered migrations, and its checks.

To change the format: raise CURRENT_VERSION by one and add MIGRATIONS[old], taking a whole
document of version `old` and returning one of version `old + 1`. Never edit a migration that
has shipped; people may still have files of every older version. The store backs the file up
before running any of them.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from typing import Any

from o365desk.core import connection_rules, safe_read
from o365desk.core import nickname as nick
from o365desk.core.connection import Connection
from o365desk.core.ids import canonical_uuid

CURRENT_VERSION = 1

Document = dict[str, Any]

# from-version -> function producing the document of from-version + 1.
MIGRATIONS: dict[int, Callable[[Document], Document]] = {}


class MigrationError(Exception):
    """A file could not be brought up to the current version (the text is for the log)."""


def migrate(doc: Document, from_version: int, to_version: int | None = None) -> Document:
    """Run the migrations from `from_version` up to `to_version` (default: the current one)."""
    # Looked up at call time, so tests can monkeypatch CURRENT_VERSION and MIGRATIONS.
    target = CURRENT_VERSION if to_version is None else to_version
    version = from_version
    # The caller's document is the backup's source of truth; never change it in place.
    doc = copy.deepcopy(doc)
    while version < target:
        step = MIGRATIONS.get(version)
        if step is None:
            raise MigrationError(f"no migration from schema version {version}")
        try:
            doc = step(doc)
        except Exception as exc:  # a migration meeting data it can't handle: the file is damaged
            raise MigrationError(f"migration from version {version} failed: {exc!r}") from exc
        if not isinstance(doc, dict):
            raise MigrationError(f"migration from version {version} did not return an object")
        version += 1
        doc["schema_version"] = version
    return doc


@dataclasses.dataclass
class Snapshot:
    """What one read of the file found; `problem` set means the file is damaged."""

    raw: bytes | None  # None: there is no file
    version: int = 0
    doc: dict[str, Any] | None = None
    connections: list[Connection] = dataclasses.field(default_factory=list)
    problem: str = ""  # completes "...because ..." in a notice
    skipped: int = 0  # entries of a newer file this version can't show

    def needs_repair(self) -> bool:
        """Whether settling this needs the lock: the file will be moved aside or migrated."""
        return bool(self.problem) or (self.raw is not None and self.version < CURRENT_VERSION)


def examine(raw: bytes) -> Snapshot:
    """Parse and check the file's bytes without touching the file."""
    try:
        text = raw.decode("utf-8-sig")  # -sig: Notepad adds a byte-order mark to hand edits
    except UnicodeDecodeError:
        return Snapshot(raw, problem="the file contains characters that are not text")
    try:
        doc = safe_read.parse_json(text)
    except safe_read.TooDeep as exc:
        return Snapshot(raw, problem=str(exc))
    except json.JSONDecodeError as exc:
        if not text.strip():
            return Snapshot(raw, problem="the file is empty")
        # An error at the very end, in a string never closed, or in a cut word (`nu` of
        # `null`) means the text stops mid-way.
        rest = text[exc.pos :].rstrip()
        if exc.msg.startswith("Unterminated string") or any(
            word.startswith(rest) for word in ("true", "false", "null")
        ):
            return Snapshot(raw, problem="the file is cut off part-way")
        return Snapshot(raw, problem="the file is not in the format o365desk uses")
    except ValueError:  # a number too long to convert
        return Snapshot(raw, problem="the file is not in the format o365desk uses")
    if not isinstance(doc, dict):
        return Snapshot(raw, problem="the file is not in the format o365desk uses")
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return Snapshot(raw, problem="the file does not say which format version it uses")
    if version > CURRENT_VERSION:
        return _check_newer(raw, doc, version)
    if version < CURRENT_VERSION:
        return Snapshot(raw, version=version, doc=doc)
    snap = check_current(doc)
    return dataclasses.replace(snap, raw=raw, version=version)


def check_current(doc: dict[str, Any]) -> Snapshot:
    """Check a current-version document strictly: any fault means the file is damaged."""
    snap = Snapshot(raw=b"", version=CURRENT_VERSION, doc=doc)
    entries = doc.get("connections")
    if not isinstance(entries, list):
        snap.problem = "its list of connections is missing or damaged"
        return snap
    ids: set[str] = set()
    names: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        try:
            connection = _checked(Connection.from_dict(entry), entry)
        except (ValueError, TypeError, KeyError) as exc:  # FormatError, and anything odder
            salvaged = _salvaged(entry, exc)
            if salvaged is None:
                snap.problem = f"saved connection number {number} is damaged ({exc})"
                return snap
            connection = salvaged
        if connection.id in ids:
            snap.problem = f"two saved connections have the same ID ({connection.id})"
            return snap
        key = nick.fold(connection.nickname)
        if key in names:
            snap.problem = (
                f'two saved connections have the same nickname ("{names[key]}" and '
                f'"{connection.nickname}")'
            )
            return snap
        ids.add(connection.id)
        names[key] = connection.nickname
        snap.connections.append(connection)
    return snap


def _check_newer(raw: bytes, doc: dict[str, Any], version: int) -> Snapshot:
    """Read what we can of a newer file; it is never repaired, so nothing here is a problem."""
    snap = Snapshot(raw, version=version, doc=doc)
    entries = doc.get("connections")
    if not isinstance(entries, list):
        return snap
    ids: set[str] = set()
    for entry in entries:
        try:
            connection = Connection.from_dict(entry)  # ignores fields it doesn't know
        except (ValueError, TypeError, KeyError):
            snap.skipped += 1
            continue
        connection = _checked(connection, entry)
        if connection.id in ids:
            snap.skipped += 1
            continue
        ids.add(connection.id)
        snap.connections.append(connection)
    return snap


def _checked(connection: Connection, entry: dict[str, Any]) -> Connection:
    """The connection as read, or marked damaged when a value breaks a rule."""
    reason = connection_rules.problem(connection)
    if reason:
        return connection_rules.damaged(connection, reason, entry)
    return connection_rules.normalized(connection)


def _salvaged(entry: Any, exc: Exception) -> Connection | None:
    """An entry with a readable ID and nickname but another field unreadable (a cloud or
    kind this version doesn't know, a wrongly typed value), as a damaged connection; None
    when even its ID or nickname can't be read (then the whole file is damaged)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("nickname"), str):
        return None
    try:
        ident = canonical_uuid(entry.get("id"))
    except (ValueError, TypeError):
        return None
    texts = {key: entry[key] for key in ("description", "tenant", "client_id")
             if isinstance(entry.get(key), str)}
    shell = Connection(nickname=entry["nickname"], id=ident, **texts)
    reason = f"Part of its saved details can't be read ({_field_of(exc, ident)})."
    return connection_rules.damaged(shell, reason, entry)


def _field_of(exc: Exception, ident: str) -> str:
    return str(exc).removeprefix(f"connection {ident}: ")


def serialize(connections: list[Connection]) -> bytes:
    """The file's bytes for these connections, in the current version (a damaged one's
    entry exactly as it was read)."""
    doc = {
        "schema_version": CURRENT_VERSION,
        "connections": [c.to_dict() if c.stored is None else dict(c.stored)
                        for c in connections],
    }
    try:
        # Readable UTF-8, so a hand edit or an IT check shows names as people typed them.
        return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (only possible from a hand-edited file) has no UTF-8 form;
        # JSON's \u escapes carry it and read back the same.
        return (json.dumps(doc, indent=2) + "\n").encode("ascii")
