"""Graph permission names: the resource they belong to, as asked of MSAL, as granted."""

from __future__ import annotations

from collections.abc import Sequence

from o365desk.auth.claims import OIDC_SCOPES
from o365desk.core.clouds import GRAPH_APP_ID
from o365desk.core.connection import DEFAULT_SCOPES, Connection


def graph_resource(connection: Connection) -> str:
    """The resource Graph scopes are asked for: the cloud's Graph (the token's audience).

    A Graph endpoint override moves where calls go, not what the token is for, so it is
    not used as the scope prefix (Entra would not know such a resource).
    """
    return connection.cloud.graph_endpoint.rstrip("/")


def scope_names(scopes: Sequence[str] | None, connection: Connection) -> tuple[str, ...]:
    """The permission names to ask for: given ones (else the connection's, else User.Read),
    without OIDC scopes MSAL adds itself, without duplicates."""
    source = list(scopes) if scopes else list(connection.scopes)
    names = [strip_prefix(s.strip(), connection) for s in source if s and s.strip()]
    names = [n for n in dict.fromkeys(names) if n.lower() not in OIDC_SCOPES]
    return tuple(names) or DEFAULT_SCOPES


def msal_scopes(names: Sequence[str], connection: Connection) -> list[str]:
    """Names as MSAL sends them: prefixed with the Graph resource (a full URI stays as is)."""
    resource = graph_resource(connection)
    return [n if "://" in n or n.startswith("api://") else f"{resource}/{n}" for n in names]


def strip_prefix(scope: str, connection: Connection) -> str:
    prefixes = {graph_resource(connection), connection.effective_graph_endpoint(),
                GRAPH_APP_ID, *(c.graph_endpoint for c in type(connection.cloud))}
    lowered = scope.lower()
    for prefix in sorted(prefixes, key=len, reverse=True):
        if lowered.startswith(prefix.lower().rstrip("/") + "/"):
            return scope[len(prefix.rstrip("/")) + 1:]
    return scope


def granted_names(scope_text: str | None, connection: Connection) -> tuple[str, ...]:
    names = (strip_prefix(s, connection) for s in (scope_text or "").split())
    return tuple(dict.fromkeys(n for n in names if n and n.lower() not in OIDC_SCOPES))
