"""Connection templates: the file format IT hands out to set up connections, and its rules.

A template is a JSON document, `{"format": "o365desk-template", "version": 1,
"connections": [...]}`, each connection holding what a new one is made from (suggested
nickname, description, kind, organisation, cloud, client ID, redirect URI, authority,
Graph endpoint, permissions, for an app-only one its certificate's thumbprints) and the
fields the person may not change (`locked`). Never a secret, key, token, account or
connection ID: a field of that kind, or any field this version does not know, refuses the
whole file (a lock in a newer format silently ignored would hand staff a field IT meant
to fix).

Every value passes the same rules a saved connection passes when it is loaded
(core.connection_rules, core.endpoints, core.nickname, core.tenant); a refusal names the
connection and the field ('Connection 2, "tenant": ...') and nothing is created.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

from o365desk.core import connection_rules, safe_read
from o365desk.core import nickname as nick
from o365desk.core.clouds import Cloud
from o365desk.core.connection import DEFAULT_CLIENT_ID, Connection, CredentialType, Kind
from o365desk.core.endpoints import (
    check_redirect_uri,
    normalize_authority,
    normalize_graph_endpoint,
    on_cloud_hosts,
)
from o365desk.core.ids import canonical_uuid
from o365desk.core.tenant import DEFAULT_TENANT, TenantError
from o365desk.core.text import is_unsafe

FORMAT = "o365desk-template"
VERSION = 1
EXTENSION = ".o365template"  # the one file extension templates use, everywhere
MIME_TYPE = "application/x-o365desk-template"
MAX_BYTES = 1 << 20  # a template of a hundred connections is under 100 KB
MAX_CONNECTIONS = 100
MAX_THUMBPRINTS = 4  # a certificate and its successor, each by SHA-1 and SHA-256

# The fields an admin may lock; the nickname never is (each person chooses their own).
LOCKABLE = ("description", "kind", "tenant", "cloud", "client_id", "redirect_uri",
            "authority", "graph_endpoint", "scopes")
CONNECTION_FIELDS = ("nickname", *LOCKABLE, "certificate_thumbprints", "locked")
TOP_FIELDS = ("format", "version", "connections")
# Fields that would carry a secret or tie the file to one person's connection: named in
# their refusal so whoever made the file knows why.
_NEVER = ("secret", "client_secret", "password", "key", "private_key", "certificate",
          "token", "tokens", "refresh_token", "access_token", "account", "id",
          "credential")

# What a person is told a locked field means, beside it in the wizard.
LOCKED_WHY = "Set by your IT team"


class TemplateError(ValueError):
    """A template file can't be used; str() says where and why, for a person."""


@dataclasses.dataclass(frozen=True)
class TemplateEntry:
    """One connection of a template, every value checked."""

    nickname: str
    description: str = ""
    kind: Kind = Kind.DELEGATED
    tenant: str = DEFAULT_TENANT
    cloud: Cloud = Cloud.GLOBAL
    client_id: str = DEFAULT_CLIENT_ID
    redirect_uri: str | None = None
    authority: str | None = None
    graph_endpoint: str | None = None
    scopes: tuple[str, ...] = ()
    certificate_thumbprints: tuple[str, ...] = ()
    locked: frozenset[str] = frozenset()

    def draft(self, nickname: str | None = None) -> Connection:
        """A new connection (not signed in, no credential) with this entry's values."""
        return Connection(
            nickname=self.nickname if nickname is None else nickname,
            description=self.description, kind=self.kind, tenant=self.tenant,
            cloud=self.cloud, client_id=self.client_id, authority=self.authority,
            graph_endpoint=self.graph_endpoint, scopes=self.scopes)

    def is_locked(self, field: str) -> bool:
        return field in self.locked


@dataclasses.dataclass(frozen=True)
class Template:
    entries: tuple[TemplateEntry, ...]


# -- reading ----------------------------------------------------------------------------


