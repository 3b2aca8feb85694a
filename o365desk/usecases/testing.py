"""Test a connection: a token from the saved sign-in, then one Microsoft Graph call."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from o365desk.core.connection import Connection
from o365desk.services import Services
from o365desk.usecases.signin import note_use

if TYPE_CHECKING:
    from o365desk.auth.token_state import TokenState
    from o365desk.graph.client import GraphTestResult


@dataclasses.dataclass(frozen=True)
class TestOutcome:
    """What Test connection found, and what the saved sign-in holds afterwards."""

    __test__ = False  # not a pytest test class, whoever imports it

    result: GraphTestResult
    state: TokenState | None  # None when the saved sign-in could not be read
    connection: Connection | None = None  # as saved after noting its use (None: unchanged)
    # An app-only test that worked: the application permissions its token carries (the
    # `roles` claim, as Microsoft sent them), for the window to name.
    roles: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON of `o365desk test --json`."""
        r = self.result
        data: dict[str, Any] = {"ok": r.ok, "latency_ms": None if r.latency_ms is None
                                else round(r.latency_ms, 1), "organisation": r.summary or None,
                                # app only: the token's application permissions; else []
                                "roles": list(self.roles)}
        if r.explanation is not None:
            data["error"] = {"code": r.explanation.code, "title": r.explanation.title,
                             "message": r.explanation.message}
        return data


def test(services: Services, connection: Connection) -> TestOutcome:
    """Ask Microsoft Graph whether the connection works; a use that worked is noted.

    A connection nobody has signed in with is not tested (there is no token to test):
    the outcome says to sign in first, without going online.
    """
    from o365desk.auth.token_state import read_token_state
    from o365desk.core import connection_rules
    from o365desk.graph.client import GraphTestResult, test_connection

    refused = connection_rules.refusal(connection)
    if refused is not None:  # damaged: what is wrong comes before "sign in first"
        return TestOutcome(GraphTestResult(False, None, "", refused), None)
    from o365desk.core.connection import Kind

    if connection.kind == Kind.APP_ONLY:
        return _test_app_only(services, connection)
    if connection.account is None:
        return TestOutcome(GraphTestResult(False, None, "", _not_signed_in(connection)), None)
    result = test_connection(services.session_for(connection))
    used = note_use(services, connection) if result.ok else None
    return TestOutcome(result, read_token_state(services.vault(), connection), used)


test.__test__ = False  # not a pytest test, whoever imports it


def _test_app_only(services: Services, connection: Connection) -> TestOutcome:
    """An app-only token, its `roles` compared with the application permissions asked for
    (any missing named), then one Microsoft Graph call with it."""
    from o365desk.auth.session import SignInError
    from o365desk.graph.client import GraphTestResult, test_connection

    session = services.session_for(connection)
    try:
        token = session.acquire_silent()
    except SignInError as exc:
        return TestOutcome(GraphTestResult(False, None, "", exc.explanation), None)
    from o365desk.auth.admin_consent import missing_roles

    missing = tuple(missing_roles(token.claims.raw if token.claims else {},
                                  connection.scopes))
    if missing:
        return TestOutcome(GraphTestResult(False, None, "", _roles_missing(connection, missing)),
                           None)
    result = test_connection(session)
    used = note_use(services, connection) if result.ok else None
    return TestOutcome(result, None, used, _roles(token.claims.raw if token.claims else {})
                       if result.ok else ())


_MOST_ROLES = 200  # more than any app registration lists; a longer claim is cut here


def _roles(claims: Any) -> tuple[str, ...]:
    """The token's `roles` claim: its text entries, each once, in the order sent."""
    roles = claims.get("roles") if isinstance(claims, dict) else None
    if not isinstance(roles, list):
        return ()
    names = (r.strip() for r in roles[:_MOST_ROLES] if isinstance(r, str))
    return tuple(dict.fromkeys(n for n in names if n))


def _roles_missing(connection: Connection, missing: tuple[str, ...]):
    from o365desk.auth.admin_consent import missing_roles_message
    from o365desk.core.signin_errors import Action, Explanation

    return Explanation(
        code="roles-missing", title="Application permissions not granted",
        message=missing_roles_message(missing, connection.nickname),
        actions=(Action.CONTACT_ADMIN,), admin_consent_url=None,
        raw=f"roles missing: {', '.join(missing)}", scopes=missing)


def _not_signed_in(_connection: Connection):
    from o365desk.core.signin_errors import Action, Explanation

    return Explanation(
        code="not-signed-in", title="Not signed in yet",
        message="Nobody has signed in with this connection yet, so there is nothing to "
                "test. Sign in first.",
        actions=(Action.SIGN_IN_AGAIN,), admin_consent_url=None, raw="")
