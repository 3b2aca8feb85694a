"""What a sign-in gives back (tokens, account, scopes) and how its failures are explained."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from o365desk.auth.admin_consent import with_consent_link
from o365desk.auth.claims import ClaimsError, TokenClaims, decode_claims
from o365desk.auth.graph_scopes import (  # noqa: F401 (o365desk imports them from here)
    granted_names,
    graph_resource,
    msal_scopes,
    scope_names,
    strip_prefix,
)
from o365desk.auth.redact import redact
from o365desk.core.connection import Account, Connection
from o365desk.core.signin_errors import (
    Action,
    Explanation,
    TransportKind,
    explain,
    explain_result,
    explain_transport,
)

_AADSTS = re.compile(r"AADSTS\d+")
_HTTP_STATUS = re.compile(r"HTTP Error: (\d{3})")


@dataclass(frozen=True)
class SignInResult:
    """A successful sign-in or silent refresh (the access token is never in the repr)."""

    account: Account
    access_token: str = field(repr=False)
    expires_at: datetime  # UTC
    granted: tuple[str, ...]  # Graph permission names, as granted, no resource prefix
    requested: tuple[str, ...]
    claims: TokenClaims | None  # None when the token can't be decoded (display only)


class SignInError(Exception):
    """A sign-in that didn't work; str() is the plain message, `explanation` has the rest."""

    def __init__(self, explanation: Explanation) -> None:
        super().__init__(explanation.message)
        self.explanation = explanation

    @property
    def code(self) -> str:
        return self.explanation.code

    @property
    def needs_sign_in(self) -> bool:
        return Action.SIGN_IN_AGAIN in self.explanation.actions


@dataclass(frozen=True)
class AuthCodeStart:
    """What an embedded view needs to run an authorization-code sign-in."""

    auth_uri: str
    redirect_uri: str
    allowed_hosts: frozenset[str]  # "*.example.net" stands for the subdomains of example.net
    flow: dict = field(repr=False)  # MSAL's flow (state, nonce, PKCE verifier): opaque
    requested: tuple[str, ...] = ()  # the permission names asked for


@dataclass(frozen=True)
class DeviceCodeStart:
    """A device-code sign-in waiting for the person to enter the code elsewhere."""

    user_code: str
    verification_uri: str
    message: str
    expires_at: datetime  # UTC
    flow: dict = field(repr=False)
    requested: tuple[str, ...] = ()


def host_allowed(host: str, allowed_hosts: Iterable[str]) -> bool:
    """Whether `host` (optionally with :port) is one of `allowed_hosts` or a wildcard's."""
    host = host.strip().lower().rstrip(".")
    bare = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    for pattern in allowed_hosts:
        pattern = pattern.lower()
        if pattern.startswith("*."):
            if bare.endswith(pattern[1:]) and bare != pattern[2:]:
                return True
        elif host == pattern or (":" not in pattern and bare == pattern):
            return True
    return False


# --- results ------------------------------------------------------------------------------


def build_result(result: Mapping[str, Any], account: Account, requested: Sequence[str],
                 connection: Connection, now: datetime | None = None) -> SignInResult:
    token = result["access_token"]
    now = now or datetime.now(UTC)
    try:
        claims = decode_claims(token)
    except ClaimsError:
        claims = None
    expires_in = result.get("expires_in")
    if isinstance(expires_in, int | float) and not isinstance(expires_in, bool):
        expires_at = now + timedelta(seconds=int(expires_in))
    elif claims is not None and claims.expires_at is not None:
        expires_at = claims.expires_at
    else:
        expires_at = now + timedelta(hours=1)
    scope_text = result.get("scope")
    if not scope_text and claims is not None:
        scope_text = " ".join(claims.scopes)
    return SignInResult(account, token, expires_at.replace(microsecond=0),
                        granted_names(scope_text, connection), tuple(requested), claims)


def account_from(msal_account: Mapping[str, Any],
                 id_claims: Mapping[str, Any] | None = None) -> Account:
    home = str(msal_account.get("home_account_id") or "")
    # The realm is the authority's tenant ("organizations"); the home id's second part
    # is the organisation the account belongs to.
    claims = id_claims or {}
    tenant = claims.get("tid") or (home.split(".", 1)[1] if "." in home else "") \
        or msal_account.get("realm") or ""
    # The name shown: the checked ID token's (as MSAL picks it), else the cache's, which
    # came from the ID token checked when it was saved.
    name = next((claims[k] for k in ("preferred_username", "upn")
                 if isinstance(claims.get(k), str) and claims[k]), None)
    return Account(str(name or msal_account.get("username") or ""), home, str(tenant))


# --- failures -----------------------------------------------------------------------------


def _context(connection: Connection) -> dict[str, Any]:
    return {"tenant": connection.tenant, "cloud": connection.cloud,
            "client_id": connection.client_id, "authority": connection.authority,
            "kind": connection.kind, "graph_endpoint": connection.effective_graph_endpoint()}


def _explained(explanation: Explanation, connection: Connection) -> SignInError:
    """A SignInError for a connection's failure, its admin-consent link (if it offers one)
    the connection's own v2.0 link."""
    return SignInError(with_consent_link(explanation, connection))


def error_from_result(result: Mapping[str, Any], connection: Connection) -> SignInError:
    return _explained(explain_result(result, **_context(connection)), connection)


