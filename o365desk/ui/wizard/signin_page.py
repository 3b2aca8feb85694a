"""Wizard page 4: sign in (embedded view, system browser or device code), errors explained."""

from __future__ import annotations

import dataclasses
import functools
import logging
import threading
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from o365desk.core.signin_errors import (
    Action,
    Explanation,
    TransportKind,
    details_for_it,
    explain,
    explain_transport,
)
from o365desk.ui.signin.flow import SignInFlow
from o365desk.ui.signin.login_view import LoginView
from o365desk.ui.wizard.common import help_label
from o365desk.ui.wizard.signin_panels import DeviceCodePanel, ErrorPanel

A = Action
log = logging.getLogger(__name__)
_ELSEWHERE = (A.USE_SYSTEM_BROWSER, A.USE_DEVICE_CODE)


class SignInPage(QWizardPage):
    """Starts the embedded sign-in on entering; Next comes with a successful sign-in.

    The sign-in's session, result and clean-up belong to its SignInFlow; whoever hosts the
    page (the wizard, or the Sign in again dialog) hears `signed_in` and, for a button
    about the connection's settings, `settings_requested`.
    """

    signed_in = Signal()  # the flow holds the result
    settings_requested = Signal(object)  # an Action: CHECK_ORGANISATION, _CLIENT_ID, ...

    def __init__(self, flow: SignInFlow, timeout_ms: int, parent=None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.setTitle(self.tr("Sign in"))
        self.help = help_label(self.tr(
            "Sign in with the work account o365desk should use, as you would in Outlook on "
            "the web. If your organisation asks, approve the permissions. Your password goes "
            "only to Microsoft; o365desk keeps a sign-in token in this computer's keychain."
        ), self, self.tr("About this step"))
        self.view = LoginView(self, timeout_ms)
        self.error_panel = ErrorPanel(self)
        self.device_panel = DeviceCodePanel(self)
        self.waiting = QWidget(self)
        self.waiting.setAccessibleName(self.tr("Sign-in progress"))
        self.waiting_text = QLabel(self.waiting)
        self.waiting_text.setWordWrap(True)
        self.waiting_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.waiting_text.setAccessibleDescription(self.tr("Sign-in progress"))
        self.busy = QProgressBar(self.waiting)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(240)
        self.busy.setAccessibleName(self.tr("Working"))
        # Only while waiting for the system browser: nothing else would end that wait.
        self.stop_button = QPushButton(self.tr("&Stop waiting"), self.waiting)
        self.stop_button.setAccessibleName(self.tr("Stop waiting for the browser"))
        self.stop_button.setToolTip(self.tr(
            "Stop waiting for the sign-in in your web browser, and choose another way"))
        self.stop_button.hide()
        waiting_layout = QVBoxLayout(self.waiting)
        waiting_layout.addStretch(1)
        waiting_layout.addWidget(self.waiting_text)
        waiting_layout.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignHCenter)
        waiting_layout.addSpacing(12)
        waiting_layout.addWidget(self.stop_button, 0, Qt.AlignmentFlag.AlignHCenter)
        waiting_layout.addStretch(2)
        self.stack = QStackedWidget(self)
        for panel in (self.waiting, self.view, self.error_panel, self.device_panel):
            self.stack.addWidget(panel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.help)
        layout.addWidget(self.stack, 1)
        self.view.redirected.connect(self._on_redirected)
        self.view.failed.connect(self._on_view_failed)
        self.error_panel.action_chosen.connect(self._on_action)
        self.device_panel.copy_requested.connect(self._on_copy_code)
        self.device_panel.open_requested.connect(self._on_open_device_url)
        self.device_panel.cancel_requested.connect(self._on_cancel_device)
        self.stop_button.clicked.connect(self._on_stop_browser)
        self._start = None  # the AuthCodeStart the view runs
        self._device_start = None
        self._stop_waiting = threading.Event()  # ends a device-code or browser wait
        self._attempt = 0  # answers of an earlier attempt are ignored
        self.login_hint: str | None = None  # signing in again: the account to suggest
        self.embedded_allowed = True  # False: IT's policy allows only the browser or a code

    def set_embedded_allowed(self, allowed: bool) -> None:
        """IT's policy (embedded_sign_in false): no sign-in window; the page offers the
        system browser and a code instead, saying why."""
        self.embedded_allowed = allowed

    # --- QWizardPage ---------------------------------------------------------------------

    def initializePage(self) -> None:
        self.begin_embedded()

    def cleanupPage(self) -> None:
        """Back from here: stop signing in and forget what a finished sign-in saved."""
        self.stop()
        self.flow.runner.start(self.flow.discard())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.flow.result is not None

    def stop(self) -> None:
        self._attempt += 1
        self._stop_waiting.set()
        self.view.shutdown()

    # --- the three ways to sign in -------------------------------------------------------

    def begin_embedded(self) -> None:
        if not self.embedded_allowed:
            self.show_explanation(Explanation(
                "policy_no_embedded", self.tr("Sign in with your web browser or a code"),
                self.tr("Your organisation’s IT policy turns off the sign-in window "
                        "inside o365desk. Sign in with your web browser, or with a code on "
                        "this or another device. Ask your IT team if you need the sign-in "
                        "window."),
                (A.USE_SYSTEM_BROWSER, A.USE_DEVICE_CODE), None,
                "embedded_sign_in is false in the IT policy"))
            return
        attempt = self._begin(self.tr("Opening Microsoft's sign-in page\u2026"))
        if self.view.refuse_if_unsafe():  # before any session: nothing to undo
            return
        self.flow.runner.start(self._embedded(attempt))

    async def _embedded(self, attempt: int) -> None:
        start = await self._guard(attempt, lambda: self._start_auth_code())
        if start is None:
            return
        self._start = start
        self.stack.setCurrentWidget(self.view)
        self.view.start(start.auth_uri, start.redirect_uri, start.allowed_hosts)

    async def _start_auth_code(self):
        session = await self.flow.new_session()
        return await self.flow.call(
            functools.partial(session.start_auth_code, login_hint=self.login_hint),
            self._scopes())

    def _on_redirected(self, url: str) -> None:
        attempt = self._begin(self.tr("Finishing the sign-in\u2026"), stop=False)
        session, start = self.flow.session, self._start
        self.flow.runner.start(self._complete(
            attempt, lambda: self.flow.call(session.finish_auth_code, start, url)))

    def begin_browser(self) -> None:
        attempt = self._begin(self.tr(
            "Finish signing in using the browser window that has just opened. This window "
            "continues by itself once you are done."))
        self._stop_waiting = stop = threading.Event()
        self.stop_button.setText(self.tr("&Stop waiting"))
        self.stop_button.setEnabled(True)
        self.stop_button.show()
        self.flow.runner.start(self._complete(attempt, lambda: self._browser(stop)))

    async def _browser(self, stop: threading.Event):
        session = await self.flow.new_session()
        return await self.flow.call(
            functools.partial(session.sign_in_with_browser, login_hint=self.login_hint,
                              should_stop=stop.is_set),
            self._scopes())

    def begin_device_code(self) -> None:
        attempt = self._begin(self.tr("Asking Microsoft for a code\u2026"))
        self._stop_waiting = stop = threading.Event()
        self.flow.runner.start(self._complete(attempt, lambda: self._device(attempt, stop)))

    async def _device(self, attempt: int, stop: threading.Event):
        session = await self.flow.new_session()
        start = await self.flow.call(session.start_device_code, self._scopes())
        if attempt == self._attempt:
            self._device_start = start
            self.device_panel.show_code(start.user_code, start.verification_uri)
            self.stack.setCurrentWidget(self.device_panel)
        return await self.flow.call(session.finish_device_code, start, stop.is_set)

    # --- outcomes ------------------------------------------------------------------------

    def _begin(self, text: str, stop: bool = True) -> int:
        if stop:
            self.stop()
        self._attempt += 1
        self.flow.result = None
        self.completeChanged.emit()
        self.waiting_text.setText(text)
        self.busy.show()
        self.stop_button.hide()
        self.stack.setCurrentWidget(self.waiting)
        return self._attempt

    async def _guard(self, attempt: int, make: Callable[[], Awaitable]):
        """Await make(); show a failure as an explanation. None when it failed or is stale."""
        from o365desk.auth.session import SignInError
        from o365desk.storage.vault import VaultError

        try:
            value = await make()
        except SignInError as exc:
            if attempt == self._attempt:
                self.show_explanation(exc.explanation)
            return None
        except VaultError as exc:
            if attempt == self._attempt:
                self.show_explanation(Explanation(
                    "keychain", exc.headline, str(exc),
                    (A.RETRY,), None, exc.detail or str(exc)))
                if self.flow.new_connection:  # the way out that works without a keychain
                    self.error_panel.show_note(self.tr(
                        "You can still save this connection: click \u201cSave without "
                        "signing in\u201d, then sign in from the list once a keychain is "
                        "there."))
            return None
        except Exception as exc:  # a bug or a surprise: still a message, and a way out
            log.error("sign-in failed unexpectedly", exc_info=exc)
            if attempt == self._attempt:
                self.show_explanation(Explanation(
                    "unexpected", self.tr("Sign-in didn't work"),
                    self.tr("Something unexpected went wrong. Nothing was saved. Try again; "
                            "if it happens again, copy the details for your IT contact."),
                    (A.RETRY, A.CONTACT_ADMIN), None, f"{type(exc).__name__}: {exc}"))
            return None
        return value if attempt == self._attempt else None

    async def _complete(self, attempt: int, make: Callable[[], Awaitable]) -> None:
        result = await self._guard(attempt, make)
        if result is None:
            return
        self.flow.result = result
        text = self.tr("Signed in as {user}.").format(user=result.account.username)
        self.waiting_text.setText(text)
        self.busy.hide()
        self.stop_button.hide()
        self.stack.setCurrentWidget(self.waiting)
        self.completeChanged.emit()
        self.signed_in.emit()  # the wizard goes straight on to the summary

    def _on_view_failed(self, kind: str, detail: str) -> None:
        if kind == "error_page":
            conn = self.flow.draft()
            explanation = explain(None, f"{detail}: the sign-in page showed this error.",
                                  None, tenant=conn.tenant, cloud=conn.cloud,
                                  client_id=conn.client_id, authority=conn.authority)
        elif kind == "certificate":
            explanation = explain_transport(TransportKind.TLS, detail)
        elif kind == "load_error":
            explanation = explain_transport(TransportKind.NETWORK, detail)
        elif kind == "http_error":
            explanation = self._http_error(detail)
        elif kind == "blocked_host":
            host = urlsplit(detail).hostname or detail
            explanation = Explanation(
                "blocked_host", self.tr("The sign-in went somewhere unexpected"),
                self.tr("The sign-in page tried to open {host}, which is not a Microsoft "
                        "sign-in address, so o365desk stopped it to keep your password safe. "
                        "If your organisation signs in through its own server, sign in with "
                        "your web browser instead.").format(host=host),
                (*_ELSEWHERE, A.SIGN_IN_AGAIN), None, f"navigation refused: {detail}")
        elif kind == "no_sandbox":
            explanation = Explanation(
                "no_sandbox", self.tr("The sign-in window can't open here"),
                self.tr("o365desk is running as root (the computer's administrator "
                        "account), where the part that shows Microsoft's sign-in page can't "
                        "run safely, so it stays closed. Sign in with your web browser or "
                        "with a code on another device instead, or close o365desk and start "
                        "it again as your own user."),
                _ELSEWHERE, None, detail)
        elif kind == "render_gone":
            explanation = Explanation(
                "render_gone", self.tr("The sign-in page stopped"),
                self.tr("The sign-in page stopped working before you were signed in (it "
                        "crashed, or the computer closed it, for example when memory ran "
                        "low). Nothing was saved. Sign in again, or sign in with your web "
                        "browser or with a code on another device."),
                (A.SIGN_IN_AGAIN, *_ELSEWHERE), None, detail)
        elif kind == "timeout":
            explanation = Explanation(
                "timeout", self.tr("Sign-in timed out"),
                self.tr("The sign-in was not finished in time, so it was stopped. Nothing "
                        "was saved. Sign in again when you are ready."),
                (A.SIGN_IN_AGAIN, *_ELSEWHERE), None, f"no answer within {detail} ms")
        else:
            explanation = Explanation(
                "cancelled", self.tr("Sign-in cancelled"),
                self.tr("You stopped the sign-in. Nothing was saved. Sign in again when you "
                        "are ready, or use one of the other ways to sign in."),
                (A.SIGN_IN_AGAIN, *_ELSEWHERE), None, "cancelled by the user")
        self.show_explanation(explanation)

    def _http_error(self, detail: str) -> Explanation:
        """The sign-in page came back as an error status (detail "HTTP 503 from ...")."""
        status = detail.split()[1] if detail.startswith("HTTP ") else "?"
        if status.startswith("5"):
            text = self.tr(
                "Microsoft's sign-in service answered with an error on its side (status "
                "{status}) instead of the sign-in page. This is usually brief: wait a minute "
                "and sign in again, or sign in with your web browser or with a code on "
                "another device. Nothing was saved.")
        else:
            text = self.tr(
                "The sign-in address answered with an error (status {status}) instead of the "
                "sign-in page. Sign in again, or sign in with your web browser or with a code "
                "on another device. If it keeps happening, copy the details for your IT "
                "contact. Nothing was saved.")
        return Explanation(
            "http-error", self.tr("The sign-in page could not be loaded"),
            text.format(status=status), (A.SIGN_IN_AGAIN, *_ELSEWHERE, A.CONTACT_ADMIN),
            None, detail)

    def show_explanation(self, explanation: Explanation) -> None:
        # Blocked by Conditional Access: the other two ways are the way out, so offer both,
        # first. Cancelled: any of the three ways may be next.
        if explanation.code == "AADSTS53003":
            explanation = dataclasses.replace(
                explanation, actions=_ELSEWHERE + explanation.actions)
        elif explanation.code == "cancelled":
            explanation = dataclasses.replace(
                explanation, actions=tuple(dict.fromkeys(explanation.actions + _ELSEWHERE)))
        focus = QApplication.focusWidget()  # before the web view, which may have it, goes
        had_focus = focus is None or focus is self.view or self.view.isAncestorOf(focus)
        self.view.shutdown()
        self.error_panel.show_explanation(explanation)
        self.stack.setCurrentWidget(self.error_panel)
        # Keyboard users go on from the card, once its buttons are shown: when the sign-in
        # page had the keyboard, or when nothing shown has it (the card came as the page
        # opened, the keyboard still on the page before).
        QTimer.singleShot(0, self._focus_first_action if had_focus else
                          self._focus_first_action_if_lost)

    def _focus_first_action(self) -> None:
        if self.stack.currentWidget() is self.error_panel and self.error_panel.buttons:
            next(iter(self.error_panel.buttons.values())).setFocus()

    def _focus_first_action_if_lost(self) -> None:
        focus = QApplication.focusWidget()
        if focus is None or not focus.isVisible():
            self._focus_first_action()

    # --- buttons -------------------------------------------------------------------------

    def _on_action(self, action: Action) -> None:
        explanation = self.error_panel.explanation
        if action is A.COPY_ADMIN_CONSENT_LINK:
            url = explanation.admin_consent_url if explanation else None
            if not url:
                from o365desk.auth.admin_consent import shareable_link

                url = shareable_link(self.flow.draft())
            QGuiApplication.clipboard().setText(url)
            self.error_panel.show_note(self.tr(
                "Copied the admin-consent link. Send it to an administrator of your organisation; "
                "once they have approved, click \u201cSign in again\u201d."))
        elif action is A.CONTACT_ADMIN and explanation is not None:
            QGuiApplication.clipboard().setText(details_for_it(explanation))
            self.error_panel.show_note(self.tr("Copied the details. Paste them into a message "
                                               "to your IT contact."))
        elif action in (A.SIGN_IN_AGAIN, A.RETRY):
            self.begin_embedded()
        elif action is A.USE_SYSTEM_BROWSER:
            self.begin_browser()
        elif action is A.USE_DEVICE_CODE:
            self.begin_device_code()
        elif action in (A.CHECK_ORGANISATION, A.CHECK_CLIENT_ID, A.CHECK_PERMISSIONS):
            self.settings_requested.emit(action)

    def _on_copy_code(self) -> None:
        if self._device_start is not None:
            QGuiApplication.clipboard().setText(self._device_start.user_code)
            self.device_panel.set_status(self.tr(
                "Copied the code. Waiting for you to sign in on the other device\u2026"))

    def _on_open_device_url(self) -> None:
        if self._device_start is not None:
            QDesktopServices.openUrl(QUrl(self._device_start.verification_uri))

    def _on_stop_browser(self) -> None:
        self._stop_waiting.set()
        self.stop_button.setEnabled(False)
        self.stop_button.setText(self.tr("Stopping\u2026"))

    def _on_cancel_device(self) -> None:
        self._stop_waiting.set()
        self.device_panel.cancel_button.setEnabled(False)
        self.device_panel.set_status(self.tr("Stopping\u2026"))

    def _scopes(self) -> list[str]:
        return list(self.flow.draft().scopes)
