"""Checks for the organisation (tenant) and authority a connection signs in to."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from o365desk.core.ids import canonical_uuid

DEFAULT_TENANT = "organizations"

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"^(?=.{{1,253}}$)({_LABEL}\.)+[a-z][a-z0-9-]{{0,62}}$")
# SharePoint and OneDrive live at the organisation's first name in Microsoft 365 (contoso,
# contoso-my, contoso-admin .sharepoint.com); sign-in knows that name as contoso.onmicrosoft.com.
_SHAREPOINT = re.compile(r"^([a-z0-9]+)(?:-my|-admin)?\.sharepoint\.(com|us)$")


class TenantError(ValueError):
    """A tenant or authority that can't be used; str(error) says what to type instead."""


ACCEPTED = (
    "Type your organisation's domain (for example contoso.com), an email address at it "
    "(admin@contoso.com), or its tenant ID (a GUID such as "
    "4f1c3b52-8d6e-4f0a-9b7c-2d5e6f708192)."
)
_SHOWN_MAX = 40  # characters of a refused entry quoted back in a message
# White space and invisible characters a copy from a web page or document brings along.
_EDGES = " \t\r\n\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007" \
    "\u2008\u2009\u200a\u200b\u200e\u200f\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
_BRACED_GUID = re.compile(r"^[{(]\s*([0-9a-fA-F-]{32,36})\s*[})]$")
_NAME_AND_ADDRESS = re.compile(r"^[^<>]*<([^<>]+)>$")  # Ada Admin <admin@contoso.com>
# Sign-in addresses whose first path part is the tenant (a pasted authority URL).
_LOGIN_HOSTS = frozenset({
    "login.microsoftonline.com", "login.microsoft.com", "login.windows.net",
    "sts.windows.net", "login.microsoftonline.us", "login.microsoft.us",
    "login.chinacloudapi.cn", "login.partner.microsoftonline.cn",
})


def parse_tenant(raw: str) -> str:
    """What was typed or pasted, as the tenant it names, in stored form.

    Gives "organizations", a lower-case GUID, or a lower-case ASCII domain (an
    international domain in its xn-- form). A pasted email address, web address, sign-in
    address, GUID in braces, or text with white space around it becomes the domain or ID
    inside it. Anything else raises TenantError saying what is accepted.
    """
    text = raw.strip(_EDGES)
    if not text:
        raise TenantError(ACCEPTED)
    _refuse_invisible(text)
    if text.lower() == DEFAULT_TENANT:
        return DEFAULT_TENANT
    guid = _guid(text)
    if guid:
        return guid
    inner = _NAME_AND_ADDRESS.match(text)
    if inner:
        text = inner.group(1).strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:"):]
    if "://" in text:
        return _from_url(text, raw)
    if "@" in text:
        local, _, text = text.rpartition("@")
        if not local or any(c.isspace() for c in local):
            raise _refused(raw)
    return _domain(text, raw)


def unicode_domain(tenant: str) -> str:
    """A stored domain as people read it (xn-- labels in their own script); else as is."""
    if "xn--" not in tenant:
        return tenant
    try:
        return tenant.encode("ascii").decode("idna")
    except UnicodeError:
        return tenant


def is_guid(tenant: str) -> bool:
    try:
        canonical_uuid(tenant)
    except ValueError:
        return False
    return True


def _guid(text: str) -> str | None:
    braced = _BRACED_GUID.match(text)
    candidate = braced.group(1) if braced else text
    if not re.fullmatch(r"[0-9a-fA-F-]{32,36}", candidate):
        return None  # uuid.UUID would also take "urn:uuid:..." and other spellings
    try:
        return canonical_uuid(candidate.lower())
    except ValueError:
        return None


def _from_url(text: str, raw: str) -> str:
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # a broken port or bracket
        raise _refused(raw) from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise _refused(raw)
    if "@" in parts.netloc:
        raise TenantError(
            f'The web address "{_shown(raw)}" holds a user name or password '
            "before its host, so it is not clear which organisation it means. " + ACCEPTED)
    if host in _LOGIN_HOSTS:  # https://login.microsoftonline.com/contoso.com/oauth2/...
        first = parts.path.strip("/").split("/", 1)[0]
        if not first:
            raise _refused(raw)
        if first.lower() in ("common", DEFAULT_TENANT):
            return DEFAULT_TENANT
        return parse_tenant(first)
    if host.startswith("www.") and host.count(".") > 1:
        host = host[len("www."):]  # a pasted company web site: the domain, not its web host
    return _domain(host, raw)


def _domain(text: str, raw: str) -> str:
    name = text.rstrip(".")
    try:
        ascii_name = name.encode("idna").decode("ascii").lower()
    except UnicodeError:  # a label too long or empty, or a character no domain may have
        raise _refused(raw) from None
    if not _DOMAIN.match(ascii_name):
        raise _refused(raw)
    sharepoint = _SHAREPOINT.match(ascii_name)
    if sharepoint:
        return f"{sharepoint.group(1)}.onmicrosoft.{sharepoint.group(2)}"
    return ascii_name


def _refuse_invisible(text: str) -> None:
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn") or ch in "\u2028\u2029":
            raise TenantError(
                f"What you typed contains an invisible or control character (U+{ord(ch):04X}), "
                "usually brought along by copying. " + ACCEPTED)


def _refused(raw: str) -> TenantError:
    return TenantError(
        f'"{_shown(raw)}" is not an organisation o365desk can sign in to. '
        + ACCEPTED)


def _shown(raw: str) -> str:
    """An entry quoted back: one line, no control characters, not too long."""
    text = " ".join(raw.split())
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else "\ufffd" for ch in text)
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 1] + "\u2026"
