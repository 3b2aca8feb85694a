"""Keychain vault: secrets keyed by connection UUID, large values chunked by generation."""

from __future__ import annotations

from typing import Any

SERVICE = "o365desk"
MSAL_CACHE = "msal-cache"
SECRET_NAMES = (MSAL_CACHE,)
ENTRY_LIMIT_BYTES = 2560


class VaultError(Exception):
    """A keychain operation failed; str(error) says what to do, `detail` holds the raw error."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


class VaultUnavailable(VaultError):
    """The keychain is missing, locked or refusing."""


class VaultCorrupt(VaultError):
    """A stored value is incomplete or does not match its manifest."""


class Vault:
    """CONTRACT (to be implemented)."""

    def __init__(self, backend: Any, service: str = SERVICE) -> None:
        self.backend = backend
        self.service = service

    @property
    def backend_name(self) -> str:
        raise NotImplementedError

    def check(self) -> None:
        """Raise VaultUnavailable unless the keychain answers a read (locked, missing...)."""
        raise NotImplementedError

    def get(self, connection_id: str, name: str) -> str | None:
        raise NotImplementedError

    def set(self, connection_id: str, name: str, value: str) -> None:
        raise NotImplementedError

    def delete_connection(self, connection_id: str) -> int:
        raise NotImplementedError
