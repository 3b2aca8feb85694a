"""Catalog benchmark: load time, and the median search keystroke over the whole catalog
against a plain str.find loop over the names, measured in the same run."""

from __future__ import annotations

import statistics
import sys
import time

from o365desk.catalog.catalog import load_builtin
from o365desk.catalog.search import SearchIndex

KEYSTROKE_TARGET_MS = 5.0
LOADS = 7
# What people type, one keystroke at a time: a name, an ID, an API path, description words.
TYPED = ("devicemanagementmanageddevices", "mail.send", "e383f46e-2787", "/users/{id}/messages",
         "wipe device", "sites.fullcontrol")


def _ms(seconds: float) -> float:
    return seconds * 1000


def _keystrokes() -> list[str]:
    return [text[:i] for text in TYPED for i in range(1, len(text) + 1)]


def main() -> int:
    loads = []
    for _ in range(LOADS):
        start = time.perf_counter()
        catalog = load_builtin()
        loads.append(time.perf_counter() - start)
    start = time.perf_counter()
    index = SearchIndex(catalog)
    index_s = time.perf_counter() - start

    queries = _keystrokes()
    names = [p.name for p in catalog.permissions]
    ours, baseline = [], []
    for _ in range(3):
        for q in queries:
            start = time.perf_counter()
            index.search(q)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            low = q.lower()
            [n for n in names if n.lower().find(low) != -1]
            baseline.append(time.perf_counter() - start)
    ours_ms, base_ms = _ms(statistics.median(ours)), _ms(statistics.median(baseline))
    print(f"catalog: {len(catalog)} permissions; load {_ms(statistics.median(loads)):.1f} ms "
          f"median of {LOADS} (first {_ms(loads[0]):.1f} ms); search index built in "
          f"{_ms(index_s):.1f} ms")
    print(f"catalog search: median keystroke {ours_ms:.2f} ms (worst {_ms(max(ours)):.2f} ms) "
          f"over {len(queries)} keystrokes x 3; str.find over names {base_ms:.3f} ms; "
          f"ratio {ours_ms / base_ms:.1f}x; target <= {KEYSTROKE_TARGET_MS:.0f} ms")
    return 0 if ours_ms <= KEYSTROKE_TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