def parse_bytes(raw: bytes) -> Template:
    """The checked template in `raw`; TemplateError naming what is wrong."""
    if len(raw) > MAX_BYTES:
        raise TemplateError(_FILE + f"it is larger than {MAX_BYTES >> 20} MB, far more "
                            "than a template needs.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TemplateError(_FILE + "it contains characters that are not text.") from None
    try:
        doc = safe_read.parse_json(text)
    except safe_read.TooDeep:
        raise TemplateError(_FILE + "it nests its contents far deeper than a template "
                            "ever does.") from None
    except json.JSONDecodeError as exc:
        raise TemplateError(_FILE + f"it is not valid JSON (line {exc.lineno}, column "
                            f"{exc.colno}: {exc.msg}).") from None
    except ValueError:  # a number too long to convert
        raise TemplateError(_FILE + "it is not valid JSON.") from None
    return parse_document(doc)


_FILE = "This file can't be used as a template because "


def parse_document(doc: Any) -> Template:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise TemplateError(_FILE + "it is not an o365desk template (it has no "
                            f"\"format\": \"{FORMAT}\").")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise TemplateError(_at(None, "version", f"it should be the number {VERSION}."))
    if version > VERSION:
        raise TemplateError(_at(None, "version", f"the file is in format version {version}, "
                                "made by a newer o365desk. Update o365desk, then open it "
                                "again."))
    if version < 1:
        raise TemplateError(_at(None, "version", f"it should be the number {VERSION}."))
    _known_fields(doc, TOP_FIELDS, None)
    entries = doc.get("connections")
    if not isinstance(entries, list) or not entries:
        raise TemplateError(_at(None, "connections", "it should be a list of at least one "
                                "connection."))
    if len(entries) > MAX_CONNECTIONS:
        raise TemplateError(_at(None, "connections", f"it lists {len(entries):,} "
                                f"connections; a template holds at most {MAX_CONNECTIONS}."))
    checked: list[TemplateEntry] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(entries, start=1):
        entry = _entry(item, number)
        key = nick.fold(entry.nickname)
        if key in seen:
            raise TemplateError(_at(number, "nickname", f"\"{entry.nickname}\" is also the "
                                    f"nickname of connection {seen[key]}; each connection "
                                    "in a template needs its own."))
        seen[key] = number
        checked.append(entry)
    return Template(tuple(checked))


def _entry(item: Any, number: int) -> TemplateEntry:
    if not isinstance(item, dict):
        raise TemplateError(f"Connection {number} of the template is not an object with "
                            "fields; nothing was created.")
    _known_fields(item, CONNECTION_FIELDS, number)

    def text(field: str, required: bool = False) -> str | None:
        value = item.get(field)
        if value is None:
            if required:
                raise TemplateError(_at(number, field, "it is missing."))
            return None
        if not isinstance(value, str):
            raise TemplateError(_at(number, field, f"it should be text, not "
                                    f"{_json_type(value)}."))
        if "PRIVATE KEY" in value:
            raise TemplateError(_at(number, field, "it holds a private key. A template "
                                    "never holds a key or secret; remove it."))
        return value

    nickname = text("nickname", required=True) or ""
    try:
        nickname = nick.validate(nickname)
    except nick.NicknameError as exc:
        raise TemplateError(_at(number, "nickname", str(exc))) from None

    description = text("description") or ""
    if len(description) > connection_rules.DESCRIPTION_MAX:
        raise TemplateError(_at(number, "description", f"it has {len(description):,} "
                                f"characters; at most {connection_rules.DESCRIPTION_MAX:,} "
                                "are allowed."))
    _plain(description, number, "description", allow_newline=True)

    kind = _choice(text("kind"), Kind, Kind.DELEGATED, number, "kind")
    cloud = _choice(text("cloud"), Cloud, Cloud.GLOBAL, number, "cloud")

    tenant = text("tenant") or DEFAULT_TENANT
    _plain(tenant, number, "tenant")
    reason = connection_rules.problem(Connection(nickname="x", tenant=tenant))
    if reason:
        raise TemplateError(_at(number, "tenant", reason))
    tenant = tenant.lower()

    client_id = text("client_id") or DEFAULT_CLIENT_ID
    try:
        client_id = canonical_uuid(client_id)
    except ValueError:
        raise TemplateError(_at(number, "client_id", "it is not a GUID such as "
                                f"{DEFAULT_CLIENT_ID}.")) from None

    redirect_uri = text("redirect_uri")
    authority = text("authority")
    graph_endpoint = text("graph_endpoint")
    try:
        if redirect_uri is not None:
            redirect_uri = check_redirect_uri(redirect_uri)
    except TenantError as exc:
        raise TemplateError(_at(number, "redirect_uri", str(exc))) from None
    try:
        authority = normalize_authority(authority, cloud)
    except TenantError as exc:
        raise TemplateError(_at(number, "authority", str(exc))) from None
    try:
        graph_endpoint = normalize_graph_endpoint(graph_endpoint, cloud)
    except TenantError as exc:
        raise TemplateError(_at(number, "graph_endpoint", str(exc))) from None

    # Stricter than a saved connection: a file passed around must not send a sign-in (or
    # a token) to any host but Microsoft's own for its cloud.
    if authority is not None and not on_cloud_hosts(authority, cloud):
        raise TemplateError(_at(number, "authority", f"\"{shown(authority)}\" is not on "
                                f"Microsoft's sign-in host for the {cloud.label} cloud "
                                f"({cloud.login_host}); a template may only use that one. "
                                "Remove the authority, or use "
                                f"{cloud.authority_for(tenant)}."))
    if graph_endpoint is not None and not on_cloud_hosts(graph_endpoint, cloud, graph=True):
        raise TemplateError(_at(number, "graph_endpoint", f"\"{shown(graph_endpoint)}\" is "
                                f"not Microsoft Graph of the {cloud.label} cloud "
                                f"({cloud.graph_endpoint}); a template may only use that. "
                                "Remove it."))
    scopes = _names(item.get("scopes"), number)
    thumbprints = _thumbprints(item.get("certificate_thumbprints"), kind, number)
    locked = _locked(item.get("locked"), number)
    entry = TemplateEntry(nickname, description, kind, tenant, cloud, client_id,
                          redirect_uri, authority, graph_endpoint, scopes, thumbprints,
                          locked)
    # The whole connection, as a load would check it (app-only needs one organisation...).
    reason = connection_rules.problem(entry.draft())
    if reason:
        raise TemplateError(f"Connection {number} of the template can't be used: {reason} "
                            "Nothing was created.")
    return entry


def _at(number: int | None, field: str, why: str) -> str:
    where = "The template" if number is None else f"Connection {number}"
    return f"{where}, \"{field}\": {why} Nothing was created."


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "text"


def _known_fields(data: Mapping[str, Any], known: tuple[str, ...],
                  number: int | None) -> None:
    for field in data:
        if field in known:
            continue
        name = shown(field)
        if field.lower() in _NEVER:
            raise TemplateError(_at(number, name, "a template never holds secrets, keys, "
                                    "tokens, accounts or connection IDs; remove this field."))
        raise TemplateError(_at(number, name, "o365desk does not know this field (a "
                                "newer format, or a typing mistake); remove it."))


def shown(field: str) -> str:
    text = "".join("\ufffd" if is_unsafe(ch) else ch for ch in field[:41])
    return text if len(text) <= 40 else text[:39] + "\u2026"


def _plain(value: str, number: int, field: str, *, allow_newline: bool = False) -> None:
    for ch in value:
        if is_unsafe(ch) and not (allow_newline and ch == "\n"):
            raise TemplateError(_at(number, field, f"it contains an invisible control or "
                                    f"text-direction character (U+{ord(ch):04X}); remove it."))


def _choice(value: str | None, enum_type, default, number: int, field: str):
    if value is None:
        return default
    try:
        return enum_type(value)
    except ValueError:
        names = ", ".join(member.value for member in enum_type)
        raise TemplateError(_at(number, field, f"\"{shown(value)}\" is not one of {names}.")
                            ) from None


def _names(value: Any, number: int) -> tuple[str, ...]:
    if value is None:
        raise TemplateError(_at(number, "scopes", "it is missing: list the permissions the "
                                "connection asks for, such as [\"User.Read\"]."))
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise TemplateError(_at(number, "scopes", "it should be a list of permission names."))
    if not value:
        raise TemplateError(_at(number, "scopes", "it lists no permissions; a connection "
                                "needs at least one (User.Read is enough to test it)."))
    if len(value) > connection_rules.SCOPES_MAX:
        raise TemplateError(_at(number, "scopes", f"it lists more than "
                                f"{connection_rules.SCOPES_MAX:,} permissions."))
    for name in value:
        if not name or len(name) > connection_rules.SCOPE_MAX or any(
                is_unsafe(ch) or ch.isspace() or ch == "," for ch in name):
            raise TemplateError(_at(number, "scopes", f"\"{shown(name)}\" is not a "
                                    "permission name such as User.Read."))
    return tuple(dict.fromkeys(value))


def _thumbprints(value: Any, kind: Kind, number: int) -> tuple[str, ...]:
    field = "certificate_thumbprints"
    if value is None:
        return ()
    if kind != Kind.APP_ONLY:
        raise TemplateError(_at(number, field, "only an app-only connection has a "
                                "certificate; remove it or make the kind app-only."))
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise TemplateError(_at(number, field, "it should be a list of thumbprints."))
    if len(value) > MAX_THUMBPRINTS:
        raise TemplateError(_at(number, field, f"it lists more than {MAX_THUMBPRINTS}."))
    result = []
    for thumbprint in value:
        clean = thumbprint.replace(":", "").upper()
        if len(clean) not in (40, 64) or not set(clean) <= set("0123456789ABCDEF"):
            raise TemplateError(_at(number, field, f"\"{shown(thumbprint)}\" is not a "
                                    "certificate thumbprint (40 or 64 hexadecimal "
                                    "characters)."))
        result.append(clean)
    return tuple(dict.fromkeys(result))


def _locked(value: Any, number: int) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(f, str) for f in value):
        raise TemplateError(_at(number, "locked", "it should be a list of field names."))
    for field in value:
        if field not in LOCKABLE:
            why = ("the nickname is never locked: each person chooses their own."
                   if field == "nickname" else
                   f"\"{shown(field)}\" is not a field that can be locked; those are "
                   f"{', '.join(LOCKABLE)}.")
            raise TemplateError(_at(number, "locked", why))
    return frozenset(value)


