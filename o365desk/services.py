"""The services the GUI and the CLI share: one store, one vault, chosen in one place."""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from o365desk.core import paths
from o365desk.core.connection import Connection, utcnow
from o365desk.storage.store import ConnectionStore
from o365desk.storage.vault import Vault, VaultError, VaultUnavailable

if TYPE_CHECKING:  # msal and requests load only when a session is first made
    from o365desk.auth.session import ConnectionSession, SignInResult

log = logging.getLogger(__name__)


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
        self._sessions: dict[str, ConnectionSession] = {}

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

    # --- sign-in ------------------------------------------------------------------------

    def session_for(self, connection: Connection) -> ConnectionSession:
        """The connection's sign-in session, one per connection id (opens the vault: slow).

        A connection whose sign-in settings changed (organisation, cloud, client ID,
        authority, Graph endpoint) gets a new session; other changes update the old one.
        """
        from o365desk.auth.app_session import AppSession
        from o365desk.auth.session import ConnectionSession
        from o365desk.core.connection import Kind

        # An app-only connection signs in as its app (client credentials), no person.
        make = AppSession if connection.kind == Kind.APP_ONLY else ConnectionSession
        vault = self.vault()
        with self._lock:
            session = self._sessions.get(connection.id)
            if session is not None and (_sign_in_key(session.connection) !=
                                        _sign_in_key(connection)
                                        or not isinstance(session, make)):
                self._sessions.pop(connection.id).close()
                session = None
            if session is None:
                session = make(connection, vault)
                if make is ConnectionSession:
                    session.on_refresh = self._note_refresh
                self._sessions[connection.id] = session
            else:
                session.rebind(connection)
            return session

    def drop_session(self, connection_id: str) -> None:
        with self._lock:
            session = self._sessions.pop(connection_id, None)
        if session is not None:
            session.close()

    def record_sign_in(self, connection: Connection, result: SignInResult, *,
                       add_if_missing: bool = False) -> Connection:
        """Save who signed in and until when the token lasts. Only those fields change in
        the saved connection (a rename made meanwhile elsewhere stays).

        A connection no longer saved (deleted meanwhile from another window or the command
        line) is not brought back: its new sign-in is removed from the keychain and
        NotFoundError says so; unless `add_if_missing`, for a connection being created.
        """
        from o365desk.storage.store import NotFoundError

        # What this sign-in asked for is approved now (what it was granted is the token's
        # business); permissions added meanwhile elsewhere still wait for approval.
        now = utcnow()
        fields = {"account": result.account, "expires_at": result.expires_at,
                  "last_used_at": now, "approved_scopes": connection.scopes,
                  "last_refreshed_at": now, "refresh_failure": ""}
        try:
            saved = self.store.patch(connection.id, **fields)
        except NotFoundError:
            if not add_if_missing:
                self.session_for(connection).sign_out()  # no tokens without a connection
                self.drop_session(connection.id)
                raise NotFoundError(
                    f'"{connection.nickname}" was deleted meanwhile, in another window or '
                    "from the command line, so its new sign-in was not kept. Create the "
                    "connection again if you still need it.") from None
            saved = self.store.add(connection.replace(**fields))
        with self._lock:
            session = self._sessions.get(connection.id)
        if session is not None:
            session.rebind(saved)
        return saved

    def sign_out(self, connection: Connection) -> Connection:
        """Remove the connection's accounts and tokens; keep the connection itself."""
        self.session_for(connection).sign_out()
        self.drop_session(connection.id)
        return self.store.patch(connection.id, account=None, expires_at=None,
                                approved_scopes=None, last_refreshed_at=None,
                                refresh_failure="")

    def _note_refresh(self, connection_id: str, failure: str,
                      expires_at: datetime | None = None) -> None:
        """Record a refresh from Microsoft (a session's on_refresh): when one worked and
        until when its access token lasts (so `list --json` says it without the keychain),
        or the code of one that needs a new sign-in. A courtesy: a busy or read-only file,
        or a connection deleted meanwhile, doesn't fail the token it came with."""
        from o365desk.storage.store import StoreError

        fields: dict = {"refresh_failure": failure} if failure else \
            {"last_refreshed_at": utcnow(), "refresh_failure": ""}
        if not failure and expires_at is not None:
            fields["expires_at"] = expires_at
        try:
            self.store.patch(connection_id, wait=2.0, **fields)
        except StoreError as exc:
            log.info("refresh of %s not recorded: %s", connection_id, exc)

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
            # An app-only connection's credential is in the keychain from the start.
            if connection.account is not None or connection.credential is not None:
                raise
        self.drop_session(connection.id)
        self.store.delete(connection.id)
        return removed


def _sign_in_key(connection: Connection) -> tuple:
    return (connection.tenant, connection.cloud, connection.client_id, connection.authority,
            connection.graph_endpoint, connection.kind)
