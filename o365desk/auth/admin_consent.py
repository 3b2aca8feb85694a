"""Admin consent: the link an administrator opens to approve an app for the organisation,
what they will see there, what their answer means, and which permissions a token lacks.

The link is Microsoft's v2.0 form (`/{tenant}/v2.0/adminconsent`), on the connection's own
cloud (or its authority override's host). An app-only connection asks for
`{the cloud's Graph}/.default`: every application permission on the app registration. A
delegated connection asks for the permissions it requests itself, by name, so the
approval covers exactly what it will sign in for (the app registration of a shared app,
such as Microsoft's Graph Command Line Tools, lists few permissions, so `.default`
would approve too little). The answer comes back to a loopback listener
(auth/consent_listener.py).
"""

from __future__ import annotations

import dataclasses
import enum
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from o365desk.auth.graph_scopes import graph_resource, scope_names
from o365desk.core.clouds import Cloud
from o365desk.core.connection import Connection, Kind
from o365desk.core.signin_errors import Action, Explanation, aadsts_codes, explain
from o365desk.core.words import plural

_GENERIC_TENANTS = {"", "organizations", "common", "consumers"}
# Where the answer to a copied or printed link goes: http://localhost, as the app
# registration lists it (no port: nothing listens, Microsoft records the approval before
# the browser gets there).
SHARED_REDIRECT = "http://localhost"

# What the window and the CLI show before opening the link.
WHAT_THE_ADMIN_SEES = (
    "An administrator of the organisation approves this app once, for everyone. "
    "Microsoft's page asks them to sign in with an administrator account (a Global "
    "Administrator, Privileged Role Administrator or Cloud Application Administrator), "
    "then shows the app's name and the permissions it asks for. They check that it is "
    "the app they expect and choose Accept. Cancel approves nothing."
)
REDIRECT_NOTE = (
    "Microsoft's page then sends the browser to http://localhost. That address must be a "
    "redirect URI of the app registration (Authentication, platform \"Mobile and desktop "
    "applications\"), or the page stops with an error about the redirect address."
)


def admin_consent_url(
    cloud: Cloud | str, tenant: str | None, client_id: str, redirect_uri: str, state: str,
    graph_endpoint: str | None = None, *, authority: str | None = None,
    scopes: Sequence[str] | None = None,
) -> str:
    """The v2.0 admin-consent link, every value URL-encoded.

    `graph_endpoint` is the resource the permissions belong to (the cloud's Graph unless
    given); `authority` (an override such as a sovereign or test host) supplies the host;
    `scopes` (permission names or full URIs) replace `.default`. A generic tenant
    ("common", "organizations", none) becomes "organizations": the administrator's own
    sign-in then picks the organisation.
    """
    cloud = Cloud(cloud)
    if authority:
        parts = urlsplit(authority)
        base = f"{parts.scheme or 'https'}://{parts.netloc}"
    else:
        base = f"https://{cloud.login_host}"
    name = (tenant or "").strip()
    if name.lower() in _GENERIC_TENANTS:
        name = "organizations"
    resource = (graph_endpoint or cloud.graph_endpoint).rstrip("/")
    names = [s.strip() for s in (scopes or ()) if s and s.strip()]
    scope = " ".join(n if "://" in n else f"{resource}/{n}" for n in names) \
        or f"{resource}/.default"
    query = {"client_id": client_id.strip(), "scope": scope, "redirect_uri": redirect_uri,
             "state": state}
    return f"{base}/{quote(name, safe='')}/v2.0/adminconsent?" \
        f"{urlencode(query, quote_via=quote, safe='')}"


def consent_link_for(connection: Connection, redirect_uri: str, state: str) -> str:
    """The admin-consent link for a connection: `.default` for app-only, its own
    permissions for delegated; its cloud's Graph as the resource (a Graph endpoint override
    moves where calls go, not what the permissions are for)."""
    scopes = None if connection.kind is Kind.APP_ONLY else scope_names(None, connection)
    return admin_consent_url(
        connection.cloud, consent_tenant(connection), connection.client_id, redirect_uri,
        state, graph_resource(connection), authority=connection.authority, scopes=scopes)


def shareable_link(connection: Connection, state: str | None = None) -> str:
    """The admin-consent link to copy, print or send to an administrator: answered to
    http://localhost, with a fresh random state unless one is given."""
    return consent_link_for(connection, SHARED_REDIRECT, state or secrets.token_urlsafe(24))


def with_consent_link(explanation: Explanation, connection: Connection) -> Explanation:
    """The explanation with the connection's admin-consent link filled in when it offers
    "Copy admin-consent link" (core explains the error; only auth knows the link)."""
    if Action.COPY_ADMIN_CONSENT_LINK not in explanation.actions \
            or explanation.admin_consent_url:
        return explanation
    if not connection.client_id.strip():
        return dataclasses.replace(explanation, actions=tuple(
            a for a in explanation.actions if a is not Action.COPY_ADMIN_CONSENT_LINK))
    return dataclasses.replace(explanation, admin_consent_url=shareable_link(connection))


