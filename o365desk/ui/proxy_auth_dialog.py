"""The window's question for a proxy that wants a user name and password (HTTP 407).

ProxyAuthDialog: the proxy named, a user name, a masked password, OK and Cancel; told
when the last answer was refused. WindowAsker is auth/proxy_login.py's `ask` for the
window: a sign-in running off the GUI thread waits (with a deadline) while the GUI thread
shows the dialog. install_for_window() makes the window's LoginSource (the keychain, then
this dialog); the web view's own 407 (QWebEnginePage.proxyAuthenticationRequired) is
answered by answer_web_engine().
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from o365desk.auth import proxy as proxies
from o365desk.auth import proxy_login
from o365desk.auth.redact import register_secret
from o365desk.core.text import visible
from o365desk.ui.form_parts import captioned_row, main_and_cancel, masked_line
from o365desk.ui.wizard.common import help_label, problem_label, show_problem

log = logging.getLogger(__name__)

# A person answering the question: long enough to find the password, not for ever.
ANSWER_DEADLINE_S = 300.0


class ProxyAuthDialog(QDialog):
    """User name and masked password for one proxy."""

    def __init__(self, proxy_key: str, username: str = "", refused: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        where = visible(proxy_key)
        self.setWindowTitle(self.tr("Network proxy sign-in"))
        self.setAccessibleName(self.tr("Network proxy sign-in"))
        self.intro = help_label(self.tr(
            "Your network\u2019s proxy ({proxy}) asks for a user name and password before "
            "o365desk can reach Microsoft. Enter the ones IT gave you for the network. "
            "o365desk keeps them in this computer\u2019s keychain, so you are asked only "
            "once.").format(proxy=where), self, self.tr("About this question"))
        self.username = QLineEdit(self)
        self.username.setAccessibleName(self.tr("User name"))
        self.username.setMaxLength(256)
        self.username.setText(username)
        self.password = masked_line(self, self.tr("Password"))
        self.password.setMaxLength(256)
        form = QFormLayout()
        captioned_row(form, self.tr("&User name:"), self.username, self)
        captioned_row(form, self.tr("&Password:"), self.password, self)
        self.problem = problem_label(self, self.tr("Problem with the proxy sign-in"))
        if refused:
            show_problem(self.problem, self.tr(
                "The proxy didn\u2019t accept that user name and password. Check them "
                "(the password is case-sensitive) and try again."))
        self.buttons, self.ok_button = main_and_cancel(
            self, self.tr("&Sign in to the proxy"), self._on_ok,
            QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()
        layout.activate()
        fits = layout.totalHeightForWidth(500) if layout.hasHeightForWidth() else -1
        self.resize(500, fits if fits > 0 else self.sizeHint().height())
        self.answer: tuple[str, str] | None = None

    def _on_ok(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if password:
            register_secret(password)  # the moment it leaves the field
        if not username:
            show_problem(self.problem, self.tr("Enter your user name for the network."))
            self.username.setFocus()
            return
        if not password:
            show_problem(self.problem, self.tr("Enter your password for the network."))
            self.password.setFocus()
            return
        self.answer = (username, password)
        self.password.clear()
        self.accept()

    def reject(self) -> None:
        self.password.clear()
        super().reject()


def ask_in_dialog(proxy: proxies.Proxy, refused: bool,
                  parent: QWidget | None = None) -> tuple[str, str] | None:
    """Show the dialog (on the GUI thread) and return its answer, None when cancelled."""
    shown = proxy.key if proxy.port else proxy.host  # the web engine names no port
    dialog = ProxyAuthDialog(shown, proxy.username, refused,
                             parent or QApplication.activeWindow())
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    try:
        dialog.exec()
        return dialog.answer
    finally:
        dialog.deleteLater()


class _Question:
    def __init__(self, proxy: proxies.Proxy, refused: bool) -> None:
        self.proxy, self.refused = proxy, refused
        self.answer: tuple[str, str] | None = None
        self.done = threading.Event()


class WindowAsker(QObject):
    """Asks on the GUI thread, whichever thread the request that met the 407 runs on."""

    _asked = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._asked.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def __call__(self, proxy: proxies.Proxy, refused: bool) -> tuple[str, str] | None:
        if QThread.currentThread() is self.thread():
            return ask_in_dialog(proxy, refused)
        question = _Question(proxy, refused)
        self._asked.emit(question)
        if not question.done.wait(ANSWER_DEADLINE_S):
            log.warning("no answer to the proxy's question in %.0f s", ANSWER_DEADLINE_S)
            return None
        return question.answer

    @Slot(object)
    def _show(self, question: _Question) -> None:
        try:
            question.answer = ask_in_dialog(question.proxy, question.refused)
        finally:
            question.done.set()


def install_for_window(services, parent: QObject | None = None) -> WindowAsker:
    """The window's proxy logins: the keychain, then the dialog. Returns the asker (keep
    it alive with `parent`)."""
    asker = WindowAsker(parent)
    holder: list = []

    def vault():
        if not holder:
            holder.append(proxy_login.proxy_vault(services.vault()))
        return holder[0]

    proxy_login.install(proxy_login.LoginSource(vault, asker))
    return asker


def answer_web_engine(request_url: str, authenticator, proxy_host: str,
                      tried: set[str], given: dict[str, proxies.Proxy] | None = None) -> None:
    """QWebEnginePage.proxyAuthenticationRequired: the login given in this run first, then
    the one kept in the keychain, then the dialog (told when the last one was refused);
    `tried` is the page's own. The proxy is the one MSAL and Graph use for that URL (the
    environment's, or Qt's system configuration's in the window), so a login given here
    is theirs too, and kept in the keychain once the proxy accepts it: from MSAL or
    Graph, or from the page (`given`, the page's own, then keep_given once it loads)."""
    try:
        chosen = proxies.proxy_for(request_url)
    except proxies.ProxySettingError:
        chosen = None
    if chosen is None or chosen.host.lower() != proxy_host.lower():
        chosen = proxies.Proxy("http", proxy_host, 0)
    refused = chosen.key in tried
    tried.add(chosen.key)
    known = proxies.login_for(chosen)
    if known.username and not refused:
        _fill(authenticator, known.username, known.password)
        return
    source = proxy_login.installed()
    if source is not None:  # the keychain (once), then the person, as for MSAL's requests
        answer = source.login_for(known if known.username else chosen, refused)
    else:
        answer = ask_in_dialog(chosen, refused)
    if answer is None:
        return  # no login given: the page reports the proxy's refusal
    proxies.remember_login(chosen, *answer)
    if source is not None:
        source.given(chosen.with_login(*answer))
    if given is not None:
        given[chosen.key] = chosen.with_login(*answer)
    _fill(authenticator, *answer)


def keep_given(given: dict[str, proxies.Proxy]) -> threading.Thread | None:
    """The page loaded through the proxies it was given logins for: they were accepted,
    so the ones the person typed are kept in the keychain (as MSAL's are), written off
    the GUI thread (the keychain has its own deadline). Returns that thread."""
    source, accepted = proxy_login.installed(), list(given.values())
    given.clear()
    if source is None or not accepted:
        return None

    def keep() -> None:
        for proxy in accepted:
            source.accepted(proxy)

    worker = threading.Thread(target=keep, name="o365desk-keep-proxy-login", daemon=True)
    worker.start()
    return worker


def _fill(authenticator, username: str, password: str) -> None:
    authenticator.setUser(username)
    authenticator.setPassword(password)
