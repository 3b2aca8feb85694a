"""Record a sign-in, sign out, and hand out an access token."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from o365desk.core.connection import Connection
from o365desk.services import Services
from o365desk.storage.store import StoreError

if TYPE_CHECKING:
    from o365desk.auth.results import SignInResult

log = logging.getLogger(__name__)


def record_sign_in(services: Services, connection: Connection,
                   result: SignInResult) -> Connection:
    """Save who signed in (a connection deleted meanwhile is not brought back)."""
    return services.record_sign_in(connection, result)


def sign_out(services: Services, connection: Connection) -> Connection:
    """Remove the connection's saved sign-in; keep the connection."""
    return services.sign_out(connection)


def access_token(services: Services, connection: Connection,
                 scopes: Sequence[str] | None = None) -> SignInResult:
    """A fresh access token from the saved sign-in (no prompt), and "last used" noted.

    Raises the sign-in's SignInError when the saved sign-in can't give one.
    """
    result = services.session_for(connection).acquire_silent(scopes or None)
    note_use(services, connection)
    return result


def note_use(services: Services, connection: Connection) -> Connection | None:
    """Record "last used" and return the connection as saved; a courtesy, so a read-only
    or busy file doesn't fail the use (None: not recorded)."""
    try:
        return services.store.touch(connection.id)
    except StoreError as exc:
        log.info("last use of %s not recorded: %s", connection.id, exc)
        return None
