"""The rules every sign-in authority and Graph endpoint passes, typed or read from a file.

An address is used only when it is plain HTTPS: no user name or password before the host,
a valid port, no spaces, control or invisible characters, no query or fragment, a host that
is a proper DNS name (international names in their xn-- form, one script per label, none
made of letters that only look Latin) or an IP address. An address on a Microsoft host must
be on the connection's own cloud; any other host is an explicit custom address.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import unicodedata

from o365desk.core.clouds import Cloud
from o365desk.core.tenant import TenantError

_SHOWN_MAX = 60
ADDRESS_MAX = 2048  # characters of an authority or Graph endpoint
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_PORT = re.compile(r"^[0-9]{1,5}$")
_TENANT_PART = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,253}[A-Za-z0-9])?$")
_PATH_PART = re.compile(r"^[A-Za-z0-9._~-]{1,100}$")
_API_VERSIONS = ("/v1.0", "/beta")
# Dots other than "." that IDNA would turn into one: a host must spell its dots plainly.
_OTHER_DOTS = "\u3002\uff0e\uff61"

# Microsoft's sign-in hosts, by the clouds that use them.
_MICROSOFT_LOGIN_HOSTS: dict[str, frozenset[Cloud]] = {
    "login.microsoftonline.com": frozenset({Cloud.GLOBAL}),
    "login.microsoft.com": frozenset({Cloud.GLOBAL}),
    "login.windows.net": frozenset({Cloud.GLOBAL}),
    "sts.windows.net": frozenset({Cloud.GLOBAL}),
    "login.microsoftonline.us": frozenset({Cloud.USGOV, Cloud.USGOVDOD}),
    "login.microsoft.us": frozenset({Cloud.USGOV, Cloud.USGOVDOD}),
    "login.chinacloudapi.cn": frozenset({Cloud.CHINA}),
    "login.partner.microsoftonline.cn": frozenset({Cloud.CHINA}),
}
_MICROSOFT_GRAPH_HOSTS = {c.graph_endpoint.removeprefix("https://"): c for c in Cloud}

# Letters of other scripts drawn like Latin ones: a label made only of these reads as a
# Latin name it is not (Cyrillic "аррӏе" for "apple").
_LATIN_LOOKALIKES = frozenset(
    "аеорсухіјѕһԁԛԝӏвкмнтьгпѵѡӄқҝұүһӀ"  # Cyrillic
    "αβεηικνορτυχωϲϳ"  # Greek
    "օսոցհյզ"  # Armenian
)
# Scripts most of whose letters are drawn like Latin capitals (Cherokee "ᎪᎢ" for "AT").
_LOOKALIKE_SCRIPTS = frozenset({"CHEROKEE"})
# Scripts that share one label in real names (Japanese mixes kana and kanji).
_SCRIPT_FAMILIES = {"HIRAGANA": "JAPANESE", "KATAKANA": "JAPANESE", "CJK": "JAPANESE",
                    "KATAKANA-HIRAGANA": "JAPANESE", "IDEOGRAPHIC": "JAPANESE",
                    "HANGUL": "HANGUL"}


class EndpointError(TenantError):
    """An authority or Graph endpoint that breaks a rule; str(error) says what to use."""


def normalize_authority(raw: str | None, cloud: Cloud | None = None) -> str | None:
    """An authority override as https://host[:port]/tenant, or None when empty.

    `cloud`: the connection's cloud; a Microsoft sign-in host of another cloud is refused.
    """
    if raw is None or not raw.strip():
        return None
    example = "https://login.microsoftonline.com/contoso.com"
    host, port, path = _https_parts(raw, "authority", example)
    parts = [p for p in path.split("/") if p] if path.strip("/") else []
    if len(parts) != 1 or "//" in path.rstrip("/") or not _TENANT_PART.match(parts[0]):
        raise EndpointError(
            f"The authority \"{_shown(raw)}\" must look like {example}: a host and "
            "one part naming the organisation (letters, digits, dots and hyphens), nothing "
            "after it.")
    clouds = _MICROSOFT_LOGIN_HOSTS.get(host)
    if cloud is not None and clouds is not None and cloud not in clouds:
        raise EndpointError(
            f"The authority \"{_shown(raw)}\" is Microsoft's sign-in for another "
            f"cloud, but this connection is in the {cloud.label} cloud. Leave the authority "
            f"empty, or use {cloud.authority_for(parts[0])}.")
    return f"https://{host}{port}/{parts[0]}"


def on_cloud_hosts(address: str, cloud: Cloud, *, graph: bool = False) -> bool:
    """Whether a checked authority (or Graph endpoint) is on Microsoft's own sign-in hosts
    (or Microsoft Graph) of `cloud`, rather than an organisation's or anyone else's."""
    host = address.removeprefix("https://").split("/", 1)[0]
    if graph:
        return _MICROSOFT_GRAPH_HOSTS.get(host) is cloud
    return cloud in _MICROSOFT_LOGIN_HOSTS.get(host, ())


def normalize_graph_endpoint(raw: str | None, cloud: Cloud | None = None) -> str | None:
    """A Graph endpoint override as https://host[:port][/path] (no API version), or None.

    `cloud`: the connection's cloud; Microsoft Graph of another cloud is refused.
    """
    if raw is None or not raw.strip():
        return None
    example = "https://graph.microsoft.com"
    host, port, path = _https_parts(raw, "Graph endpoint", example)
    path = path.rstrip("/")
    for version in _API_VERSIONS:  # a pasted ".../v1.0" means the endpoint before it
        if path.lower().endswith(version):
            path = path[: -len(version)].rstrip("/")
    parts = path.split("/")[1:] if path else []
    if not all(_PATH_PART.match(p) for p in parts):
        raise EndpointError(
            f"The Graph endpoint \"{_shown(raw)}\" must look like {example}: a host "
            "(and a path if your organisation gave you one, made of letters, digits, dots "
            "and hyphens), nothing after it.")
    owner = _MICROSOFT_GRAPH_HOSTS.get(host)
    if cloud is not None and owner is not None and owner is not cloud:
        raise EndpointError(
            f"The Graph endpoint \"{_shown(raw)}\" is Microsoft Graph of another "
            f"cloud, but this connection is in the {cloud.label} cloud. Leave the Graph "
            f"endpoint empty, or use {cloud.graph_endpoint}.")
    return f"https://{host}{port}{path}"


def _https_parts(raw: str, what: str, example: str) -> tuple[str, str, str]:
    """Check an https address; give its host (ASCII, lower case), ":port" or "", and path."""
    text = raw.strip(" ")  # a space around a pasted address; anything else is refused
    if len(text) > ADDRESS_MAX:
        raise EndpointError(
            f"The {what} \"{_shown(raw)}\" is {len(text):,} characters long; a real "
            f"one has at most {ADDRESS_MAX:,}. Type it like {example}.")
    for ch in text:
        if ch.isspace() or unicodedata.category(ch)[0] == "C":
            name = "a space" if ch == " " else f"an invisible or control character " \
                f"(U+{ord(ch):04X})"
            raise EndpointError(
                f"The {what} \"{_shown(raw)}\" contains {name}, usually brought along "
                f"by copying. Type it again, like {example}.")
    if "\\" in text:
        raise EndpointError(
            f"The {what} \"{_shown(raw)}\" contains a backslash (\\); web addresses "
            f"use / only. Type it like {example}.")
    if not text.lower().startswith("https://"):
        raise EndpointError(
            f"The {what} \"{_shown(raw)}\" must start with https:// (sign-ins and "
            f"tokens only travel over HTTPS). Type it like {example}.")
    if "?" in text or "#" in text:
        raise EndpointError(
            f"The {what} \"{_shown(raw)}\" must end after its path: no ? or # part. "
            f"Type it like {example}.")
    netloc, slash, path = text[len("https://"):].partition("/")
    if "@" in netloc:
        raise EndpointError(
            f"The {what} \"{_shown(raw)}\" holds a user name or password before its "
            "host (the part before \"@\"), which hides where it really goes. Use the "
            f"address alone, like {example}.")
    if "%" in text:
        raise EndpointError(
            f"The {what} \"{_shown(raw)}\" contains a %-encoded character; type it "
            f"plainly, like {example}.")
    host, port = _host_and_port(netloc, raw, what, example)
    return host, port, slash + path


def _host_and_port(netloc: str, raw: str, what: str, example: str) -> tuple[str, str]:
    if netloc.startswith("["):
        inside, bracket, after = netloc[1:].partition("]")
        if not bracket:
            raise _bad_host(raw, what, example)
        try:
            host = f"[{ipaddress.IPv6Address(inside).compressed}]"
        except ValueError:
            raise _bad_host(raw, what, example) from None
        port_text = after
    else:
        host, colon, port_text = netloc.partition(":")
        port_text = colon + port_text
        host = _dns_or_ipv4(host, raw, what, example)
    port = ""
    if port_text:
        digits = port_text[1:]
        if not port_text.startswith(":") or not _PORT.match(digits) \
                or not 0 < int(digits) < 65536:
            raise EndpointError(
                f"The {what} \"{_shown(raw)}\" has a port that is not a number from "
                f"1 to 65535 after the host. Leave the port out, like {example}.")
        port = f":{int(digits)}"
    return host, port


def _dns_or_ipv4(host: str, raw: str, what: str, example: str) -> str:
    if not host:
        raise _bad_host(raw, what, example)
    try:
        socket.inet_aton(host)  # what the resolver would take as an IPv4 address
    except OSError:
        pass
    else:  # only in its plain dotted form (not 2130706433, 0x7f000001 or 127.1)
        try:
            return str(ipaddress.IPv4Address(host))
        except ValueError:
            raise _bad_host(raw, what, example) from None
    if re.fullmatch(r"[0-9.]+", host):
        raise _bad_host(raw, what, example)
    if any(d in host for d in _OTHER_DOTS) or host.endswith(".") or len(host) > 253:
        raise _bad_host(raw, what, example)
    labels = []
    for label in host.split("."):
        labels.append(_label(label, raw, what, example))
    if labels[-1].isdigit() or len(".".join(labels)) > 253:
        raise _bad_host(raw, what, example)
    return ".".join(labels)


def _label(label: str, raw: str, what: str, example: str) -> str:
    """One host label in its ASCII form, after the homograph checks."""
    if label.isascii():
        ascii_label = label.lower()
        if ascii_label.startswith("xn--"):
            try:
                shown = ascii_label.encode("ascii").decode("idna")
            except UnicodeError:
                raise _bad_host(raw, what, example) from None
            _one_script(shown, raw, what)
    else:
        if unicodedata.normalize("NFKC", label) != label:
            raise _homograph(raw, what)
        _one_script(label, raw, what)
        try:
            ascii_label = label.encode("idna").decode("ascii").lower()
        except UnicodeError:
            raise _bad_host(raw, what, example) from None
    if not _LABEL.match(ascii_label):
        raise _bad_host(raw, what, example)
    return ascii_label


def _one_script(label: str, raw: str, what: str) -> None:
    scripts = set()
    for ch in label:
        if ch.isascii() and not ch.isalpha():
            continue  # digits and hyphens go with any script
        if "\u0250" <= ch <= "\u02ff":  # phonetic letters and modifiers: "ɡ" for "g"
            raise _homograph(raw, what)
        try:
            first = unicodedata.name(ch).split()[0]
        except ValueError:
            raise _homograph(raw, what) from None
        if first in _LOOKALIKE_SCRIPTS:
            raise _homograph(raw, what)
        scripts.add(_SCRIPT_FAMILIES.get(first, first))
    letters = [ch for ch in label if ch.isalpha()]
    if len(scripts) > 1 or (letters and all(ch in _LATIN_LOOKALIKES for ch in letters)):
        raise _homograph(raw, what)


def _bad_host(raw: str, what: str, example: str) -> EndpointError:
    return EndpointError(
        f"The {what} \"{_shown(raw)}\" does not have a valid host name after "
        f"https://. Type it like {example}.")


def _homograph(raw: str, what: str) -> EndpointError:
    return EndpointError(
        f"The {what} \"{_shown(raw)}\" has a host name mixing letters of different "
        "alphabets, or letters that only look like Latin ones; it could pass for another "
        "address. Type the address yourself in plain letters, or ask your IT contact for it.")


def _shown(raw: str) -> str:
    """An address quoted back: one line, control characters made visible, not too long."""
    text = "".join("\ufffd" if unicodedata.category(ch)[0] == "C" or ch.isspace() and ch != " "
                   else ch for ch in raw.strip()[: _SHOWN_MAX + 1])
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 1] + "\u2026"


_LOOPBACK_REDIRECT = re.compile(
    r"^http://(localhost|127\.0\.0\.1)(:(?P<port>[0-9]{1,5}))?(/[A-Za-z0-9._~/-]*)?$")
NATIVE_CLIENT_REDIRECTS = frozenset(
    f"https://{host}/common/oauth2/nativeclient"
    for host in ("login.microsoftonline.com", "login.microsoftonline.us",
                 "login.chinacloudapi.cn"))


def check_redirect_uri(raw: str) -> str:
    """A redirect URI sign-ins may use: http://localhost or http://127.0.0.1 (any port, a
    plain path), or a cloud's nativeclient page; EndpointError otherwise."""
    text = raw.strip(" ")
    loopback = _LOOPBACK_REDIRECT.match(text)
    if text in NATIVE_CLIENT_REDIRECTS or loopback and (
            loopback["port"] is None or 0 < int(loopback["port"]) < 65536):
        return text
    raise EndpointError(
        f"The redirect URI \"{_shown(raw)}\" is not one o365desk can catch a sign-in "
        "on. Use http://localhost (a port may follow, such as http://localhost:8400) or "
        "http://127.0.0.1, or https://login.microsoftonline.com/common/oauth2/nativeclient, "
        "as registered on the app registration.")
