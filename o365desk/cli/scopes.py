"""`o365desk scopes` and `o365desk scope`: the permission catalog from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from o365desk.cli.output import dumps
from o365desk.core.text import visible

JSON_VERSION = 1
TYPES = ("delegated", "application")
STATES = ("active", "deprecated", "retired")


def add_scope_parsers(subparsers) -> None:
    """Add the `scopes` and `scope` commands to the CLI's subparsers."""
    scopes = subparsers.add_parser(
        "scopes", help="search Microsoft Graph permissions, offline",
        description="Search the built-in catalog of Microsoft Graph permissions by name, "
                    "description, ID or API path; show a preset; import your tenant's wording.")
    scopes.add_argument("query", nargs="*", metavar="QUERY",
                        help="words that must all appear, e.g. mail send or /users/{id}")
    scopes.add_argument("--group", metavar="G", help='a family such as "Mail" or "Directory"')
    scopes.add_argument("--type", choices=TYPES, help="only permissions with this variant")
    scopes.add_argument("--admin-consent", choices=("yes", "no"),
                        help="only those that need (yes) or don't need (no) admin consent")
    scopes.add_argument("--status", choices=STATES)
    scopes.add_argument("--preset", metavar="NAME",
                        help="list a preset's scopes, e.g. okta-o365-admin, mail-automation")
    scopes.add_argument("--manifest", action="store_true",
                        help="with --preset: print the requiredResourceAccess JSON for an "
                             "app registration's manifest")
    scopes.add_argument("--import-tenant", metavar="FILE", type=Path,
                        help="import the JSON of GET /servicePrincipals(appId='00000003-"
                             "0000-0000-c000-000000000000') and cache it")
    scopes.add_argument("--json", action="store_true", help="print stable JSON (see README)")

    scope = subparsers.add_parser("scope", help="show every fact about one permission")
    scope.add_argument("name", metavar="NAME", help="a permission name or ID")
    scope.add_argument("--json", action="store_true", help="print stable JSON (see README)")


def _usage(message: str) -> Exception:
    from o365desk.cli.errors import UsageError

    return UsageError(message)


def _catalog():
    """The built-in catalog plus a readable tenant import; a damaged cache is only noted."""
    from o365desk.catalog import catalog as builtin
    from o365desk.catalog import tenant_import

    cat = builtin.get_catalog()
    try:
        tenant = tenant_import.load_cached()
    except tenant_import.TenantImportError as exc:
        print(f"o365desk: note: {visible(str(exc))}", file=sys.stderr)
        return cat
    return cat.with_tenant(tenant) if tenant is not None else cat


def cmd_scopes(args: argparse.Namespace, services: Any = None) -> int:
    query = " ".join(args.query or ())
    filtering = query or args.group or args.type or args.admin_consent or args.status
    if args.manifest and not args.preset:
        raise _usage("--manifest goes with --preset NAME.")
    if args.preset and args.import_tenant:
        raise _usage("use --preset or --import-tenant, not both.")
    if (args.preset or args.import_tenant) and filtering:
        raise _usage("a QUERY and filters can't be combined with --preset or --import-tenant.")
    if args.import_tenant:
        return _import_tenant(args)
    if args.preset:
        return _preset(args)
    return _search(args, query)


def _group(name: str | None, catalog) -> str | None:
    if name is None:
        return None
    groups = [g for g, _ in catalog.groups()]
    wanted = name.strip().casefold()
    exact = [g for g in groups if g.casefold() == wanted]
    partial = [g for g in groups if wanted in g.casefold()]
    if exact or len(partial) == 1:
        return (exact or partial)[0]
    raise ValueError(f'No group matches "{name}". Groups: {", ".join(groups)}.')


