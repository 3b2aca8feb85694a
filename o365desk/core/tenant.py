"""Checks for the organisation (tenant) and authority a connection signs in to."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from o365desk.core.ids import canonical_uuid

DEFAULT_TENANT = "organizations"

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"^(?=.{{1,253}}$)({_LABEL}\.)+[a-z][a-z0-9-]{{0,62}}$")


class TenantError(ValueError):
    """A tenant or authority that can't be used; str(error) says what to type instead."""


def normalize_tenant(raw: str) -> str:
    """Return the tenant in stored form: "organizations", a lower-case GUID, or a domain."""
    text = raw.strip()
    if not text:
        return DEFAULT_TENANT
    if text.lower() == DEFAULT_TENANT:
        return DEFAULT_TENANT
    try:
        return canonical_uuid(text)
    except ValueError:
        pass
    domain = text.lower().rstrip(".")
    if _DOMAIN.match(domain):
        return domain
    raise TenantError(
        f'"{text}" is not an organisation o365desk can sign in to. Type its domain '
        '(for example contoso.onmicrosoft.com), its tenant ID (a GUID), or "organizations" '
        "to let any work account sign in."
    )


def normalize_authority(raw: str | None) -> str | None:
    """Return an authority override in MSAL's form https://host[:port]/tenant, or None."""
    if raw is None or not raw.strip():
        return None
    text = raw.strip().rstrip("/")
    parts = urlsplit(text)
    path = parts.path.strip("/")
    if parts.scheme != "https":
        raise TenantError(
            f'The authority "{text}" must start with https:// (MSAL signs in over HTTPS only).'
        )
    if not parts.hostname or not path or "/" in path or parts.query or parts.fragment:
        raise TenantError(
            f'The authority "{text}" must look like https://login.example.com/your-tenant: '
            "a host and one tenant part, nothing after it."
        )
    return text


_API_VERSIONS = ("/v1.0", "/beta")


def normalize_graph_endpoint(raw: str | None) -> str | None:
    """Return a Graph endpoint override as https://host[:port][/path] (no version), or None."""
    if raw is None or not raw.strip():
        return None
    text = raw.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme != "https":
        raise TenantError(
            f'The Graph endpoint "{text}" must start with https:// (tokens only travel over '
            "HTTPS)."
        )
    if not parts.hostname or parts.query or parts.fragment or "@" in parts.netloc:
        raise TenantError(
            f'The Graph endpoint "{text}" must look like https://graph.microsoft.com: '
            "a host (and a path if your organisation gave you one), nothing after it."
        )
    for version in _API_VERSIONS:  # a pasted ".../v1.0" means the endpoint before it
        if text.lower().endswith(version):
            text = text[: -len(version)].rstrip("/")
    return text