# -- writing ----------------------------------------------------------------------------


def entry_for(connection: Connection, locked: frozenset[str] = frozenset(),
              redirect_uri: str | None = None) -> TemplateEntry:
    """The template entry that makes a connection like this one (no secret, no account);
    `redirect_uri`: the one its sign-in uses (o365desk's setting in force), for a
    connection a person signs in with."""
    thumbprints: tuple[str, ...] = ()
    credential = connection.credential
    if credential is not None and credential.type == CredentialType.CERTIFICATE:
        thumbprints = tuple(t for t in (credential.sha1, credential.sha256) if t)
    return TemplateEntry(
        nickname=connection.nickname, description=connection.description,
        kind=connection.kind, tenant=connection.tenant, cloud=connection.cloud,
        client_id=connection.client_id,
        redirect_uri=redirect_uri if connection.kind == Kind.DELEGATED else None,
        authority=connection.authority,
        graph_endpoint=connection.graph_endpoint, scopes=connection.scopes,
        certificate_thumbprints=thumbprints, locked=locked)


def to_document(template: Template) -> dict[str, Any]:
    connections = []
    for entry in template.entries:
        data: dict[str, Any] = {
            "nickname": entry.nickname, "description": entry.description,
            "kind": entry.kind.value, "tenant": entry.tenant, "cloud": entry.cloud.value,
            "client_id": entry.client_id}
        for field in ("redirect_uri", "authority", "graph_endpoint"):
            if getattr(entry, field) is not None:
                data[field] = getattr(entry, field)
        data["scopes"] = list(entry.scopes)
        if entry.certificate_thumbprints:
            data["certificate_thumbprints"] = list(entry.certificate_thumbprints)
        data["locked"] = [f for f in LOCKABLE if f in entry.locked]
        connections.append(data)
    return {"format": FORMAT, "version": VERSION, "connections": connections}


def dumps(template: Template) -> str:
    """The template's file text (checked: it reads back as the same template)."""
    text = json.dumps(to_document(template), indent=2, ensure_ascii=False) + "\n"
    parse_bytes(text.encode("utf-8"))  # what o365desk writes, o365desk can read
    return text
