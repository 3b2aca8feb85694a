"""What a CLI command raises when it can't run as typed."""

from __future__ import annotations


class UsageError(Exception):
    """The command can't run as typed; exit code 2."""
