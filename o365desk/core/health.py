"""A connection's token health: what its saved sign-in (or app credential) will do next,
and whether a person needs to act now, in plain words for both faces.

Entra ends a refresh token that is not used for 90 days (every refresh starts the count
again); a password reset, a revocation or a sign-in frequency rule can end it earlier, which
only the first refresh that fails reveals (recorded as `Connection.refresh_failure`). An
app-only connection has no refresh token: its credential's expiry is its health.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from o365desk.core.connection import EXPIRY_WARNING_DAYS, Connection, Kind, Status

# Entra's inactivity lapse of a refresh token (counted from its last use).
LAPSE_DAYS = 90
# A sign-in that lapses within this many days needs attention: two weeks leave time to
# notice it after a holiday, and a use (or a keep-alive) before it lapses keeps it.
ATTENTION_DAYS = 14
# An app credential that expires within this many days needs attention (as its warning).
CREDENTIAL_ATTENTION_DAYS = EXPIRY_WARNING_DAYS

SIGN_IN_AGAIN = "Sign in again."
# The code auth/results.not_signed_in gives a refresh that found no account in the cache.
NO_SAVED_SIGN_IN = "not_signed_in"


@dataclasses.dataclass(frozen=True)
class Health:
    """One connection's health at `now`; `reason` and `action` are sentences for staff."""

    status: Status
    needs_attention: bool
    reason: str
    action: str = ""  # "" when nothing needs doing
    access_token_expires_at: datetime | None = None
    last_refreshed_at: datetime | None = None
    refresh_lapses_at: datetime | None = None
    credential_expires_at: datetime | None = None
    summary: str = ""  # a few words for a list's column: "Lapses in 5 days", "Sign-in ended"
    # Needs attention only because of what comes soon (it still works today).
    soon: bool = False

    @property
    def words(self) -> str:
        """The reason, then what to do."""
        return " ".join(w for w in (self.reason, self.action) if w)

    def to_dict(self) -> dict[str, Any]:
        """The health fields of `o365desk list --json` and `o365desk health --json`."""
        return {
            "status": self.status.value,
            "needs_attention": self.needs_attention,
            "reason": self.reason,
            "action": self.action or None,
            "access_token_expires_at": _iso(self.access_token_expires_at),
            "last_refreshed_at": _iso(self.last_refreshed_at),
            "refresh_lapses_at": _iso(self.refresh_lapses_at),
            "credential_expires_at": _iso(self.credential_expires_at),
        }

    def sort_key(self) -> tuple[int, int, float]:
        """What no longer works first, then what soon won't, then the rest; each by the
        soonest to lapse or expire."""
        end = self.refresh_lapses_at or self.credential_expires_at
        return (0 if self.needs_attention else 1, 1 if self.soon else 0,
                end.timestamp() if end is not None else float("inf"))


def assess(connection: Connection, now: datetime | None = None, *,
           token_expires_at: datetime | None = None, cached_at: datetime | None = None,
           keychain_ok: bool = True) -> Health:
    """The one place that decides whether a connection needs attention, and why.

    `token_expires_at` and `cached_at`: the newest cached access token's expiry and when it
    came (read from the vault's MSAL cache; None when not read). `cached_at` stands in for
    the last refresh of a connection signed in before o365desk recorded it.
    """
    now = now or datetime.now(UTC)
    if connection.damage:
        return Health(Status.DAMAGED, True,
                      f"This connection's saved details can't be used. {connection.damage}",
                      "Delete it and add it again, or ask your IT contact to correct it in "
                      "connections.json.", summary="Can't be used")
    if connection.kind == Kind.APP_ONLY:
        return _app_only(connection, now, keychain_ok)
    expires = token_expires_at or connection.expires_at
    if connection.account is None:
        return Health(Status.NOT_SIGNED_IN, True,
                      "Nobody is signed in with this connection.", "Sign in.",
                      summary="Not signed in")
    last = connection.last_refreshed_at or cached_at
    lapses = last + timedelta(days=LAPSE_DAYS) if last is not None else None
    facts = {"access_token_expires_at": expires, "last_refreshed_at": last,
             "refresh_lapses_at": lapses}
    if not keychain_ok:
        return Health(Status.KEYCHAIN_UNAVAILABLE, True,
                      "o365desk can't reach the keychain, so it can't use this connection's "
                      "saved sign-in.",
                      'Unlock the keychain (run "o365desk doctor" to see what is wrong), '
                      "then check again.", summary="Keychain unavailable", **facts)
    if connection.refresh_failure:
        return Health(Status.SIGN_IN_NEEDED, True, refresh_failure_words(connection),
                      SIGN_IN_AGAIN, summary="Sign-in ended", **facts)
    status = connection.status()
    if lapses is None:
        return Health(status, False, "Signed in; when it was last refreshed is not known.",
                      summary="Signed in", **facts)
    if lapses <= now:
        return Health(Status.SIGN_IN_NEEDED, True,
                      f"The saved sign-in was last used on {last:%Y-%m-%d}, more than "
                      f"{LAPSE_DAYS} days ago, so Microsoft has most likely ended it.",
                      SIGN_IN_AGAIN, summary="Sign-in lapsed", **facts)
    days = days_until(lapses, now)
    soon = days < ATTENTION_DAYS
    return Health(status, soon, f"The saved sign-in lapses {_in_days(days)} if not used.",
                  "Sign in again, or use the connection, to keep it." if soon else "",
                  summary=f"Lapses {_in_days(days)}", soon=soon, **facts)