def error_from_oauth(error: str, connection: Connection, description: str = "", *,
                     raw: str = "") -> SignInError:
    """An OAuth error by name; `raw` (if given) replaces the details kept for IT."""
    explanation = explain(error, description or None, None, **_context(connection))
    if raw:
        explanation = dataclasses.replace(explanation, raw=redact(f"error: {error}\n{raw}"))
    return _explained(explanation, connection)


def not_signed_in(connection: Connection) -> SignInError:
    return SignInError(Explanation(
        "not_signed_in", "Sign-in needed",
        f'"{connection.nickname}" has no saved sign-in on this computer (it was never signed '
        "in, or the sign-in was removed). Sign in again.",
        (Action.SIGN_IN_AGAIN,), None, "no account in the token cache"))


def state_mismatch(detail: str) -> SignInError:
    return SignInError(Explanation(
        "state_mismatch", "Sign-in answer refused",
        "The answer that came back doesn't belong to the sign-in o365desk started, so it was "
        "refused for your safety. Nothing was saved. Sign in again.",
        (Action.SIGN_IN_AGAIN,), None, redact(detail)))


def trusted_certificates_refused(exc: BaseException) -> SignInError:
    """The extra trusted certificates (settings.json, O365DESK_EXTRA_CA_CERTS) or the proxy
    setting (auth/proxy.py's ProxySettingError) can't be used."""
    from o365desk.auth.proxy import ProxySettingError

    if isinstance(exc, ProxySettingError):
        return SignInError(Explanation(
            "proxy-setting", "Proxy setting can't be used", str(exc),
            (Action.CONTACT_ADMIN,), None, str(exc)))
    return SignInError(Explanation(
        "trusted-certificates", "Trusted certificates can't be used", str(exc),
        (Action.CHECK_TRUSTED_CERTIFICATES,), None, str(exc)))


def cancelled() -> SignInError:
    return SignInError(Explanation(
        "cancelled", "Sign-in cancelled",
        "The sign-in was stopped. Nothing was saved. Sign in again when you are ready.",
        (Action.SIGN_IN_AGAIN,), None, "cancelled by the user"))


def browser_timeout() -> SignInError:
    return SignInError(Explanation(
        "browser-timeout", "No answer from the browser",
        "The sign-in in the browser wasn't finished in time. Nothing was saved. Try again, "
        "or use a code on another device.",
        (Action.RETRY, Action.USE_DEVICE_CODE), None, "timed out"))


def no_browser() -> SignInError:
    return SignInError(Explanation(
        "no-browser", "No web browser opened",
        "o365desk couldn't open a web browser on this computer. Nothing was saved. Sign in "
        "with a code on another device (a phone or another computer) instead.",
        (Action.USE_DEVICE_CODE, Action.SIGN_IN_AGAIN), None, "no browser could be started"))


def error_from_exception(exc: BaseException, connection: Connection) -> SignInError:
    """A SignInError for what MSAL or the network raised (AADSTS text kept when chained)."""
    # Here, not at the top: requests costs ~55 ms, and the main window imports this
    # module (through token_state) before its first paint.
    from o365desk.auth.http import explain_exception

    texts = _chain_texts(exc)
    joined = "\n".join(texts)
    if _AADSTS.search(joined):  # e.g. an unknown tenant: MSAL's ValueError hides Entra's JSON
        error, description = _error_json(texts)
        return _explained(explain(error, description or redact(joined), None,
                                  **_context(connection)), connection)
    transport = explain_exception(exc)
    if transport is not None:
        return SignInError(dataclasses.replace(transport, raw=redact(transport.raw)))
    status = _HTTP_STATUS.search(joined)
    if status:
        code = int(status.group(1))
        kind = TransportKind.SERVER if code >= 500 or code == 429 else TransportKind.BAD_RESPONSE
        return SignInError(explain_transport(kind, redact(joined)))
    if "state mismatch" in joined.lower() or "nonce" in joined.lower():
        # A nonce that differs: the ID token was not issued for this sign-in.
        return state_mismatch(joined)
    if isinstance(exc, ValueError) and "authority" in joined.lower():
        return SignInError(explain_transport(TransportKind.BAD_RESPONSE, redact(joined)))
    unknown = explain(None, None, None, **_context(connection))
    return SignInError(dataclasses.replace(
        unknown, raw=redact(f"{type(exc).__name__}: {exc}")))


def _chain_texts(exc: BaseException) -> list[str]:
    texts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(texts) < 8:
        seen.add(id(current))
        texts.append(f"{type(current).__name__}: {current}")
        response = getattr(current, "response", None)
        body = getattr(response, "text", None)
        if isinstance(body, str) and body:
            texts.append(body[:4000])
        current = current.__cause__ or current.__context__
    return texts


def _error_json(texts: list[str]) -> tuple[str | None, str | None]:
    """Entra's {"error", "error_description"} if one of the texts holds it."""
    decoder = json.JSONDecoder()
    for text in texts:
        start = text.find("{")
        while start != -1:
            try:
                data, _ = decoder.raw_decode(text, start)
            except ValueError:
                data = None
            if isinstance(data, dict) and "error_description" in data:
                return str(data.get("error") or "") or None, str(data["error_description"])
            start = text.find("{", start + 1)
    return None, None
