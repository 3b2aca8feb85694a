"""Check the ID token of a token answer before anything of it is used, shown or saved.

MSAL 1.38 and later decode the ID token without checking it. o365desk checks what an
OpenID Connect client must for a token it received straight from the token endpoint
over TLS (OpenID Connect Core 3.1.3.7): the issuer is the one the authority's OpenID
metadata names (Entra's "{tenantid}" form filled in with the token's own `tid`), the
audience is the client ID, the token is not expired and already valid (within a clock
skew of SKEW_SECONDS), and, in a flow that sent one, the nonce is the flow's. Its
signature is not checked: TLS to the token endpoint already says who sent it.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from typing import Any

from o365desk.auth.claims import ClaimsError, decode_payload

SKEW_SECONDS = 300  # 5 minutes either way for exp and nbf
_TENANT_PLACEHOLDER = "{tenantid}"


class IdTokenRefused(Exception):
    """The ID token can't be trusted; `reason` is "issuer", "audience", "expired",
    "not-yet-valid", "nonce" or "unreadable", str() the detail for IT (no token)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def checked_claims(
    answer: Mapping[str, Any], *, client_id: str, issuer: str | None,
    nonce: str | None = None, required: bool = True, now: float | None = None,
) -> dict[str, Any] | None:
    """The claims of `answer`'s ID token once every check passed; None when the answer
    carries none and none is `required`. Raises IdTokenRefused otherwise.

    `nonce` is the flow's own (MSAL sends its SHA-256 to the server, so that is what
    the token must carry); `issuer` comes from the authority's OpenID metadata.
    """
    token = answer.get("id_token")
    if token is None or token == "":
        if required:
            raise IdTokenRefused("unreadable", "the answer carries no ID token")
        return None
    try:
        claims = decode_payload(token)
    except ClaimsError:
        raise IdTokenRefused("unreadable", "the ID token can't be decoded") from None
    _check_issuer(claims, issuer)
    _check_audience(claims, client_id)
    _check_times(claims, time.time() if now is None else now)
    if nonce is not None:
        expected = hashlib.sha256(nonce.encode("ascii")).hexdigest()
        if claims.get("nonce") != expected:
            raise IdTokenRefused("nonce", "the ID token's nonce is not this sign-in's")
    return claims


def expected_issuer(metadata_issuer: str, tenant_id: Any) -> str | None:
    """The issuer a token of tenant `tenant_id` must name (None: it can't name one)."""
    if _TENANT_PLACEHOLDER not in metadata_issuer:
        return metadata_issuer
    if not isinstance(tenant_id, str) or not tenant_id or not tenant_id.isascii() or \
            any(c in tenant_id for c in "/?#@ ") or not tenant_id.isprintable():
        return None
    return metadata_issuer.replace(_TENANT_PLACEHOLDER, tenant_id)


def _check_issuer(claims: Mapping[str, Any], issuer: str | None) -> None:
    if not isinstance(issuer, str) or not issuer:
        raise IdTokenRefused("issuer", "the authority's OpenID metadata names no issuer")
    iss = claims.get("iss")
    wanted = expected_issuer(issuer, claims.get("tid"))
    if not isinstance(iss, str) or wanted is None or iss != wanted:
        raise IdTokenRefused(
            "issuer", f"the ID token's issuer {_short(iss)} is not {_short(wanted or issuer)}")


def _check_audience(claims: Mapping[str, Any], client_id: str) -> None:
    aud = claims.get("aud")
    if isinstance(aud, list):
        # Several audiences: ours among them, and the token was issued to us (azp).
        ok = client_id in aud and (len(aud) == 1 or claims.get("azp") == client_id)
    else:
        ok = aud == client_id
    if not ok:
        raise IdTokenRefused(
            "audience", f"the ID token's audience {_short(aud)} is not the client ID "
                        f"{client_id}")


def _check_times(claims: Mapping[str, Any], now: float) -> None:
    exp = claims.get("exp")
    if not _is_number(exp):
        raise IdTokenRefused("unreadable", "the ID token has no expiry time")
    if now - SKEW_SECONDS >= exp:
        raise IdTokenRefused("expired", f"the ID token expired {int(now - exp)} s ago")
    nbf = claims.get("nbf")
    if nbf is not None:
        if not _is_number(nbf):
            raise IdTokenRefused("unreadable", "the ID token's start time is not a number")
        if nbf > now + SKEW_SECONDS:
            raise IdTokenRefused("not-yet-valid",
                                 f"the ID token is valid only in {int(nbf - now)} s")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and \
        value == value and abs(value) < 1e15  # no NaN, no infinity


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