def consent_tenant(connection: Connection) -> str:
    """The organisation the approval is for: the connection's, else its authority's."""
    tenant = connection.tenant.strip()
    if tenant.lower() in _GENERIC_TENANTS and connection.authority:
        first = urlsplit(connection.authority).path.strip("/").split("/")[0]
        tenant = first or tenant
    return tenant


# --- the answer ---------------------------------------------------------------------


class Outcome(enum.StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"  # Microsoft's page answered with an error
    FORGED = "forged-state"  # an answer that doesn't belong to this request: not taken
    TIMEOUT = "timeout"
    STOPPED = "stopped"


@dataclasses.dataclass(frozen=True)
class ConsentResult:
    """How the admin-consent step ended; `message` says it in plain words, `raw` is the
    answer as it came (for IT)."""

    outcome: Outcome
    message: str
    tenant: str = ""
    error: str = ""
    error_description: str = ""
    raw: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @property
    def granted(self) -> bool:
        return self.outcome is Outcome.GRANTED


_DECLINED = ("The administrator chose Cancel on Microsoft's page (or closed it), so "
             "nothing was approved. Open the link again and choose Accept to approve the app.")
_REFUSALS = {
    65004: _DECLINED,
    90094: ("The account used on Microsoft's page may not approve apps for the organisation. "
            "Ask a Global Administrator, Privileged Role Administrator or Cloud Application "
            "Administrator to open the link and choose Accept."),
    700016: ("Microsoft doesn't know this app in {org}. Check the client ID (on the app "
             "registration's Overview page) and the organisation, then try again."),
    50011: ("The app registration doesn't list the address Microsoft's page answers to "
            "({redirect}). Add http://localhost as a redirect URI (Authentication, "
            "\"Mobile and desktop applications\"), then try again."),
    500113: ("The app registration has no redirect URI. Add http://localhost (Authentication, "
             "\"Mobile and desktop applications\"), then try again."),
    90002: "Microsoft doesn't know {org}. Check the organisation's domain or tenant ID.",
    650052: ("The app asks for permissions of a service the organisation doesn't have. "
             "Remove those permissions from the app registration, then try again."),
}
_SAME = {90095: 90094, 50020: 90094}


def explain_refusal(error: str, description: str, *, connection: Connection,
                    redirect_uri: str = "") -> str:
    """A plain sentence for an error answer from Microsoft's admin-consent page."""
    codes = aadsts_codes(None, description)
    for code in codes:
        code = _SAME.get(code, code)
        if code in _REFUSALS:
            return _REFUSALS[code].format(org=_org(connection), redirect=redirect_uri or
                                          "http://localhost")
    if not codes and error.strip().lower() == "access_denied":
        return _DECLINED
    known = explain(error, description, codes, tenant=connection.tenant,
                    cloud=connection.cloud, client_id=connection.client_id,
                    authority=connection.authority)
    return f"Microsoft's page didn't approve the app: {known.message}"


def _org(connection: Connection) -> str:
    tenant = consent_tenant(connection)
    return "your organisation" if tenant.lower() in _GENERIC_TENANTS \
        else f'organisation "{tenant}"'


# --- what the token carries ---------------------------------------------------------


def missing_roles(token_claims: Any, requested: Iterable[str]) -> list[str]:
    """The requested application permissions the token's `roles` claim lacks, as asked.

    `token_claims` is the token's claims (a mapping) or an auth.claims.TokenClaims.
    Names are compared without case and without the Graph resource prefix.
    """
    from o365desk.auth.claims import normalise_scope

    raw = getattr(token_claims, "raw", token_claims)
    roles = raw.get("roles") if isinstance(raw, Mapping) else None
    have = {normalise_scope(r) for r in roles if isinstance(r, str)} \
        if isinstance(roles, list) else set()
    missing: list[str] = []
    seen: set[str] = set()
    for name in requested:
        key = normalise_scope(name)
        if key and key != ".default" and key not in have and key not in seen:
            seen.add(key)
            missing.append(name.strip())
    return missing


def missing_roles_message(missing: Sequence[str], nickname: str) -> str:
    """What Test connection says when the token lacks application permissions; "" if none."""
    if not missing:
        return ""
    names = ", ".join(missing)
    return plural(
        len(missing),
        "The token doesn't carry the application permission {names}, so calls that need "
        "it will be refused.", "The token doesn't carry {count} of the application "
        "permissions asked for ({names}), so calls that need them will be refused.",
        names=names,
    ) + plural(
        len(missing),
        " Check that the app registration lists it (API permissions, Microsoft Graph, "
        "Application permissions; add it if it is missing), then grant admin consent "
        'again: o365desk consent "{nick}".',
        " Check that the app registration lists them (API permissions, Microsoft Graph, "
        "Application permissions; add any that are missing), then grant admin consent "
        'again: o365desk consent "{nick}".', nick=nickname)