def _search(args: argparse.Namespace, query: str) -> int:
    from o365desk.catalog.search import Filters, search

    catalog = _catalog()
    filters = Filters(kind=args.type, status=args.status, group=_group(args.group, catalog),
                      admin_consent=None if args.admin_consent is None
                      else args.admin_consent == "yes")
    found = search(catalog, query, filters)
    if args.json:
        print(dumps({"version": JSON_VERSION, "catalog": _source(catalog), "query": query,
                     "filters": {"group": filters.group, "type": args.type,
                                 "admin_consent": filters.admin_consent,
                                 "status": args.status},
                     "count": len(found), "permissions": [summary(p) for p in found]}))
        return 0
    if not found:
        print("No permission matches. Try fewer words or fewer filters.")
        return 0
    rows = [("NAME", "DELEGATED", "APPLICATION", "STATUS", "DESCRIPTION")]
    # A tenant import brings names and wording from a file: never raw on a terminal.
    rows += [(visible(p.name), _consent_cell(p.delegated), _consent_cell(p.application),
              p.status.state.value, visible(p.description)) for p in found]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row[:4], widths, strict=True)) + "  " + row[4])
    print(f"\n{len(found)} permission{'s' if len(found) != 1 else ''}. DELEGATED/APPLICATION: "
          "admin = needs admin consent, user = a user may consent, no ID = can't be granted.")
    return 0


def _consent_cell(variant) -> str:
    if variant is None:
        return "-"
    if not variant.id:
        return "no ID"
    return {True: "admin", False: "user", None: "?"}[variant.admin_consent]


def _source(catalog) -> dict:
    tenant = catalog.tenant
    return {"source": catalog.source, "count": len(catalog),
            "tenant_imported_at": tenant.imported_at if tenant else None}


def summary(p) -> dict:
    """A permission in `scopes --json`."""
    return {"name": p.name, "group": p.group, "description": p.description,
            "status": p.status.to_dict(),
            "delegated": p.delegated.to_dict() if p.delegated else None,
            "application": p.application.to_dict() if p.application else None,
            "origin": p.origin}


def details(p, catalog) -> dict:
    """A permission in `scope --json`: every fact."""
    data = summary(p)
    data.update({"danger": p.danger, "remarks": list(p.remarks),
                 "resource_specific_consent": p.rsc,
                 "alternatives": [a.name for a in catalog.alternatives(p.name)]
                 if p.origin == "builtin" else [],
                 "paths": [a.to_dict() for a in p.paths], "tenant": None})
    tenant = catalog.tenant
    if tenant is not None:
        texts = {k: tenant.text(p.name, k) for k in TYPES}
        data["tenant"] = {"imported_at": tenant.imported_at, **{
            k: None if t is None else {"id": t.id, "display_name": t.display_name,
                                       "description": t.description,
                                       "user_display_name": t.user_display_name,
                                       "user_description": t.user_description,
                                       "enabled": t.enabled}
            for k, t in texts.items()}}
    return data


def cmd_scope(args: argparse.Namespace, services: Any = None) -> int:
    catalog = _catalog()
    by_id = catalog.by_id(args.name)
    permission = by_id[0] if by_id else catalog.require(args.name)
    if args.json:
        print(dumps({"version": JSON_VERSION, "catalog": _source(catalog),
                     "permission": details(permission, catalog)}))
        return 0
    print(_details_text(permission, catalog))
    return 0


