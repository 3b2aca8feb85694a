"""Benchmarks run by `make bench` (benchmarks/run.py)."""

from __future__ import annotations

import re
import subprocess


def run_child(command: list[str], env: dict[str, str], pattern: str, timeout: float = 300,
              cwd: str | None = None) -> re.Match:
    """Run a benchmark's child process and find `pattern` in what it printed; stop the
    benchmark with the child's output when it failed or printed no such line."""
    result = subprocess.run(command, env=env, capture_output=True, text=True,
                            timeout=timeout, cwd=cwd)
    match = re.search(pattern, result.stdout)
    if result.returncode != 0 or not match:
        raise SystemExit(f"benchmark child {command[1:]} failed ({result.returncode}):\n"
                         f"{result.stdout[-1000:]}{result.stderr[-2000:]}")
    return match
