"""A saved connection to a Microsoft 365 tenant, and its derived status."""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from o365desk.core.clouds import Cloud
from o365desk.core.ids import canonical_uuid, new_uuid
from o365desk.core.tenant import DEFAULT_TENANT

# Microsoft's public "Microsoft Graph Command Line Tools" client, used by many admin tools.
DEFAULT_CLIENT_ID = "14d82eec-204b-4c2f-b7e8-296a70dab67e"
# What a new connection asks for unless told otherwise (the wizard and `o365desk add`).
DEFAULT_SCOPES = ("User.Read",)


class Kind(enum.StrEnum):
    DELEGATED = "delegated"
    APP_ONLY = "app-only"


class CredentialType(enum.StrEnum):
    """How an app-only connection proves it is its app registration."""

    SECRET = "secret"  # a client secret, kept in the keychain
    CERTIFICATE = "certificate"  # a certificate's private key, kept in the keychain


# What a recorded refresh failure may be: an explanation code ("invalid_grant", "AADSTS50173").
_FAILURE_CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")

# From this many days before its expiry, a credential's coming end is a warning.
EXPIRY_WARNING_DAYS = 30


@dataclasses.dataclass(frozen=True)
class Credential:
    """The non-secret facts of an app-only connection's credential (connections.json).

    The secret itself (client secret, private key) is only ever in the keychain. For a
    certificate: its SHA-1 and SHA-256 thumbprints (hex, upper case), subject and end of
    validity (`not_after`, also its `expires_at`). For a secret: when it expires, as told
    (None: not known).
    """

    type: CredentialType = CredentialType.SECRET
    expires_at: datetime | None = None
    sha1: str = ""
    sha256: str = ""
    subject: str = ""
    not_after: datetime | None = None

    def expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or utcnow())

    def days_left(self, now: datetime | None = None) -> int | None:
        """Whole days until it expires (negative once expired); None when not known."""
        if self.expires_at is None:
            return None
        return (self.expires_at - (now or utcnow())).days

    def expiring_soon(self, now: datetime | None = None) -> bool:
        left = self.days_left(now)
        return left is not None and not self.expired(now) and left < EXPIRY_WARNING_DAYS

    def replace(self, **changes: Any) -> Credential:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.type.value, "expires_at": _iso(self.expires_at)}
        if self.type == CredentialType.CERTIFICATE:
            data.update(sha1=self.sha1, sha256=self.sha256, subject=self.subject,
                        not_after=_iso(self.not_after))
        return data

    @classmethod
    def from_dict(cls, data: Any, ident: str) -> Credential:
        if not isinstance(data, Mapping):
            raise FormatError(f"connection {ident}: credential is not an object")
        type_text = _req(data, "type", str)
        try:
            kind = CredentialType(type_text)
        except ValueError:
            raise FormatError(f"connection {ident}: its credential type {type_text!r} is not "
                              f"one of {', '.join(t.value for t in CredentialType)}") from None
        return cls(type=kind, expires_at=_time(data, "expires_at"),
                   sha1=_opt(data, "sha1", str) or "", sha256=_opt(data, "sha256", str) or "",
                   subject=_opt(data, "subject", str) or "", not_after=_time(data, "not_after"))


class Status(enum.StrEnum):
    """What a person needs to know about a connection at a glance."""

    NOT_SIGNED_IN = "not signed in"
    SIGNED_IN = "signed in"
    SIGN_IN_NEEDED = "sign-in needed"
    # Permissions added since the last sign-in: a new sign-in must approve them.
    WAITING_FOR_APPROVAL = "waiting for approval"
    CONSENT_MISSING = "consent missing"  # signed in, some requested permissions not granted
    KEYCHAIN_UNAVAILABLE = "keychain unavailable"
    # Its saved details break a rule (core.connection_rules): shown, never used.
    DAMAGED = "damaged"
    # App only: its credential (secret or certificate) is there and has not expired.
    READY = "ready"
    # App only: its credential has expired; `o365desk credential` gives it a new one.
    CREDENTIAL_EXPIRED = "credential expired"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class FormatError(ValueError):
    """Stored connection data has a missing or wrongly typed field."""


