"""The Microsoft Graph permission catalog: data, grouping, search, presets and exports.

Importing this package reads nothing; call get_catalog() when the data is first needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from o365desk.catalog.catalog import Catalog


def get_catalog(include_tenant: bool = False) -> Catalog:
    """The built-in catalog, loaded on first call; with include_tenant, merged with the
    cached tenant import when there is a readable one."""
    from o365desk.catalog import catalog

    builtin = catalog.get_catalog()
    if not include_tenant:
        return builtin
    from o365desk.catalog import tenant_import

    try:
        tenant = tenant_import.load_cached()
    except tenant_import.TenantImportError:
        return builtin
    return builtin.with_tenant(tenant) if tenant is not None else builtin
