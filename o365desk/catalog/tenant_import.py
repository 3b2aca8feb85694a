"""Import Microsoft's live permission text from the Graph service principal of a tenant.

The input is the JSON of GET /servicePrincipals(appId='00000003-0000-0000-c000-000000000000')
(or a collection holding that one object). It is checked in full before anything is written;
the cache in the data dir is replaced atomically, so a bad file changes nothing.
"""

from __future__ import annotations

import dataclasses
import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

from o365desk.catalog.model import (
    APPLICATION,
    DELEGATED,
    Permission,
    StatusInfo,
    Variant,
)
from o365desk.core import paths
from o365desk.core.clouds import GRAPH_APP_ID

CACHE_NAME = "tenant-catalog.json"
CACHE_FORMAT = 1
MAX_BYTES = 50 * 1024 * 1024
_LISTS = {DELEGATED: "oauth2PermissionScopes", APPLICATION: "appRoles"}


class TenantImportError(ValueError):
    """The file can't be used; the message says what is wrong in plain words."""


@dataclasses.dataclass(frozen=True)
class TenantText:
    """One scope or app role as the tenant's Graph service principal describes it."""

    kind: str
    id: str
    value: str
    display_name: str
    description: str
    user_display_name: str = ""
    user_description: str = ""
    admin_consent: bool | None = None  # scopes: type "Admin"; app roles always need it
    enabled: bool = True


@dataclasses.dataclass(frozen=True)
class TenantCatalog:
    imported_at: str  # ISO 8601, UTC
    source_name: str  # the imported file's name, for "from your tenant, <date>"
    scopes: tuple[TenantText, ...]
    roles: tuple[TenantText, ...]

    def entries(self) -> tuple[TenantText, ...]:
        return self.scopes + self.roles

    def text(self, name: str, kind: str) -> TenantText | None:
        for entry in self.scopes if kind == DELEGATED else self.roles:
            if entry.value == name:
                return entry
        return None

    def texts(self, name: str) -> list[str]:
        """Microsoft's wording for a name, for search."""
        return [t for e in self.entries() if e.value == name
                for t in (e.display_name, e.description, e.user_display_name,
                          e.user_description) if t]

    def names(self) -> set[str]:
        return {e.value for e in self.entries()}

    def to_json(self) -> str:
        return json.dumps({"format": CACHE_FORMAT, "imported_at": self.imported_at,
                           "source_name": self.source_name,
                           "scopes": [dataclasses.asdict(e) for e in self.scopes],
                           "roles": [dataclasses.asdict(e) for e in self.roles]},
                          ensure_ascii=False, indent=1) + "\n"


@dataclasses.dataclass(frozen=True)
class TenantDiff:
    """How the tenant differs from the built-in catalog, as (name, kind) pairs."""

    added: list[tuple[str, str]]  # the tenant has an ID the built-in catalog lacks
    removed: list[tuple[str, str]]  # the built-in catalog has an ID the tenant lacks
    changed_ids: list[tuple[str, str, str, str]]  # (name, kind, built-in ID, tenant ID)

    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed_ids)


def _fail(message: str) -> TenantImportError:
    return TenantImportError(message)


def _text(item: dict, key: str, where: str) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _fail(f'{where}: "{key}" should be text, not {type(value).__name__}.')
    return _readable(value, f'{where}: "{key}"')


