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
        Status.WAITING_FOR_APPROVAL: _tr("Waiting for approval"),
        Status.CONSENT_MISSING: _tr("Some permissions not granted"),
        Status.KEYCHAIN_UNAVAILABLE: _tr("Keychain unavailable"),
        Status.DAMAGED: _tr("Damaged"),
        Status.READY: _tr("App only"),
        Status.CREDENTIAL_EXPIRED: _tr("Credential expired"),
    }
    return labels[status]


def connection_status(conn: Connection, keychain_ok: bool, state: TokenState | None) -> Status:
    """The status from the store, refined by what the saved sign-in holds (when read)."""
    status = conn.status(keychain_ok)
    if status in (Status.SIGNED_IN, Status.WAITING_FOR_APPROVAL) and state is not None:
        refined = state.status()
        if refined == Status.SIGN_IN_NEEDED or status == Status.SIGNED_IN:
            return refined
    return status


def damaged_reason(conn: Connection | None) -> str:
    """Why nothing but Delete works on a damaged connection; "" for any other."""
    if conn is None or not conn.damage:
        return ""
    return _tr("Its saved details can't be used (the details pane says why). Delete it "
               "and add it again, or ask your IT contact to correct it.")


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


def status_text(status: Status) -> str:
    """What a person needs to know. Not the access token's expiry: it renews by itself,
    and "expires in 59 min" reads as "sign in again within the hour" (the details say it)."""
    return status_label(status)