@dataclasses.dataclass(frozen=True)
class Account:
    """The account a connection is signed in as (never a secret)."""

    username: str
    home_account_id: str
    tenant_id: str


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclasses.dataclass(frozen=True)
class Connection:
    nickname: str
    id: str = dataclasses.field(default_factory=new_uuid)
    description: str = ""
    tenant: str = DEFAULT_TENANT
    cloud: Cloud = Cloud.GLOBAL
    client_id: str = DEFAULT_CLIENT_ID
    authority: str | None = None
    kind: Kind = Kind.DELEGATED
    scopes: tuple[str, ...] = ()
    account: Account | None = None
    created_at: datetime = dataclasses.field(default_factory=utcnow)
    last_used_at: datetime | None = None
    expires_at: datetime | None = None
    graph_endpoint: str | None = None  # override of the cloud's Graph API base URL
    # The permissions the last sign-in asked for; None when not known (not signed in, or
    # signed in by a version that didn't record them).
    approved_scopes: tuple[str, ...] | None = None
    # Why the saved details can't be used (core.connection_rules); "" when they can. A
    # damaged connection is never signed in with or sent to Graph.
    damage: str = ""
    # App only: the credential's non-secret facts (None for a delegated connection).
    credential: Credential | None = None
    # Delegated: when a sign-in or a refresh last worked (the refresh token's 90-day
    # inactivity lapse counts from it; core/health.py), and the explanation code of a
    # refresh that failed since, which a new sign-in needs ("" when none did).
    last_refreshed_at: datetime | None = None
    refresh_failure: str = ""
    # A damaged connection's entry exactly as read, saved back unchanged.
    stored: Mapping[str, Any] | None = dataclasses.field(
        default=None, compare=False, hash=False, repr=False)

    def effective_authority(self) -> str:
        return self.authority or self.cloud.authority_for(self.tenant)

    def effective_graph_endpoint(self) -> str:
        """The Graph API base URL calls go to (no version, no trailing slash)."""
        return (self.graph_endpoint or self.cloud.graph_endpoint).rstrip("/")

    def status(self, keychain_ok: bool = True) -> Status:
        """Status known without touching the keychain or the network."""
        if self.damage:
            return Status.DAMAGED
        if self.kind == Kind.APP_ONLY:
            if not keychain_ok:
                return Status.KEYCHAIN_UNAVAILABLE
            if self.credential is not None and self.credential.expired():
                return Status.CREDENTIAL_EXPIRED
            return Status.READY
        if self.account is None:
            return Status.NOT_SIGNED_IN
        if not keychain_ok:
            return Status.KEYCHAIN_UNAVAILABLE
        if self.refresh_failure:  # Entra ended the saved sign-in (core/health.py says why)
            return Status.SIGN_IN_NEEDED
        if self.awaiting_approval():
            return Status.WAITING_FOR_APPROVAL
        return Status.SIGNED_IN

    def awaiting_approval(self) -> tuple[str, ...]:
        """Permissions asked for now that the last sign-in did not ask for: they work only
        once a new sign-in approves them. Empty when not signed in or not known."""
        if self.account is None or self.approved_scopes is None:
            return ()
        asked = {s.lower() for s in self.approved_scopes}
        return tuple(s for s in self.scopes if s.lower() not in asked)

    def replace(self, **changes: Any) -> Connection:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form stored in the config file and printed by `--json`."""
        return {
            "id": self.id,
            "nickname": self.nickname,
            "description": self.description,
            "tenant": self.tenant,
            "cloud": self.cloud.value,
            "client_id": self.client_id,
            "authority": self.authority,
            "kind": self.kind.value,
            "scopes": list(self.scopes),
            "account": dataclasses.asdict(self.account) if self.account else None,
            "created_at": _iso(self.created_at),
            "last_used_at": _iso(self.last_used_at),
            "expires_at": _iso(self.expires_at),
            "graph_endpoint": self.graph_endpoint,
            "approved_scopes": None if self.approved_scopes is None
            else list(self.approved_scopes),
            "credential": None if self.credential is None else self.credential.to_dict(),
            "last_refreshed_at": _iso(self.last_refreshed_at),
            "refresh_failure": self.refresh_failure or None,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Connection:
        """Build from stored JSON; raise FormatError naming the first bad field."""
        if not isinstance(data, Mapping):
            raise FormatError("a connection entry is not an object")
        try:
            ident = canonical_uuid(_req(data, "id", str))
        except ValueError:
            raise FormatError(f"connection id {data.get('id')!r} is not a UUID") from None
        account = data.get("account")
        if account is not None:
            if not isinstance(account, Mapping):
                raise FormatError(f"connection {ident}: account is not an object")
            account = Account(
                username=_req(account, "username", str),
                home_account_id=_req(account, "home_account_id", str),
                tenant_id=_req(account, "tenant_id", str),
            )
        scopes = _opt(data, "scopes", list) or []
        if not all(isinstance(s, str) for s in scopes):
            raise FormatError(f"connection {ident}: scopes must be a list of strings")
        approved = _opt(data, "approved_scopes", list)
        if approved is not None and not all(isinstance(s, str) for s in approved):
            raise FormatError(f"connection {ident}: approved_scopes must be a list of strings")
        cloud_text = _req(data, "cloud", str)
        kind_text = _opt(data, "kind", str) or Kind.DELEGATED.value
        try:
            cloud = Cloud(cloud_text)
        except ValueError:
            raise FormatError(f"connection {ident}: its cloud {cloud_text!r} is not one of "
                              f"{', '.join(c.value for c in Cloud)}") from None
        try:
            kind = Kind(kind_text)
        except ValueError:
            raise FormatError(f"connection {ident}: its kind {kind_text!r} is not one of "
                              f"{', '.join(k.value for k in Kind)}") from None
        credential = data.get("credential")
        if credential is not None:
            credential = Credential.from_dict(credential, ident)
        failure = _opt(data, "refresh_failure", str) or ""
        if failure and not _FAILURE_CODE.fullmatch(failure):
            raise FormatError(f"connection {ident}: refresh_failure {failure[:80]!r} is not "
                              "a sign-in error code")
        return cls(
            id=ident,
            nickname=_req(data, "nickname", str),
            description=_opt(data, "description", str) or "",
            tenant=_req(data, "tenant", str),
            cloud=cloud,
            client_id=_req(data, "client_id", str),
            authority=_opt(data, "authority", str),
            kind=kind,
            scopes=tuple(scopes),
            account=account,
            created_at=_time(data, "created_at") or utcnow(),
            last_used_at=_time(data, "last_used_at"),
            expires_at=_time(data, "expires_at"),
            graph_endpoint=_opt(data, "graph_endpoint", str),
            approved_scopes=None if approved is None else tuple(approved),
            credential=credential,
            last_refreshed_at=_time(data, "last_refreshed_at"),
            refresh_failure=failure,
        )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _req(data: Mapping, key: str, typ: type) -> Any:
    if key not in data:
        raise FormatError(f"field {key!r} is missing")
    value = data[key]
    if not isinstance(value, typ) or isinstance(value, bool) and typ is not bool:
        raise FormatError(f"field {key!r} should be {typ.__name__}, found {type(value).__name__}")
    return value


def _opt(data: Mapping, key: str, typ: type) -> Any:
    return None if data.get(key) is None else _req(data, key, typ)


def _time(data: Mapping, key: str) -> datetime | None:
    text = _opt(data, key, str)
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise FormatError(f"field {key!r} is not a date and time: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
