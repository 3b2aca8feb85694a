"""The built-in catalog: read from package data on first use, never at import time."""

from __future__ import annotations

import difflib
import json
import threading
from collections.abc import Iterable, Iterator
from importlib import resources

from o365desk.catalog import families
from o365desk.catalog.model import (
    APPLICATION,
    DELEGATED,
    KINDS,
    Permission,
    PermissionStatus,
    StatusInfo,
    Variant,
)

DATA_PACKAGE = "o365desk.catalog"
DATA_FILE = "data/graph_catalog.json"  # package data: pyproject must ship it
FORMAT = 1


class CatalogError(ValueError):
    """The catalog can't answer as asked; the message says why in one line."""


class UnknownPermission(CatalogError):
    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
        super().__init__(f'No Microsoft Graph permission is called "{name}".{hint}')
        self.name = name
        self.suggestions = suggestions


class Catalog:
    """Every permission, sorted by name, with lookups by name, ID and group."""

    def __init__(self, permissions: Iterable[Permission], source: dict | None = None,
                 tenant=None) -> None:
        self.permissions: tuple[Permission, ...] = tuple(
            sorted(permissions, key=lambda p: (p.name.casefold(), p.name)))
        self.source = dict(source or {})
        self.tenant = tenant  # a tenant_import.TenantCatalog, when one was applied
        self._by_name = {p.name: p for p in self.permissions}
        self._by_folded: dict[str, list[Permission]] = {}
        for p in self.permissions:
            self._by_folded.setdefault(p.name.casefold(), []).append(p)
        self._by_id: dict[str, tuple[Permission, str]] = {}
        for p in self.permissions:
            for v in p.variants:
                if v.id:
                    self._by_id.setdefault(v.id.lower(), (p, v.kind))
        self.search_index = None  # built by search.index_for on the first search

    def __len__(self) -> int:
        return len(self.permissions)

    def __iter__(self) -> Iterator[Permission]:
        return iter(self.permissions)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.permissions]

    def get(self, name: str) -> Permission | None:
        """By exact name, else by a case-insensitive match when only one name fits."""
        name = name.strip()
        found = self._by_name.get(name)
        if found is None:
            folded = self._by_folded.get(name.casefold(), [])
            found = folded[0] if len(folded) == 1 else None
        return found

    def require(self, name: str) -> Permission:
        found = self.get(name)
        if found is None:
            close = difflib.get_close_matches(name.strip(), self._by_name, n=3, cutoff=0.75)
            raise UnknownPermission(name.strip(), close)
        return found

    def delegated_only(self, names) -> list[str]:
        """Those of `names` that are Graph permissions with no application variant (an app
        on its own can't be given them), in order; names the catalog doesn't know (another
        resource's scopes) are not judged."""
        found = (self.get(name) for name in names)
        return [name for name, permission in zip(names, found, strict=True)
                if permission is not None and permission.application is None]

    def by_id(self, permission_id: str) -> tuple[Permission, str] | None:
        """The permission and kind (delegated/application) that own an ID."""
        return self._by_id.get(permission_id.strip().lower())

    def groups(self) -> list[tuple[str, int]]:
        """(group, number of permissions) in tree order; empty groups left out."""
        counts: dict[str, int] = {}
        for p in self.permissions:
            counts[p.group] = counts.get(p.group, 0) + 1
        order = {g: i for i, g in enumerate(families.GROUPS)}
        return sorted(counts.items(), key=lambda item: (order.get(item[0], len(order)),
                                                         item[0]))

    def in_group(self, group: str) -> list[Permission]:
        return [p for p in self.permissions if p.group == group]

    def alternatives(self, name: str) -> list[Permission]:
        """Less-privileged permissions in the same family, the likeliest choices first;
        retired and deprecated ones are left out."""
        permission = self.require(name)
        found = (self._by_name[n] for n in families.alternatives(permission.name, self._by_name))
        return [p for p in found if p.status.state is PermissionStatus.ACTIVE]

    def with_tenant(self, tenant) -> Catalog:
        """This catalog plus the names only the tenant import knows, and its wording."""
        from o365desk.catalog.tenant_import import tenant_only_permissions

        extra = tenant_only_permissions(tenant, self)
        return Catalog(self.permissions + tuple(extra), self.source, tenant)


def _variant(kind: str, raw: dict | None) -> Variant | None:
    if raw is None:
        return None
    return Variant(kind, raw["id"], raw["admin"], raw["privilege"], raw["reach"])


def _permission(raw: dict, table: list[str]) -> Permission:
    status = raw["status"]
    return Permission(
        name=raw["name"], group=raw["group"], description=raw["description"],
        danger=raw["danger"], delegated=_variant(DELEGATED, raw["delegated"]),
        application=_variant(APPLICATION, raw["application"]),
        status=StatusInfo(PermissionStatus(status["state"]), status["date"], status["note"],
                          status["applies_to"]),
        remarks=tuple(raw["remarks"]), rsc=raw["rsc"], path_sets=tuple(raw["paths"]),
        path_table=table,
    )


def parse(text: str | bytes) -> Catalog:
    data = json.loads(text)
    if data.get("format") != FORMAT:
        raise CatalogError(f"The built-in catalog has format {data.get('format')!r}; this "
                           f"version of o365desk reads format {FORMAT}. Reinstall o365desk.")
    table = data["paths"]
    return Catalog((_permission(raw, table) for raw in data["permissions"]), data["source"])


def load_builtin() -> Catalog:
    """Read and parse the catalog shipped in the package (about 1 MB; tens of ms)."""
    return parse(resources.files(DATA_PACKAGE).joinpath(*DATA_FILE.split("/")).read_bytes())


_lock = threading.Lock()
_builtin: Catalog | None = None


def get_catalog() -> Catalog:
    """The built-in catalog, loaded once on first call (thread-safe)."""
    global _builtin
    with _lock:
        if _builtin is None:
            _builtin = load_builtin()
        return _builtin


def is_loaded() -> bool:
    return _builtin is not None


__all__ = ["Catalog", "CatalogError", "UnknownPermission", "get_catalog", "load_builtin",
           "parse", "is_loaded", "KINDS"]
