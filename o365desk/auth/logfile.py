"""The app's log file: rotated, and readable by its owner only."""

from __future__ import annotations

import logging.handlers
import os


def _open_private(name: str, flags: int) -> int:
    fd = os.open(name, flags, 0o600)
    if hasattr(os, "fchmod"):
        try:
            # A log left readable by all (an older o365desk under a loose umask) is made
            # owner-only too: it names accounts and tenants.
            os.fchmod(fd, 0o600)
        except OSError:
            pass  # not ours to change (someone else's file): it is used as it is
    return fd


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Opens each log file (the first and every one after a rotation) owner-only."""

    def _open(self):
        return open(
            self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors,
            opener=_open_private,
        )
