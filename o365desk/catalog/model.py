"""The catalog's value types: a permission, its delegated and application variants, its status."""

from __future__ import annotations

import dataclasses
import enum

DELEGATED = "delegated"
APPLICATION = "application"
KINDS = (DELEGATED, APPLICATION)
# What Entra calls each kind in requiredResourceAccess and on the service principal.
MANIFEST_TYPE = {DELEGATED: "Scope", APPLICATION: "Role"}
PRIVILEGE_LEVELS = (1, 2, 3, 4)  # Microsoft's scale; 4 is the most privileged


class PermissionStatus(enum.StrEnum):
    ACTIVE = "active"
    DEPRECATED = "deprecated"  # still works, at least in part, but is going away
    RETIRED = "retired"  # the API behind it no longer answers

    @property
    def label(self) -> str:
        return {"active": "Active", "deprecated": "API deprecated", "retired": "Retired"}[self]


@dataclasses.dataclass(frozen=True, slots=True)
class StatusInfo:
    """A permission's status; `applies_to` names one variant when only that one is affected."""

    state: PermissionStatus = PermissionStatus.ACTIVE
    date: str = ""  # ISO date, or year-month when Microsoft gave only that
    note: str = ""
    applies_to: str = ""  # "", DELEGATED or APPLICATION

    def for_kind(self, kind: str) -> PermissionStatus:
        return self.state if self.applies_to in ("", kind) else PermissionStatus.ACTIVE

    def to_dict(self) -> dict:
        return {"state": self.state.value, "date": self.date, "note": self.note,
                "applies_to": self.applies_to}


@dataclasses.dataclass(frozen=True, slots=True)
class Variant:
    """One way to grant a permission: delegated (a Scope) or application (a Role)."""

    kind: str
    id: str | None  # None: Microsoft defines the variant but provisions no ID for it
    admin_consent: bool | None  # None: Microsoft's data does not say
    privilege: int | None  # 1..4, None where Microsoft gives no level
    reach: str  # whose data it reaches, in plain words

    @property
    def manifest_type(self) -> str:
        return MANIFEST_TYPE[self.kind]

    def to_dict(self) -> dict:
        return {"id": self.id, "admin_consent": self.admin_consent,
                "privilege": self.privilege, "reach": self.reach}


@dataclasses.dataclass(frozen=True, slots=True)
class ApiPath:
    """An API path that accepts the permission, with the methods and variants it applies to."""

    methods: tuple[str, ...]
    path: str
    kinds: tuple[str, ...]  # DELEGATED and/or APPLICATION
    personal: bool  # also for personal Microsoft accounts
    least: tuple[str, ...]  # kinds for which this is the least-privileged permission
    also_requires: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"methods": list(self.methods), "path": self.path, "kinds": list(self.kinds),
                "personal_accounts": self.personal, "least_privileged_for": list(self.least),
                "also_requires": list(self.also_requires)}


@dataclasses.dataclass(frozen=True, slots=True)
class Permission:
    """One Microsoft Graph permission name with everything the catalog knows about it."""

    name: str
    group: str
    description: str  # what it lets an app do, in the project's own words
    danger: str  # why it is dangerous; empty for ordinary permissions
    delegated: Variant | None
    application: Variant | None
    status: StatusInfo
    remarks: tuple[str, ...] = ()  # availability facts, e.g. "no application ID provisioned"
    rsc: bool = False  # granted per team/chat/user by resource-specific consent
    origin: str = "builtin"  # "builtin", or "tenant" for names only the tenant import knows
    # API paths in the catalog file's compact form, decoded on demand by `paths`: loading
    # stays fast and only the details view pays for the objects.
    path_sets: tuple = dataclasses.field(default=(), repr=False, compare=False)
    path_table: tuple[str, ...] | list[str] = dataclasses.field(default=(), repr=False,
                                                                compare=False)

    def variant(self, kind: str) -> Variant | None:
        return self.delegated if kind == DELEGATED else self.application

    @property
    def variants(self) -> tuple[Variant, ...]:
        return tuple(v for v in (self.delegated, self.application) if v is not None)

    @property
    def resource(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def max_privilege(self) -> int:
        return max((v.privilege or 0 for v in self.variants), default=0)

    @property
    def paths(self) -> tuple[ApiPath, ...]:
        """The API paths that accept this permission, with their methods."""
        out = []
        for path_set in self.path_sets:
            methods = tuple(path_set["m"].split())
            codes = path_set["k"]
            kinds = _kinds(codes)
            for item in path_set["p"]:
                index, least, also = (item, "", ()) if isinstance(item, int) else (
                    item[0], item[1], tuple(item[2]) if len(item) > 2 else ())
                out.append(ApiPath(methods, self.path_table[index], kinds, "p" in codes,
                                   _kinds(least), also))
        return tuple(sorted(out, key=lambda a: (a.path.casefold(), a.methods, a.kinds)))

    def path_strings(self) -> list[str]:
        """'GET POST /path' for each path set and path, for searching."""
        table = self.path_table
        return [f"{ps['m']} {table[i if isinstance(i, int) else i[0]]}"
                for ps in self.path_sets for i in ps["p"]]

    def ids(self) -> tuple[str, ...]:
        return tuple(v.id for v in self.variants if v.id)


def _kinds(codes: str) -> tuple[str, ...]:
    """Scheme letters of the catalog file (d, p delegated; a application) to kinds."""
    out = []
    if "d" in codes or "p" in codes:
        out.append(DELEGATED)
    if "a" in codes:
        out.append(APPLICATION)
    return tuple(out)
