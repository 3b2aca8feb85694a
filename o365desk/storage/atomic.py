"""Crash-safe file operations: write beside the target, fsync, rename over it, fsync the folder."""

from __future__ import annotations

import errno
import os
import time
from datetime import UTC, datetime
from pathlib import Path

TEMP_MARK = ".tmp-"

# Windows refuses to replace a file another process has open (an editor, a virus scanner);
# such holds are brief, so a few short retries turn a spurious failure into a success.
_REPLACE_ATTEMPTS = 5 if os.name == "nt" else 1
_REPLACE_PAUSE = 0.05


def timestamp(now: datetime | None = None) -> str:
    """A UTC time stamp safe in file names on every platform, e.g. 20261127T071500Z."""
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")


def unique_sibling(path: Path, suffix: str) -> Path:
    """`path` with `.suffix` appended, plus -2, -3... when that name is already taken."""
    candidate = path.with_name(f"{path.name}.{suffix}")
    counter = 1
    while candidate.exists() or candidate.is_symlink():
        counter += 1
        candidate = path.with_name(f"{path.name}.{suffix}-{counter}")
    return candidate


def write(target: Path, data: bytes, temp_prefix: str) -> None:
    """Replace `target` with `data` so a crash at any point leaves the old or the new file.

    The temp file is named `temp_prefix` + TEMP_MARK + random, in the target's folder (a
    rename is only atomic within one file system); callers that may be interrupted use the
    same prefix for every write so remove_temps() can find what a killed writer left.
    """
    temp = target.with_name(f"{temp_prefix}{TEMP_MARK}{os.getpid()}-{os.urandom(4).hex()}")
    # 0o600: the file names accounts and tenants; other users of the machine needn't see them.
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        _replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    fsync_dir(target.parent)


def move_aside(source: Path, target: Path) -> None:
    """Rename `source` to `target` (which must not exist) and make the rename durable."""
    if target.exists():
        raise FileExistsError(errno.EEXIST, "already exists", str(target))
    os.rename(source, target)
    try:
        # The kept copy is o365desk's now: owner-only, like every file it writes.
        os.chmod(target, 0o600)
    except OSError:
        pass  # someone else's file (a shared folder): it keeps the mode it had
    fsync_dir(source.parent)


def remove_temps(directory: Path, temp_prefix: str) -> int:
    """Delete temp files left by writers that were killed; return how many were removed.

    Only call this while holding the lock every writer holds for the whole life of its temp
    file: then no temp file can belong to a live write, whatever its age.
    """
    removed = 0
    try:
        names = os.listdir(directory)
    except OSError:
        return 0
    for name in names:
        if name.startswith(temp_prefix + TEMP_MARK):
            try:
                os.unlink(directory / name)
                removed += 1
            except OSError:
                pass  # harmless: it will be tried again on the next write
    return removed


def fsync_dir(directory: Path) -> None:
    """Flush a folder's entries so a rename inside it survives a power cut (POSIX only)."""
    if os.name != "posix":
        return  # Windows can't open a folder as a file; NTFS journals the rename itself
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        # Some file systems (certain network and FUSE mounts) can't fsync a folder at all.
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _replace(source: Path, target: Path) -> None:
    for attempt in range(_REPLACE_ATTEMPTS):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == _REPLACE_ATTEMPTS - 1:
                raise
            time.sleep(_REPLACE_PAUSE)
