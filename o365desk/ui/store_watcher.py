"""Notices when connections.json changes on disk, e.g. after `o365desk add` in a terminal."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal


class StoreWatcher(QObject):
    """Emits `changed` once the file's size, time or inode differ from what was last seen.

    The directory is watched, not only the file: the store replaces the file atomically
    (a new inode), and the directory may not exist before the first connection is saved.
    Lock files come and go in the same directory, so a change counts only when the
    connections file itself differs; that also keeps our own reloads from echoing.
    """

    changed = Signal()

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = path
        self._watcher = QFileSystemWatcher(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)  # an atomic save touches the directory several times
        self._timer.timeout.connect(self._check)
        self._watcher.fileChanged.connect(self._timer.start)
        self._watcher.directoryChanged.connect(self._timer.start)
        self._seen = self._signature()
        self._rewatch()

    def mark_seen(self) -> None:
        """Call after the app itself read or wrote the file, so that is not a change."""
        self._seen = self._signature()
        self._rewatch()

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            st = self._path.stat()
        except OSError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _rewatch(self) -> None:
        wanted = []
        if self._path.exists():
            wanted.append(str(self._path))
        folder = self._path.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent  # watch the nearest folder that exists until ours does
        wanted.append(str(folder))
        current = self._watcher.files() + self._watcher.directories()
        stale = [p for p in current if p not in wanted]
        if stale:
            self._watcher.removePaths(stale)
        missing = [p for p in wanted if p not in current]
        if missing:
            self._watcher.addPaths(missing)

    def _check(self) -> None:
        self._rewatch()
        signature = self._signature()
        if signature != self._seen:
            self._seen = signature
            self.changed.emit()
