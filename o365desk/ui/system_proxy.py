"""The window's MSAL and Graph calls follow Qt's proxy configuration, as the web view does.

install() gives auth/proxy.py a system lookup that asks Qt which proxy a URL goes
through: QNetworkProxyFactory.proxyForQuery, i.e. the application's proxy factory, which
by default is Qt's system configuration (the desktop's settings, WinHTTP with PAC on
Windows, the system's on macOS). The environment's HTTPS_PROXY and NO_PROXY still win
(auth/proxy.py asks here only when the environment names no proxy).

Qt's proxy look-up may run on any thread (Qt's own sockets ask it from theirs; the
application-wide settings are behind a lock), and on Windows it may take seconds, so
auth/proxy.py calls it off the GUI thread, once per host, with a deadline.
"""

from __future__ import annotations

from urllib.parse import quote

from PySide6.QtCore import QUrl
from PySide6.QtNetwork import QNetworkProxy, QNetworkProxyFactory, QNetworkProxyQuery

from o365desk.auth import proxy

_HTTP_TYPES = (QNetworkProxy.ProxyType.HttpProxy, QNetworkProxy.ProxyType.HttpCachingProxy)
_NONE_TYPES = (QNetworkProxy.ProxyType.NoProxy, QNetworkProxy.ProxyType.DefaultProxy)


def qt_lookup(url: str) -> str | None:
    """The proxy Qt would use for `url`, as an address (http://host:port), None for direct.

    A SOCKS proxy comes back as socks5://host:port, which auth/proxy.py refuses in words
    (o365desk's HTTP session can't speak SOCKS)."""
    for found in QNetworkProxyFactory.proxyForQuery(QNetworkProxyQuery(QUrl(url))):
        kind = found.type()
        if kind in _NONE_TYPES:
            return None
        if not found.hostName():
            continue
        host = found.hostName()
        host = f"[{host}]" if ":" in host else host
        scheme = "http" if kind in _HTTP_TYPES else "socks5"
        login = ""
        if found.user():
            login = quote(found.user(), safe="") + ":" + quote(found.password(), safe="") + "@"
        where = f"{host}:{found.port()}" if found.port() else host  # no port: the scheme's
        return f"{scheme}://{login}{where}"
    return None


def install() -> None:
    """From now on, a URL the environment names no proxy for goes by Qt's configuration."""
    proxy.set_system_lookup(qt_lookup)