def refresh_failure_words(connection: Connection) -> str:
    """Why the last refresh failed, in the words o365desk gives that failure anywhere."""
    from o365desk.core.signin_errors import explain

    code = connection.refresh_failure
    if code == NO_SAVED_SIGN_IN:  # not Microsoft's answer: the token cache has no account
        return ("Its last refresh failed: this computer no longer has its saved sign-in (it "
                "was removed, or the keychain was reset).")
    aadsts = code.upper().startswith("AADSTS")
    explanation = explain(None if aadsts else code, code if aadsts else None, None,
                          tenant=connection.tenant, cloud=connection.cloud,
                          client_id=connection.client_id, kind=connection.kind.value)
    message = explanation.message.removesuffix(" " + SIGN_IN_AGAIN).strip()
    return f"Its last refresh failed. {message}"


def days_until(when: datetime, now: datetime) -> int:
    """Whole days from now until `when` (0 on its last day)."""
    return max(0, (when - now).days)


def _in_days(days: int) -> str:
    if days == 0:
        return "today"
    return f"in {days} day{'s' if days != 1 else ''}"


def _app_only(connection: Connection, now: datetime, keychain_ok: bool) -> Health:
    from o365desk.core.credential_words import credential_words, is_certificate

    credential = connection.credential
    expires = credential.expires_at if credential is not None else None
    words = credential_words(connection, now)
    words = words[0].upper() + words[1:]
    fix = ("Make a new certificate, then give it to the connection (Replace credential)."
           if is_certificate(connection) else
           "Make a new secret in the app registration, then give it to the connection "
           "(Replace credential).")
    if not keychain_ok:
        return Health(Status.KEYCHAIN_UNAVAILABLE, True,
                      "o365desk can't reach the keychain, so it can't use this connection's "
                      "credential.",
                      'Unlock the keychain (run "o365desk doctor" to see what is wrong), '
                      "then check again.", credential_expires_at=expires,
                      summary="Keychain unavailable")
    if credential is None:
        return Health(Status.READY, True, "It has no credential.", fix,
                      summary="No credential")
    if credential.expired(now):
        return Health(Status.CREDENTIAL_EXPIRED, True, f"{words}.", fix,
                      credential_expires_at=expires, summary=words)
    left = credential.days_left(now)
    if left is not None and left < CREDENTIAL_ATTENTION_DAYS:
        return Health(Status.READY, True, f"{words}.", fix.replace(", then", " before then,"
                      " and", 1), credential_expires_at=expires, summary=words, soon=True)
    return Health(Status.READY, False, f"{words}.", credential_expires_at=expires,
                  summary=words)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z") \
        if value else None


# A desktop notification this many days before a sign-in lapses or a credential expires.
NOTIFY_DAYS = 7


@dataclasses.dataclass(frozen=True)
class Notice:
    """A notification to show: a short title and a sentence naming the connection."""

    connection_id: str
    nickname: str  # as shown: control and bidi characters as escapes
    title: str
    message: str


def notices_due(found: Iterable[tuple[Connection, Health]], now: datetime,
                notified: Mapping[str, str]) -> list[Notice]:
    """What to notify now: each connection whose sign-in lapses, or whose app credential
    expires, within NOTIFY_DAYS (not yet past), unless it was notified today already
    (`notified`: connection id -> the ISO date of its last notice)."""
    from o365desk.core.text import visible

    today = now.date().isoformat()
    notices = []
    for connection, health in found:
        if notified.get(connection.id) == today or connection.damage:
            continue
        app_only = connection.kind == Kind.APP_ONLY
        end = health.credential_expires_at if app_only else health.refresh_lapses_at
        if connection.refresh_failure or end is None or end <= now \
                or end - now > timedelta(days=NOTIFY_DAYS):
            continue
        title = "A credential expires soon" if app_only else "A sign-in lapses soon"
        name = visible(connection.nickname)
        words = health.words
        notices.append(Notice(connection.id, name, title,  # no capital after the colon
                              f'"{name}": {words[:1].lower()}{words[1:]}'))
    return notices
