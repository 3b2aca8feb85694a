"""The machine-wide policy IT deploys: its keys checked when read, and what it refuses.

A policy limits which connections may be created (clouds, organisations, app-only ones)
and fixes settings everyone uses (client ID, redirect URI, extra trusted CAs, whether the
sign-in window may be used, where templates are, keep-alive). It wins over the user's
settings.json (core.effective_settings puts the two together). A damaged policy (unreadable,
not JSON, a wrong type or a bad value) stops nothing from opening, but no connection can be
created until IT fixes it: `Policy.problem` says so, naming the file, the key and what is
wrong. Unknown keys are only a note for IT (`o365desk doctor`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from o365desk.core import policy_sources
from o365desk.core.clouds import Cloud
from o365desk.core.connection import Connection, Kind
from o365desk.core.policy_sources import BOOL_KEYS, KEYS, PolicySource, PolicyUnreadable
from o365desk.core.text import visible

MAX_KEEP_ALIVE_DAYS = 89  # a refresh token unused for 90 days lapses: keep-alive must be sooner
_SHOWN_MAX = 60


class PolicyRefused(ValueError):
    """A connection the policy does not allow; str() says so and what to do."""


@dataclasses.dataclass(frozen=True)
class Policy:
    """The checked policy in force: `values` holds each key it sets (already checked);
    `where` is the file or registry key it came from ("" when there is none)."""

    where: str = ""
    values: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    unknown: tuple[str, ...] = ()  # keys o365desk does not know: a note for IT
    problems: tuple[str, ...] = ()  # what is wrong, each a sentence naming its key

    @property
    def present(self) -> bool:
        return bool(self.where)

    @property
    def damaged(self) -> bool:
        return bool(self.problems)

    @property
    def problem(self) -> str:
        """For IT and staff: what is wrong and what it means; "" when nothing is."""
        if not self.problems:
            return ""
        sentences = " ".join(p[:1].upper() + p[1:] for p in self.problems)
        return (f"The IT policy {self.where} can't be used. {sentences}"
                " Until it is fixed, no new connection can be created; saved connections "
                "work as before. Ask your IT team to correct the policy.")

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def refusal(self, connection: Connection) -> str:
        """Why the policy forbids creating `connection`; "" when it allows it."""
        if self.damaged:
            return self.problem
        clouds = self.values.get("allowed_clouds")
        if clouds is not None and connection.cloud not in clouds:
            return (f"Your organisation's IT policy allows only {_names(clouds)}, so a "
                    f"connection in {connection.cloud.label} can't be created. {_ASK}")
        organisations = self.values.get("allowed_organisations")
        if organisations is not None and connection.tenant not in organisations:
            listed = ", ".join(organisations)
            if not connection.tenant or connection.tenant.lower() in _ANY_TENANT:
                return (f"Your organisation's IT policy allows connections only to {listed}, "
                        "so the organisation must be chosen now: type one of them instead of "
                        f"choosing when you sign in. {_ASK}")
            return (f"Your organisation's IT policy allows connections only to {listed}, so "
                    f"one to {connection.tenant} can't be created. {_ASK}")
        if connection.kind == Kind.APP_ONLY:
            if self.values.get("allow_app_only") is False:
                return ("Your organisation's IT policy does not allow app-only connections "
                        f"(an app signing in with its own secret or certificate). {_ASK}")
        elif "client_id" in self.values and connection.client_id != self.values["client_id"]:
            return (f"Your organisation's IT policy sets the client ID to "
                    f"{self.values['client_id']}, so a connection with client ID "
                    f"{visible(connection.client_id)[:_SHOWN_MAX]} can't be created. Leave "
                    f"the client ID out to use the policy's. {_ASK}")
        return ""

    def check(self, connection: Connection) -> None:
        """PolicyRefused when the policy forbids creating `connection`."""
        reason = self.refusal(connection)
        if reason:
            raise PolicyRefused(reason)


_ASK = "Ask your IT team if you need it."
_ANY_TENANT = frozenset({"organizations", "common", "consumers"})


def _names(clouds: tuple[Cloud, ...]) -> str:
    labels = [f"the {c.label} cloud" for c in clouds]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def load(source: PolicySource | None = None) -> Policy:
    """The policy in force: from `source`, or this machine's (with O365DESK_POLICY_FILE
    read only when the machine has none). Never raises: a damaged one has `problems`."""
    if source is None:
        machine = policy_sources.machine_source()
        policy = _read(machine)
        env = policy_sources.env_source()
        if policy.present or env is None:
            return policy
        source = env
    return _read(source)


def _read(source: PolicySource) -> Policy:
    try:
        raw = source.read()
    except PolicyUnreadable as exc:
        return Policy(source.where, problems=(f"it can't be read because {exc}.",))
    if raw is None:
        return Policy()
    return parse(raw, source.where)


def parse(raw: Mapping[str, Any], where: str) -> Policy:
    """The policy's keys checked, each with the same rules as elsewhere in o365desk."""
    values: dict[str, Any] = {}
    unknown: list[str] = []
    problems: list[str] = []
    for name, value in raw.items():
        key = str(name)
        check = _CHECKS.get(key)
        if check is None:
            unknown.append(visible(key)[:_SHOWN_MAX])
            continue
        try:
            values[key] = check(value)
        except (ValueError, TypeError) as exc:
            problems.append(f"its key \"{key}\" {exc}.")
    return Policy(where, values, tuple(unknown), tuple(problems))


