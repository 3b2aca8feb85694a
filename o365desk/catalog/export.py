"""Exports of a selection: the scope string to request, and the requiredResourceAccess block
for an Entra app registration's manifest."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from o365desk.catalog.catalog import Catalog, CatalogError
from o365desk.catalog.model import APPLICATION, DELEGATED, MANIFEST_TYPE
from o365desk.core.clouds import GRAPH_APP_ID

_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
Selection = Iterable[tuple[str, str]]  # (permission name, DELEGATED or APPLICATION)


class ExportError(CatalogError):
    """Some selected permissions can't be exported as asked; `problems` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        count = f"{len(problems)} permissions" if len(problems) > 1 else "1 permission"
        super().__init__(f"Can't export {count}: " + " ".join(problems))
        self.problems = problems


def _dedupe(selection: Selection) -> list[tuple[str, str]]:
    seen: dict[tuple[str, str], None] = {}
    for name, kind in selection:
        if kind not in MANIFEST_TYPE:
            raise ExportError([f'{name}: kind must be "{DELEGATED}" or "{APPLICATION}", '
                               f"not {kind!r}."])
        seen.setdefault((name.strip(), kind), None)
    return list(seen)


def scope_string(selection: Selection, catalog: Catalog | None = None) -> str:
    """Names separated by single spaces, in selection order, each once.

    Only delegated scopes are requested by name; an app that signs in as itself asks for
    "https://graph.microsoft.com/.default" and gets the application permissions it holds.
    With a catalog, names are checked and written as Microsoft spells them.
    """
    names: list[str] = []
    problems: list[str] = []
    for name, _kind in _dedupe(selection):
        if catalog is not None:
            permission = catalog.get(name)
            if permission is None:
                problems.append(f"{name} is not a Microsoft Graph permission.")
                continue
            name = permission.name
        if name not in names:
            names.append(name)
    if problems:
        raise ExportError(problems)
    return " ".join(names)


def required_resource_access(selection: Selection, catalog: Catalog) -> dict:
    """{"requiredResourceAccess": [...]} for Microsoft Graph, or ExportError naming every
    permission that has no ID for the chosen kind."""
    access: list[dict[str, str]] = []
    problems: list[str] = []
    for name, kind in _dedupe(selection):
        permission = catalog.get(name)
        if permission is None:
            problems.append(f"{name} is not a Microsoft Graph permission.")
            continue
        variant = permission.variant(kind)
        other = APPLICATION if kind == DELEGATED else DELEGATED
        if variant is None:
            alt = (f" Choose it as {other} ({MANIFEST_TYPE[other]}) instead."
                   if permission.variant(other) and permission.variant(other).id else "")
            problems.append(f"{permission.name} has no {kind} ({MANIFEST_TYPE[kind]}) "
                            f"variant.{alt}")
            continue
        if not variant.id:
            problems.append(f"{permission.name} cannot be exported as {kind} "
                            f"({MANIFEST_TYPE[kind]}): Microsoft gives it no ID.")
            continue
        if not _GUID.match(variant.id):
            problems.append(f"{permission.name}: Microsoft's {kind} ID {variant.id!r} is not a "
                            "valid GUID, so Entra would reject it.")
            continue
        entry = {"id": variant.id, "type": variant.manifest_type}
        if entry not in access:
            access.append(entry)
    if problems:
        raise ExportError(problems)
    return {"requiredResourceAccess": [{"resourceAppId": GRAPH_APP_ID,
                                        "resourceAccess": access}]}


def manifest_json(selection: Selection, catalog: Catalog) -> str:
    """The manifest block as text to paste, two-space indented, with a final newline."""
    return json.dumps(required_resource_access(selection, catalog), indent=2) + "\n"
