"""Desktop notifications a few days before a sign-in lapses or an app credential expires.

What to say, and to whom, is decided Qt-free (core.health.notices_due); this shows it
through the system tray, when there is one, at most once per connection per day. What was
notified when (connection IDs and dates, nothing secret) is kept in a private file beside
connections.json, so a restart the same day does not say it again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from o365desk.core import paths, safe_read
from o365desk.core.connection import Connection
from o365desk.core.health import Health, Notice, notices_due
from o365desk.core.ids import canonical_uuid
from o365desk.ui.message_bar import curly_quotes

log = logging.getLogger(__name__)

FILE_NAME = "health-notified.json"
MAX_BYTES = 256 << 10  # a few thousand entries at most; more is not this file
_KEEP = 1000  # entries kept, the newest (one per connection)
SHOW_MS = 15_000


class Tray(Protocol):
    def showMessage(self, title: str, message: str, icon: Any, msecs: int) -> None: ...


class NotifiedLog:
    """connection id -> the ISO date it was last notified, in a private JSON file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.config_dir() / FILE_NAME

    def load(self) -> dict[str, str]:
        """What the file says; a missing, damaged or hostile file counts as empty."""
        try:
            data = safe_read.parse_json(safe_read.read_capped(self.path, MAX_BYTES)
                                        .decode("utf-8"))
        except (OSError, ValueError, safe_read.TooLarge, safe_read.NotAFile):
            return {}
        if not isinstance(data, dict):
            return {}
        kept: dict[str, str] = {}
        for key, value in data.items():
            try:
                ident = canonical_uuid(key)
                datetime.strptime(value, "%Y-%m-%d")
            except (TypeError, ValueError):
                continue
            kept[ident] = value
        return kept

    def save(self, notified: Mapping[str, str]) -> None:
        """Write it (newest entries only); a failure only means a notice may repeat."""
        from o365desk.storage import atomic

        newest = sorted(notified.items(), key=lambda item: item[1])[-_KEEP:]
        try:
            paths.make_private_dir(self.path.parent)
            atomic.write(self.path, json.dumps(dict(newest)).encode(), self.path.name)
        except OSError as exc:
            log.info("could not note what was notified: %s", exc)


def combined(notices: list[Notice]) -> tuple[str, str]:
    """One notification for several: a tray shows only its latest message."""
    if len(notices) == 1:
        return notices[0].title, notices[0].message
    names = [f'"{n.nickname}"' for n in notices]
    listed = ", ".join(names[:-1]) + " and " + names[-1]
    return (f"{len(notices)} connections need attention soon",
            f"{listed} stop working within a week unless someone acts. Open o365desk to "
            "see what to do for each.")


class HealthNotifier(QObject):
    """Shows what core.health.notices_due says is due, through `tray` (None: none here)."""

    def __init__(self, tray: Tray | None, notified: NotifiedLog | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tray = tray
        self.notified = notified or NotifiedLog()

    def notify(self, found: Iterable[tuple[Connection, Health]], now: datetime) -> list[Notice]:
        """Show what is due now; return it. Without a tray nothing is shown or noted (the
        list's Health column says it anyway)."""
        if self.tray is None:
            return []
        notified = self.notified.load()
        due = notices_due(found, now, notified)
        if not due:
            return []
        title, message = combined(due)
        self.tray.showMessage(title, curly_quotes(message),
                              QSystemTrayIcon.MessageIcon.Warning, SHOW_MS)
        today = now.date().isoformat()
        for notice in due:
            notified[notice.connection_id] = today
        self.notified.save(notified)
        return due


def system_tray(window: QWidget) -> QSystemTrayIcon | None:
    """The window's tray icon where the desktop has a system tray, else None."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    tray = QSystemTrayIcon(window.windowIcon(), window)
    tray.setToolTip("o365desk")

    def show_window(*_args) -> None:
        window.showNormal()
        window.raise_()
        window.activateWindow()

    tray.activated.connect(show_window)
    tray.messageClicked.connect(show_window)
    tray.show()
    return tray
