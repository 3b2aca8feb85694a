"""Hold Ctrl+C (SIGINT) and SIGTERM off while something must not be cut short.

Used around writing a new token cache: after a refresh the server may have used up the
old refresh token, so stopping half-way would lose the sign-in. A signal that comes
meanwhile is delivered as soon as the write is done. Only the main thread can change
signal handlers: elsewhere (the window's worker threads) this holds nothing. SIGKILL
can't be held; the vault's writes are crash-safe for that.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_HELD = tuple(s for s in (signal.SIGINT, getattr(signal, "SIGTERM", None)) if s is not None)


@contextmanager
def signals_held() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {}
    for number in _HELD:
        try:
            previous[number] = signal.signal(number, lambda signum, _frame:
                                             caught.append(signum))
        except (ValueError, OSError):  # not allowed here: leave that one as it is
            pass
    try:
        yield
    finally:
        for number, handler in previous.items():
            # None: a handler not set from Python; the default is the closest there is.
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        for number in dict.fromkeys(caught):
            signal.raise_signal(number)  # now, as it would have been had it not been held
