"""Where the machine-wide policy IT deploys is read from, one small interface per system.

Linux: /etc/o365desk/policy.json. Windows: the registry key HKLM\\Software\\Policies\\o365desk
(its values mapped to the same keys). macOS: the managed preferences domain
io.github.o365desk (/Library/Managed Preferences/io.github.o365desk.plist). Each source's
`read()` gives the raw mapping, None when there is no policy, or raises PolicyUnreadable
saying why (its text completes "... because ..."). What the values mean is checked in
core.policy, the same for every source.

O365DESK_POLICY_FILE names a policy.json to read instead, but only when the machine has no
policy of its own: it serves tests and trials, and can't weaken a policy IT deployed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from o365desk.core import safe_read

POLICY_ENV = "O365DESK_POLICY_FILE"
LINUX_FILE = Path("/etc/o365desk/policy.json")
MAC_DOMAIN = "io.github.o365desk"
MAC_FILE = Path("/Library/Managed Preferences") / f"{MAC_DOMAIN}.plist"
WINDOWS_KEY = r"Software\Policies\o365desk"
WINDOWS_WHERE = rf"HKEY_LOCAL_MACHINE\{WINDOWS_KEY}"
MAX_BYTES = 1 << 20  # a policy is a few hundred bytes; 1 MB is a broken or wrong file

# Every key a policy may hold, in the order doctor and the window list them.
KEYS = ("allowed_clouds", "allowed_organisations", "client_id", "redirect_uri",
        "extra_ca_certs", "embedded_sign_in", "templates", "allow_app_only",
        "keep_alive_days")
# Keys whose value is true or false, and keys whose value is a list (core.policy checks them).
BOOL_KEYS = frozenset({"embedded_sign_in", "allow_app_only"})
LIST_KEYS = frozenset({"allowed_clouds", "allowed_organisations", "extra_ca_certs"})

# winreg's value types (the same numbers on every Windows).
REG_SZ, REG_EXPAND_SZ, REG_DWORD, REG_MULTI_SZ, REG_QWORD = 1, 2, 4, 7, 11


class PolicyUnreadable(ValueError):
    """The policy is there but can't be read; str() completes "... because ..."."""


class PolicySource(Protocol):
    """One place a policy may come from."""

    where: str  # the file or registry key, for messages to IT

    def read(self) -> Mapping[str, Any] | None:
        """The raw keys and values; None when there is no policy; PolicyUnreadable."""


