"""While the window is open: keep-alive (when the setting turns it on) and the health
notifications, soon after start and then every hour, off the GUI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from o365desk.core.connection import utcnow
from o365desk.services import Services
from o365desk.ui.async_runner import TaskRunner, off_gui_thread
from o365desk.ui.health_notifier import HealthNotifier

log = logging.getLogger(__name__)

FIRST_DELAY_MS = 20_000  # after start: the keychain check and the first look come first
INTERVAL_MS = 60 * 60 * 1000  # every hour while the window is open


class HealthWatch(QObject):
    """Runs usecases.keep_alive and then the notifier's look at every connection's health.

    `finished` carries the keep-alive outcomes of a round (empty when none was due or
    keep-alive is off). A refresh recorded in connections.json reaches the list through
    the window's store watcher, as any change from elsewhere does.
    """

    finished = Signal(list)

    def __init__(self, services: Services, notifier: HealthNotifier,
                 clock: Callable[[], datetime] = utcnow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.notifier = notifier
        self._clock = clock
        self.runner = TaskRunner(self)  # its own: the window's actions never wait for it
        self._first = QTimer(self)
        self._first.setSingleShot(True)
        self._first.setInterval(FIRST_DELAY_MS)
        self._first.timeout.connect(self.run_now)
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.run_now)

    def start(self) -> None:
        """Soon a first round, then one every hour."""
        if not self._timer.isActive():
            self._first.start()
            self._timer.start()

    def stop(self) -> None:
        """No more rounds (the window closes); one under way is cancelled."""
        self._first.stop()
        self._timer.stop()
        self.runner.cancel_all()

    def run_now(self) -> None:
        import asyncio  # loaded by now: the window's jobs run on its qasync loop

        try:
            loop = asyncio.get_event_loop_policy().get_event_loop()
        except RuntimeError:
            return  # no loop (the window is going away): nothing can run
        if loop.is_closed():
            return
        if not self.runner.busy:  # one round at a time
            self.runner.start(self._round())

    async def _round(self) -> None:
        from o365desk import usecases
        from o365desk.storage.store import StoreError
        from o365desk.storage.vault import VaultError

        now = self._clock()

        def work():
            outcomes = usecases.keep_alive(self.services, now)
            return outcomes, usecases.token_health(self.services, now=now)

        try:
            outcomes, found = await off_gui_thread(work)
        except (StoreError, VaultError) as exc:
            log.info("health round skipped: %s", exc)
            return
        for outcome in outcomes:
            log.info("keep-alive of %s: %s", outcome.connection.id,
                     "refreshed" if outcome.ok else "failed")
        self.notifier.notify(found, now)
        self.finished.emit(outcomes)
