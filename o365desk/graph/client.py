"""The few Graph calls: test a connection, fetch Graph's service principal for the catalog.

Every function blocks (keychain, network): callers run them off the GUI thread.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

from o365desk.auth.http import explain_exception
from o365desk.auth.redact import redact
from o365desk.auth.session import ConnectionSession, SignInError, SignInResult
from o365desk.core import connection_rules
from o365desk.core.clouds import GRAPH_APP_ID
from o365desk.core.connection import Kind
from o365desk.core.signin_errors import Action, Explanation

SERVICE_PRINCIPAL_PATH = f"/v1.0/servicePrincipals(appId='{GRAPH_APP_ID}')"


@dataclasses.dataclass(frozen=True)
class GraphTestResult:
    """The outcome of "Test connection"; `explanation` is None when ok."""

    ok: bool
    latency_ms: float | None  # the Graph call alone, not the token
    summary: str  # the organisation's name, or the user's UPN
    explanation: Explanation | None


class GraphError(Exception):
    """A Graph call that didn't work; str() is the plain message."""

    def __init__(self, explanation: Explanation) -> None:
        super().__init__(explanation.message)
        self.explanation = explanation


def test_connection(session: ConnectionSession) -> GraphTestResult:
    """Get a token silently, then GET /organization (or /me when that is forbidden)."""
    try:
        token = session.acquire_silent()
        answer, latency = _get(session, token, "/v1.0/organization")
        if answer.status_code == 401:  # revoked or expired early: one fresh token, once
            token = session.acquire_silent(force_refresh=True)
            answer, latency = _get(session, token, "/v1.0/organization")
        if answer.status_code == 200:
            return GraphTestResult(True, latency, _organisation(answer.json(), token), None)
        if answer.status_code == 403 and session.connection.kind == Kind.APP_ONLY:
            # Graph took the app's token; the app may just not be allowed to read the
            # organisation (and has no /me): the connection works.
            return GraphTestResult(True, latency, session.connection.tenant, None)
        if answer.status_code == 403:
            answer, latency = _get(session, token, "/v1.0/me")
            if answer.status_code == 200:
                me = answer.json()
                summary = me.get("userPrincipalName") or me.get("displayName") or ""
                return GraphTestResult(True, latency, str(summary), None)
        return GraphTestResult(False, latency, "", explain_status(answer, ("User.Read",)))
    except (SignInError, GraphError) as exc:
        return GraphTestResult(False, None, "", exc.explanation)
    except (ValueError, RecursionError, AttributeError) as exc:
        # A body that isn't the JSON asked for: a proxy's page, nesting too deep, a list.
        return GraphTestResult(False, None, "", _bad_response(exc))


test_connection.__test__ = False  # not a pytest test, whoever imports it


def fetch_graph_service_principal(session: ConnectionSession) -> dict[str, Any]:
    """Microsoft Graph's service principal in the tenant (its permissions, as worded there).

    Needs Application.Read.All or Directory.Read.All. Raises SignInError or GraphError.
    """
    token = session.acquire_silent()
    answer, _ = _get(session, token, SERVICE_PRINCIPAL_PATH)
    if answer.status_code != 200:
        raise GraphError(explain_status(answer, ("Application.Read.All",)))
    try:
        data = answer.json()
    except (ValueError, RecursionError) as exc:
        raise GraphError(_bad_response(exc)) from exc
    if not isinstance(data, dict):
        raise GraphError(_bad_response(ValueError("not a JSON object")))
    return data


def refresh_catalog_from_tenant(session: ConnectionSession, catalog, target: Path | None = None):
    """Fetch the service principal, cache it as the tenant catalog, and return
    (TenantCatalog, TenantDiff) like catalog.tenant_import.import_file."""
    from o365desk.catalog import tenant_import

    data = fetch_graph_service_principal(session)
    tenant = tenant_import.parse_service_principal(
        data, f"Microsoft Graph in {session.connection.nickname}")
    tenant_import.write_cache(tenant, target)
    return tenant, tenant_import.diff(tenant, catalog)


