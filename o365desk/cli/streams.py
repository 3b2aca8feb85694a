"""The CLI's stdout and stderr: nothing from outside reaches the terminal raw.

Each command makes the outside text it prints visible where it prints it (o365desk.core.
text.visible); these streams are the guard behind that for every line the CLI writes,
argparse's own errors (which quote what was typed) included: a control character other
than a line break is written as an escape, never as itself.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from o365desk.core.text import visible


class VisibleStream:
    """A text stream that writes control characters as escapes (line breaks stay)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(visible(text, keep_newlines=True))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding, ...
        return getattr(self._stream, name)


@contextlib.contextmanager
def visible_streams() -> Iterator[None]:
    """sys.stdout and sys.stderr as VisibleStreams while the block runs."""
    saved = sys.stdout, sys.stderr
    if sys.stdout is not None:
        sys.stdout = VisibleStream(sys.stdout)  # type: ignore[assignment]
    if sys.stderr is not None:
        sys.stderr = VisibleStream(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
