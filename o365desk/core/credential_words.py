"""How an app-only connection's credential and its expiry are worded, for both faces.

The command line and the window say the same words ("secret expires in 12 days",
"certificate expired on 2026-05-01"); only the way to fix it differs (a command, or the
window's Replace credential), so that is given by the caller.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from o365desk.core.connection import Connection, Kind
from o365desk.core.text import visible


def cli_fix(connection: Connection) -> str:
    """The command that gives the connection a new credential of the kind it has."""
    nick = visible(connection.nickname)
    if is_certificate(connection):
        return f'run: o365desk credential "{nick}" --certificate FILE'
    return f'run: o365desk credential "{nick}" --secret-stdin'


def is_certificate(connection: Connection) -> bool:
    """Whether the connection's credential is a certificate (else a secret, or none)."""
    credential = connection.credential
    return credential is not None and credential.type.value == "certificate"


def credential_words(connection: Connection, now: datetime | None = None) -> str:
    """"secret expires in 12 days", "certificate expired on 2026-05-01", "secret, expiry
    not known"."""
    credential = connection.credential
    if credential is None:
        return "no credential"
    what = "secret" if credential.type.value == "secret" else "certificate"
    if credential.expires_at is None:
        return f"{what}, expiry not known"
    now = now or datetime.now(UTC)
    day = f"{credential.expires_at:%Y-%m-%d}"
    if credential.expired(now):
        return f"{what} expired on {day}"
    left = credential.expires_at - now
    if left < timedelta(days=1):
        return f"{what} expires today"
    days = left.days
    return f"{what} expires in {days} day{'s' if days != 1 else ''}"


def credential_warning(connection: Connection, now: datetime | None = None,
                       fix: str | None = None) -> str:
    """A warning for an app-only connection whose credential expired or soon will; "".

    `fix` ends the sentence with how to give it a new one (default: the CLI command)."""
    credential = connection.credential
    if connection.kind != Kind.APP_ONLY or credential is None or connection.damage:
        return ""
    now = now or datetime.now(UTC)
    nick = visible(connection.nickname)
    fix = fix if fix is not None else cli_fix(connection)
    new = ("certificate (upload its public part to the app registration)"
           if is_certificate(connection) else "secret in the app registration")
    if credential.expired(now):
        return (f'"{nick}": its {credential_words(connection, now)}, so it can\'t get '
                f"tokens. Make a new {new}, then {fix}")
    if credential.expiring_soon(now):
        return (f'"{nick}": its {credential_words(connection, now)} (on '
                f"{credential.expires_at:%Y-%m-%d}). Make a new {new} before then, and "
                f"{fix}")
    return ""
