"""The errors the fake identity platform can produce, shaped like Microsoft Entra ID's,
and the switches (ErrorSwitches, mixed into FakeIdentity) that schedule them.

Each AADSTS code says which OAuth error it travels under at the token endpoint and in an
authorize redirect, its suberror (MSAL's hint for the app), and where it occurs by default:
"authorize" (shown at once instead of the sign-in page: the redirect URI can't be trusted),
or "signin" (a redirect with ?error=... after the credentials were accepted).
The wording is the fake's own, short and plain; only the codes match the real service.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Aadsts:
    """One AADSTS error: its code, OAuth error names and a one-line description."""

    code: int
    token_error: str
    authorize_error: str
    description: str
    suberror: str | None = None
    stage: str = "signin"  # where fail_authorize() shows it by default
    as_page: bool = False  # an error page instead of a redirect


_ALL = [
    Aadsts(65001, "invalid_grant", "consent_required",
           "The user or an administrator has not consented to use application '{client_id}'. "
           "Send an interactive authorization request for this user and resource.",
           suberror="consent_required"),
    Aadsts(65004, "access_denied", "access_denied",
           "The user declined to consent to access the app.", stage="signin"),
    Aadsts(90094, "invalid_grant", "access_denied",
           "An administrator of the organization must approve application '{client_id}' "
           "before it can access these permissions.", suberror="consent_required"),
    Aadsts(90008, "invalid_grant", "consent_required",
           "The user or an administrator has not consented to application '{client_id}': "
           "it must at least request permission to sign the user in and read their profile.",
           suberror="consent_required"),
    Aadsts(50011, "invalid_request", "invalid_request",
           "The redirect URI specified in the request does not match the redirect URIs "
           "configured for application '{client_id}'.", stage="authorize", as_page=True),
    Aadsts(700016, "unauthorized_client", "unauthorized_client",
           "Application with identifier '{client_id}' was not found in the directory "
           "'{tenant}'.", stage="authorize", as_page=True),
    Aadsts(90002, "invalid_tenant", "invalid_tenant",
           "Tenant '{tenant}' not found. Check the organization name or ID.",
           stage="authorize", as_page=True),
    Aadsts(50076, "interaction_required", "interaction_required",
           "Because of a configuration change made by your administrator, or because you "
           "moved to a new location, you must use multi-factor authentication to access "
           "'{client_id}'.", suberror="basic_action"),
    Aadsts(50079, "interaction_required", "interaction_required",
           "Your administrator requires you to register for multi-factor authentication "
           "before you can continue.", suberror="additional_action"),
    Aadsts(53003, "invalid_grant", "access_denied",
           "Access has been blocked by Conditional Access policies.",
           suberror="message_only"),
    Aadsts(700082, "invalid_grant", "invalid_grant",
           "The refresh token has expired due to inactivity.", suberror="bad_token"),
    Aadsts(50173, "invalid_grant", "invalid_grant",
           "The provided grant has expired because it was revoked; a fresh sign-in is "
           "needed.", suberror="bad_token"),
    Aadsts(54005, "invalid_grant", "invalid_grant",
           "The OAuth2 authorization code was already redeemed. Try again with a new code."),
    Aadsts(50058, "interaction_required", "login_required",
           "A silent sign-in request was sent but no user is signed in."),
    Aadsts(50126, "invalid_grant", "invalid_grant",
           "Error validating credentials: invalid username or password."),
    Aadsts(70000, "invalid_grant", "invalid_grant",
           "The provided grant is invalid or malformed."),
    Aadsts(70008, "invalid_grant", "invalid_grant",
           "The provided authorization code has expired."),
    Aadsts(501481, "invalid_grant", "invalid_grant",
           "The code_verifier does not match the code_challenge supplied in the "
           "authorization request."),
    Aadsts(70016, "authorization_pending", "invalid_request",
           "The device flow is pending: the user has not finished signing in yet."),
    Aadsts(70019, "expired_token", "invalid_request", "The device code has expired."),
    Aadsts(70020, "authorization_declined", "access_denied",
           "The user declined the device sign-in request."),
    # What an app-only (client credentials) request meets: issue 10 point 6.
    Aadsts(7000215, "invalid_client", "invalid_client",
           "Invalid client secret provided. Ensure the secret being sent in the request is "
           "the client secret value, not the client secret ID, for a secret added to app "
           "'{client_id}'."),
    Aadsts(7000222, "invalid_client", "invalid_client",
           "The provided client secret keys for app '{client_id}' are expired. Create new "
           "keys for the app, or use certificate credentials."),
    Aadsts(700027, "invalid_client", "invalid_client",
           "Client assertion failed signature validation: the certificate used to sign it "
           "is not registered on application '{client_id}'."),
    Aadsts(700024, "invalid_client", "invalid_client",
           "Client assertion is not within its valid time range."),
    Aadsts(1002012, "invalid_scope", "invalid_scope",
           "The provided value for scope {param} is not valid. Client credential flows must "
           "have a scope value with /.default suffixed to the resource identifier."),
    Aadsts(70011, "invalid_scope", "invalid_scope",
           "The provided value for the input parameter 'scope' is not valid. The scope "
           "{param} is not valid."),
    Aadsts(500011, "invalid_resource", "invalid_resource",
           "The resource principal named {param} was not found in the tenant named "
           "'{tenant}'."),
    Aadsts(900023, "invalid_request", "invalid_request",
           "Specified tenant identifier '{tenant}' is neither a valid DNS name, nor a valid "
           "external domain.", stage="authorize", as_page=True),
    Aadsts(7000112, "unauthorized_client", "unauthorized_client",
           "Application '{client_id}' is disabled."),
    Aadsts(50049, "invalid_instance", "invalid_instance", "Unknown or invalid instance."),
    Aadsts(90038, "invalid_request", "invalid_request",
           "The specified tenant '{tenant}' belongs to another national cloud; this cloud "
           "instance does not federate with it."),
    Aadsts(900382, "invalid_request", "invalid_request",
           "Confidential Client is not supported in Cross Cloud request."),
    Aadsts(900432, "invalid_request", "invalid_request",
           "Confidential Client is not supported in Cross Cloud request."),
    Aadsts(900439, "invalid_request", "invalid_request",
           "Confidential Client requests are not supported on the public endpoint for "
           "tenants in the Azure Government cloud. Send your login requests to "
           "https://login.microsoftonline.us instead."),
    Aadsts(900144, "invalid_request", "invalid_request",
           "The request must contain the parameter '{param}'."),
    Aadsts(7000215, "invalid_client", "invalid_client",
           "Invalid client secret provided. Ensure the secret being sent in the request is "
           "the client secret value, not the client secret ID, for a secret added to app "
           "'{client_id}'."),
    Aadsts(7000218, "invalid_client", "invalid_client",
           "The request body must contain the following parameter: 'client_assertion' or "
           "'client_secret'."),
    Aadsts(1002012, "invalid_scope", "invalid_scope",
           "The provided value for scope is not valid. Client credential flows must have a "
           "scope value with /.default suffixed to the resource identifier."),
    Aadsts(9002325, "invalid_request", "invalid_request",
           "Proof Key for Code Exchange (S256) is required for this request."),
]
CATALOG: dict[int, Aadsts] = {e.code: e for e in _ALL}

# An OAuth error name given to a switch stands for its most typical AADSTS code.
OAUTH_ALIASES = {
    "access_denied": 65004,
    "consent_required": 65001,
    "interaction_required": 50076,
    "invalid_grant": 70000,
    "login_required": 50058,
}

# The codes issue 4 asks every switch for; tests iterate over them.
ISSUE_CODES = (65001, 90094, 90008, 50011, 700016, 90002, 50076, 50079, 53003, 700082,
               50173, 54005)
# The codes issue 10 point 6 asks an app-only connection to explain.
APP_ONLY_CODES = (7000215, 7000222, 700027, 700024, 700016, 1002012, 70011, 500011, 65001,
                  90002, 900023, 7000112, 50049, 90038, 900382, 900432, 900439)


def lookup(code_or_error: int | str | Aadsts) -> Aadsts:
    """The catalog entry for an AADSTS number (or "AADSTS65001") or an OAuth error name."""
    if isinstance(code_or_error, Aadsts):
        return code_or_error
    if isinstance(code_or_error, str):
        key = code_or_error.strip()
        if key in OAUTH_ALIASES:
            return CATALOG[OAUTH_ALIASES[key]]
        key = key.upper().removeprefix("AADSTS")
        code_or_error = int(key)
    try:
        return CATALOG[code_or_error]
    except KeyError:
        raise ValueError(f"the fake knows no AADSTS{code_or_error}") from None


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def describe(entry: Aadsts, **fields: str) -> str:
    """'AADSTS65001: ...' with the placeholders filled in."""
    values = {"client_id": "", "tenant": "", "param": ""} | fields
    return f"AADSTS{entry.code}: " + entry.description.format(**values)


def token_error_body(code_or_error: int | str, *, correlation_id: str | None = None,
                     error: str | None = None, **fields: str) -> dict:
    """The JSON body Entra's token endpoint sends for an error (HTTP 400)."""
    entry = lookup(code_or_error)
    trace_id = str(uuid.uuid4())
    correlation_id = correlation_id or str(uuid.uuid4())
    stamp = _timestamp()
    body = {
        "error": error or entry.token_error,
        "error_description": (f"{describe(entry, **fields)} Trace ID: {trace_id} "
                              f"Correlation ID: {correlation_id} Timestamp: {stamp}"),
        "error_codes": [entry.code],
        "timestamp": stamp,
        "trace_id": trace_id,
        "correlation_id": correlation_id,
        "error_uri": f"https://login.microsoftonline.com/error?code={entry.code}",
    }
    if entry.suberror:
        body["suberror"] = entry.suberror
    if entry.code in (50076, 50079, 53003):
        body["claims"] = '{"access_token":{"capolids":{"essential":true,"values":["fake"]}}}'
    return body


