"""The app's log file: rotated, and created readable by its owner only."""

from __future__ import annotations

import logging.handlers
import os


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Creates each log file (the first and every one after a rotation) owner-only."""

    def _open(self):
        return open(
            self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors,
            opener=lambda name, flags: os.open(name, flags, 0o600),
        )
