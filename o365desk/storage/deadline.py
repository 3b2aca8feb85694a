"""Deadlines for keychain calls: run them on a thread of their own and stop waiting in time.

A keychain daemon that is stopped or hung never answers, and neither keyring nor
secretstorage puts a limit on the wait. The vault runs each operation's calls, in order,
on one CallThread and waits for each up to its Deadline; a call still running when the
vault stops waiting keeps the thread (the vault keeps its locks until it ends). An unlock
prompt waits for a person, so the code showing one extends the running call's deadline
with extend_current().
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import Any

_local = threading.local()  # on a CallThread: the deadline of the call it runs


class Deadline:
    """A point in time (monotonic) that the code under it may push back."""

    def __init__(self, seconds: float) -> None:
        self.until = time.monotonic() + seconds

    def extend(self, seconds: float) -> None:
        self.until = max(self.until, time.monotonic() + seconds)

    def remaining(self) -> float:
        return self.until - time.monotonic()


def extend_current(seconds: float) -> None:
    """Give the call running on this thread at least `seconds` more (nothing elsewhere)."""
    deadline = getattr(_local, "deadline", None)
    if deadline is not None:
        deadline.extend(seconds)


class Job:
    """One call given to a CallThread: its outcome once `done` is set."""

    __slots__ = ("fn", "args", "deadline", "done", "result", "error")

    def __init__(self, fn: Callable[..., Any], args: tuple, deadline: Deadline | None) -> None:
        self.fn, self.args, self.deadline = fn, args, deadline
        self.done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def wait(self) -> bool:
        """Wait for the call until its deadline (extensions included); True if it ended."""
        while True:
            if self.deadline is None:
                return self.done.wait()
            if self.done.wait(max(self.deadline.remaining(), 0.0)):
                return True
            if self.deadline.remaining() <= 0:
                return False

    def outcome(self) -> Any:
        """The call's result, or its exception raised here."""
        if self.error is not None:
            raise self.error
        return self.result


class CallThread:
    """A daemon thread running the calls given to it one after another, until stop()."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], *args: Any,
               deadline: Deadline | None = None) -> Job:
        job = Job(fn, args, deadline)
        self._jobs.put(job)
        return job

    def stop(self) -> None:
        """End the thread once the calls given before have run."""
        self._jobs.put(None)

    def _serve(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            _local.deadline = job.deadline
            try:
                job.result = job.fn(*job.args)
            except BaseException as exc:  # handed to the caller, whatever it is
                job.error = exc
            finally:
                _local.deadline = None
                job.done.set()
