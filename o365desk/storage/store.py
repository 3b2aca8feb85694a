"""Connection store: versioned JSON, atomic writes under a cross-process lock."""

from __future__ import annotations

from pathlib import Path

from o365desk.core.connection import Connection


class StoreError(Exception):
    """A store operation failed; str(error) is a plain sentence for the user."""


class ReadOnlyError(StoreError):
    """The file is from a newer o365desk; it may be read but not written."""


class NotFoundError(StoreError):
    """No connection has that nickname or id."""


class ConnectionStore:
    """CONTRACT (to be implemented)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.read_only = False
        self.notices: list[str] = []  # plain sentences for the user, e.g. "moved aside to ..."

    def load(self) -> list[Connection]:
        raise NotImplementedError

    @property
    def connections(self) -> list[Connection]:
        raise NotImplementedError

    def find(self, key: str) -> Connection:
        raise NotImplementedError

    def add(self, connection: Connection) -> Connection:
        raise NotImplementedError

    def update(self, connection: Connection) -> Connection:
        raise NotImplementedError

    def rename(self, connection_id: str, new_nickname: str) -> Connection:
        raise NotImplementedError

    def delete(self, connection_id: str) -> None:
        raise NotImplementedError
