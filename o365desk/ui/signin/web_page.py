"""The sign-in page: catches the redirect before it leaves, keeps to the sign-in hosts."""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWebEngineCore import (
    QWebEngineCertificateError,
    QWebEnginePage,
    QWebEngineProfile,
)

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Schemes a sign-in page uses for itself (blank frames, inline images): never a host to check.
_LOCAL_SCHEMES = frozenset({"about", "data", "blob"})


def _port(scheme: str, port: int | None) -> int | None:
    return port if port is not None else _DEFAULT_PORTS.get(scheme)


def is_redirect(url: str, redirect_uri: str) -> bool:
    """Whether `url` goes to the redirect URI (same scheme, host and port, path under it)."""
    try:
        target, wanted = urlsplit(url), urlsplit(redirect_uri)
        target_port, wanted_port = target.port, wanted.port
    except ValueError:
        return False
    if target.scheme.lower() != wanted.scheme.lower():
        return False
    if (target.hostname or "") != (wanted.hostname or ""):
        return False
    if _port(target.scheme, target_port) != _port(wanted.scheme, wanted_port):
        return False
    base = wanted.path.rstrip("/")
    path = target.path or "/"
    return path == base or path.startswith(base + "/") or (not base and path.startswith("/"))


def host_allowed(url: QUrl, allowed_hosts: frozenset[str]) -> bool:
    """Whether the URL's host is allowed: "host", "host:port", or "*.domain" (subdomains)."""
    host = url.host().lower().rstrip(".")
    port = url.port(_DEFAULT_PORTS.get(url.scheme().lower(), -1))
    for pattern in allowed_hosts:
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and host != pattern[2:]:
                return True
            continue
        name, _, wanted_port = pattern.rpartition(":") if pattern.count(":") == 1 else (
            pattern, "", "")
        if name == host and (not wanted_port or wanted_port == str(port)):
            return True
    return False


class SignInWebPage(QWebEnginePage):
    """A page that never lets the redirect (with the code) leave, nor wander off the hosts.

    acceptNavigationRequest runs before Chromium sends anything, so the redirect URI is
    never contacted: in the embedded view nothing needs to listen there.
    """

    redirect_caught = Signal(str)  # the full redirect URL, with code and state
    refused = Signal(str, str)  # kind ("blocked_host", "external", "link"), the URL
    certificate_refused = Signal(str, str)  # the URL, what is wrong with its certificate

    def __init__(
        self,
        profile: QWebEngineProfile,
        redirect_uri: str,
        allowed_hosts: frozenset[str],
        parent=None,
    ) -> None:
        super().__init__(profile, parent)
        self.redirect_uri = redirect_uri
        self.allowed_hosts = frozenset(h.strip().lower().rstrip(".") for h in allowed_hosts)
        self.certificateError.connect(self._on_certificate_error)

    def acceptNavigationRequest(
        self, url: QUrl, type: QWebEnginePage.NavigationType, isMainFrame: bool
    ) -> bool:
        text = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        if is_redirect(text, self.redirect_uri):
            self.redirect_caught.emit(text)
            return False
        scheme = url.scheme().lower()
        if scheme in _LOCAL_SCHEMES:
            return True
        if scheme in ("http", "https") and host_allowed(url, self.allowed_hosts):
            return True
        if not isMainFrame:
            return False  # a frame from elsewhere (a tracker, an ad) simply stays empty
        if type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
            # A help or privacy link: fine to read, but not inside the sign-in window; and
            # only over HTTPS, where the browser can tell whose page it is.
            if scheme == "https":
                QDesktopServices.openUrl(url)
                self.refused.emit("external", text)
            else:
                self.refused.emit("link", text)
            return False
        self.refused.emit("blocked_host", text)
        return False

    def _on_certificate_error(self, error: QWebEngineCertificateError) -> None:
        # Extra CAs the user or an admin configured are in the profile already, so a
        # certificate that reaches this handler chains to nobody we trust: refuse it.
        error.rejectCertificate()
        self.certificate_refused.emit(error.url().toString(), error.description())
