"""Another o365desk process, as far as a lock file can tell: it holds the lock a while."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_HOLD = """
import sys, time
from filelock import FileLock
with FileLock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


@contextmanager
def another_process_holding(lock_path: Path, seconds: float = 60.0) -> Iterator[None]:
    """A separate process holds `lock_path` for `seconds` (or until the block ends, when
    it is killed and the kernel drops its lock); the block starts once it holds it."""
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(lock_path), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        yield
    finally:
        holder.kill()
        holder.wait()
