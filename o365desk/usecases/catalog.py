"""Refresh the permission catalog's wording from a signed-in connection's organisation."""

from __future__ import annotations

from typing import Any

from o365desk.core.connection import Connection
from o365desk.services import Services


class RefreshError(Exception):
    """The tenant's wording could not be fetched; `explanation` says why, for people."""

    def __init__(self, explanation: Any) -> None:
        super().__init__(explanation.message)
        self.explanation = explanation


def refresh_catalog(services: Services, connection: Connection, builtin: Any):
    """Fetch, check and cache the tenant's wording of Graph's permissions, merge it into
    `builtin` and index the result; returns (tenant data, differences, merged catalog).

    Raises RefreshError when the sign-in or Microsoft Graph refused (its explanation says
    why), TenantImportError when the answer is not usable, VaultError for the keychain.
    """
    from o365desk.auth.session import SignInError
    from o365desk.catalog.search import index_for
    from o365desk.graph.client import GraphError, refresh_catalog_from_tenant
    from o365desk.usecases.signin import note_use

    try:
        tenant, diff = refresh_catalog_from_tenant(services.session_for(connection), builtin)
    except (SignInError, GraphError) as exc:
        raise RefreshError(exc.explanation) from exc
    note_use(services, connection)
    merged = builtin.with_tenant(tenant)
    index_for(merged)
    return tenant, diff, merged
