"""The embedded sign-in's proxy: the one auth/proxy.py decides, given to QtWebEngine.

QtWebEngine takes Qt's application proxy (QNetworkProxy.setApplicationProxy), or, with
QNetworkProxyFactory.setUseSystemConfiguration(True), the system's proxy settings (the
desktop's on Linux, the OS's on Windows and macOS). A proxy the environment names
(HTTPS_PROXY, with NO_PROXY) wins, as it does for MSAL and Graph; with none, Qt's own
configuration is left as it is (the system's by default), which is what MSAL and Graph
follow in the window too (ui/system_proxy.py). Set before each sign-in page loads: the
web engine reads it per request.
"""

from __future__ import annotations

import logging

from PySide6.QtNetwork import QNetworkProxy, QNetworkProxyFactory

from o365desk.auth import proxy

log = logging.getLogger(__name__)
_set_here = False  # the application proxy is one apply_for set (the environment's)


def _follows_qt() -> bool:
    """Whether Qt answers proxy questions from a factory (the system's, or one the
    application installed) rather than from a fixed application proxy."""
    if QNetworkProxyFactory.usesSystemConfiguration():
        return True
    return QNetworkProxy.applicationProxy().type() != QNetworkProxy.ProxyType.NoProxy


def apply_for(url: str) -> proxy.Proxy | None:
    """Make the web engine reach `url` the way MSAL would; returns the proxy (None: direct
    or the system's settings)."""
    global _set_here
    try:
        configured = proxy.from_environment()
        chosen = proxy.proxy_for(url) if configured else None
    except proxy.ProxySettingError as exc:  # the sign-in itself reports it, in words
        log.warning("proxy setting not used for the sign-in page: %s", exc)
        configured, chosen = {}, None
    if not configured:
        if _set_here or not _follows_qt():
            QNetworkProxyFactory.setUseSystemConfiguration(True)
            _set_here = False
        return None  # Qt's configuration: the system's, or the application's own factory
    QNetworkProxyFactory.setUseSystemConfiguration(False)
    _set_here = True
    if chosen is None:  # NO_PROXY names the sign-in host
        QNetworkProxy.setApplicationProxy(QNetworkProxy(QNetworkProxy.ProxyType.NoProxy))
        return None
    if chosen.scheme != "http":
        # Qt's application proxy speaks plain HTTP to the proxy; leave it to the system.
        log.warning("an https:// proxy is left to the system settings for the sign-in page")
        QNetworkProxyFactory.setUseSystemConfiguration(True)
        _set_here = False
        return None
    QNetworkProxy.setApplicationProxy(QNetworkProxy(
        QNetworkProxy.ProxyType.HttpProxy, chosen.host, chosen.port, chosen.username,
        chosen.password))
    return chosen
