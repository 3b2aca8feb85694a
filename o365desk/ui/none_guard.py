"""Keeps Python 3.11 alive under PySide6 6.12, which drops a reference to None per void call."""

from __future__ import annotations

import sys

# Far more than any session's Qt calls can use up, far below the counter's limit.
_RESERVE = 1 << 40


def keep_none_alive() -> bool:
    """Give None a reserve of references; return True when the reserve was added.

    PySide6 6.12.0 on Python 3.11 releases one reference to None each time a wrapped Qt
    function returns nothing (setText, show, a model's data() returning None...). None
    starts with a few thousand, so a long session, or a test run, ends in "Fatal Python
    error: deallocating None". From Python 3.12 None is immortal and this does nothing.
    """
    if sys.version_info >= (3, 12) or getattr(sys, "_o365desk_none_reserve", False):
        return False
    import ctypes

    counter = ctypes.c_ssize_t.from_address(id(None))
    # Check that this word really is None's reference count before writing to it.
    before = counter.value
    probe = [None] * 1000
    moved = counter.value - before
    del probe
    if moved != 1000:  # some other object layout (a debug build): leave it alone
        return False
    counter.value += _RESERVE
    sys._o365desk_none_reserve = True
    return True
