"""Runs the window's async jobs on the qasync loop and keeps them alive until they finish."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from asyncio import Task

log = logging.getLogger(__name__)
T = TypeVar("T")


async def off_gui_thread(fn: Callable[..., T], *args: Any) -> T:
    """Run a blocking call (keychain, file lock) in a worker thread and await its result.

    Under qasync the result comes back on the GUI thread, so code after the await may
    touch widgets.
    """
    import asyncio  # loaded by now: the loop that runs this coroutine is asyncio's

    return await asyncio.to_thread(fn, *args)


class TaskRunner(QObject):
    """Starts coroutines as tasks on the running (qasync) loop.

    asyncio holds only weak references to tasks, so one that nobody keeps can vanish
    mid-way; this keeps them until done, and reports the errors the coroutines did not
    expect instead of letting asyncio print them at exit.
    """

    busy_changed = Signal(bool)  # jobs started after none, or the last one ended
    failed = Signal(str)  # an unexpected error, as a sentence for the error bar

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: set[Task] = set()

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def start(self, coro: Coroutine[Any, Any, Any]) -> Task:
        # Imported here, not at the top: the window paints before asyncio is loaded.
        import asyncio

        task = asyncio.ensure_future(coro)
        was_busy = self.busy
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        if not was_busy:
            self.busy_changed.emit(True)
        return task

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def _finished(self, task: Task) -> None:
        import shiboken6

        self._tasks.discard(task)
        alive = shiboken6.isValid(self)  # its window may be gone already (closed and freed)
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            log.error("background job failed", exc_info=exc)
            if alive:
                self.failed.emit(f"{type(exc).__name__}: {exc}")
        if not self._tasks and alive:
            self.busy_changed.emit(False)
