"""Which proxy o365desk's HTTPS goes through, decided in one place (no Qt here).

In this order:
1. the environment: HTTPS_PROXY, HTTP_PROXY, ALL_PROXY (either case) when one is set;
   NO_PROXY names the hosts reached directly, always (requests' own matching,
   requests.utils.should_bypass_proxies);
2. the system lookup the window installs (set_system_lookup: Qt's proxy configuration,
   the desktop's or the OS's, PAC included), asked once per host and kept for
   SYSTEM_CACHE_S, with a deadline of SYSTEM_LOOKUP_DEADLINE_S;
3. otherwise (the CLI, or a system lookup that failed) the OS settings as requests reads
   them (urllib.request.getproxies: the registry on Windows, the system on macOS).
MSAL's HTTP session, the Graph calls, the web view and `o365desk doctor` all ask here,
so they agree.

A proxy setting is outside input: an address that isn't one is refused with a plain
message (ProxySettingError) rather than failing somewhere deep in a request.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
import urllib.request
from collections.abc import Callable
from urllib.parse import quote, unquote, urlsplit

from o365desk.auth.redact import register_secret
from o365desk.core.text import visible

_SCHEMES = ("https", "http", "all")  # getproxies()'s keys o365desk uses, in order of use
_USABLE = ("http", "https")  # how o365desk can talk to a proxy (not SOCKS)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_MAX_SETTING = 2048
# The system's answer for a host is asked again after this long (settings change rarely).
SYSTEM_CACHE_S = 300.0
# Windows may take seconds to answer (WPAD, a PAC file); past this, go by the OS settings.
SYSTEM_LOOKUP_DEADLINE_S = 15.0

log = logging.getLogger(__name__)


class ProxySettingError(ValueError):
    """The proxy setting can't be used; str() says which setting and what to do."""


@dataclasses.dataclass(frozen=True)
class Proxy:
    """One proxy: how to reach it, and the user name and password it wants, if any."""

    scheme: str
    host: str
    port: int
    username: str = ""
    password: str = dataclasses.field(default="", repr=False)

    @property
    def key(self) -> str:
        """host:port, which the proxy's saved password is kept under."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def url(self, with_login: bool = True) -> str:
        """The proxy's address for requests (with the user name and password when known)."""
        login = ""
        if with_login and self.username:
            login = quote(self.username, safe="") + ":" + quote(self.password, safe="") + "@"
        return f"{self.scheme}://{login}{self.key}"

    def with_login(self, username: str, password: str) -> Proxy:
        return dataclasses.replace(self, username=username, password=password)


def parse(value: str, where: str = "the proxy setting") -> Proxy:
    """A Proxy from an address like http://proxy.example.com:8080 (or proxy:8080, which
    requests reads as http://). Raises ProxySettingError with a plain message."""
    text = value.strip()
    if "://" not in text:
        text = "http://" + text  # what requests does (prepend_scheme_if_needed)
    shown = _shown(value)

    def refused(why: str) -> ProxySettingError:
        return ProxySettingError(
            f"{where} (\"{shown}\") isn't a proxy address o365desk can use: {why}. "
            "Correct it (it looks like http://proxy.example.com:8080), or ask IT for the "
            "right address.")

    if len(value) > _MAX_SETTING:
        raise refused("it is far too long")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise refused("its port isn't a number from 1 to 65535") from None
    scheme = parts.scheme.lower()
    if scheme not in _USABLE:
        raise refused(f"o365desk can reach a proxy by http:// or https://, not {scheme}://"
                      if scheme else "it has no http:// or https:// in front")
    host = parts.hostname or ""
    if not host or any(ch.isspace() or ord(ch) < 0x20 for ch in host):
        raise refused("it has no host name")
    if port == 0:
        raise refused("its port isn't a number from 1 to 65535")
    username, password = unquote(parts.username or ""), unquote(parts.password or "")
    register_secret(password, parts.password)
    return Proxy(scheme, host, port or _DEFAULT_PORTS[scheme], username, password)


def configured() -> dict[str, Proxy]:
    """The proxies in force, by the scheme of the address they carry (https, http, all):
    the environment's, or the OS settings as requests reads them (not the system lookup)."""
    return _checked_proxies(urllib.request.getproxies())


def from_environment() -> dict[str, Proxy]:
    """The proxies the environment variables name (HTTPS_PROXY, ...), by scheme."""
    return _checked_proxies(urllib.request.getproxies_environment())


def _checked_proxies(found: dict[str, str]) -> dict[str, Proxy]:
    return {scheme: parse(found[scheme], _setting_name(scheme))
            for scheme in _SCHEMES if found.get(scheme)}


