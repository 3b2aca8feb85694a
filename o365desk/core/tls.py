"""Which certificate authorities o365desk trusts for HTTPS, decided in one place."""

from __future__ import annotations

import os
from pathlib import Path

EXTRA_CA_ENV = "O365DESK_EXTRA_CA_CERTS"
MAX_CA_FILE_BYTES = 16 << 20  # every public CA in PEM is about 0.3 MB; more is the wrong file


def extra_ca_file() -> Path | None:
    """A PEM file of extra trusted CAs (a TLS-inspecting proxy's, a test CA), if configured."""
    value = os.environ.get(EXTRA_CA_ENV, "").strip()
    return Path(value).expanduser() if value else None


def configured_ca_files(extra: tuple[str, ...] | list[str] = ()) -> list[tuple[Path, str]]:
    """Every extra CA file in force, with where it was configured, for messages.

    O365DESK_EXTRA_CA_CERTS first, then the `extra_ca_certs` in force (the IT policy's, or
    else settings.json's: core.effective_settings), then `extra`
    (files a caller passes, e.g. a test's CA). The machine's REQUESTS_CA_BUNDLE and
    CURL_CA_BUNDLE are never among them: they must not silently replace these.
    """
    from o365desk.core import effective_settings

    found: list[tuple[Path, str]] = []
    env_file = extra_ca_file()
    if env_file is not None:
        found.append((env_file, f"named by {EXTRA_CA_ENV}"))
    setting = effective_settings.load()["extra_ca_certs"]
    where = ("listed in the IT policy " if setting.managed else "listed in ") + setting.where
    found += [(Path(p).expanduser(), where) for p in setting.value]
    found += [(Path(p).expanduser(), "given to o365desk") for p in extra]
    unique: dict[str, tuple[Path, str]] = {}
    for path, origin in found:
        unique.setdefault(str(path), (path, origin))
    return list(unique.values())


def default_ca_bundle() -> str:
    """The public CA bundle HTTPS requests are checked against (certifi's)."""
    import certifi

    return certifi.where()
