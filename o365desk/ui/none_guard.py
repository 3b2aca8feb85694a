"""Keeps Python 3.11 alive under PySide6 6.12, which drops references to None, True and False."""

from __future__ import annotations

import sys

# Far more than any session's Qt calls can use up, far below the counter's limit.
_RESERVE = 1 << 40


def keep_none_alive() -> bool:
    """Give None, True and False a reserve of references; True when the reserve was added.

    PySide6 6.12.0 on Python 3.11 releases one reference to None each time a wrapped Qt
    function returns nothing (setText, show, a model's data() returning None...), and one
    to True or False each time a signal with a bool argument is emitted with it. They start
    with a few thousand, so a long session, or a test run, ends in "Fatal Python error:
    deallocating None" (or "True or False"). From Python 3.12 they are immortal and this
    does nothing.
    """
    if sys.version_info >= (3, 12) or getattr(sys, "_o365desk_none_reserve", False):
        return False
    import ctypes

    counters = []
    for constant in (None, True, False):
        counter = ctypes.c_ssize_t.from_address(id(constant))
        # Check that this word really is the constant's reference count before writing.
        before = counter.value
        probe = [constant] * 1000
        moved = counter.value - before
        del probe
        if moved != 1000:  # some other object layout (a debug build): leave it alone
            return False
        counters.append(counter)
    for counter in counters:
        counter.value += _RESERVE
    sys._o365desk_none_reserve = True
    return True