def _readable(value: str, what: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a \ud800 escape
        raise _fail(f"{what} holds characters that are not text.") from None
    return value


def _entry(item: object, kind: str, index: int) -> TenantText:
    where = f"{_LISTS[kind]}[{index}]"
    if not isinstance(item, dict):
        raise _fail(f"{where} should be an object, not {type(item).__name__}.")
    raw_id, value = item.get("id"), item.get("value")
    if raw_id is None:
        raise _fail(f'{where} has no "id".')
    if not isinstance(raw_id, str):
        raise _fail(f'{where}: "id" should be text, not {type(raw_id).__name__}.')
    try:
        permission_id = str(uuid.UUID(raw_id))
    except ValueError:
        raise _fail(f'{where}: "id" is not a GUID: {raw_id[:60]!r}.') from None
    if value is None:
        raise _fail(f'{where} has no "value" (the permission name).')
    if not isinstance(value, str) or not value.strip() or len(value.split()) != 1:
        raise _fail(f'{where}: "value" should be a permission name like "User.Read", '
                    f"not {value!r:.60}.")
    _readable(value, f'{where}: "value"')
    enabled = item.get("isEnabled", True)
    if not isinstance(enabled, bool):
        raise _fail(f'{where}: "isEnabled" should be true or false.')
    if kind == DELEGATED:
        consent_type = item.get("type")
        if consent_type not in (None, "Admin", "User"):
            raise _fail(f'{where}: "type" should be "Admin" or "User", not {consent_type!r}.')
        return TenantText(kind, permission_id, value,
                          _text(item, "adminConsentDisplayName", where),
                          _text(item, "adminConsentDescription", where),
                          _text(item, "userConsentDisplayName", where),
                          _text(item, "userConsentDescription", where),
                          None if consent_type is None else consent_type == "Admin", enabled)
    members = item.get("allowedMemberTypes", ["Application"])
    if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
        raise _fail(f'{where}: "allowedMemberTypes" should be a list of text.')
    return TenantText(kind, permission_id, value, _text(item, "displayName", where),
                      _text(item, "description", where), admin_consent=True, enabled=enabled)


def _entries(sp: dict, kind: str) -> tuple[TenantText, ...]:
    key = _LISTS[kind]
    items = sp.get(key)
    if items is None:
        raise _fail(f'The service principal has no "{key}" list. Export it with both '
                    '"oauth2PermissionScopes" and "appRoles" (no $select, or both selected).')
    if not isinstance(items, list):
        raise _fail(f'"{key}" should be a list, not {type(items).__name__}.')
    out = [_entry(item, kind, i) for i, item in enumerate(items)]
    for attr in ("id", "value"):
        seen: set[str] = set()
        for e in out:
            if getattr(e, attr) in seen:
                raise _fail(f'"{key}" lists {attr} {getattr(e, attr)!r} twice.')
            seen.add(getattr(e, attr))
    return tuple(sorted(out, key=lambda e: (e.value.casefold(), e.value)))


def parse_service_principal(data: object, source_name: str = "",
                            now: datetime | None = None) -> TenantCatalog:
    """Check a parsed JSON document strictly and turn it into a TenantCatalog."""
    if isinstance(data, dict) and "value" in data and "oauth2PermissionScopes" not in data:
        items = data["value"]
        if not isinstance(items, list) or len(items) != 1:
            count = len(items) if isinstance(items, list) else "no"
            raise _fail(f"The file holds a collection with {count} service principals; it "
                        "should hold exactly one, Microsoft Graph's.")
        data = items[0]
    if not isinstance(data, dict):
        raise _fail("The file should hold one JSON object, the Microsoft Graph service "
                    f"principal, not a {type(data).__name__}.")
    app_id = data.get("appId")
    if app_id is not None and str(app_id).lower() != GRAPH_APP_ID:
        raise _fail(f"This is the service principal of app {app_id!r:.60}, not of Microsoft "
                    f"Graph ({GRAPH_APP_ID}).")
    scopes, roles = _entries(data, DELEGATED), _entries(data, APPLICATION)
    if not scopes and not roles:
        raise _fail("The service principal lists no permissions at all.")
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return TenantCatalog(moment.isoformat().replace("+00:00", "Z"), source_name, scopes, roles)


def read_file(path: Path, now: datetime | None = None) -> TenantCatalog:
    path = Path(path)
    # Its name as text, whatever bytes the file system gave it (it goes into the cache).
    name = os.fsencode(path.name).decode("utf-8", "replace")
    try:
        with open(path, "rb") as fh:  # at most the limit, even from a pipe or a device
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _fail(f"Can't read {path}: {exc.strerror or exc}.") from None
    if len(raw) > MAX_BYTES:
        raise _fail(f"{name} is larger than 50 MB; that is not a service principal.")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _fail(f"{name} is not UTF-8 text, so it is not a Graph JSON response.") from None
    except json.JSONDecodeError as exc:
        raise _fail(f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                    f"{exc.msg}).") from None
    except (ValueError, RecursionError):  # a number too long, nesting too deep
        raise _fail(f"{name} is not a Graph JSON response: it holds values no service "
                    "principal has.") from None
    try:
        return parse_service_principal(data, name, now)
    except TenantImportError as exc:
        raise _fail(f"{name}: {exc}") from None


def cache_path() -> Path:
    return paths.data_dir() / CACHE_NAME


def write_cache(tenant: TenantCatalog, target: Path | None = None) -> Path:
    """Replace the cache atomically: the old file stays until the new one is complete."""
    target = target or cache_path()
    paths.make_private_dir(target.parent)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8",
                  opener=lambda name, flags: os.open(name, flags, 0o600)) as fh:
            fh.write(tenant.to_json())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def load_cached(source: Path | None = None) -> TenantCatalog | None:
    """The cached import, None when there is none; TenantImportError when it is damaged."""
    source = source or cache_path()
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as exc:
        raise _fail(f"The cached tenant catalog {source} can't be read ({exc}); import the "
                    "service principal file again.") from None
    try:
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
            raise ValueError("not a tenant catalog of this version")
        imported_at, source_name = data["imported_at"], data["source_name"]
        if not isinstance(imported_at, str) or not isinstance(source_name, str):
            raise ValueError("imported_at and source_name should be text")
        datetime.fromisoformat(imported_at.replace("Z", "+00:00"))
        return TenantCatalog(imported_at, source_name,
                             tuple(_cached_entry(e, DELEGATED) for e in data["scopes"]),
                             tuple(_cached_entry(e, APPLICATION) for e in data["roles"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise _fail(f"The cached tenant catalog {source} is damaged ({exc}); import the "
                    "service principal file again.") from None


_CACHED_FIELDS = frozenset(f.name for f in dataclasses.fields(TenantText))
_CACHED_TEXTS = ("id", "value", "display_name", "description", "user_display_name",
                 "user_description")


def _cached_entry(entry: object, kind: str) -> TenantText:
    """One cached entry, checked as strictly as the import that wrote it."""
    if not isinstance(entry, dict) or set(entry) != _CACHED_FIELDS:
        raise ValueError("an entry has other fields than an import writes")
    if entry["kind"] != kind or not all(isinstance(entry[k], str) for k in _CACHED_TEXTS):
        raise ValueError(f"an entry of {entry.get('value')!r:.60} has the wrong types")
    consent = entry["admin_consent"]
    if consent is not None and not isinstance(consent, bool) or \
            not isinstance(entry["enabled"], bool) or not entry["value"].strip():
        raise ValueError(f"an entry of {entry['value']!r:.60} has the wrong types")
    uuid.UUID(entry["id"])
    return TenantText(**entry)


def diff(tenant: TenantCatalog, catalog) -> TenantDiff:
    """What the tenant has that the built-in catalog lacks, and the other way round."""
    added, removed, changed = [], [], []
    for kind, entries in ((DELEGATED, tenant.scopes), (APPLICATION, tenant.roles)):
        in_tenant = {e.value: e for e in entries}
        for entry in entries:
            permission = catalog.get(entry.value)
            variant = permission.variant(kind) if permission else None
            if variant is None or not variant.id:
                added.append((entry.value, kind))
            elif variant.id.lower() != entry.id.lower():
                changed.append((permission.name, kind, variant.id, entry.id))
        for permission in catalog.permissions:
            variant = permission.variant(kind)
            if (permission.origin == "builtin" and variant is not None and variant.id
                    and permission.name not in in_tenant):
                removed.append((permission.name, kind))
    return TenantDiff(sorted(added), sorted(removed), sorted(changed))


def import_file(path: Path, catalog, target: Path | None = None,
                now: datetime | None = None) -> tuple[TenantCatalog, TenantDiff]:
    """Check the file, cache it, and say how it differs from the built-in catalog."""
    tenant = read_file(path, now)
    write_cache(tenant, target)
    return tenant, diff(tenant, catalog)


def tenant_only_permissions(tenant: TenantCatalog, catalog) -> list[Permission]:
    """Permissions named only by the tenant, described by the naming-pattern generator."""
    from o365desk.catalog.descriptions import describe
    from o365desk.catalog.families import group_for

    out = []
    for name in sorted(tenant.names() - {p.name for p in catalog.permissions}):
        if catalog.get(name) is not None:
            continue
        entries = {kind: tenant.text(name, kind) for kind in (DELEGATED, APPLICATION)}
        kinds = tuple(k for k, e in entries.items() if e is not None)
        text = describe(name, kinds)
        variants = {k: Variant(k, e.id, e.admin_consent, None, text.reach[k])
                    for k, e in entries.items() if e is not None}
        out.append(Permission(name, group_for(name), text.description, text.danger,
                              variants.get(DELEGATED), variants.get(APPLICATION), StatusInfo(),
                              remarks=("Known only from your tenant import.",),
                              origin="tenant"))
    return out
