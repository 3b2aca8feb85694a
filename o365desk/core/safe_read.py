"""Reading o365desk's own JSON files (connections, settings) so a hostile one can't hang it.

Only a regular file is read: a named pipe would block for ever, a device (a link to
/dev/zero) would never end, and a folder can't be read at all. At most `limit` bytes are
read, and a document nested deeper than any o365desk writes is refused before anything
walks it. Each refusal is an exception whose text completes "... because ...".
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

MAX_DEPTH = 64  # o365desk's own files nest 4 levels; a hand edit has no reason to go deeper


class Unreadable(ValueError):
    """The file is there but not something o365desk will read; str() completes "because"."""


class NotAFile(Unreadable):
    """Something other than a regular file is where the file should be."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{path} is {kind} rather than a file")
        self.path, self.kind = path, kind


class TooLarge(Unreadable):
    """The file is bigger than the limit for its kind."""


class TooDeep(Unreadable):
    """The JSON nests lists or objects deeper than MAX_DEPTH."""


def read_capped(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path` (a symlink to one is followed), at most `limit`.

    FileNotFoundError when there is nothing there; NotAFile, TooLarge; OSError otherwise.
    """
    # O_NONBLOCK: opening a named pipe must not wait for a writer (on a regular file it does
    # nothing); the fstat below then refuses it, like a device or a folder.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:  # Windows opens no folder as a file
        raise NotAFile(path, "a folder") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotAFile(path, _kind(mode))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)  # one byte more tells "at the limit" from "over it"
    finally:
        os.close(fd)
    if len(data) > limit:
        raise TooLarge(f"the file is larger than {_size(limit)}, far more than it should be")
    return data


def parse_json(text: str) -> object:
    """json.loads, with nesting deeper than MAX_DEPTH refused as TooDeep (never a
    RecursionError); JSONDecodeError and ValueError as json.loads raises them."""
    try:
        doc = json.loads(text)
    except RecursionError:
        raise TooDeep(_TOO_DEEP) from None
    check_depth(doc)
    return doc


def check_depth(doc: object) -> None:
    """TooDeep when dicts and lists in `doc` nest deeper than MAX_DEPTH (a document parsed
    by something other than parse_json, a plist for example)."""
    # Walked without recursion: what comes next (checks, copies, messages) may recurse.
    pending = [(doc, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        if depth > MAX_DEPTH:
            raise TooDeep(_TOO_DEEP)
        pending.extend((item, depth + 1) for item in value)


_TOO_DEEP = "the file nests its contents far deeper than o365desk ever writes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "an unusual kind of entry"


def _size(limit: int) -> str:
    return f"{limit // (1 << 20)} MB" if limit >= 1 << 20 else f"{limit // 1024} KB"
