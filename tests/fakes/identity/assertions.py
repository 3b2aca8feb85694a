"""The fake's check of a client assertion (a certificate credential's signed JWT), as
Entra does it: signed with PS256 or RS256 by the key of a certificate registered on the
app, that certificate named by its thumbprint (x5t#S256 for PS256, x5t for RS256), for
this token endpoint (aud), by the app itself (iss and sub), and valid now (exp, nbf).
The signature is checked with `cryptography`, never by hand."""

from __future__ import annotations

import base64
import json
import time

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
CLOCK_SKEW = 300  # seconds Entra allows either way


class AssertionRefused(Exception):
    """The AADSTS code to answer with (700027: not signed by a registered certificate;
    700024: not within its valid time range)."""

    def __init__(self, code: int, why: str) -> None:
        super().__init__(why)
        self.code = code


def _part(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def check_assertion(assertion: str, *, client_id: str, audience: str,
                    certificates: list, now: float | None = None) -> None:
    """Raise AssertionRefused unless the assertion is good for the app."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    try:
        head, body, signature = assertion.split(".")
        header, claims = json.loads(_part(head)), json.loads(_part(body))
        signed, sig = f"{head}.{body}".encode(), _part(signature)
    except (ValueError, TypeError):
        raise AssertionRefused(700027, "not a JWT") from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise AssertionRefused(700027, "not a JWT")
    alg = header.get("alg")
    if alg == "PS256":
        name, digest = "x5t#S256", hashes.SHA256()
        pad = padding.PSS(padding.MGF1(hashes.SHA256()), padding.PSS.AUTO)
    elif alg == "RS256":
        name, digest = "x5t", hashes.SHA1()
        pad = padding.PKCS1v15()
    else:
        raise AssertionRefused(700027, f"alg {alg!r}")
    thumbprint = str(header.get(name, "")).rstrip("=")
    matching = [c for c in certificates if _b64url(c.fingerprint(digest)) == thumbprint]
    if not matching:
        raise AssertionRefused(700027, f"{name} names no registered certificate")
    try:
        matching[0].public_key().verify(sig, signed, pad, hashes.SHA256())
    except InvalidSignature:
        raise AssertionRefused(700027, "signature does not verify") from None
    if claims.get("aud") != audience:
        raise AssertionRefused(700027, f"aud {claims.get('aud')!r} is not {audience!r}")
    if claims.get("iss") != client_id or claims.get("sub") != client_id:
        raise AssertionRefused(700027, "iss/sub is not the client ID")
    now = time.time() if now is None else now
    exp, nbf = claims.get("exp"), claims.get("nbf", claims.get("iat"))
    if not isinstance(exp, int | float) or exp + CLOCK_SKEW < now:
        raise AssertionRefused(700024, "expired")
    if isinstance(nbf, int | float) and nbf - CLOCK_SKEW > now:
        raise AssertionRefused(700024, "not valid yet")
