"""Connection store: versioned JSON, atomic writes under a cross-process lock."""

from __future__ import annotations

import dataclasses
import errno
import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from o365desk.core import connection_rules, paths, safe_read
from o365desk.core import nickname as nick
from o365desk.core.connection import Connection, utcnow
from o365desk.core.ids import canonical_uuid
from o365desk.storage import atomic, migrations

log = logging.getLogger(__name__)

MAX_BYTES = 4 << 20  # a thousand connections take under 2 MB; more is a broken or wrong file
LOCK_TIMEOUT = 10.0  # seconds; a save takes milliseconds, so this only trips on a stuck process

T = TypeVar("T")

BUSY = "Another o365desk is busy saving connections. Try again in a moment."
FUTURE_NOTICE = (
    "Your saved connections were written by a newer version of o365desk. You can see them, "
    "but changes are turned off until you update o365desk."
)
FUTURE_READ_ONLY = (
    "Changes are turned off because your saved connections were written by a newer version "
    "of o365desk. Update o365desk, then try again."
)


class StoreError(Exception):
    """A store operation failed; str(error) is a plain sentence for the user."""


class LockFailed(StoreError):
    """The lock file could not be made or opened (a read-only folder, say)."""

    def __init__(self, message: str, cause: OSError) -> None:
        super().__init__(message)
        self.cause = cause


class ReadOnlyError(StoreError):
    """The file is from a newer o365desk; it may be read but not written."""


class NotFoundError(StoreError):
    """No connection has that nickname or id."""


class NicknameRefused(StoreError, nick.NicknameError):
    """A nickname broke a rule; the message is the rule's own (core.nickname.validate)."""