def _shown(value: object) -> str:
    text = visible(str(value))
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 1] + "\u2026"


def _value(value: object) -> str:
    """A value as the policy file shows it, quoted when it is text."""
    if isinstance(value, str):
        return f"\"{_shown(value)}\""
    import json

    return _shown(json.dumps(value, default=str))


def _text_list(value: object, what: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"must be a list of {what}")
    items = [v.strip() for v in value if v.strip()]
    if not items:
        raise ValueError(f"lists no {what}, which would allow nothing; list at least one, "
                         "or leave the key out")
    return items


def _clouds(value: object) -> tuple[Cloud, ...]:
    names = ", ".join(c.value for c in Cloud)
    clouds = []
    for item in _text_list(value, f"cloud names ({names})"):
        try:
            clouds.append(Cloud(item.lower()))
        except ValueError:
            raise ValueError(f"lists \"{_shown(item)}\", which is not a cloud "
                             f"o365desk knows (use {names})") from None
    return tuple(dict.fromkeys(clouds))


def _organisations(value: object) -> tuple[str, ...]:
    from o365desk.core.tenant import TenantError, parse_tenant

    found = []
    for item in _text_list(value, "domains or tenant IDs"):
        try:
            tenant = parse_tenant(item)
        except TenantError:
            tenant = ""
        if not tenant or tenant in _ANY_TENANT:
            raise ValueError(f"lists \"{_shown(item)}\", which is not an "
                             "organisation's domain (contoso.com) or tenant ID (a GUID)")
        found.append(tenant)
    return tuple(dict.fromkeys(found))


def _client_id(value: object) -> str:
    from o365desk.core.ids import canonical_uuid

    if not isinstance(value, str):
        raise ValueError("must be text: the app registration's client ID (a GUID)")
    try:
        return canonical_uuid(value.strip().lower())
    except ValueError:
        raise ValueError(f"is \"{_shown(value)}\", which is not a client ID (a "
                         "GUID such as 14d82eec-204b-4c2f-b7e8-296a70dab67e)") from None


def _redirect_uri(value: object) -> str:
    from o365desk.core.endpoints import check_redirect_uri

    if not isinstance(value, str):
        raise ValueError("must be text, such as http://localhost")
    try:
        return check_redirect_uri(value)
    except ValueError:
        raise ValueError(f"is \"{_shown(value)}\", which is not a redirect URI "
                         "o365desk can catch a sign-in on (use http://localhost, a port may "
                         "follow, or a cloud's nativeclient address)") from None


def _ca_files(value: object) -> tuple[str, ...]:
    return tuple(_text_list(value, "PEM file paths"))


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"is {_value(value)}, but must be true or false (in the "
                         "registry a REG_DWORD of 1 or 0)")
    return value


def _templates(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be text: a folder path or an https:// address")
    text = value.strip()
    if "://" in text:
        try:
            parts = urlsplit(text)
        except ValueError:
            parts = None
        if parts is None or parts.scheme.lower() != "https" or not parts.hostname:
            raise ValueError(f"is \"{_shown(text)}\"; an address must start with "
                             "https:// and name a host")
        return text
    from pathlib import PurePosixPath, PureWindowsPath

    if not (PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute()):
        raise ValueError(f"is \"{_shown(text)}\"; a folder must be a full path "
                         "(such as /srv/o365desk/templates or \\\\server\\share\\templates)")
    return text


def _keep_alive_days(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"is {_value(value)}, but must be a whole number of days (0 for "
                         "off)")
    if not 0 <= value <= MAX_KEEP_ALIVE_DAYS:
        raise ValueError(f"is {value}, but must be between 0 (off) and "
                         f"{MAX_KEEP_ALIVE_DAYS} days (a sign-in unused for 90 days lapses)")
    return value


_CHECKS = {
    "allowed_clouds": _clouds,
    "allowed_organisations": _organisations,
    "client_id": _client_id,
    "redirect_uri": _redirect_uri,
    "extra_ca_certs": _ca_files,
    "embedded_sign_in": _bool,
    "templates": _templates,
    "allow_app_only": _bool,
    "keep_alive_days": _keep_alive_days,
}
assert set(_CHECKS) == set(KEYS) and BOOL_KEYS <= set(KEYS)
