"""The services the GUI and the CLI share: one store, one vault, chosen in one place."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from pathlib import Path

from o365desk.core import paths
from o365desk.core.connection import Connection
from o365desk.storage.store import ConnectionStore
from o365desk.storage.vault import Vault, VaultError, VaultUnavailable


@dataclasses.dataclass(frozen=True)
class KeychainState:
    """What the status bar and `doctor` say about the keychain."""

    backend: str  # a name a person recognises, e.g. "GNOME Keyring (Secret Service)"
    available: bool
    problem: str = ""  # when unavailable: what happened and what to do
    detail: str = ""  # the raw error, for IT


def _open_default_vault() -> Vault:
    from o365desk.storage.keychain import open_vault

    return open_vault()


class Services:
    """Wiring shared by the GUI and the CLI; nothing here imports Qt."""

    def __init__(
        self,
        store: ConnectionStore | None = None,
        vault_factory: Callable[[], Vault] = _open_default_vault,
    ) -> None:
        self.store = store or ConnectionStore(paths.connections_file())
        self._vault_factory = vault_factory
        self._vault: Vault | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_config_dir(cls, directory: Path, **kwargs) -> Services:
        return cls(ConnectionStore(directory / "connections.json"), **kwargs)

    def vault(self) -> Vault:
        """The keychain vault, opened on first use (slow: call it off the GUI thread)."""
        with self._lock:
            if self._vault is None:
                self._vault = self._vault_factory()
            return self._vault

    def keychain_state(self) -> KeychainState:
        """Open the vault and check it answers; never raises (slow: off the GUI thread)."""
        try:
            vault = self.vault()
        except VaultError as exc:
            return KeychainState("none", False, str(exc), exc.detail)
        try:
            vault.check()
        except VaultError as exc:
            return KeychainState(vault.backend_name, False, str(exc), exc.detail)
        return KeychainState(vault.backend_name, True)

    def delete_connection(self, connection: Connection) -> int:
        """Remove a connection's keychain entries, then the connection; return entries removed.

        A connection that was never signed in has no secrets, so it can be deleted while
        the keychain is unavailable; one with an account can't, or its tokens would stay
        behind where nobody could find them.
        """
        removed = 0
        try:
            removed = self.vault().delete_connection(connection.id)
        except VaultUnavailable:
            if connection.account is not None:
                raise
        self.store.delete(connection.id)
        return removed
