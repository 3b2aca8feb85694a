"""Start-up benchmark: o365desk with 200 connections against a bare Qt window, same run.

Also measured in the same run: the same first frame written as plain PySide6
(same_content_window.py). o365desk against it is what o365desk's own code costs; it
against the bare window is what that content costs in PySide6 (see docs/DECISIONS.md).
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from o365desk.core.clouds import Cloud
from o365desk.core.connection import Account, Connection
from o365desk.storage.store import ConnectionStore

TARGET = 1.3
RUNS = 7
ROOT = Path(__file__).resolve().parent.parent


def _fill(config: Path, count: int) -> None:
    store = ConnectionStore(config / "connections.json")
    store.load()
    clouds = list(Cloud)
    for i in range(count):
        account = None
        if i % 3:
            account = Account(f"admin{i}@tenant{i}.onmicrosoft.com", f"uid{i}.tid{i}", f"tid{i}")
        store.add(Connection(nickname=f"Tenant {i:03d}", tenant=f"tenant{i}.onmicrosoft.com",
                             cloud=clouds[i % len(clouds)], account=account,
                             scopes=("User.Read.All", "Group.Read.All")))


def _first_paint_ms(command: list[str], env: dict[str, str]) -> float:
    """Milliseconds from starting `command` to its first frame, read off the monotonic
    clock both processes share (/proc's start time has a resolution of only 10 ms)."""
    started = time.monotonic()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120,
                            cwd=ROOT)
    match = re.search(r"first paint: \d+ ms \(monotonic clock ([\d.]+) s\)", result.stderr)
    if result.returncode != 0 or not match:
        raise SystemExit(f"benchmark run failed ({result.returncode}): {result.stderr[-2000:]}")
    return (float(match.group(1)) - started) * 1000


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="o365desk-bench-") as tmp:
        config = Path(tmp) / "config"
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   O365DESK_CONFIG_DIR=str(config), HOME=tmp)
        os.environ["O365DESK_CONFIG_DIR"] = str(config)
        # Both run from compiled bytecode, as an installed o365desk does (pip and the
        # packagers compile it), kept in the temp dir and written by the warm-up runs
        # below: otherwise the figure depends on PYTHONDONTWRITEBYTECODE and on whatever
        # __pycache__ the checkout holds (~20 ms of compiling o365desk on every start).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        _fill(config, 200)
        commands = {
            "app": [sys.executable, "-m", "o365desk", "--smoke"],
            "bare": [sys.executable, "-m", "benchmarks.bare_window"],
            "same": [sys.executable, "-m", "benchmarks.same_content_window"],
        }
        # Warm the file cache once each, then interleave so machine noise hits all alike.
        for command in commands.values():
            _first_paint_ms(command, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(RUNS):
            for name, command in commands.items():
                times[name].append(_first_paint_ms(command, env))
    app_ms, bare_ms, same_ms = (statistics.median(times[name]) for name in ("app", "bare", "same"))
    ratio = app_ms / bare_ms
    verdict = "meets" if ratio <= TARGET else "MISSES"
    print(f"startup, 200 connections, to the first frame painted in full (medians of {RUNS}): "
          f"o365desk {app_ms:.0f} ms, bare QMainWindow+QListView {bare_ms:.0f} ms, the same "
          f"first frame in plain PySide6 {same_ms:.0f} ms")
    print(f"startup ratio: {ratio:.2f} ({verdict} the target of {TARGET})")
    print(f"startup, plain PySide6 with the same content against bare: {same_ms / bare_ms:.2f}; "
          f"o365desk against it: {app_ms / same_ms:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
