"""The embedded sign-in view: a web page with a progress bar, a status line and a way out."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from o365desk.auth.redact import register_secrets_in
from o365desk.core import webengine_sandbox
from o365desk.ui import proxy_auth_dialog
from o365desk.ui.signin import web_proxy
from o365desk.ui.signin.profile import SignInProfile
from o365desk.ui.signin.web_page import SignInWebPage

log = logging.getLogger(__name__)
DEFAULT_TIMEOUT_MS = 10 * 60 * 1000  # a person may need a while, e.g. to find their phone
_AADSTS = re.compile(r"AADSTS\d+")
# Reads an error page's AADSTS code: the element Microsoft's (and the fake's) error pages
# show it in, else any AADSTS number in the visible text.
_READ_ERROR_CODE = """(function () {
  var el = document.getElementById('error-code');
  var text = el ? el.textContent : (document.body ? document.body.innerText : '');
  var m = /AADSTS\\d+/.exec(text || '');
  return m ? m[0] : '';
})()"""
_ABORTED = -3  # net::ERR_ABORTED: a navigation we refused, not a failure


class LoginView(QWidget):
    """Shows Microsoft's sign-in page and reports how it ended, exactly once per start().

    redirected(url): the sign-in reached the redirect URI (the URL holds code and state);
    nothing was sent there. failed(kind, detail): kind is one of cancelled, timeout,
    blocked_host, certificate, load_error, error_page (detail: the AADSTS code),
    http_error (an error status with no AADSTS code; detail: "HTTP 503 from ADDRESS"),
    render_gone (the page's process crashed or was killed), no_sandbox (running as root,
    where the web engine would end the whole app: nothing was opened).
    finished: after either, once the page and its profile are gone.
    Escape anywhere in the view while a sign-in runs acts like its stop button.
    """

    redirected = Signal(str)
    failed = Signal(str, str)
    finished = Signal()

    def __init__(self, parent: QWidget | None = None, timeout_ms: int = DEFAULT_TIMEOUT_MS):
        super().__init__(parent)
        self.setAccessibleName(self.tr("Sign-in page"))
        self.timeout_ms = timeout_ms
        self.status = QLabel(self.tr("The sign-in page appears here."), self)
        self.status.setWordWrap(True)
        self.status.setAccessibleDescription(self.tr("Sign-in status"))
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.setAccessibleName(self.tr("Page loading progress"))
        self.progress.hide()
        # Not "Cancel": the window's own Cancel closes it; this one stops only the page.
        self.cancel_button = QPushButton(self.tr("Sign in another &way"), self)
        self.cancel_button.setAccessibleName(self.tr("Sign in another way"))
        self.cancel_button.setToolTip(self.tr(
            "Stop signing in here (Esc), and sign in with your web browser or with a code on "
            "another device instead. Nothing is saved."))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        # Escape in the page: the web view keeps it from the window, so catch it first.
        self._escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self._escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._escape.setEnabled(False)
        self._escape.activated.connect(self.cancel)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.cancel_button)
        self._layout.addLayout(top)
        self._layout.addWidget(self.progress)
        self.placeholder = QWidget(self)
        self.placeholder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._layout.addWidget(self.placeholder, 1)
        self.view = None  # a QWebEngineView while a sign-in runs
        self.page: SignInWebPage | None = None
        self._profile: SignInProfile | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)
        self._proxy_logins: dict = {}  # proxy key -> the login the page was given for it
        self._done = True

    @property
    def running(self) -> bool:
        return not self._done

    def start(
        self,
        auth_uri: str,
        redirect_uri: str,
        allowed_hosts: Iterable[str],
        extra_ca_pem_paths: Iterable[Path | str] = (),
    ) -> None:
        """Open a fresh profile and page and load `auth_uri`."""
        if self.refuse_if_unsafe():
            return
        self._teardown()
        self._done = False
        from PySide6.QtWebEngineWidgets import QWebEngineView

        web_proxy.apply_for(auth_uri)  # the proxy MSAL and Graph use, before the page
        self._profile = SignInProfile(extra_ca_pem_paths)
        self.view = QWebEngineView(self)
        self.view.setAccessibleName(self.tr("Microsoft sign-in page"))
        self.page = SignInWebPage(self._profile.profile, redirect_uri, frozenset(allowed_hosts),
                               self.view)
        self.view.setPage(self.page)
        self.page.redirect_caught.connect(self._on_redirect)
        self.page.refused.connect(self._on_refused)
        self.page.certificate_refused.connect(self._on_certificate)
        self.page.loadStarted.connect(self._on_load_started)
        self.page.loadProgress.connect(self.progress.setValue)
        self.page.loadingChanged.connect(self._on_loading_changed)
        self.page.urlChanged.connect(self._on_url_changed)
        self.page.renderProcessTerminated.connect(self._on_render_gone)
        tried: set[str] = set()  # proxies whose login this page was given already
        given = self._proxy_logins = {}  # ... and those logins, kept once a page loads
        self.page.proxyAuthenticationRequired.connect(
            lambda url, authenticator, host: proxy_auth_dialog.answer_web_engine(
                url.toString(), authenticator, host, tried, given))
        self.placeholder.hide()
        self._layout.addWidget(self.view, 1)
        self.cancel_button.setEnabled(True)
        self._escape.setEnabled(True)
        self._set_status(self.tr("Opening Microsoft's sign-in page\u2026"))
        self._timer.start(self.timeout_ms)
        self.view.load(QUrl(auth_uri))
        self.view.setFocus()

    def refuse_if_unsafe(self) -> bool:
        """As root with Chromium's sandbox on, creating the web engine (even its profile)
        would end the whole app: report failed("no_sandbox") instead and return True.
        Callers may ask before preparing a sign-in; start() asks anyway."""
        if not webengine_sandbox.embedded_view_refused():
            return False
        detail = webengine_sandbox.refusal_detail()
        log.warning("embedded sign-in not opened: %s", detail)
        self._teardown()
        self._done = False
        self._set_status(self.tr("The sign-in window can't open while o365desk runs as root."))
        self._fail("no_sandbox", detail)
        return True

    def cancel(self) -> None:
        if not self._done:
            self._set_status(self.tr("Sign-in cancelled."))
            self._fail("cancelled", "")

    def run_javascript(self, script: str, callback=None) -> None:
        """For tests and screenshots: run a script in the page."""
        if self.page is not None:
            if callback is None:
                self.page.runJavaScript(script)
            else:
                self.page.runJavaScript(script, 0, callback)

    # --- what the page reports -----------------------------------------------------------

    def _on_redirect(self, url: str) -> None:
        parts = urlsplit(url)
        # The code (and state, client_info) is masked in every log line from now on.
        register_secrets_in(parse_qsl(parts.query or parts.fragment))
        if self._done:
            return
        self._set_status(self.tr("Signed in at Microsoft; finishing\u2026"))
        self._end()
        self.redirected.emit(url)
        self.finished.emit()

    def _on_refused(self, kind: str, url: str) -> None:
        host = urlsplit(url).hostname or url
        if kind == "external":
            self._set_status(self.tr(
                "{host} opened in your web browser: it is not part of the sign-in."
            ).format(host=host))
            return
        if kind == "link":
            self._set_status(self.tr(
                "That link leads to {host} without encryption, so o365desk did not open it."
            ).format(host=host))
            return
        self._set_status(self.tr(
            "The sign-in tried to open {host}, which is not a Microsoft sign-in address, "
            "so o365desk stopped it."
        ).format(host=host))
        self._fail("blocked_host", _address(url))

    def _on_certificate(self, url: str, description: str) -> None:
        host = urlsplit(url).hostname or url
        self._set_status(self.tr(
            "The connection to {host} is not trusted ({problem}), so o365desk stopped."
        ).format(host=host, problem=description))
        self._fail("certificate", f"{_address(url)}: {description}")

    def _on_load_started(self) -> None:
        self.progress.setValue(0)
        self.progress.show()

    def _on_url_changed(self, url: QUrl) -> None:
        if not self._done and url.host():
            secure = url.scheme() == "https"
            self._set_status(
                (self.tr("Secure page from {host}") if secure
                 else self.tr("Page from {host} (not encrypted)")).format(host=url.host())
            )

    def _on_loading_changed(self, info) -> None:
        from PySide6.QtWebEngineCore import QWebEngineLoadingInfo

        status = info.status()
        if status in (QWebEngineLoadingInfo.LoadStatus.LoadStartedStatus,):
            return
        self.progress.hide()
        if self._done or status == QWebEngineLoadingInfo.LoadStatus.LoadStoppedStatus:
            return
        domain = info.errorDomain()
        failed = status == QWebEngineLoadingInfo.LoadStatus.LoadFailedStatus
        if failed and domain == QWebEngineLoadingInfo.ErrorDomain.CertificateErrorDomain:
            return  # reported by the certificate handler already
        if failed and info.errorCode() == _ABORTED:
            return
        if failed and domain != QWebEngineLoadingInfo.ErrorDomain.HttpStatusCodeDomain:
            self._set_status(self.tr("The sign-in page could not be loaded: {error}").format(
                error=info.errorString()))
            self._fail("load_error", f"{_address(info.url().toString())}: {info.errorString()}")
            return
        if self._proxy_logins:  # through the proxy with the login given: it was accepted
            proxy_auth_dialog.keep_given(self._proxy_logins)
        # Loaded (an HTTP error status still shows a page): is it an error page? One that
        # names no AADSTS code but came with an error status is the end of this sign-in
        # too: nothing on it leads on, so waiting would be for ever.
        status_code = info.errorCode() if failed else 0
        address = _address(info.url().toString())
        page = self.page
        if page is not None:
            page.runJavaScript(_READ_ERROR_CODE, 0,
                               lambda code: self._on_error_code(code, page, status_code,
                                                                address))

    def _on_error_code(self, code, page=None, status_code: int = 0, address: str = "") -> None:
        if self._done or (page is not None and page is not self.page):
            return
        if isinstance(code, str) and _AADSTS.fullmatch(code):
            self._set_status(self.tr("Microsoft stopped the sign-in ({code}).").format(
                code=code))
            self._fail("error_page", code)
        elif status_code >= 400:
            self._set_status(self.tr(
                "The sign-in page could not be loaded: Microsoft's sign-in service answered "
                "with an error (status {status}). Try again in a minute, sign in with your "
                "web browser instead, or cancel."
            ).format(status=status_code))
            self._fail("http_error", f"HTTP {status_code} from {address}")

    def _on_render_gone(self, status, exit_code: int) -> None:
        """The process that draws the page crashed or was killed (by the system when memory
        ran low, or by a person): the page is blank for good, so end this sign-in."""
        if self._done:
            return
        name = getattr(status, "name", str(status))
        log.warning("sign-in page process ended: %s, exit code %s", name, exit_code)
        self._set_status(self.tr("The sign-in page stopped unexpectedly."))
        detail = f"sign-in page process ended: {name}, exit code {exit_code}"
        # Report it after this signal: whoever hears "failed" may delete the page, and
        # deleting it inside its own renderProcessTerminated ends the app. Nothing else of
        # the dead page counts meanwhile.
        self._done = True
        self._timer.stop()
        page = self.page

        def report() -> None:
            if self.page is page:  # not shut down or started again meanwhile
                self._fail("render_gone", detail)

        QTimer.singleShot(0, report)

    def _on_timeout(self) -> None:
        if self._done:
            return
        minutes = max(1, round(self.timeout_ms / 60000))
        self._set_status(self.tr(
            "The sign-in was not finished within {minutes} minutes, so it was stopped. "
            "Start it again when you are ready."
        ).format(minutes=minutes))
        self._fail("timeout", str(self.timeout_ms))

    # --- ending ----------------------------------------------------------------------------

    def _fail(self, kind: str, detail: str) -> None:
        self._end()
        self.failed.emit(kind, detail)
        self.finished.emit()

    def _end(self) -> None:
        self._done = True
        self._timer.stop()
        self.cancel_button.setEnabled(False)
        self._escape.setEnabled(False)
        self.progress.hide()
        # Later, not now: we may be inside one of the page's own calls.
        QTimer.singleShot(0, self._teardown)

    def _teardown(self) -> None:
        """Delete the page, then its profile and its folder (cookies and all)."""
        view, self.view, self.page = self.view, None, None
        if view is not None:
            import shiboken6

            view.hide()
            self._layout.removeWidget(view)
            view.page().triggerAction(view.page().WebAction.Stop)
            shiboken6.delete(view)  # its page goes with it, before the profile
        profile, self._profile = self._profile, None
        if profile is not None:
            profile.close()
        self.placeholder.show()

    def _set_status(self, text: str) -> None:
        self.status.setText(text)

    def closeEvent(self, event) -> None:
        self.cancel()
        self._teardown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """End a running sign-in quietly and free everything now (the owner is closing)."""
        self._done = True
        self._timer.stop()
        self._escape.setEnabled(False)
        self._teardown()


def _address(url: str) -> str:
    """The address without its query and fragment, for the details IT may be sent: the
    sign-in's state, nonce and PKCE challenge, or a form's fields, stay out of them."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
