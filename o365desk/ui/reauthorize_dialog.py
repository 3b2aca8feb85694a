"""Sign in again with a saved connection: the wizard's sign-in page, in a dialog of its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout

from o365desk import usecases
from o365desk.core.connection import Connection
from o365desk.core.signin_errors import Action
from o365desk.services import Services
from o365desk.ui.async_runner import TaskRunner, off_gui_thread
from o365desk.ui.signin.login_view import DEFAULT_TIMEOUT_MS
from o365desk.ui.wizard.common import help_label, problem_label, show_problem
from o365desk.ui.wizard.signin_page import SignInPage

T = TypeVar("T")


class _FixedSettings:
    """Stands in for the wizard's organisation page: a saved connection's settings are
    changed elsewhere, so "check the client ID" has nothing to open here."""

    def show_advanced(self) -> None:
        pass


class ReauthorizeDialog(QDialog):
    """Hosts SignInPage for one saved connection (the page's `wizard`), asking for the
    connection's current permissions, so newly added ones get approved."""

    signed_in = Signal(object, object)  # the saved Connection, the SignInResult

    def __init__(self, services: Services, connection: Connection, parent=None, *,
                 login_timeout_ms: int = DEFAULT_TIMEOUT_MS) -> None:
        super().__init__(parent)
        self.services = services
        self.connection = connection
        self.extra_ca_files = tuple(services.session_options.get("extra_ca_files", ()))
        self.session: Any = None
        self.result: Any = None
        self.runner = TaskRunner(self)
        self.organisation_page = _FixedSettings()
        self._started = False
        self._saving = False
        user = connection.account.username if connection.account else ""
        self.setWindowTitle(self.tr("Sign in \u2013 {name}").format(name=connection.nickname))
        self.setAccessibleName(self.tr("Sign in again"))
        intro = self.tr(
            "Sign in as {user} to keep using \u201c{name}\u201d. If permissions were added "
            "to the connection, you are asked to approve them.").format(
            user=user, name=connection.nickname) if user else self.tr(
            "Sign in to start using \u201c{name}\u201d.").format(name=connection.nickname)
        self.intro = help_label(intro, self, self.tr("About this sign-in"))
        self.page = SignInPage(self, login_timeout_ms)
        self.page.help.hide()  # the intro above says it for this dialog
        self.page.login_hint = user or None
        # The organisation, app and permissions of a saved connection aren't edited here:
        # the message says what is wrong, and no button pretends to fix it.
        self.page.error_panel.hidden_actions = frozenset(
            {Action.CHECK_ORGANISATION, Action.CHECK_CLIENT_ID, Action.CHECK_PERMISSIONS})
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

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.page.begin_embedded()

    # --- what SignInPage asks of its wizard ----------------------------------------------

    def draft(self) -> Connection:
        return self.connection

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        return await off_gui_thread(fn, *args)

    async def new_session(self) -> Any:
        """The connection's session; its saved sign-in stays until a new one succeeds."""
        self.session = await off_gui_thread(self.services.session_for, self.connection)
        return self.session

    async def discard_sign_in(self) -> None:
        self.result = None

    def currentPage(self) -> SignInPage:
        return self.page

    def currentId(self) -> int:
        return -1  # no earlier pages to go back to

    def back(self) -> None:
        pass

    def next(self) -> None:
        """Signed in: save who and until when, then close."""
        if self.result is None or self._saving:
            return
        self._saving = True
        self.runner.start(self._save(self.result))

    async def _save(self, result: Any) -> None:
        from o365desk.storage.store import StoreError

        try:
            saved = await off_gui_thread(usecases.record_sign_in, self.services,
                                         self.connection, result)
        except StoreError as exc:
            self._saving = False
            show_problem(self.save_problem, self.tr(
                "Signed in, but the connection could not be saved: {reason}").format(
                reason=exc))
            return
        self.signed_in.emit(saved, result)
        self.accept()

    def done(self, result: int) -> None:
        self.page.stop()
        super().done(result)
