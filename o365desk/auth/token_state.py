"""What a connection's saved sign-in holds, read offline from its token cache (no network).

The cache is MSAL's serialized JSON as the vault keeps it; reading it needs no MSAL app
(whose constructor goes online). Display only: nothing here decides whether to trust a token.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from o365desk.auth.claims import ClaimsError, TokenClaims, decode_claims, granted_vs_requested
from o365desk.auth.results import SignInResult, granted_names, scope_names
from o365desk.core.connection import Connection, Status
from o365desk.storage.vault import MSAL_CACHE, Vault


@dataclasses.dataclass(frozen=True)
class TokenState:
    """A connection's saved sign-in as last seen: account, token expiry, granted scopes."""

    has_account: bool
    expires_at: datetime | None = None  # the newest cached access token's expiry (UTC)
    has_refresh_token: bool = False
    granted: tuple[str, ...] | None = None  # None: not known (no access token cached)
    requested: tuple[str, ...] = ()
    claims: TokenClaims | None = None
    needs_sign_in: bool = False  # a silent refresh said the saved sign-in no longer works
    cached_at: datetime | None = None  # when the newest access token came from Microsoft

    @property
    def missing(self) -> tuple[str, ...]:
        """Requested permissions the last sign-in was not granted."""
        if self.granted is None:
            return ()
        return granted_vs_requested(self.requested, self.granted).missing

    def valid_until(self, now: datetime | None = None) -> datetime | None:
        """The access token's expiry while it is still in the future, else None."""
        now = now or datetime.now(UTC)
        return self.expires_at if self.expires_at and self.expires_at > now else None

    def status(self) -> Status:
        if not self.has_account or self.needs_sign_in:
            return Status.SIGN_IN_NEEDED
        if self.missing:
            return Status.CONSENT_MISSING
        return Status.SIGNED_IN

    def with_needs_sign_in(self) -> TokenState:
        return dataclasses.replace(self, needs_sign_in=True)


def from_result(result: SignInResult) -> TokenState:
    """The state a sign-in or silent refresh just produced."""
    return TokenState(True, result.expires_at, True, tuple(result.granted),
                      tuple(result.requested), result.claims)


def read_token_state(vault: Vault, connection: Connection) -> TokenState | None:
    """The connection's saved sign-in, read from the vault (blocks: keychain).

    None when the saved cache can't be read (the status stays as the store says).
    """
    text = vault.get(connection.id, MSAL_CACHE)
    if text is None:
        return TokenState(False, requested=scope_names(None, connection))
    try:
        cache = json.loads(text)
    except ValueError:
        return None
    if not isinstance(cache, Mapping):
        return None
    return state_from_cache(cache, connection)


def state_from_cache(cache: Mapping[str, Any], connection: Connection) -> TokenState:
    home = connection.account.home_account_id if connection.account else None
    requested = scope_names(None, connection)

    def mine(section: str) -> list[Mapping[str, Any]]:
        entries = cache.get(section)
        if not isinstance(entries, Mapping):
            return []
        return [e for e in entries.values() if isinstance(e, Mapping)
                and (not home or e.get("home_account_id") == home)]

    accounts = mine("Account")
    if not accounts:
        return TokenState(False, requested=requested)
    tokens = sorted(mine("AccessToken"), key=_expires_on, reverse=True)
    newest = tokens[0] if tokens else None
    claims = None
    granted: Sequence[str] | None = None
    expires_at = cached_at = None
    if newest is not None:
        expires_at = datetime.fromtimestamp(_expires_on(newest), UTC)
        cached_at = datetime.fromtimestamp(_expires_on(newest, "cached_at"), UTC) \
            if _expires_on(newest, "cached_at") else None
        granted = granted_names(str(newest.get("target") or ""), connection)
        try:
            claims = decode_claims(str(newest.get("secret") or ""))
        except ClaimsError:
            claims = None
    return TokenState(True, expires_at, bool(mine("RefreshToken")),
                      None if granted is None else tuple(granted), requested, claims,
                      cached_at=cached_at)


def _expires_on(entry: Mapping[str, Any], key: str = "expires_on") -> int:
    """A cache entry's Unix time field (MSAL keeps them as text); 0 when not one."""
    try:
        value = int(entry.get(key) or 0)
    except (TypeError, ValueError):
        return 0
    return value if 0 < value < 253402300799 else 0  # before the year 10000
