"""How long ago this process started, for `--smoke` and the start-up benchmark."""

from __future__ import annotations

import os
import time

_IMPORTED_AT = time.monotonic()


def seconds_since_start() -> float:
    """Seconds since the process started (10 ms resolution on Linux).

    Elsewhere, or when /proc can't be read, this counts from the first import of this
    module, which comes early in start-up and so slightly flatters the figure.
    """
    try:
        with open(f"/proc/{os.getpid()}/stat", encoding="ascii") as f:
            # Field 22 (starttime, clock ticks since boot) comes after the command name,
            # which may hold spaces and parentheses, so split after its closing ")".
            fields = f.read().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - started)
    except (OSError, ValueError, IndexError):
        return time.monotonic() - _IMPORTED_AT


def ms_since_start() -> int:
    return round(seconds_since_start() * 1000)


def first_paint_line() -> str:
    """What `--smoke` prints: milliseconds since start, and the system's monotonic clock.

    The clock (CLOCK_MONOTONIC on Linux, shared by every process) lets a benchmark that
    noted the time before starting this process measure to the microsecond rather than to
    /proc's 10 ms.
    """
    return f"first paint: {ms_since_start()} ms (monotonic clock {time.monotonic():.6f} s)"
