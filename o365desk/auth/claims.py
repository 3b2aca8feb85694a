"""Read an access token's claims for display, and compare granted with requested scopes.

The token's signature is NOT checked: what this module returns is for showing to a
person (which permissions, which organisation, when it expires) and must never be used
to decide whether to trust a token or a caller. Only Microsoft's services validate it.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

from o365desk.core.clouds import GRAPH_APP_ID, Cloud

# Sign-in scopes MSAL adds or a person may ask for; Entra never lists them in `scp`.
OIDC_SCOPES = frozenset({"openid", "profile", "offline_access", "email"})
_RESOURCE_PREFIXES = tuple(
    sorted({f"{c.graph_endpoint}/".lower() for c in Cloud} | {f"{GRAPH_APP_ID}/"}, key=len)
)[::-1]
_B64URL = re.compile(r"[A-Za-z0-9_-]*")


class ClaimsError(ValueError):
    """The token can't be read; str() is a sentence for the person looking at it."""


@dataclasses.dataclass(frozen=True)
class TokenClaims:
    """What an access token says about itself (unverified: for display only)."""

    scopes: tuple[str, ...]  # delegated `scp`, or app-only `roles`
    audience: str | None
    tenant_id: str | None
    expires_at: datetime | None  # UTC
    auth_methods: tuple[str, ...]  # `amr`, e.g. ("pwd", "mfa")
    username: str | None
    raw: Mapping[str, Any]

    @property
    def app_only(self) -> bool:
        """True when the permissions are application roles rather than delegated scopes."""
        return "scp" not in self.raw and bool(self.scopes)

    def expired(self, now: datetime | None = None) -> bool:
        if self.expires_at is None:
            return False
        return self.expires_at <= (now or datetime.now(UTC))


class ScopeComparison(NamedTuple):
    granted_requested: tuple[str, ...]  # asked for and granted (as the token spells them)
    missing: tuple[str, ...]  # asked for, not granted (as they were asked for)
    extra: tuple[str, ...]  # granted without being asked for (earlier consent, .default)


def decode_claims(token: str) -> TokenClaims:
    """Decode a JWT access token's payload without checking its signature (display only)."""
    return claims_from_payload(decode_payload(token))


def decode_payload(token: str) -> dict[str, Any]:
    """The JSON payload of a JWT as a dict; ClaimsError when it isn't one."""
    if not isinstance(token, str):
        raise ClaimsError("There is no access token to read.")
    text = token.strip()
    if text[:7].lower() == "bearer ":
        text = text[7:].strip()
    if not text:
        raise ClaimsError("There is no access token to read.")
    parts = text.split(".")
    if len(parts) == 5:
        raise ClaimsError(
            "This access token is encrypted, so its details can't be shown here. "
            "The connection itself may still work."
        )
    if len(parts) != 3 or not all(_B64URL.fullmatch(p) for p in parts):
        raise ClaimsError(
            "This access token isn't in a format o365desk can read (some Microsoft services "
            "issue tokens only they can read). The connection itself may still work."
        )
    try:
        payload = json.loads(_b64url_decode(parts[1]))
    except (ValueError, RecursionError):
        # ValueError covers bad base64, bad UTF-8 and bad JSON alike.
        raise ClaimsError(
            "This access token is damaged and can't be read. Sign in again to get a new one."
        ) from None
    if not isinstance(payload, dict):
        raise ClaimsError(
            "This access token is damaged and can't be read. Sign in again to get a new one."
        )
    return payload


def claims_from_payload(payload: Mapping[str, Any]) -> TokenClaims:
    """TokenClaims from a decoded payload; claims of an unexpected type count as absent."""
    scp = payload.get("scp")
    if isinstance(scp, str):
        scopes = tuple(scp.split())
    else:
        scopes = _strings(payload.get("roles"))
    aud = payload.get("aud")
    if isinstance(aud, list):
        aud = next((a for a in aud if isinstance(a, str)), None)
    username = next(
        (
            payload[k]
            for k in ("upn", "preferred_username", "unique_name", "email")
            if isinstance(payload.get(k), str) and payload[k]
        ),
        None,
    )
    return TokenClaims(
        scopes=scopes,
        audience=aud if isinstance(aud, str) else None,
        tenant_id=_string(payload.get("tid")),
        expires_at=_timestamp(payload.get("exp")),
        auth_methods=_strings(payload.get("amr")),
        username=username,
        raw=dict(payload),
    )


def granted_vs_requested(
    requested: Iterable[str] | str, granted: Iterable[str] | str
) -> ScopeComparison:
    """Compare scopes case-insensitively, ignoring Graph's resource prefix and OIDC scopes.

    A requested ".default" asks for whatever the app registration lists, so it is never
    missing, and nothing granted counts as extra while it was asked for.
    """
    wanted = _normalised(requested)
    got = _normalised(granted)
    asked_default = ".default" in wanted
    wanted.pop(".default", None)
    got.pop(".default", None)
    return ScopeComparison(
        granted_requested=_sorted(got[k] for k in got if k in wanted),
        missing=_sorted(wanted[k] for k in wanted if k not in got),
        extra=() if asked_default else _sorted(got[k] for k in got if k not in wanted),
    )


def normalise_scope(scope: str) -> str:
    """The comparable form of a scope: lower case, without Graph's resource prefix."""
    return _without_prefix(scope.strip()).lower()


def _without_prefix(scope: str) -> str:
    lowered = scope.lower()
    for prefix in _RESOURCE_PREFIXES:
        if lowered.startswith(prefix):
            # Prefixes are ASCII, so they span the same characters in the original.
            return scope[len(prefix):]
    return scope


def _normalised(scopes: Iterable[str] | str) -> dict[str, str]:
    if isinstance(scopes, str):
        scopes = scopes.split()
    out: dict[str, str] = {}
    for scope in scopes:
        display = _without_prefix(scope.strip())
        key = display.lower()
        if key and key not in OIDC_SCOPES:
            out.setdefault(key, display)  # the first spelling seen is the one shown
    return out


def _sorted(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(items, key=str.lower))


def _b64url_decode(part: str) -> bytes:
    if len(part) % 4 == 1:  # no valid base64 has this length; say so before binascii does
        raise ValueError("impossible base64 length")
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def _timestamp(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None

