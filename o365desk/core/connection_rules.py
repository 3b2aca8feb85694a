"""The rules a saved connection's values pass before it is used, whoever wrote them.

What the command line and the window check as values are typed is checked again here on
every connection read from the file (a hand edit, a copy IT handed out): a connection that
breaks a rule is *damaged*. It is shown with its problem, kept in the file exactly as read,
and never signed in with, asked for a token, or sent to Graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from o365desk.core import nickname as nick
from o365desk.core.connection import Connection, CredentialType, Kind
from o365desk.core.endpoints import normalize_authority, normalize_graph_endpoint
from o365desk.core.ids import canonical_uuid
from o365desk.core.tenant import TenantError, parse_tenant

DESCRIPTION_MAX = 2000
TENANT_MAX = 255  # a domain has at most 253
USERNAME_MAX = 320  # an email address at its longest
ACCOUNT_ID_MAX = 256
SCOPE_MAX = 256  # characters of one permission's name
SCOPES_MAX = 1000  # permissions one connection asks for
_TENANT_WORDS = ("organizations", "common", "consumers")
SUBJECT_MAX = 1024  # characters of a certificate's subject as shown
_HEX = frozenset("0123456789abcdefABCDEF")

DAMAGED_ADVICE = (
    "o365desk will not sign in with it, ask for a token or call Microsoft Graph with it "
    "until it is fixed. Delete it and add it again, or ask your IT contact to correct it "
    "in connections.json."
)


def problem(connection: Connection) -> str:
    """What makes this connection unusable, in a sentence; "" when every rule holds."""
    try:
        nick.validate(connection.nickname)
    except nick.NicknameError as exc:
        return f"Its nickname breaks a rule: {exc}"
    if len(connection.description) > DESCRIPTION_MAX:
        return (f"Its description has {len(connection.description):,} characters; at most "
                f"{DESCRIPTION_MAX:,} are allowed.")
    tenant = connection.tenant
    if len(tenant) > TENANT_MAX:
        return f"Its organisation (tenant) is longer than {TENANT_MAX} characters."
    if tenant.lower() not in _TENANT_WORDS:
        try:
            parsed = parse_tenant(tenant)
        except TenantError:
            parsed = ""
        if parsed != tenant.lower():
            return ("Its organisation (tenant) is not a domain such as contoso.com or a "
                    "tenant ID.")
    try:
        canonical_uuid(connection.client_id)
    except ValueError:
        return "Its client ID is not a GUID such as 14d82eec-204b-4c2f-b7e8-296a70dab67e."
    try:
        normalize_authority(connection.authority, connection.cloud)
        normalize_graph_endpoint(connection.graph_endpoint, connection.cloud)
    except TenantError as exc:
        return str(exc)
    return _credential_problem(connection) or _lengths(connection)


def names_one_organisation(tenant: str) -> bool:
    """Whether `tenant` is a specific organisation, as an app-only connection needs (not
    "organizations", "common" or "consumers")."""
    return tenant.strip().lower() not in _TENANT_WORDS


def _credential_problem(connection: Connection) -> str:
    """What is wrong with an app-only connection's organisation or credential facts, or a
    delegated one carrying a credential; "" when nothing is."""
    credential = connection.credential
    if connection.kind != Kind.APP_ONLY:
        return "It is a delegated connection but lists an app credential." \
            if credential is not None else ""
    if not names_one_organisation(connection.tenant):
        return ("It is an app-only connection but names no specific organisation (tenant): "
                "an app signs in to one organisation, by its domain or tenant ID.")
    if credential is None:
        # Usable once given one (`o365desk credential`); until then a token is refused
        # with what to do (auth.app_session.client_credential).
        return ""
    if credential.type == CredentialType.SECRET:
        if credential.sha1 or credential.sha256 or credential.subject or credential.not_after:
            return "Its client secret is described with a certificate's details."
        return ""
    if not _is_hex(credential.sha1, 40) or not _is_hex(credential.sha256, 64):
        return "Its certificate's thumbprints are not 40 and 64 hexadecimal characters."
    if len(credential.subject) > SUBJECT_MAX:
        return f"Its certificate's subject is longer than {SUBJECT_MAX:,} characters."
    if credential.not_after is None:
        return "Its certificate's end of validity is missing."
    return ""


def _is_hex(text: str, length: int) -> bool:
    return len(text) == length and set(text) <= _HEX


def normalized(connection: Connection) -> Connection:
    """A connection that passes the rules, with its authority and Graph endpoint in their
    checked form (an international host in xn-- form, no trailing slash)."""
    authority = normalize_authority(connection.authority, connection.cloud)
    graph = normalize_graph_endpoint(connection.graph_endpoint, connection.cloud)
    if authority == connection.authority and graph == connection.graph_endpoint:
        return connection
    return connection.replace(authority=authority, graph_endpoint=graph)


def _lengths(connection: Connection) -> str:
    scopes = [*connection.scopes, *(connection.approved_scopes or ())]
    if len(connection.scopes) > SCOPES_MAX or len(connection.approved_scopes or ()) > SCOPES_MAX:
        return f"It lists more than {SCOPES_MAX:,} permissions."
    if any(len(s) > SCOPE_MAX for s in scopes):
        return f"One of its permissions has a name longer than {SCOPE_MAX} characters."
    account = connection.account
    if account is not None and (
            len(account.username) > USERNAME_MAX or len(account.home_account_id) > ACCOUNT_ID_MAX
            or len(account.tenant_id) > ACCOUNT_ID_MAX):
        return "Its signed-in account's name or ID is longer than any real one."
    return ""


def damaged(connection: Connection, reason: str, entry: Mapping[str, Any]) -> Connection:
    """The connection marked damaged: `entry` is kept to be saved back unchanged; the text
    shown of it is cut to the lengths allowed, so a huge value costs nothing to show."""
    name = connection.nickname
    if len(name) > nick.MAX_LENGTH:
        name = name[: nick.MAX_LENGTH] + "\u2026"
    description = connection.description
    if len(description) > DESCRIPTION_MAX:
        description = description[:DESCRIPTION_MAX] + "\u2026"
    account = connection.account
    if account is not None and len(account.username) > USERNAME_MAX:
        account = None  # not shown: nothing of it is used
    return connection.replace(
        nickname=name, description=description, account=account,
        tenant=_cut(connection.tenant, TENANT_MAX), client_id=_cut(connection.client_id, 64),
        authority=_cut(connection.authority, 300),
        graph_endpoint=_cut(connection.graph_endpoint, 300),
        credential=None if connection.credential is None else connection.credential.replace(
            subject=_cut(connection.credential.subject, SUBJECT_MAX) or "",
            sha1=_cut(connection.credential.sha1, 64) or "",
            sha256=_cut(connection.credential.sha256, 64) or ""),
        scopes=connection.scopes[:SCOPES_MAX], damage=reason, stored=dict(entry))


def _cut(text: str | None, limit: int) -> str | None:
    return text if text is None or len(text) <= limit else text[:limit] + "\u2026"


def message(connection: Connection) -> str:
    """What a person is told about a damaged connection: the problem, then what to do."""
    return f"This connection's saved details can't be used. {connection.damage} " \
        f"{DAMAGED_ADVICE}"


def refusal(connection: Connection):
    """The Explanation given instead of signing in with, or calling Graph for, a connection
    whose values break a rule; None when it may be used."""
    reason = connection.damage or problem(connection)
    if not reason:
        return None
    from o365desk.core.signin_errors import Action, Explanation

    return Explanation(
        "connection-damaged", "Connection can't be used",
        message(connection.replace(damage=reason)), (Action.CONTACT_ADMIN,), None,
        f"connection {connection.id}: {reason}")