def authorize_error_params(code_or_error: int | str, *, error: str | None = None,
                           **fields: str) -> dict[str, str]:
    """The query parameters of an error redirect from /authorize (state added by caller)."""
    entry = lookup(code_or_error)
    params = {
        "error": error or entry.authorize_error,
        "error_description": f"{describe(entry, **fields)} Timestamp: {_timestamp()}",
        "error_uri": f"https://login.microsoftonline.com/error?code={entry.code}",
    }
    if entry.code == 65004:
        params["error_subcode"] = "cancel"
    return params


class ErrorSwitches:
    """The switches of FakeIdentity that schedule errors (a mixin; needs self.lock)."""

    lock: threading.RLock

    def reset_switches(self) -> None:
        self._authorize_failures: list[list] = []
        self._token_failures: list[list] = []
        self._transport_faults: list[list] = []

    def fail_authorize(self, code_or_error: int | str, *, times: int | None = 1,
                       at: str | None = None, as_page: bool | None = None) -> Aadsts:
        """The next sign-in(s) end in this error: at "authorize" (before the form) or
        "signin" (after the credentials), as a redirect to the app or an error page.
        Defaults per code come from the catalog. times=None: until reset()."""
        entry = lookup(code_or_error)
        with self.lock:
            self._authorize_failures.append([
                entry, at or entry.stage, entry.as_page if as_page is None else as_page,
                times])
        return entry

    def fail_token(self, code_or_error: int | str, *, times: int | None = 1,
                   grant: str | None = None, error: str | None = None) -> Aadsts:
        """The next token request(s) (of grant "authorization_code", "refresh_token",
        "device_code" or any) get this AADSTS error as Entra's JSON (HTTP 400); error
        overrides the OAuth error name. times=None: until reset()."""
        entry = lookup(code_or_error)
        with self.lock:
            self._token_failures.append([entry, grant, error, times])
        return entry

    def fail_transport(self, kind: int | str, *, endpoint: str = "token",
                       times: int | None = 1, retry_after: int | None = None) -> None:
        """The next request(s) to endpoint ("token", "devicecode", "discovery",
        "authorize", "graph") get: an HTTP status such as 500 or 503, "malformed" (200
        with broken JSON), "html" (200 with an HTML page), "drop" (socket closed),
        "oversized" (200 with a 60 MB access token; "oversized-unsized": sent without a
        Content-Length) or "shape:TEXT" (200 with TEXT as the JSON body)."""
        with self.lock:
            self._transport_faults.append([endpoint, kind, retry_after, times])

    @staticmethod
    def _take(queue: list[list], match) -> list | None:
        """The first queued switch that matches, counting one use of it."""
        for item in queue:
            if match(item):
                if item[-1] is not None:
                    item[-1] -= 1
                    if item[-1] <= 0:
                        queue.remove(item)
                return item
        return None

    def take_authorize_failure(self, stage: str) -> tuple[Aadsts, bool] | None:
        with self.lock:
            item = self._take(self._authorize_failures, lambda i: i[1] == stage)
        return (item[0], item[2]) if item else None

    def take_token_failure(self, grant: str) -> tuple[Aadsts, str | None] | None:
        with self.lock:
            item = self._take(self._token_failures, lambda i: i[1] in (None, grant))
        return (item[0], item[2]) if item else None

    def take_transport_fault(self, endpoint: str) -> list | None:
        with self.lock:
            return self._take(self._transport_faults, lambda i: i[0] == endpoint)


