"""Ask for admin consent: an administrator approves an app-only connection's app.

What the administrator will see, then "Open in browser" (the system browser, with
o365desk listening on the loopback for the answer, off the GUI thread) or "Copy link" (to
send it to an administrator). While waiting, Cancel waiting stops the wait; the answer is
said in plain words (auth/admin_consent.py, auth/consent_listener.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout

from o365desk.core.connection import Connection
from o365desk.core.text import visible
from o365desk.services import Services
from o365desk.ui.async_runner import TaskRunner, off_gui_thread
from o365desk.ui.wizard.common import help_label, problem_label, show_problem

WAIT_SECONDS = 600  # as `o365desk consent`: ten minutes to finish on Microsoft's page


class ConsentDialog(QDialog):
    """Before: the explanation and two buttons; waiting: Cancel waiting; after: the answer."""

    granted = Signal(object)  # the Connection, once the administrator approved
    # From the listening thread: the link it made (shown, and what Copy link copies now).
    _link_made = Signal(str)
    _no_browser = Signal()

    def __init__(self, services: Services, connection: Connection, parent=None,
                 browse: Callable[[str], bool] | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.connection = connection
        self.runner = TaskRunner(self)
        self._browse = browse  # None: the system browser
        self._stop = threading.Event()
        self._link = ""
        self.result = None  # the ConsentResult, once the wait ended
        from o365desk.auth.admin_consent import REDIRECT_NOTE, WHAT_THE_ADMIN_SEES
        from o365desk.ui.message_bar import curly_quotes

        name = visible(connection.nickname)
        self.setWindowTitle(self.tr("Ask for admin consent \u2013 {name}").format(name=name))
        self.setAccessibleName(self.tr("Ask for admin consent"))
        self.intro = help_label(curly_quotes(
            f"{WHAT_THE_ADMIN_SEES} {REDIRECT_NOTE}"), self, self.tr("What the administrator sees"))
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.state.setAccessibleDescription(self.tr("Admin consent progress"))
        self.state.hide()
        self.problem = problem_label(self, self.tr("Admin consent problem"))
        self.buttons = QDialogButtonBox(self)
        role = QDialogButtonBox.ButtonRole
        self.open_button = self._button(self.tr("&Open in browser"), self.tr("Open in browser"),
                                        role.ActionRole)
        self.copy_button = self._button(self.tr("Copy &link"), self.tr("Copy link"),
                                        role.ActionRole)
        self.cancel_wait_button = self._button(self.tr("&Cancel waiting"),
                                               self.tr("Cancel waiting"), role.ActionRole)
        self.cancel_wait_button.hide()
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName(self.tr("Close"))
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self._on_open)
        self.copy_button.clicked.connect(self._on_copy)
        self.cancel_wait_button.clicked.connect(self._on_cancel_wait)
        self.buttons.rejected.connect(self.reject)
        self._link_made.connect(self._on_link)
        self._no_browser.connect(self._on_no_browser)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.state)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(560, 300)
        from o365desk.core import connection_rules

        refused = connection_rules.refusal(connection)
        if refused is not None:  # a damaged connection: nothing to ask for
            show_problem(self.problem, refused.message)
            self.open_button.setEnabled(False)
            self.copy_button.setEnabled(False)

    def _button(self, text: str, name: str, role) -> QPushButton:
        button = self.buttons.addButton(text, role)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        return button

    @property
    def waiting(self) -> bool:
        return self.runner.busy

    def _say(self, text: str) -> None:
        self.state.setText(visible(text, keep_newlines=True))
        self.state.setVisible(bool(text))

    # --- before --------------------------------------------------------------------------

    def _on_copy(self) -> None:
        link = self._link
        if not link:  # not waiting: the printed link, as `o365desk consent --print`
            from o365desk.auth.admin_consent import shareable_link

            link = shareable_link(self.connection)
        QGuiApplication.clipboard().setText(link)
        self._say(self.tr(
            "Copied the link. Send it to an administrator of the organisation; once they "
            "have chosen Accept, check it here with Test connection.") if not self._link
            else self.tr("Copied the link. Open it in a browser on this computer; o365desk "
                         "is waiting for the answer."))

    def _on_open(self) -> None:
        if self.waiting:
            return
        self._stop.clear()
        self._link = ""
        self.result = None
        show_problem(self.problem, "")
        self._say(self.tr("Waiting for the administrator to finish on Microsoft\u2019s page in "
                          "your browser\u2026"))
        self.open_button.setEnabled(False)
        self.cancel_wait_button.show()
        self.cancel_wait_button.setFocus()
        self.runner.start(self._wait())

    # --- waiting -------------------------------------------------------------------------

    async def _wait(self) -> None:
        from o365desk.auth.consent_listener import ask_admin_consent

        def ask():
            return ask_admin_consent(
                self.connection, timeout=WAIT_SECONDS, on_link=self._link_made.emit,
                should_stop=self._stop.is_set, browse=self._browse,
                on_no_browser=self._no_browser.emit)

        try:
            result = await off_gui_thread(ask)
        except OSError as exc:  # no loopback port could be opened
            self._ended()
            show_problem(self.problem, self.tr(
                "o365desk couldn\u2019t listen for the answer on this computer ({reason}). "
                "Choose Copy link and open it anywhere instead; then check it with Test "
                "connection.").format(reason=exc.strerror or exc))
            return
        self.result = result
        self._ended()
        if result.granted:
            self._say(result.message)
            self.granted.emit(self.connection)
            self.close_button.setFocus()
            return
        text = result.message
        if result.error:
            text += self.tr("\nMicrosoft\u2019s answer, for IT: {error}: {description}").format(
                error=result.error, description=result.error_description)
        self._say("")
        show_problem(self.problem, text)
        self.open_button.setFocus()

    def _ended(self) -> None:
        self._link = ""
        self.cancel_wait_button.hide()
        self.open_button.setEnabled(True)

    def _on_link(self, url: str) -> None:
        self._link = url

    def _on_no_browser(self) -> None:
        self._say(self.tr("No browser could be opened here. Choose Copy link and open it in "
                          "a browser on this computer; o365desk is waiting."))

    def _on_cancel_wait(self) -> None:
        self._stop.set()  # the wait ends within a fifth of a second, saying "stopped"

    def done(self, result: int) -> None:
        self._stop.set()  # Esc or Close while waiting: stop listening too
        self.runner.cancel_all()
        super().done(result)
