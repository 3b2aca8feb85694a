"""Sign in again with a saved connection: the wizard's sign-in page, in a dialog of its own."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout

from o365desk import usecases
from o365desk.core.connection import Connection
from o365desk.core.signin_errors import Action
from o365desk.core.text import visible
from o365desk.services import Services
from o365desk.ui.async_runner import TaskRunner, off_gui_thread
from o365desk.ui.signin.flow import SignInFlow
from o365desk.ui.signin.login_view import DEFAULT_TIMEOUT_MS
from o365desk.ui.wizard.common import help_label, problem_label, show_problem
from o365desk.ui.wizard.signin_page import SignInPage


class ReauthorizeDialog(QDialog):
    """The sign-in page for one saved connection, asking for the connection's current
    permissions, so newly added ones get approved. Its sign-in stays until a new one
    succeeds (SignInFlow for a saved connection)."""

    signed_in = Signal(object, object)  # the saved Connection, the SignInResult
    # The sign-in says a permission is wrong: the person wants Edit connection for it.
    edit_requested = Signal(object)  # the Connection

    def __init__(self, services: Services, connection: Connection, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.connection = connection
        self.runner = TaskRunner(self)
        self.flow = SignInFlow(services, lambda: self.connection, new_connection=False,
                               parent=self)
        self._started = False
        self._saving = False
        user = connection.account.username if connection.account else ""
        # The names as the file holds them, with any control or bidi character as an escape.
        name, shown_user = visible(connection.nickname), visible(user)
        self.setWindowTitle(self.tr("Sign in \u2013 {name}").format(name=name))
        self.setAccessibleName(self.tr("Sign in again"))
        intro = self.tr(
            "Sign in as {user} to keep using \u201c{name}\u201d. If permissions were added "
            "to the connection, you are asked to approve them.").format(
            user=shown_user, name=name) if user else self.tr(
            "Sign in to start using \u201c{name}\u201d.").format(name=name)
        self.intro = help_label(intro, self, self.tr("About this sign-in"))
        self.page = SignInPage(self.flow, DEFAULT_TIMEOUT_MS, self)
        self.page.help.hide()  # the intro above says it for this dialog
        self.page.login_hint = user or None
        from o365desk.core import effective_settings  # IT's policy may turn the window off

        self.page.set_embedded_allowed(effective_settings.load().embedded_sign_in)
        # A saved connection's organisation and app aren't changed here: the message says
        # what is wrong, and no button pretends to fix it. Its permissions are: Edit.
        self.page.error_panel.hidden_actions = frozenset(
            {Action.CHECK_ORGANISATION, Action.CHECK_CLIENT_ID})
        self.page.signed_in.connect(self._on_signed_in)
        self.page.settings_requested.connect(self._on_settings_requested)
        self.save_problem = problem_label(self, self.tr("Saving problem"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel"))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.page, 1)
        layout.addWidget(self.save_problem)
        layout.addWidget(self.buttons)
        self.resize(820, 680)

    @property
    def session(self) -> Any:
        return self.flow.session

    @property
    def result(self) -> Any:
        return self.flow.result

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.page.begin_embedded()

    def _on_settings_requested(self, action: Action) -> None:
        if action is Action.CHECK_PERMISSIONS:
            self.edit_requested.emit(self.connection)
            self.reject()

    def _on_signed_in(self) -> None:
        """Signed in: save who and until when, then close."""
        if self.result is None or self._saving:
            return
        self._saving = True
        self.buttons.setEnabled(False)  # it closes by itself once saved
        self.runner.start(self._save(self.result))

    async def _save(self, result: Any) -> None:
        from o365desk.storage.store import StoreError
        from o365desk.storage.vault import VaultError

        saved = None
        try:
            saved = await off_gui_thread(usecases.record_sign_in, self.services,
                                         self.connection, result)
        except (StoreError, VaultError) as exc:
            show_problem(self.save_problem, self.tr(
                "Signed in, but the connection could not be saved: {reason}").format(
                reason=exc))
            return
        finally:
            if saved is None:  # failed (a surprise too): the dialog can be closed again
                self._saving = False
                self.buttons.setEnabled(True)
        self.signed_in.emit(saved, result)
        self.accept()

    def reject(self) -> None:
        if self._saving:
            return  # Cancel, Esc or closing while saving: the save finishes first
        super().reject()

    def done(self, result: int) -> None:
        self.page.stop()
        self.flow.runner.cancel_all()
        super().done(result)