def proxy_for(url: str) -> Proxy | None:
    """The proxy a request to `url` goes through (with its login), None for direct; in
    the order the module's docstring gives.

    NO_PROXY is requests' own matching (should_bypass_proxies), not a copy of it.
    """
    from requests.utils import should_bypass_proxies

    proxies = from_environment()
    lookup = _system_lookup
    if not proxies and lookup is None:
        proxies = configured()
        if not proxies:
            return None
    if should_bypass_proxies(url, no_proxy=None):
        return None
    if not proxies:  # the environment names none: the system's answer
        return _from_system(url, lookup)
    return _chosen(proxies, url)


def _chosen(proxies: dict[str, Proxy], url: str) -> Proxy | None:
    chosen = proxies.get(urlsplit(url).scheme.lower()) or proxies.get("all")
    return None if chosen is None else login_for(chosen)


# --- the system lookup (the window's: Qt's proxy configuration) ---------------------------

SystemLookup = Callable[[str], "str | None"]
_system_lookup: SystemLookup | None = None
_system_answers: dict[tuple[str, str, int | None], tuple[float, str | None]] = {}
_system_lock = threading.Lock()
_UNANSWERED = object()


def set_system_lookup(lookup: SystemLookup | None) -> None:
    """Ask `lookup(url)` -> a proxy address (http://host:port) or None (direct) for every
    URL the environment names no proxy for; None: no system lookup (the OS settings as
    requests reads them). It may be slow and is called off the GUI thread, with a deadline."""
    global _system_lookup
    with _system_lock:
        _system_lookup = lookup
        _system_answers.clear()


def system_lookup() -> SystemLookup | None:
    return _system_lookup


def _from_system(url: str, lookup: SystemLookup) -> Proxy | None:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    key = (parts.scheme.lower(), (parts.hostname or "").lower(), port)
    now = time.monotonic()
    with _system_lock:
        cached = _system_answers.get(key)
    if cached is not None and cached[0] > now:
        answer = cached[1]
    else:
        answer = _ask_with_deadline(lookup, url)
        if answer is _UNANSWERED:  # too slow or failed: the OS settings as requests reads them
            return _chosen(configured(), url)
        with _system_lock:
            if _system_lookup is lookup:
                _system_answers[key] = (now + SYSTEM_CACHE_S, answer)
    if not answer:
        return None
    return login_for(parse(answer, "The system's proxy setting"))


def _ask_with_deadline(lookup: SystemLookup, url: str):
    """lookup(url) on a thread of its own, waited for SYSTEM_LOOKUP_DEADLINE_S at most."""
    result: list = []
    done = threading.Event()

    def ask() -> None:
        try:
            found = lookup(url)
            result.append(found if isinstance(found, str) or found is None else _UNANSWERED)
        except Exception as exc:
            log.warning("the system's proxy setting could not be read: %s", type(exc).__name__)
            result.append(_UNANSWERED)
        finally:
            done.set()

    threading.Thread(target=ask, name="o365desk-proxy-lookup", daemon=True).start()
    if not done.wait(SYSTEM_LOOKUP_DEADLINE_S):
        log.warning("the system's proxy setting took over %.0f s to answer; the OS "
                    "settings are used", SYSTEM_LOOKUP_DEADLINE_S)
        return _UNANSWERED
    return result[0]


# Proxy logins given in this run (asked for, or read from the keychain), by Proxy.key.
_logins: dict[str, tuple[str, str]] = {}
_logins_lock = threading.Lock()


def remember_login(proxy: Proxy, username: str, password: str) -> None:
    """Use this user name and password for `proxy` from now on, in this process."""
    register_secret(password, quote(password, safe=""))  # as typed, and as in its address
    with _logins_lock:
        _logins[proxy.key] = (username, password)


def forget_login(proxy: Proxy) -> None:
    with _logins_lock:
        _logins.pop(proxy.key, None)


def login_for(proxy: Proxy) -> Proxy:
    """`proxy` with the login remembered for it (the one in its address comes first)."""
    if proxy.username:
        return proxy
    with _logins_lock:
        known = _logins.get(proxy.key)
    return proxy.with_login(*known) if known else proxy


def _setting_name(scheme: str) -> str:
    """The environment variable that gave this scheme's proxy, for messages."""
    for name in (f"{scheme}_proxy", f"{scheme.upper()}_PROXY"):
        if os.environ.get(name):
            return f"The proxy setting {name}"
    return f"The system's proxy setting for {scheme}"


def _shown(value: str) -> str:
    """The setting as it may be shown: any password in it masked, nothing unprintable."""
    text = value.strip()[:200]
    at = text.rfind("@")
    start = text.find("://") + 3 if "://" in text else 0
    if at > start and ":" in text[start:at]:
        user = text[start:at].split(":", 1)[0]
        text = f"{text[:start]}{user}:***{text[at:]}"
    return visible(text)
