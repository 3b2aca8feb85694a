"""Per-connection sign-in actions of the main window: test, sign in again, sign out, status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication

from o365desk import usecases
from o365desk.core.connection import Connection
from o365desk.storage.store import StoreError
from o365desk.storage.vault import VaultError
from o365desk.ui import dialogs
from o365desk.ui.async_runner import off_gui_thread
from o365desk.ui.connection_state import damaged_reason
from o365desk.ui.connections_changed import ConnectionsChanged
from o365desk.ui.message_bar import Level
from o365desk.ui.window_keeper import WindowKeeper

if TYPE_CHECKING:
    from o365desk.auth.token_state import TokenState
    from o365desk.core.signin_errors import Action, Explanation
    from o365desk.ui.connections_view import ConnectionsView

# Results that mean the saved sign-in no longer works (not "a permission is missing").
_NEEDS_SIGN_IN_NOT = frozenset({"graph-403", "trusted-certificates"})


def needs_sign_in(explanation: Explanation) -> bool:
    from o365desk.core.signin_errors import Action as A  # noqa: N814 (loaded on first use)

    return A.SIGN_IN_AGAIN in explanation.actions and A.CHECK_PERMISSIONS not in \
        explanation.actions and explanation.code not in _NEEDS_SIGN_IN_NOT


class ConnectionActions(QObject):
    """Slots behind Test connection, Sign in again and Sign out, and the status refresh."""

    changed = Signal(object)  # ConnectionsChanged: after every change saved here
    # The selected connection's permissions should change (Edit connection, these ticked).
    edit_requested = Signal(object)  # a tuple of permission names

    def __init__(self, main: ConnectionsView) -> None:
        super().__init__(main)
        self.main = main
        self.window = w = main.window
        self.services = main.services
        self.model = main.model
        self.runner = main.runner
        self.keychain_status = main.keychain_status
        self.dialogs = WindowKeeper(self)  # the open ReauthorizeDialog, freed once closed
        self._busy: set[str] = set()
        self._explanation: Explanation | None = None
        self._result_conn: Connection | None = None
        for action, button, slot in (
            (w.act_replace_credential, w.details.replace_credential_button,
             self._on_replace_credential),
            (w.act_admin_consent, w.details.admin_consent_button, self._on_admin_consent),
            (w.act_test, w.details.test_button, self._on_test),
            (w.act_sign_in, w.details.sign_in_button, self._on_sign_in),
            (w.act_sign_out, w.details.sign_out_button, self._on_sign_out),
        ):
            action.triggered.connect(slot)
            button.clicked.connect(slot)
        w.details.consent_button.clicked.connect(self._on_copy_consent)
        self.keychain_status.changed.connect(self.refresh_states)

    # --- enabling ------------------------------------------------------------------------

    def update(self, conn: Connection | None, write_block: str) -> None:
        """Enable what makes sense for `conn`; `write_block` says why saving is off, if so."""
        w, d = self.window, self.window.details
        signed = conn is not None and conn.account is not None
        if conn is None:
            common = self.tr("Select a connection first.")
        elif not self.keychain_status.available:
            common = self.tr("The keychain can't be reached, so no sign-in can be made or "
                             "used here. The message at the top of the window says what to "
                             "do.")
        elif conn.damage:
            common = damaged_reason(conn)
        elif conn.id in self._busy:
            common = self.tr("Wait until the current action on this connection has finished.")
        elif self.main.is_deleting(conn.id):
            common = self.tr("Wait until the deletion has finished.")
        else:
            common = ""
        from o365desk.core.connection import Kind

        app_only = conn is not None and conn.kind == Kind.APP_ONLY
        not_signed = "" if signed or app_only else self.tr("Not signed in yet: sign in first.")
        # Nobody signs in to an app-only connection: its credential is replaced instead.
        for action, button, shown in ((w.act_sign_in, d.sign_in_button, not app_only),
                                      (w.act_sign_out, d.sign_out_button, not app_only),
                                      (w.act_replace_credential,
                                       d.replace_credential_button, app_only),
                                      (w.act_admin_consent, d.admin_consent_button,
                                       app_only)):
            action.setVisible(shown)
            button.setVisible(shown)
        w.act_sign_in.setText(self.tr("Sign &in again\u2026") if signed or conn is None
                              else self.tr("Sign &in\u2026"))
        d.sign_in_button.setText(self.tr("Sign in a&gain\u2026") if signed or conn is None
                                 else self.tr("Si&gn in\u2026"))
        d.sign_in_button.setAccessibleName(self.tr("Sign in again") if signed or conn is None
                                           else self.tr("Sign in"))
        for action, button, reason, tip in (
            (w.act_test, d.test_button, common or not_signed,
             self.tr("Ask Microsoft Graph whether the connection works, and how fast")),
            (w.act_sign_in, d.sign_in_button, common or write_block,
             self.tr("Sign in with this connection, approving any permissions added")),
            (w.act_sign_out, d.sign_out_button, common or not_signed or write_block,
             self.tr("Remove this connection's saved sign-in from this computer")),
            (w.act_replace_credential, d.replace_credential_button,
             common or write_block or ("" if app_only else self.tr(
                 "A person signs in to this connection: it has no app credential.")),
             self.tr("Give this app-only connection a new client secret")),
            (w.act_admin_consent, d.admin_consent_button, common or ("" if app_only else
             self.tr("A person signs in to this connection: copy its admin-consent link.")),
             self.tr("Ask an administrator to approve this app for the organisation")),
        ):
            action.setEnabled(not reason)
            button.setEnabled(not reason)
            action.setToolTip(reason or tip)
            button.setToolTip(reason or tip)

    # --- status from the saved sign-ins --------------------------------------------------

    def refresh_states(self) -> None:
        """Read every signed-in connection's saved sign-in (off the GUI thread, no network)."""
        if self.keychain_status.state is None or not self.keychain_status.available:
            return
        signed = [c for c in self.model.connections() if c.account is not None]
        if signed:
            self.runner.start(self._read_states(signed))

    async def _read_states(self, connections: list[Connection]) -> None:
        def read_all() -> dict[str, TokenState | None]:
            from o365desk.auth.token_state import read_token_state

            vault = self.services.vault()
            return {c.id: read_token_state(vault, c) for c in connections}

        try:
            states = await off_gui_thread(read_all)
        except VaultError:
            return  # the keychain check says so already, with Retry
        for conn_id, state in states.items():
            old = self.model.state_of(conn_id)
            if state is not None and old is not None and old.needs_sign_in:
                state = state.with_needs_sign_in()  # a refresh failed since: still true
            self.model.set_state(conn_id, state)

    # --- test ----------------------------------------------------------------------------

    def _on_test(self) -> None:
        conn = self.main.current()
        if conn is None or not self.window.act_test.isEnabled():
            return
        self._set_busy(conn.id, True)
        self.window.statusBar().showMessage(
            self.tr("Testing \u201c{name}\u201d\u2026").format(name=conn.nickname))
        self.runner.start(self._test(conn))

    async def _test(self, conn: Connection) -> None:
        try:
            outcome = await off_gui_thread(usecases.test, self.services, conn)
        except VaultError as exc:
            self._keychain_refused(exc, self.tr("\u201c{name}\u201d could not be tested.")
                                   .format(name=conn.nickname))
            return
        finally:
            self._set_busy(conn.id, False)
            self.window.statusBar().clearMessage()
        if self.model.row_of(conn.id) < 0:
            return  # deleted meanwhile (from the command line): nothing to say about it
        result, state = outcome.result, outcome.state
        # "Last used" was noted (or nothing changed): the list shows it, the selection stays.
        self.changed.emit(ConnectionsChanged(saved=outcome.connection, select=False))
        if not result.ok and result.explanation is not None and \
                needs_sign_in(result.explanation):
            from o365desk.auth.token_state import TokenState

            state = (state or TokenState(True)).with_needs_sign_in()
        if state is not None:
            self.model.set_state(conn.id, state)
        if result.ok:
            text = self.tr("Connected to {org} in {ms} ms with \u201c{name}\u201d.").format(
                org=result.summary or conn.tenant, ms=round(result.latency_ms or 0),
                name=conn.nickname)
            self.show_result(conn, text + self._roles_words(outcome.roles))
        else:
            self.show_failure(conn, result.explanation)

    def _roles_words(self, roles: tuple[str, ...]) -> str:
        """An app-only test: the application permissions its token carries, named."""
        if not roles:
            return ""
        from o365desk.core.text import visible

        names = ", ".join(visible(r) for r in roles)  # the server's words: never raw
        if len(roles) == 1:
            return " " + self.tr("Its token carries the application permission {names}.") \
                .format(names=names)
        return " " + self.tr("Its token carries the application permissions {names}.") \
            .format(names=names)

    def show_result(self, conn: Connection, text: str) -> None:
        bar = self.window.result_bar
        self._result_conn, self._explanation = conn, None
        bar.clear_buttons()
        bar.show_message(text, Level.INFO)

    def show_failure(self, conn: Connection, explanation: Explanation) -> None:
        explanation = self._in_window_words(conn, explanation)
        bar = self.window.result_bar
        self._result_conn, self._explanation = conn, explanation
        bar.clear_buttons()
        from o365desk.core.connection import Kind
        from o365desk.core.signin_errors import Action as A  # noqa: N814 (loaded on first use)

        consent = self.tr("As&k for admin consent\u2026") if conn.kind == Kind.APP_ONLY \
            else self.tr("Co&py admin-consent link")
        labels = {A.SIGN_IN_AGAIN: self.tr("Sign in a&gain\u2026"),
                  A.COPY_ADMIN_CONSENT_LINK: consent,
                  A.CHECK_PERMISSIONS: self.tr("Change &permissions\u2026"),
                  A.RETRY: self.tr("T&ry again"),
                  A.CONTACT_ADMIN: self.tr("Copy details for I&T"),
                  A.REPLACE_CREDENTIAL: self.tr("Re&place credential\u2026"),
                  # The organisation and the client ID are changed in the edit dialog.
                  A.CHECK_ORGANISATION: self.tr("Edit co&nnection\u2026"),
                  A.CHECK_CLIENT_ID: self.tr("Edit co&nnection\u2026")}
        actions = list(dict.fromkeys(explanation.actions))
        if explanation.raw and A.CONTACT_ADMIN not in actions:
            actions.append(A.CONTACT_ADMIN)  # the raw answer for IT: always one click away
        shown: set[str] = set()
        buttons = []
        for action in actions:
            if action in labels and labels[action] not in shown:
                shown.add(labels[action])
                button = bar.add_button(labels[action], labels[action].replace("&", ""))
                button.clicked.connect(lambda _=False, a=action: self._on_result_action(a))
                buttons.append(button)
        details = bar.add_button(self.tr("Detail&s\u2026"), self.tr("Show the error details"))
        details.clicked.connect(self._on_result_details)
        # Beside the menus and the details pane's own Ask for admin consent, Replace
        # credential...: each Alt letter does one thing.
        from o365desk.ui.mnemonics import free_letters, letters_in_use

        free_letters([*buttons, details], letters_in_use(self.window, bar))
        bar.show_message(self.tr("\u201c{name}\u201d didn't work. {title}. {message}").format(
            name=conn.nickname, title=explanation.title, message=explanation.message),
            Level.ERROR)

    # An app's "no admin consent yet" says to copy the link; here the button that opens
    # or copies it is Ask for admin consent.
    _COPY_THE_LINK = "copy the admin-consent link and send it to one"
    _ASK_IN_WINDOW = ("choose Ask for admin consent to open Microsoft's approval page or "
                      "copy its link for one")

    @classmethod
    def _in_window_words(cls, conn: Connection, explanation: Explanation) -> Explanation:
        """Missing application roles end with the CLI's `o365desk consent` command, and an
        app's missing consent says to copy the link: here the window's own Ask for admin
        consent says it, with its button."""
        import dataclasses

        from o365desk.core.connection import Kind
        from o365desk.core.signin_errors import Action as A  # noqa: N814 (loaded on first use)

        if conn.kind == Kind.APP_ONLY and A.COPY_ADMIN_CONSENT_LINK in explanation.actions \
                and cls._COPY_THE_LINK in explanation.message:
            return dataclasses.replace(explanation, message=explanation.message.replace(
                cls._COPY_THE_LINK, cls._ASK_IN_WINDOW))
        command = f'again: o365desk consent "{conn.nickname}".'
        if explanation.code != "roles-missing" or not explanation.message.endswith(command):
            return explanation
        return dataclasses.replace(
            explanation, message=explanation.message[:-len(command)]
            + "again: choose Ask for admin consent.",
            actions=(A.COPY_ADMIN_CONSENT_LINK, *explanation.actions))

    def _on_result_action(self, action: Action) -> None:
        conn, explanation = self._result_conn, self._explanation
        if conn is None or explanation is None:
            return
        if self.model.row_of(conn.id) < 0:  # its connection was deleted meanwhile
            self.forget_result()
            return
        self.main.select(conn.id)
        from o365desk.core.connection import Kind
        from o365desk.core.signin_errors import Action as A  # noqa: N814 (loaded on first use)

        if action is A.SIGN_IN_AGAIN:
            self._on_sign_in()
        elif action is A.CHECK_PERMISSIONS:
            self.edit_requested.emit(tuple(explanation.scopes))
        elif action in (A.CHECK_ORGANISATION, A.CHECK_CLIENT_ID):
            self.edit_requested.emit(())  # the edit dialog, nothing ticked
        elif action is A.RETRY:
            self._on_test()
        elif action is A.REPLACE_CREDENTIAL:
            self._on_replace_credential()
        elif action is A.COPY_ADMIN_CONSENT_LINK and conn.kind == Kind.APP_ONLY:
            self._on_admin_consent()  # the dialog opens the page or copies the link
        elif action is A.COPY_ADMIN_CONSENT_LINK:
            from o365desk.auth.admin_consent import shareable_link

            QGuiApplication.clipboard().setText(explanation.admin_consent_url or
                                                shareable_link(conn))
            self.window.statusBar().showMessage(self.tr(
                "Copied the admin-consent link. Send it to an administrator of your organisation."),
                8000)
        elif action is A.CONTACT_ADMIN:
            from o365desk.core.signin_errors import details_for_it

            QGuiApplication.clipboard().setText(details_for_it(explanation))
            self.window.statusBar().showMessage(self.tr("Copied the details for IT."), 5000)

    def is_busy(self, conn_id: str) -> bool:
        """Whether a test, sign-in or sign-out of that connection is under way."""
        return conn_id in self._busy

    def forget_result(self) -> None:
        """Hide the result bar when its connection is no longer listed (deleted here or
        elsewhere): its buttons would act on another connection."""
        conn = self._result_conn
        if conn is None or self.model.row_of(conn.id) >= 0:
            return
        self._result_conn, self._explanation = None, None
        self.window.result_bar.hide()

    def _on_result_details(self) -> None:
        if self._explanation is not None:
            dialogs.show_details(self.window, self.tr("Error details"),
                                 self._explanation.title, self._explanation.raw,
                                 self._explanation.message)

    def _on_copy_consent(self) -> None:
        conn = self.main.current()
        if conn is not None:
            from o365desk.auth.admin_consent import shareable_link

            QGuiApplication.clipboard().setText(shareable_link(conn))
            self.window.statusBar().showMessage(self.tr(
                "Copied the admin-consent link. Send it to an administrator of your organisation; "
                "once approved, sign in again."), 8000)

    # --- sign in again -------------------------------------------------------------------

    @property
    def dialog(self) -> Any:
        """The open ReauthorizeDialog, if any."""
        return self.dialogs.window

    def sign_in(self, conn: Connection) -> None:
        """Sign `conn` in again (it is selected first), as Sign in again does."""
        self.main.select(conn.id)
        self._on_sign_in()

    def _on_sign_in(self) -> None:
        conn = self.main.current()
        if conn is None or not self.window.act_sign_in.isEnabled():
            return
        if self.dialogs.bring_forward():
            return
        from o365desk.ui.reauthorize_dialog import ReauthorizeDialog  # QtWebEngine loads now

        dialog = self.dialogs.keep(ReauthorizeDialog(self.services, conn, self.window))
        dialog.signed_in.connect(self._on_signed_in)
        dialog.edit_requested.connect(lambda _conn: self.edit_requested.emit(()))
        dialog.open()

    def _on_signed_in(self, saved: Connection, result: Any) -> None:
        from o365desk.auth.token_state import from_result

        self.model.set_state(saved.id, from_result(result))
        self.changed.emit(ConnectionsChanged(saved=saved, select=False))
        if self._result_conn is not None and self._result_conn.id == saved.id:
            self.window.result_bar.hide()
        self.window.statusBar().showMessage(self.tr("Signed in as {user} with \u201c{name}\u201d.")
                                            .format(user=saved.account.username,
                                                    name=saved.nickname), 6000)

    # --- replace credential --------------------------------------------------------------

    def _on_replace_credential(self) -> None:
        conn = self.main.current()
        if conn is None or not self.window.act_replace_credential.isEnabled():
            return
        if self.dialogs.bring_forward():
            return
        from o365desk.ui.credential_dialog import CredentialDialog

        dialog = self.dialogs.keep(CredentialDialog(self.services, conn, self.window))
        dialog.replaced.connect(self._on_credential_replaced)
        dialog.open()

    def _on_credential_replaced(self, saved: Connection) -> None:
        self.model.set_state(saved.id, None)  # the old secret's tokens are gone
        self.changed.emit(ConnectionsChanged(saved=saved, select=False))
        if self._result_conn is not None and self._result_conn.id == saved.id:
            self.window.result_bar.hide()
        from o365desk.core.credential_words import is_certificate

        what = self.tr("certificate") if is_certificate(saved) else self.tr("client secret")
        self.window.statusBar().showMessage(self.tr(
            "Gave \u201c{name}\u201d its new {what}; the old credential was removed from "
            "the keychain. Choose Test connection to check it works.").format(
            name=saved.nickname, what=what), 8000)

    # --- admin consent -------------------------------------------------------------------

    def _on_admin_consent(self) -> None:
        conn = self.main.current()
        if conn is None or not self.window.act_admin_consent.isEnabled():
            return
        if self.dialogs.bring_forward():
            return
        from o365desk.ui.consent_dialog import ConsentDialog

        dialog = self.dialogs.keep(ConsentDialog(self.services, conn, self.window,
                                                 browse=self.consent_browser))
        dialog.granted.connect(self._on_consent_granted)
        dialog.open()

    consent_browser = None  # None: the system browser (tests play the browser here)

    def _on_consent_granted(self, conn: Connection) -> None:
        if self._result_conn is not None and self._result_conn.id == conn.id:
            self.window.result_bar.hide()
        self.window.statusBar().showMessage(self.tr(
            "The administrator approved the app of \u201c{name}\u201d. Choose Test connection "
            "to see the permissions its token carries.").format(name=conn.nickname), 8000)

    # --- sign out ------------------------------------------------------------------------

    def _on_sign_out(self) -> None:
        conn = self.main.current()
        if conn is None or not self.window.act_sign_out.isEnabled():
            return
        if not dialogs.confirm_sign_out(self.window, conn, self.keychain_status.backend):
            return
        self._set_busy(conn.id, True)
        self.runner.start(self._sign_out(conn))

    async def _sign_out(self, conn: Connection) -> None:
        try:
            updated = await off_gui_thread(usecases.sign_out, self.services, conn)
        except VaultError as exc:
            self._keychain_refused(exc, self.tr("\u201c{name}\u201d was not signed out.")
                                   .format(name=conn.nickname))
            return
        except StoreError as exc:
            self.main.show_error(self.tr("\u201c{name}\u201d was not signed out. {reason}")
                                 .format(name=conn.nickname, reason=exc))
            return
        finally:
            self._set_busy(conn.id, False)
        self.model.set_state(conn.id, None)
        self.changed.emit(ConnectionsChanged(saved=updated, select=False))
        if self._result_conn is not None and self._result_conn.id == conn.id:
            self.window.result_bar.hide()
        self.window.statusBar().showMessage(
            self.tr("Signed out of \u201c{name}\u201d.").format(name=conn.nickname), 6000)

    # --- helpers -------------------------------------------------------------------------

    def _set_busy(self, conn_id: str, busy: bool) -> None:
        (self._busy.add if busy else self._busy.discard)(conn_id)
        self.main.update_actions()

    def _keychain_refused(self, exc: VaultError, lead: str) -> None:
        self.main.show_error(lead + " " + self.keychain_status.refused(exc), detail=exc.detail)