class _PolicyFile:
    """A policy kept in a file: read bounded (at most MAX_BYTES), parsed by `_parse`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path)

    def read(self) -> Mapping[str, Any] | None:
        try:
            data = safe_read.read_capped(self.path, MAX_BYTES)
        except FileNotFoundError:
            return None
        except safe_read.Unreadable as exc:
            raise PolicyUnreadable(str(exc)) from None
        except OSError as exc:
            raise PolicyUnreadable(f"it could not be opened ({exc.strerror or exc})") from None
        return _an_object(self._parse(data))

    def _parse(self, data: bytes) -> object:
        raise NotImplementedError


class JsonFileSource(_PolicyFile):
    """A policy.json: a regular file of at most 1 MB, JSON nested no deeper than o365desk's
    own files, holding one object."""

    def _parse(self, data: bytes) -> object:
        try:
            return safe_read.parse_json(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise PolicyUnreadable("it is not saved as UTF-8 text") from None
        except safe_read.Unreadable as exc:
            raise PolicyUnreadable(str(exc)) from None
        except ValueError as exc:  # json.JSONDecodeError
            raise PolicyUnreadable(f"it is not valid JSON ({exc})") from None


class PlistSource(_PolicyFile):
    """A macOS managed preferences file (XML or binary plist), as MDM profiles write it."""

    def __init__(self, path: Path = MAC_FILE) -> None:
        super().__init__(path)

    def _parse(self, data: bytes) -> object:
        import plistlib

        try:
            doc = plistlib.loads(data)
            safe_read.check_depth(doc)
        except (RecursionError, safe_read.TooDeep):
            raise PolicyUnreadable(_TOO_DEEP) from None
        except Exception as exc:  # plistlib raises several kinds for a damaged file
            raise PolicyUnreadable(f"it is not a valid property list ({exc})") from None
        return doc


# A registry reader: the values under the key as (name, data, type), or None with no key.
RegistryReader = Callable[[], Iterable[tuple[str, Any, int]] | None]


class RegistrySource:
    """HKLM\\Software\\Policies\\o365desk, as Group Policy or Intune writes it.

    Each value's name is a policy key; REG_SZ (and REG_EXPAND_SZ) is text, REG_DWORD a
    number (0 and 1 for the true-or-false keys), REG_MULTI_SZ a list (a list key given as
    REG_SZ is a list of one). `reader` replaces winreg in tests.
    """

    def __init__(self, reader: RegistryReader | None = None) -> None:
        self.reader = reader or _winreg_values
        self.where = WINDOWS_WHERE

    def read(self) -> Mapping[str, Any] | None:
        try:
            values = self.reader()
        except OSError as exc:
            raise PolicyUnreadable(f"it could not be read ({exc.strerror or exc})") from None
        return None if values is None else registry_mapping(values)


def registry_mapping(values: Iterable[tuple[str, Any, int]]) -> dict[str, Any]:
    """The registry's values as policy.json would hold them; PolicyUnreadable for a value of
    a type a policy never uses (binary data, for example)."""
    mapped: dict[str, Any] = {}
    for name, data, kind in values:
        key = registry_key(name)
        if kind in (REG_SZ, REG_EXPAND_SZ):
            if kind == REG_EXPAND_SZ:
                data = os.path.expandvars(data)
            mapped[key] = [data] if key in LIST_KEYS else data
        elif kind in (REG_DWORD, REG_QWORD):
            mapped[key] = bool(data) if key in BOOL_KEYS and data in (0, 1) else data
        elif kind == REG_MULTI_SZ:
            mapped[key] = [item for item in data if item]
        else:
            raise PolicyUnreadable(
                f"its value {name!r} is of a registry type a policy does not use (type "
                f"{kind}); use REG_SZ for text, REG_DWORD for numbers and true or false (1 "
                "or 0), REG_MULTI_SZ for lists")
    return mapped


def registry_key(name: str) -> str:
    """A registry value's name as the policy key it stands for: AllowedClouds, allowed_clouds
    and ALLOWED_CLOUDS are all allowed_clouds (Windows policies are usually CamelCase)."""
    squashed = name.strip().lower().replace("_", "")
    return next((key for key in KEYS if key.replace("_", "") == squashed), name.strip())


def _winreg_values() -> list[tuple[str, Any, int]] | None:
    import winreg  # Windows only, and only when a policy is looked for

    try:
        key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, WINDOWS_KEY)
    except FileNotFoundError:
        return None
    values = []
    with key:
        index = 0
        while index < 1000:  # a policy has a dozen values; the bound ends a runaway key
            try:
                values.append(winreg.EnumValue(key, index))
            except OSError:  # no more values
                break
            index += 1
    return values


def machine_source() -> PolicySource:
    """The policy IT deploys on this kind of system."""
    if sys.platform == "win32":
        return RegistrySource()
    if sys.platform == "darwin":
        return PlistSource()
    return JsonFileSource(LINUX_FILE)


def env_source() -> JsonFileSource | None:
    """The policy.json O365DESK_POLICY_FILE names, if it names one."""
    value = os.environ.get(POLICY_ENV, "").strip()
    return JsonFileSource(Path(value).expanduser()) if value else None


def _an_object(doc: object) -> Mapping[str, Any]:
    if not isinstance(doc, dict):
        raise PolicyUnreadable("it should hold one object of keys and values (in JSON "
                               "{ ... }), not a list or a single value")
    return doc


_TOO_DEEP = "it nests its contents far deeper than a policy ever does"
