"""Which certificate authorities o365desk trusts for HTTPS, decided in one place."""

from __future__ import annotations

import os
from pathlib import Path

EXTRA_CA_ENV = "O365DESK_EXTRA_CA_CERTS"


def extra_ca_file() -> Path | None:
    """A PEM file of extra trusted CAs (a TLS-inspecting proxy's, a test CA), if configured."""
    value = os.environ.get(EXTRA_CA_ENV, "").strip()
    return Path(value).expanduser() if value else None


def default_ca_bundle() -> str:
    """The public CA bundle HTTPS requests are checked against (certifi's)."""
    import certifi

    return certifi.where()
