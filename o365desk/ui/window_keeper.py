"""One window of a kind: brought forward while it is open, freed once it has closed.

A window made per use with the main window as its parent lives as long as its parent
unless it is deleted, with everything it holds (a catalog model, a sign-in page). The
keeper holds the open one, so a second request brings it forward, and deletes it after it
closed: once its background jobs (its TaskRunners') have ended, so no job wakes up in a
window that is gone.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from o365desk.ui import dialogs
from o365desk.ui.async_runner import TaskRunner

W = TypeVar("W", bound=QWidget)


class WindowKeeper(QObject):
    """Keeps the open window of one kind (`window`, None when none is open)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window: QWidget | None = None

    def bring_forward(self) -> bool:
        """Raise the open window and return True; False when none is open."""
        return dialogs.bring_forward(self.window)

    def keep(self, window: W, closed=None, *, cancel_jobs: bool = True) -> W:
        """Hold `window` until `closed` (a signal; a dialog's `finished` by default) is
        emitted, then free it. `cancel_jobs`: cancel its jobs on closing; without it they
        are left to finish (the window cancels what it must itself), and it is freed after."""
        self.window = window
        signal = closed if closed is not None else window.finished
        signal.connect(lambda *_: self._closed(window, cancel_jobs))
        return window

    def _closed(self, window: QWidget, cancel_jobs: bool) -> None:
        if self.window is window:
            self.window = None
        runners = window.findChildren(TaskRunner)
        if cancel_jobs:
            for runner in runners:
                runner.cancel_all()
        busy = [runner for runner in runners if runner.busy]
        if not busy:
            window.deleteLater()
            return

        def idle(still_busy: bool) -> None:
            if not still_busy and not any(r.busy for r in busy):
                window.deleteLater()

        for runner in busy:
            runner.busy_changed.connect(idle)
