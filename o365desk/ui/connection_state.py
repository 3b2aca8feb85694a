"""How a connection's status is worded: the Status column and the details pane say the same."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from o365desk.core.connection import Connection, Status

if TYPE_CHECKING:  # the sign-in modules load after the first paint
    from o365desk.auth.token_state import TokenState


def _tr(text: str, n: int = -1) -> str:
    return QCoreApplication.translate("ConnectionsModel", text, None, n)


def status_label(status: Status) -> str:
    labels = {
        Status.NOT_SIGNED_IN: _tr("Not signed in"),
        Status.SIGNED_IN: _tr("Signed in"),
        Status.SIGN_IN_NEEDED: _tr("Sign-in needed"),
        Status.CONSENT_MISSING: _tr("Consent missing"),
        Status.KEYCHAIN_UNAVAILABLE: _tr("Keychain unavailable"),
    }
    return labels[status]


def connection_status(conn: Connection, keychain_ok: bool, state: TokenState | None) -> Status:
    """The status from the store, refined by what the saved sign-in holds (when read)."""
    status = conn.status(keychain_ok)
    if status == Status.SIGNED_IN and state is not None:
        return state.status()
    return status


def token_expiry(conn: Connection, state: TokenState | None, now: datetime) -> datetime | None:
    """When the access token expires, if it is still valid: from the cache, else the store."""
    if state is not None:
        return None if state.needs_sign_in else state.valid_until(now)
    return conn.expires_at if conn.expires_at and conn.expires_at > now else None


def expires_in(when: datetime, now: datetime) -> str:
    """ "42 min", "2 h": how long until `when`."""
    minutes = max(1, int((when - now).total_seconds() // 60))
    if minutes < 120:
        return _tr("%n min", minutes)
    return _tr("%n h", minutes // 60)


def status_text(status: Status, expiry: datetime | None, now: datetime) -> str:
    """ "Signed in (expires in 42 min)": the access token, which renews by itself."""
    if status == Status.SIGNED_IN and expiry is not None:
        return _tr("Signed in (expires in {time})").format(
            time=expires_in(expiry, now))
    return status_label(status)