class ConnectionStore:
    """The saved connections in one JSON file, shared safely by every running o365desk.

    Each change re-reads the file under a lock, applies itself to what it finds, and writes
    the result atomically, so two windows (or the GUI and the CLI) never lose each other's work.
    """

    def __init__(self, path: Path, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        # Through any symlink (connections.json kept with someone's dotfiles): saving
        # replaces the file itself, which would otherwise turn the link into a copy.
        self.path = Path(os.path.realpath(path))
        self.given_path = Path(os.path.abspath(path))  # as configured, for messages
        self.read_only = False
        self.notices: list[str] = []  # plain sentences for the user, e.g. "moved aside to ..."
        self.lock_timeout = lock_timeout
        self._connections: list[Connection] | None = None
        self._read_only_reason = ""
        # The GUI calls in from worker threads; keep the in-memory list consistent.
        self._mutex = threading.RLock()
        self._changed_elsewhere = False

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    # -- reading -------------------------------------------------------------------------

    def load(self) -> list[Connection]:
        """(Re)read the file; repair what needs it; fill `notices`; return the connections."""
        with self._mutex:
            self.notices = []
            self.read_only = False
            self._read_only_reason = ""
            try:
                snap = self._read()
                if snap.needs_repair():
                    # Look again under the lock: another instance may have repaired it already.
                    try:
                        with self._locked():
                            connections, _ = self._settle(self._read())
                    except LockFailed as exc:
                        if not snap.problem:
                            raise
                        # No lock, so no moving aside: say what is wrong with the file itself.
                        self._cannot_set_aside(snap, exc.cause)
                        connections = []
                else:
                    connections, _ = self._settle(snap)
            except StoreError as exc:
                self._enter_read_only(
                    f"{exc} Changes are turned off for now so nothing is overwritten.",
                    f"Changes are turned off because o365desk could not safely open {self.path}. "
                    "Restart o365desk; if this keeps happening, ask your IT contact.",
                )
                connections = []
            self._connections = connections
            self._changed_elsewhere = False  # what this read shows, nobody needs to be told
            return list(connections)

    @property
    def connections(self) -> list[Connection]:
        with self._mutex:
            if self._connections is None:
                self.load()
            return list(self._connections or [])

    def find(self, key: str) -> Connection:
        """The connection with this id, or with this nickname ignoring case."""
        connections = self.connections
        text = key.strip()
        try:
            ident = canonical_uuid(text)
        except ValueError:
            ident = text
        for connection in connections:
            if connection.id == ident:
                return connection
        wanted = nick.fold(text)
        for connection in connections:
            if nick.fold(connection.nickname) == wanted:
                return connection
        raise NotFoundError(f'No connection is called "{key}".')

    def take_changed_elsewhere(self) -> bool:
        """Whether a change saved here found the file changed by someone else since it was
        last read (and so holds more than that change); asking resets it."""
        # No lock: a bool swapped on the GUI thread, which must not wait for a worker.
        changed, self._changed_elsewhere = self._changed_elsewhere, False
        return changed

    # -- changing ------------------------------------------------------------------------

    def add(self, connection: Connection) -> Connection:
        """Save a new connection; return it as stored (nickname normalized)."""

        def change(current: list[Connection]) -> tuple[list[Connection], Connection]:
            stored = _with_valid_nickname(connection, current)
            for other in current:
                if other.id == stored.id:
                    raise StoreError(
                        f'This connection is already saved, as "{other.nickname}". '
                        "Change that one instead of adding it again."
                    )
            return [*current, stored], stored

        return self._mutate(change)

    def add_all(self, connections: list[Connection]) -> list[Connection]:
        """Save several new connections in one change: all of them, or (on any refusal)
        none. Return them as stored."""

        def change(current: list[Connection]) -> tuple[list[Connection], list[Connection]]:
            updated = list(current)
            for connection in connections:
                if any(other.id == connection.id for other in updated):
                    raise StoreError("This connection is already saved; nothing was added.")
                updated.append(_with_valid_nickname(connection, updated))
            return updated, updated[len(current):]

        return self._mutate(change)

    def update(self, connection: Connection) -> Connection:
        """Replace the saved connection with the same id; return it as stored."""

        def change(current: list[Connection]) -> tuple[list[Connection], Connection]:
            index = _index_of(current, connection.id)
            stored = _with_valid_nickname(connection, current)
            return [*current[:index], stored, *current[index + 1 :]], stored

        return self._mutate(change)

    def patch(self, connection_id: str, *, wait: float | None = None, **fields) -> Connection:
        """Change only the named fields of the saved connection; return it as stored.

        The fields are applied to the file's latest content, so what another window or
        the command line changed meanwhile (a new nickname, a description) stays. `wait`:
        how long another process may keep the file locked (default `lock_timeout`).
        """

        def change(current: list[Connection]) -> tuple[list[Connection], Connection]:
            index = _index_of(current, connection_id)
            stored = _with_valid_nickname(current[index].replace(**fields), current)
            return [*current[:index], stored, *current[index + 1 :]], stored

        return self._mutate(change, wait)

    def rename(self, connection_id: str, new_nickname: str, *,
               wait: float | None = None) -> Connection:
        """Give a saved connection a new nickname; return it as stored."""
        return self.patch(connection_id, wait=wait, nickname=new_nickname)

    def delete(self, connection_id: str) -> None:
        """Remove a saved connection (its keychain entries are the vault's business)."""

        def change(current: list[Connection]) -> tuple[list[Connection], None]:
            index = _index_of(current, connection_id)
            return [*current[:index], *current[index + 1 :]], None

        self._mutate(change)

    def touch(self, connection_id: str, when: datetime | None = None) -> Connection:
        """Record that the connection was just used (sets last_used_at)."""
        return self.patch(connection_id, last_used_at=when or utcnow())

    # -- internals -----------------------------------------------------------------------

    def _mutate(self, change: Callable[[list[Connection]], tuple[list[Connection], T]],
                wait: float | None = None) -> T:
        """Apply `change` to the file's latest content under the lock, then save atomically."""
        # A short `wait` holds for this process's other threads too (one of them may be
        # waiting for another process's lock right now).
        if not self._mutex.acquire(timeout=-1 if wait is None else wait):
            raise StoreError(BUSY)
        try:
            return self._mutate_locked(change, wait)
        finally:
            self._mutex.release()

    def _mutate_locked(self, change: Callable[[list[Connection]], tuple[list[Connection], T]],
                       wait: float | None) -> T:
        """_mutate's work, with this process's other threads held off."""
        if self.read_only:
            raise ReadOnlyError(self._read_only_reason)
        with self._locked(wait):
            notices_before = len(self.notices)
            current, set_aside = self._settle(self._read())
            if self._connections is not None and current != self._connections:
                self._changed_elsewhere = True  # someone saved since we last read
            self._connections = current
            if self.read_only:  # e.g. a newer o365desk wrote the file since we loaded it
                raise ReadOnlyError(self._read_only_reason)
            if set_aside:
                # The change was meant for connections that are no longer in the file:
                # don't apply it to an empty list behind the person's back.
                raise StoreError(
                    " ".join(self.notices[notices_before:]) + " Nothing was changed; try again."
                )
            updated, result = change(current)
            self._write(updated)
            self._connections = updated
            return result

    def _read(self) -> migrations.Snapshot:
        try:
            raw = safe_read.read_capped(self.path, MAX_BYTES)
        except FileNotFoundError:
            return migrations.Snapshot(raw=None)
        except safe_read.NotAFile as exc:
            # Never moved aside: it may be a device or a folder reached through a link.
            where = (f"{self.given_path} leads to {self.path}, which is {exc.kind}"
                     if self.given_path != self.path else f"{self.path} is {exc.kind}")
            raise StoreError(
                f"o365desk could not read your saved connections because {where} rather than "
                "a file. Move it out of the way (or ask your IT contact to), then restart "
                "o365desk."
            ) from None
        except safe_read.TooLarge as exc:
            return migrations.Snapshot(raw=b"", problem=str(exc))
        except OSError as exc:
            raise StoreError(
                f"o365desk could not open your saved connections at {self.path} "
                f"({exc.strerror or exc}). Check that you may read that file."
            ) from exc
        return migrations.examine(raw)

    def _settle(self, snap: migrations.Snapshot) -> tuple[list[Connection], bool]:
        """Turn a snapshot into connections, repairing the file if needed (lock held then).

        Returns the connections and whether a damaged file was moved aside.
        """
        if snap.raw is None:
            return [], False
        if snap.version > migrations.CURRENT_VERSION:
            notice = FUTURE_NOTICE
            if snap.skipped:
                notice += f" {snap.skipped} of them can't be shown by this version."
            self._enter_read_only(notice, FUTURE_READ_ONLY)
            return snap.connections, False
        if snap.problem:
            return [], self._set_aside(snap)
        if snap.version < migrations.CURRENT_VERSION:
            return self._migrate(snap)
        return snap.connections, False

    def _set_aside(self, snap: migrations.Snapshot) -> bool:
        """Move a damaged file out of the way, keeping it; go read-only if that fails."""
        target = atomic.unique_sibling(self.path, f"corrupt-{atomic.timestamp()}")
        try:
            atomic.move_aside(self.path, target)
        except OSError as exc:
            self._cannot_set_aside(snap, exc)
            return False
        log.warning("Moved damaged %s aside to %s: %s", self.path, target, snap.problem)
        self.notices.append(
            f"o365desk could not read your saved connections because {snap.problem}, so it "
            "started with an empty list. If you need the connections in it, ask your IT "
            f"contact to look at the old file, which is kept unchanged at: {target}"
        )
        return True

    def _cannot_set_aside(self, snap: migrations.Snapshot, exc: OSError) -> None:
        """Go read-only for a damaged file that could not be moved aside, saying why."""
        folder = self.path.parent
        if exc.errno == errno.EROFS:
            why = f"its folder {folder} is read-only"
        elif exc.errno in (errno.EACCES, errno.EPERM):
            why = f"you may not change files in its folder {folder} ({exc.strerror or exc})"
        else:
            why = f"of an error in its folder {folder} ({exc.strerror or exc})"
        self._enter_read_only(
            f"o365desk could not read your saved connections because {snap.problem}. The "
            f"damaged file is {self.path}; o365desk could not move it out of the way because "
            f"{why}. Changes are turned off so the file is not overwritten. Ask your IT "
            "contact to repair or remove that file (or to let you change that folder), then "
            "restart o365desk.",
            f"Changes are turned off because your saved connections file {self.path} is "
            f"damaged and could not be moved out of the way ({why.removeprefix('of ')}). "
            "Ask your IT contact to look at it.",
        )

    def _migrate(self, snap: migrations.Snapshot) -> tuple[list[Connection], bool]:
        """Back up an older file, upgrade it to the current version and save it."""
        assert snap.doc is not None and snap.raw is not None
        backup = atomic.unique_sibling(self.path, f"v{snap.version}-backup-{atomic.timestamp()}")
        try:
            atomic.write(backup, snap.raw, self.path.name)
        except OSError as exc:
            self._enter_read_only(
                "o365desk needs to update your saved connections to a newer format, but it "
                f"could not keep a copy of the old file first ({exc.strerror or exc}). Changes "
                "are turned off so nothing is lost. Check that there is free disk space and "
                "restart o365desk.",
                "Changes are turned off because o365desk could not back up your saved "
                "connections before updating them. Free some disk space and restart o365desk.",
            )
            return [], False
        try:
            doc = migrations.migrate(snap.doc, snap.version)
        except migrations.MigrationError as exc:
            log.warning("Migration of %s failed: %s", self.path, exc)
            problem = f"it could not be updated from format version {snap.version}"
            return [], self._set_aside(dataclasses.replace(snap, problem=problem))
        migrated = migrations.check_current(doc)
        if migrated.problem:
            return [], self._set_aside(dataclasses.replace(snap, problem=migrated.problem))
        try:
            self._write(migrated.connections)
        except StoreError as exc:
            self._enter_read_only(
                f"o365desk could not save your connections in their newer format. {exc}",
                "Changes are turned off because o365desk could not save your connections in "
                "their newer format. Free some disk space and restart o365desk.",
            )
            return migrated.connections, False
        log.info("Updated %s from version %s; old copy at %s", self.path, snap.version, backup)
        return migrated.connections, False

    def _write(self, connections: list[Connection]) -> None:
        """Save `connections` atomically (the lock must be held)."""
        directory = self.path.parent
        # Temp files only exist while their writer holds the lock we hold now, so any that
        # are here were left by a writer that was killed.
        atomic.remove_temps(directory, self.path.name)
        try:
            atomic.write(self.path, migrations.serialize(connections), self.path.name)
        except OSError as exc:
            raise StoreError(
                f"o365desk could not save your connections ({exc.strerror or exc}). Check that "
                f"the disk is not full and that you may change files in {directory}, then try "
                "again."
            ) from exc

    @contextmanager
    def _locked(self, wait: float | None = None) -> Iterator[None]:
        # Imported here: reading needs no lock, and filelock costs ~30 ms to import at start-up.
        from filelock import FileLock, Timeout

        try:
            paths.make_private_dir(self.path.parent)
        except OSError as exc:
            raise StoreError(
                f"o365desk could not create the folder {self.path.parent} for your connections "
                f"({exc.strerror or exc}). Check that you may create it, then try again."
            ) from exc
        lock = FileLock(self.lock_path, timeout=self.lock_timeout if wait is None else wait,
                        mode=0o600)
        try:
            lock.acquire()
        except Timeout:
            raise StoreError(BUSY) from None
        except OSError as exc:
            raise LockFailed(
                f"o365desk could not lock {self.lock_path} before saving "
                f"({exc.strerror or exc}). Check that you may change files in "
                f"{self.path.parent}, then try again.", exc
            ) from exc
        try:
            yield
        finally:
            lock.release()

    def _enter_read_only(self, notice: str, reason: str) -> None:
        self.read_only = True
        self._read_only_reason = reason
        self.notices.append(notice)


def _index_of(connections: list[Connection], connection_id: str) -> int:
    for index, connection in enumerate(connections):
        if connection.id == connection_id:
            return index
    raise NotFoundError(
        "That connection no longer exists; it may have been deleted in another o365desk "
        "window. The list has been refreshed."
    )


def _with_valid_nickname(connection: Connection, current: list[Connection]) -> Connection:
    """The connection exactly as a later load will read it back, with its nickname and
    values checked (a damaged one can't be changed, only replaced or deleted)."""
    if connection.damage:
        raise StoreError(connection_rules.message(connection))
    taken = [c.nickname for c in current if c.id != connection.id]
    try:
        name = nick.validate(connection.nickname, taken)
    except nick.NicknameError as exc:
        raise NicknameRefused(str(exc)) from None
    # Round-trip through the stored form: a value that would not read back (a naive time, an
    # upper-case id) must not be written, or the next load would call the file damaged.
    try:
        stored = Connection.from_dict(connection.replace(nickname=name).to_dict())
    except (ValueError, TypeError, KeyError) as exc:
        raise StoreError(
            f"o365desk could not save this connection because some of its details are not "
            f"valid ({exc}). Check them and try again."
        ) from exc
    problem = connection_rules.problem(stored)
    if problem:  # what a later load would call damaged is never written
        raise StoreError(f"o365desk could not save this connection. {problem} Change that, "
                         "then try again.")
    return connection_rules.normalized(stored)