def _details_text(p, catalog) -> str:
    status = p.status.state.label + (f" ({p.status.date})" if p.status.date else "")
    if p.status.applies_to:
        status += f", {p.status.applies_to} variant only"
    lines = [("Name", p.name), ("Group", p.group), ("Status", status)]
    if p.status.note:
        lines.append(("", p.status.note))
    lines.append(("Description", p.description))
    if p.danger:
        lines.append(("Why it's risky", p.danger))
    for kind, variant in (("Delegated", p.delegated), ("Application", p.application)):
        if variant is None:
            lines.append((kind, "none"))
            continue
        consent = {True: "needs admin consent", False: "a user may consent",
                   None: "consent not stated"}[variant.admin_consent]
        level = f"privilege {variant.privilege} of 4" if variant.privilege else "no privilege level"
        lines.append((kind, f"{variant.id or 'no ID provisioned'} ({variant.manifest_type}); "
                            f"{consent}; {level}"))
        lines.append(("", variant.reach))
    lines.extend(("Remark", r) for r in p.remarks)
    if p.origin == "builtin":
        alternatives = [a.name for a in catalog.alternatives(p.name)]
        lines.append(("Less privileged", ", ".join(alternatives) or "none known"))
    tenant = catalog.tenant
    if tenant is not None:
        for kind in TYPES:
            t = tenant.text(p.name, kind)
            if t is not None:
                lines.append((f"Tenant {kind}", f"{t.display_name} - {t.description}"
                              f" (from your tenant, {tenant.imported_at[:10]})"))
    width = max(len(k) for k, _ in lines) + 1
    out = [f"{(k + ':') if k else '':<{width}} {v}" for k, v in lines]
    paths = p.paths
    out.append(f"API paths ({len(paths)}):" if paths else "API paths: none listed")
    for api in paths:
        kinds = "/".join(api.kinds)
        least = f"; least privileged for {'/'.join(api.least)}" if api.least else ""
        also = f"; also needs {', '.join(api.also_requires)}" if api.also_requires else ""
        out.append(f"  {' '.join(api.methods):<6} {api.path}  [{kinds}{least}{also}]")
    return "\n".join(visible(line) for line in out)


def _preset(args: argparse.Namespace) -> int:
    from o365desk.catalog import export, presets

    catalog = _catalog()
    preset = presets.find_preset(args.preset)
    if args.manifest:
        print(export.manifest_json(preset.selection(), catalog), end="")
        return 0
    items = presets.preset_items(preset, catalog)
    if args.json:
        print(dumps({"version": JSON_VERSION, "preset": {
            "key": preset.key, "title": preset.title, "summary": preset.summary,
            "type": preset.kind, "scope_string": export.scope_string(preset.selection()),
            "scopes": [{"name": i.name, "type": i.kind,
                        "id": (i.permission.variant(i.kind).id
                               if i.permission and i.permission.variant(i.kind) else None),
                        "status": i.state.value if i.state else None, "flag": i.flag}
                       for i in items]}}))
        return 0
    print(f"{preset.title} ({preset.key}): {len(items)} {preset.kind} scopes")
    print(preset.summary)
    width = max(len(i.name) for i in items)
    for item in items:
        print(f"  {item.name:<{width}}  {('! ' + item.flag) if item.flag else ''}".rstrip())
    flagged = sum(1 for i in items if i.flag)
    if flagged:
        print(f"{flagged} scope{'s' if flagged != 1 else ''} flagged (!): look before "
              "granting.")
    return 0


def _import_tenant(args: argparse.Namespace) -> int:
    from o365desk.catalog import catalog as builtin
    from o365desk.catalog import tenant_import

    cache = tenant_import.cache_path()
    tenant, change = tenant_import.import_file(args.import_tenant, builtin.get_catalog(), cache)
    if args.json:
        print(dumps({"version": JSON_VERSION, "import": {
            "imported_at": tenant.imported_at, "source_name": tenant.source_name,
            "cache": str(cache), "scopes": len(tenant.scopes), "roles": len(tenant.roles),
            "added": [{"name": n, "type": k} for n, k in change.added],
            "removed": [{"name": n, "type": k} for n, k in change.removed],
            "changed_ids": [{"name": n, "type": k, "builtin_id": b, "tenant_id": t}
                            for n, k, b, t in change.changed_ids]}}))
        return 0
    print(f"Imported {len(tenant.scopes)} delegated scopes and {len(tenant.roles)} app roles "
          f"from {visible(tenant.source_name)}; cached in {visible(str(cache))}.")
    print(f"Compared with the built-in catalog: {len(change.added)} added, "
          f"{len(change.removed)} missing from the tenant, {len(change.changed_ids)} with "
          "another ID.")
    for title, rows in (("Added", change.added), ("Missing from the tenant", change.removed)):
        if rows:
            print(f"{title}:")
            for name, kind in rows:
                print(visible(f"  {name} ({kind})"))
    for name, kind, old, new in change.changed_ids:
        print(visible(f"  {name} ({kind}): built-in {old}, tenant {new}"))
    return 0
