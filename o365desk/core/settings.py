"""App settings an admin can preset in settings.json: the app registration and trusted CAs."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from o365desk.core import paths, safe_read
from o365desk.core.connection import DEFAULT_CLIENT_ID

if TYPE_CHECKING:
    from o365desk.core.policy import Policy

DEFAULT_REDIRECT_URI = "http://localhost"
FILE_NAME = "settings.json"
MAX_BYTES = 1 << 20  # a settings file is a few hundred bytes; 1 MB is a broken or wrong file


@dataclasses.dataclass(frozen=True)
class AppSettings:
    """Defaults for new connections and the extra CAs every HTTPS check trusts."""

    client_id: str = DEFAULT_CLIENT_ID
    redirect_uri: str = DEFAULT_REDIRECT_URI
    extra_ca_certs: tuple[str, ...] = ()  # PEM files, e.g. a TLS-inspecting proxy's CA
    # Refresh sign-ins not refreshed for this many days (None: keep-alive off). Read through
    # keep_alive_days() below, never directly.
    keep_alive_days: int | None = None
    problem: str = ""  # why the file was not used, in a sentence; "" when it was fine


# Keep-alive's range: a day at least, and under Entra's 90-day inactivity lapse.
KEEP_ALIVE_MIN, KEEP_ALIVE_MAX = 1, 89


def keep_alive_days(settings: AppSettings | None = None,
                    policy: Policy | None = None) -> int | None:
    """The keep-alive interval in days, or None when it is off: the one place it is read.

    The IT policy's `keep_alive_days` wins over settings.json's (0 there is off, whatever
    settings.json says), as every key the policy sets does (core.effective_settings; a
    damaged policy's good keys too). Without that key settings.json's value holds.
    """
    policy = policy if policy is not None else _load_policy()
    if "keep_alive_days" in policy.values:
        return policy.values["keep_alive_days"] or None
    return (settings or load()).keep_alive_days


def keep_alive_from_policy(policy: Policy | None = None) -> bool:
    """Whether the IT policy sets keep-alive (so settings.json's value is not used)."""
    policy = policy if policy is not None else _load_policy()
    return "keep_alive_days" in policy.values


def _load_policy() -> Policy:
    from o365desk.core import policy

    return policy.load()


def settings_file() -> Path:
    return paths.config_dir() / FILE_NAME


def load(path: Path | None = None) -> AppSettings:
    """Read settings.json; a missing file gives the defaults, a bad one the defaults and a
    `problem` saying what to fix (the file itself is never changed)."""
    path = path or settings_file()
    try:
        raw = safe_read.read_capped(path, MAX_BYTES).decode("utf-8-sig")
    except FileNotFoundError:
        return AppSettings()
    except UnicodeDecodeError:
        return AppSettings(
            problem=f"The settings file {path} is not saved as UTF-8 text; o365desk uses its "
            "defaults until it is. Save it as UTF-8 (in Notepad: Save as, Encoding UTF-8), or "
            "ask your IT support.")
    except safe_read.NotAFile as exc:
        return AppSettings(
            problem=f"o365desk could not read its settings because {exc}; it uses its "
            "defaults until a settings file is there. Remove or rename what is there, or ask "
            "your IT support.")
    except safe_read.TooLarge as exc:
        return AppSettings(
            problem=f"The settings file {path} is not valid ({exc}); o365desk uses its "
            "defaults until it is fixed. Check that it is the right file, or ask your IT "
            "support.")
    except OSError as exc:
        return AppSettings(
            problem=f"o365desk could not read its settings file {path} "
            f"({exc.strerror or exc}); it uses its defaults until it can. Check that it is a "
            "file you may read, or ask your IT support.")
    try:
        return _parse(safe_read.parse_json(raw))
    except (ValueError, TypeError) as exc:
        return AppSettings(
            problem=f"The settings file {path} is not valid ({exc}); o365desk uses its "
            "defaults until it is fixed."
        )


def _parse(data: object) -> AppSettings:
    if not isinstance(data, dict):
        raise ValueError("it should hold a JSON object")
    client_id = data.get("client_id", DEFAULT_CLIENT_ID)
    redirect_uri = data.get("redirect_uri", DEFAULT_REDIRECT_URI)
    extra = data.get("extra_ca_certs", [])
    if isinstance(extra, str):
        extra = [extra]
    if not isinstance(client_id, str) or not isinstance(redirect_uri, str):
        raise ValueError("client_id and redirect_uri must be text")
    if not isinstance(extra, list) or not all(isinstance(p, str) for p in extra):
        raise ValueError("extra_ca_certs must be a file path or a list of them")
    try:
        client_id = str(uuid.UUID(client_id))
    except ValueError:
        raise ValueError(f"client_id {client_id!r} is not a GUID") from None
    keep_alive = data.get("keep_alive_days")
    if keep_alive is not None and (not isinstance(keep_alive, int) or isinstance(
            keep_alive, bool) or not KEEP_ALIVE_MIN <= keep_alive <= KEEP_ALIVE_MAX):
        raise ValueError(f"keep_alive_days must be a whole number of days from "
                         f"{KEEP_ALIVE_MIN} to {KEEP_ALIVE_MAX}, or left out to turn "
                         "keep-alive off")
    from o365desk.core.endpoints import check_redirect_uri

    return AppSettings(client_id, check_redirect_uri(redirect_uri), tuple(extra), keep_alive)
