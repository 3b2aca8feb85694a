"""The settings in force, each with where it comes from: the IT policy, settings.json, or
o365desk's default. The policy wins over settings.json, which wins over the default.

Every reader of a setting (the wizard's defaults, doctor, the CLI's client ID, the trusted
CAs) asks here, so a key added to settings.json or the policy needs one line below.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from typing import Any

from o365desk.core import policy as policy_mod
from o365desk.core import settings as user_settings
from o365desk.core.connection import DEFAULT_CLIENT_ID


class Origin(enum.StrEnum):
    POLICY = "policy"
    USER = "settings.json"
    DEFAULT = "default"


# Each key's value when neither the policy nor settings.json sets it. None for the two
# allow-lists means "any".
DEFAULTS: Mapping[str, Any] = {
    "allowed_clouds": None,
    "allowed_organisations": None,
    "client_id": DEFAULT_CLIENT_ID,
    "redirect_uri": user_settings.DEFAULT_REDIRECT_URI,
    "extra_ca_certs": (),
    "embedded_sign_in": True,
    "templates": "",
    "allow_app_only": True,
    "keep_alive_days": 0,
}


@dataclasses.dataclass(frozen=True)
class Setting:
    key: str
    value: Any
    origin: Origin
    where: str  # the policy file or registry key, or settings.json's path; "" for a default

    @property
    def managed(self) -> bool:
        return self.origin is Origin.POLICY


@dataclasses.dataclass(frozen=True)
class EffectiveSettings:
    policy: policy_mod.Policy
    user: user_settings.AppSettings
    settings: Mapping[str, Setting]

    def __getitem__(self, key: str) -> Setting:
        return self.settings[key]

    def value(self, key: str) -> Any:
        return self.settings[key].value

    def managed(self) -> list[Setting]:
        """The settings the policy fixes, in the policy's key order."""
        return [s for s in self.settings.values() if s.managed]

    @property
    def client_id(self) -> str:
        return self.value("client_id")

    @property
    def redirect_uri(self) -> str:
        return self.value("redirect_uri")

    @property
    def extra_ca_certs(self) -> tuple[str, ...]:
        return tuple(self.value("extra_ca_certs"))

    @property
    def embedded_sign_in(self) -> bool:
        return bool(self.value("embedded_sign_in"))


def load(policy: policy_mod.Policy | None = None,
         user: user_settings.AppSettings | None = None) -> EffectiveSettings:
    """The settings in force now (the policy and settings.json read afresh unless given)."""
    policy = policy_mod.load() if policy is None else policy
    user = user_settings.load() if user is None else user
    user_where = str(user_settings.settings_file())
    found: dict[str, Setting] = {}
    for key, default in DEFAULTS.items():
        if key in policy.values:
            found[key] = Setting(key, policy.values[key], Origin.POLICY, policy.where)
            continue
        # settings.json holds some of the keys (a field of AppSettings each); a value
        # other than the default is one it set.
        value = getattr(user, key, default)
        if key == "keep_alive_days" and value is None:
            value = default  # settings.json keeps "off" as no value at all
        if value != default and not user.problem:
            found[key] = Setting(key, value, Origin.USER, user_where)
        else:
            found[key] = Setting(key, default, Origin.DEFAULT, "")
    return EffectiveSettings(policy, user, found)


def shown_value(setting: Setting) -> str:
    """A setting's value in words, for doctor and the window."""
    value = setting.value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value) if value else "none"
    if value is None:
        return "any"
    if setting.key == "keep_alive_days":
        return "off" if value == 0 else f"every {value} days"
    return str(value) if value != "" else "none"


# A person's words for each key, for the window's list and doctor.
LABELS: Mapping[str, str] = {
    "allowed_clouds": "Allowed clouds",
    "allowed_organisations": "Allowed organisations",
    "client_id": "Client ID",
    "redirect_uri": "Redirect URI",
    "extra_ca_certs": "Extra trusted certificates",
    "embedded_sign_in": "Sign-in window allowed",
    "templates": "Templates",
    "allow_app_only": "App-only connections allowed",
    "keep_alive_days": "Keep-alive",
}