OVERSIZED_BYTES = 60 * 1024 * 1024
NO_LENGTH = "X-Fake-No-Content-Length"  # server.py sends no Content-Length for this answer


def transport_fault(kind: int | str, retry_after: int | None = None):
    """A broken answer: None (drop the connection), broken JSON, HTML, or an HTTP status."""
    from .tokens import Response

    if kind == "drop":
        return None
    if kind == "malformed":
        return Response(200, b'{"token_type": "Bearer", "access_tok',
                        {"Content-Type": "application/json"})
    if kind == "html":
        return Response.html(200, "<html><body>A proxy's sign-in page</body></html>")
    if kind in ("oversized", "oversized-unsized"):  # a 60 MB token, with or without length
        body = (b'{"token_type": "Bearer", "expires_in": 3600, "access_token": "'
                + b"A" * OVERSIZED_BYTES + b'"}')
        headers = {"Content-Type": "application/json"}
        if kind == "oversized-unsized":
            headers[NO_LENGTH] = "1"
        return Response(200, body, headers)
    if isinstance(kind, str) and kind.startswith("shape:"):  # 200 with this JSON text
        return Response(200, kind[len("shape:"):].encode(), {"Content-Type": "application/json"})
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    return Response.html(int(kind), f"<html><body>HTTP {kind}</body></html>", **headers)