def _get(session: ConnectionSession, token: SignInResult, path: str):
    # The token goes only to the cloud's Graph, or to an override that passes the rules;
    # a redirect is not followed (it would carry the request elsewhere).
    refused = connection_rules.refusal(session.connection)
    if refused is not None:
        raise GraphError(refused)
    url = session.connection.effective_graph_endpoint() + path
    headers = {"Authorization": f"Bearer {token.access_token}", "Accept": "application/json"}
    start = time.perf_counter()
    try:
        answer = session.http_client.get(url, headers=headers, allow_redirects=False)
    except Exception as exc:
        explanation = explain_exception(exc)
        if explanation is None:
            raise
        raise GraphError(_for_graph(explanation)) from exc
    return answer, round((time.perf_counter() - start) * 1000, 1)


def _organisation(data: Any, token: SignInResult) -> str:
    values = data.get("value") if isinstance(data, dict) else None
    if isinstance(values, list) and values and isinstance(values[0], dict):
        name = values[0].get("displayName")
        if isinstance(name, str) and name:
            return name
    return token.account.username


def _for_graph(explanation: Explanation) -> Explanation:
    """A transport explanation worded for Graph instead of the sign-in service."""
    return dataclasses.replace(
        explanation,
        title=explanation.title.replace("Microsoft's sign-in service", "Microsoft Graph"),
        message=explanation.message.replace("Microsoft's sign-in service", "Microsoft Graph")
        .replace("to Microsoft", "to Microsoft Graph"),
        raw=redact(explanation.raw))


def _bad_response(exc: BaseException) -> Explanation:
    return Explanation(
        "graph-bad-response", "Unexpected answer from Microsoft Graph",
        "Microsoft Graph's answer couldn't be read. It may be a passing fault or a proxy "
        "answering instead. Try again; if it keeps happening, contact IT.",
        (Action.RETRY, Action.CONTACT_ADMIN), None, redact(f"{type(exc).__name__}: {exc}"))


def explain_status(answer, needed: tuple[str, ...] = ()) -> Explanation:
    """What a Graph answer that isn't 200 means; `needed`: the permissions the call needs."""
    """An Explanation for a Graph answer other than 200."""
    status = answer.status_code
    try:
        error = answer.json().get("error") or {}
        detail = f"{error.get('code', '')}: {error.get('message', '')}"
    except (ValueError, RecursionError, AttributeError):
        detail = answer.text[:500] if isinstance(answer.text, str) else ""
    raw = redact(f"HTTP {status} from {answer.url}\n{detail}")
    if status == 401:
        return Explanation(
            "graph-401", "Sign-in not accepted by Microsoft Graph",
            "Microsoft Graph didn't accept this connection's sign-in: it expired or was "
            "cancelled. Sign in again.", (Action.SIGN_IN_AGAIN,), None, raw)
    if status == 403:
        return Explanation(
            "graph-403", "Permission missing",
            "The connection is signed in, but its permissions don't allow this. Add "
            f"{' and '.join(needed) or 'the permission it needs'} to its permissions and "
            "sign in again to approve it.",
            (Action.CHECK_PERMISSIONS, Action.SIGN_IN_AGAIN), None, raw, needed)
    if status == 429 or status >= 500:
        return Explanation(
            f"graph-{status}", "Microsoft Graph is busy",
            "Microsoft Graph answered with an error on its side. This is usually brief: wait "
            "a minute and try again.", (Action.RETRY,), None, raw)
    return Explanation(
        f"graph-{status}", "Microsoft Graph refused the request",
        f"Microsoft Graph refused the request (HTTP {status}). Check the connection's "
        "cloud and Graph endpoint; if they are right, copy the details for IT.",
        (Action.RETRY, Action.CONTACT_ADMIN), None, raw)
