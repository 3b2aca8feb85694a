"""The New connection wizard: saves a connection only when it finishes successfully."""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWizard

from o365desk import usecases
from o365desk.core import effective_settings
from o365desk.core.connection import Connection
from o365desk.core.ids import new_uuid
from o365desk.services import Services
from o365desk.ui.async_runner import TaskRunner
from o365desk.ui.signin.flow import SignInFlow
from o365desk.ui.signin.login_view import DEFAULT_TIMEOUT_MS
from o365desk.ui.wizard.app_credential_page import AppCredentialPage
from o365desk.ui.wizard.app_summary_page import AppSummaryPage
from o365desk.ui.wizard.nickname_page import NicknamePage
from o365desk.ui.wizard.organisation_page import OrganisationPage
from o365desk.ui.wizard.permissions_page import PermissionsPage
from o365desk.ui.wizard.signin_page import SignInPage
from o365desk.ui.wizard.summary_page import SummaryPage

log = logging.getLogger(__name__)


class PageId(enum.IntEnum):
    NICKNAME = 0
    ORGANISATION = 1
    PERMISSIONS = 2
    SIGNIN = 3
    SUMMARY = 4
    APP_CREDENTIAL = 5  # app only: after the organisation
    APP_SUMMARY = 6  # app only: after the permissions, once saved


# The pages in order, for each kind: an app-only connection has no sign-in.
_PERSON_PAGES = (PageId.NICKNAME, PageId.ORGANISATION, PageId.PERMISSIONS, PageId.SIGNIN,
                 PageId.SUMMARY)
_APP_PAGES = (PageId.NICKNAME, PageId.ORGANISATION, PageId.APP_CREDENTIAL,
              PageId.PERMISSIONS, PageId.APP_SUMMARY)


class NewConnectionWizard(QWizard):
    """Collects a connection, signs in, and saves both only on Finish.

    Back and Cancel leave nothing behind: the connection exists only in this wizard until
    Finish, and a sign-in's saved tokens (the vault entry under the draft's id) are removed
    when the sign-in is redone or the wizard is cancelled.
    """

    saved = Signal(object)  # the saved Connection
    discarded = Signal()  # a cancelled wizard finished removing what its sign-in saved

    def __init__(
        self,
        services: Services,
        parent=None,
        *,
        keychain_state: Any = None,
        scopes: Iterable[str] | None = None,
        template: Any = None,
    ) -> None:
        """`keychain_state`: what the main window knows of the keychain already (the first
        page says at once when no sign-in can be kept); `scopes`: the permissions ticked at
        the start (otherwise User.Read); `template`: a core.template.TemplateEntry whose
        values fill the pages, its locked fields read-only."""
        super().__init__(parent)
        if template is not None:
            scopes = template.scopes
        self.services = services
        # Out of the box Microsoft's public Graph CLI client; an admin may preset another
        # app registration in settings.json (core.settings), which the Advanced part shows,
        # and IT may fix it, the clouds and the sign-in window by policy (core.policy).
        self.effective = defaults = effective_settings.load()
        self.connection_id = new_uuid()
        self.saved_connection: Connection | None = None
        self.runner = TaskRunner(self)
        # The sign-in's session, result and clean-up: the draft exists only here until saved.
        self.flow = SignInFlow(services, self.draft, new_connection=True,
                               redirect_uri=self.redirect_uri, parent=self)
        self._saving = False
        self._closing = False
        self.setWindowTitle(self.tr("New connection"))
        self.setAccessibleName(self.tr("New connection wizard"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Save connection"))
        # Saving without signing in, as `o365desk add` does: to sign in later from the
        # list (no keychain here yet, the admin not at hand, a sign-in that won't work).
        self.setOption(QWizard.WizardOption.HaveCustomButton1)
        self.setButtonText(QWizard.WizardButton.CustomButton1,
                           self.tr("Save &without signing in"))
        self.button(QWizard.WizardButton.CustomButton1).setToolTip(self.tr(
            "Save the connection now and sign in later from the list (Sign in\u2026)"))
        self.button(QWizard.WizardButton.CustomButton1).clicked.connect(
            self.save_without_signing_in)
        self.currentIdChanged.connect(self._show_save_unsigned)
        taken = [c.nickname for c in self._existing()]
        self.nickname_page = NicknamePage(taken, self)
        self.nickname_page.check_keychain(services, self.runner, keychain_state)
        self.organisation_page = OrganisationPage(defaults.client_id, defaults.redirect_uri,
                                                  self)
        self.permissions_page = PermissionsPage(self, scopes)
        self.organisation_page.apply_policy(defaults)
        if defaults.value("allow_app_only") is False:  # IT's policy: people sign in
            why = self.tr("Your organisation’s IT policy does not allow app-only "
                          "connections. Ask your IT team if you need one.")
            self.nickname_page.app_only.setText(self.tr("App only (turned off by your IT team)"))
            self.nickname_page.app_only.setEnabled(False)
            self.nickname_page.app_only.setToolTip(why)
            self.nickname_page.app_only.setAccessibleDescription(why)
        self.signin_page = SignInPage(self.flow, DEFAULT_TIMEOUT_MS, self)
        self.signin_page.set_embedded_allowed(defaults.embedded_sign_in)
        self.signin_page.signed_in.connect(self._on_signed_in)
        self.signin_page.settings_requested.connect(self._on_settings_requested)
        self.summary_page = SummaryPage(self)
        self.summary_page.change_nickname.clicked.connect(self.change_nickname)
        self.app_credential_page = AppCredentialPage(self)
        self.app_summary_page = AppSummaryPage(self)
        self.nickname_page.kind_changed.connect(self._on_kind_changed)
        for page_id, page in ((PageId.NICKNAME, self.nickname_page),
                              (PageId.ORGANISATION, self.organisation_page),
                              (PageId.PERMISSIONS, self.permissions_page),
                              (PageId.SIGNIN, self.signin_page),
                              (PageId.SUMMARY, self.summary_page),
                              (PageId.APP_CREDENTIAL, self.app_credential_page),
                              (PageId.APP_SUMMARY, self.app_summary_page)):
            self.setPage(page_id, page)
        for which, name in ((QWizard.WizardButton.BackButton, self.tr("Back")),
                            (QWizard.WizardButton.NextButton, self.tr("Next")),
                            (QWizard.WizardButton.CancelButton, self.tr("Cancel")),
                            (QWizard.WizardButton.FinishButton, self.tr("Save connection"))):
            self.button(which).setAccessibleName(name)
        self._show_save_unsigned(self.currentId())
        self.template = template
        if template is not None:
            from o365desk.ui.wizard.template_prefill import apply

            apply(self, template)
        # Roomy, but within a small laptop's screen (1024x700 and less): the buttons show.
        room = self.screen().availableGeometry().size() * 0.95 if self.screen() else None
        self.resize(min(860, room.width()) if room else 860,
                    min(720, room.height()) if room else 720)
        # Cancel, like Esc and the window's close button, asks before losing what was entered.
        cancel = self.button(QWizard.WizardButton.CancelButton)
        cancel.clicked.disconnect()
        cancel.clicked.connect(self.request_close)
        self.discard_question = None  # the open "Discard this new connection?" box
        # Tab along the buttons as they are shown: Save without signing in (left of the
        # others) first, then Back, Next or Save connection, and Cancel.
        from PySide6.QtWidgets import QWidget

        order = [self.button(which) for which in (
            QWizard.WizardButton.CustomButton1, QWizard.WizardButton.BackButton,
            QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton)]
        for before, after in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def _show_save_unsigned(self, page_id: int) -> None:
        """Once the permissions are chosen (and while signing in), not before; never for
        an app-only connection (no one signs in)."""
        button = self.button(QWizard.WizardButton.CustomButton1)
        button.setVisible(page_id in (PageId.PERMISSIONS, PageId.SIGNIN)
                          and not self.is_app_only())
        button.setAccessibleName(self.tr("Save without signing in"))
        # Saved already: Cancel would only close, so Finish (Close) is the one way on.
        saved = page_id == PageId.APP_SUMMARY
        self.button(QWizard.WizardButton.CancelButton).setVisible(not saved)
        self.setButtonText(QWizard.WizardButton.FinishButton,
                           self.tr("&Close") if saved else self.tr("&Save connection"))
        self.button(QWizard.WizardButton.FinishButton).setAccessibleName(
            self.tr("Close") if saved else self.tr("Save connection"))

    # --- the kind: a person signs in, or the app on its own -------------------------------

    def is_app_only(self) -> bool:
        return self.nickname_page.is_app_only()

    def _on_kind_changed(self, app_only: bool) -> None:
        self.organisation_page.set_app_only(app_only)
        self.permissions_page.set_application(app_only)

    def nextId(self) -> int:
        order = _APP_PAGES if self.is_app_only() else _PERSON_PAGES
        current = self.currentId()
        if current not in order:
            return -1
        place = order.index(current)
        return order[place + 1] if place + 1 < len(order) else -1

    def validateCurrentPage(self) -> bool:
        """Next on an app-only connection's permissions: save it and its secret (off the
        GUI thread) first; the summary follows once saved."""
        if not super().validateCurrentPage():
            return False
        if self.currentId() == PageId.ORGANISATION:
            return self._policy_allows()
        if self.currentId() != PageId.PERMISSIONS or not self.is_app_only():
            return True
        if self.saved_connection is not None:
            return True
        if not self._saving:
            self._saving = True
            self._set_saving_buttons(False)
            self.runner.start(self._save_app_only())
        return False

    def _policy_allows(self) -> bool:
        """Next from the organisation: the IT policy must allow its cloud, organisation and
        kind (the use case refuses them anyway; here it is said before signing in)."""
        from o365desk.core.connection import Kind

        org = self.organisation_page
        probe = Connection(nickname="-", tenant=org.tenant_value(), cloud=org.cloud_value(),
                           kind=Kind.APP_ONLY if self.is_app_only() else Kind.DELEGATED,
                           client_id=self.effective.client_id)
        return org.show_policy_refusal(self.effective.policy.refusal(probe))

    def save_without_signing_in(self, _checked: bool = False) -> None:
        """Save the draft not signed in; a sign-in under way stops and leaves no tokens."""
        if self._saving or self.saved_connection is not None:
            return
        if self.currentId() == PageId.PERMISSIONS and not self.permissions_page.isComplete():
            return  # no permission chosen: the page says so
        self._saving = True
        self._set_saving_buttons(False)
        self.signin_page.stop()
        self.runner.start(self._save(None))

    def _existing(self) -> list[Connection]:
        try:
            return self.services.store.connections
        except Exception:  # a damaged store: the main window says so; names can't clash
            return []

    # --- what has been entered -------------------------------------------------------------

    def draft(self) -> Connection:
        """The connection as entered so far (not saved, no account)."""
        org = self.organisation_page
        if self.is_app_only():
            from o365desk.core.connection import Kind

            return Connection(
                nickname=self.nickname_page.value(), id=self.connection_id,
                description=self.nickname_page.description_text(),
                tenant=org.tenant_value(), cloud=org.cloud_value(),
                client_id=self.app_credential_page.client_id_value(),
                authority=org.authority_value(), kind=Kind.APP_ONLY,
                scopes=tuple(self.permissions_page.scopes()),
                graph_endpoint=org.graph_value())
        return Connection(
            nickname=self.nickname_page.value(),
            id=self.connection_id,
            description=self.nickname_page.description_text(),
            tenant=org.tenant_value(),
            cloud=org.cloud_value(),
            client_id=org.client_id_value(),
            authority=org.authority_value(),
            scopes=tuple(self.permissions_page.scopes()),
            graph_endpoint=org.graph_value(),
        )

    def redirect_uri(self) -> str:
        return self.organisation_page.redirect_uri_value()

    # --- the sign-in ---------------------------------------------------------------------

    @property
    def session(self) -> Any:
        """The sign-in's auth.session.ConnectionSession, once signing in."""
        return self.flow.session

    @property
    def result(self) -> Any:
        """The sign-in's auth.session.SignInResult, once signed in."""
        return self.flow.result

    def _on_signed_in(self) -> None:
        if self.currentPage() is self.signin_page:
            self.next()  # straight on to the summary

    def _on_settings_requested(self, action) -> None:
        """A sign-in failure's button about the settings: back to the page that has them."""
        from o365desk.core.signin_errors import Action

        if self._saving:
            return  # Back waits for the save (saved without signing in), which then closes
        target = PageId.PERMISSIONS if action is Action.CHECK_PERMISSIONS else \
            PageId.ORGANISATION
        while self.currentId() > target:
            self.back()
        if action is Action.CHECK_CLIENT_ID:
            self.organisation_page.show_advanced()

    # --- finishing -----------------------------------------------------------------------

    def accept(self) -> None:
        if self.saved_connection is not None:
            super().accept()
            return
        if self._saving or self.result is None:
            return
        self._saving = True
        # Saving takes a moment (longer while another o365desk holds the file): Back or
        # Cancel now would undo the sign-in under a connection half saved.
        self._set_saving_buttons(False)
        self.runner.start(self._save(self.result))

    def _set_saving_buttons(self, enabled: bool) -> None:
        for which in (QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton,
                      QWizard.WizardButton.BackButton, QWizard.WizardButton.CustomButton1):
            self.button(which).setEnabled(enabled)

    async def _save(self, result) -> None:
        from o365desk.core.nickname import NicknameError
        from o365desk.storage.store import StoreError
        from o365desk.storage.vault import VaultError

        connection = self.draft()
        saved = None
        problem, nickname = "", False
        try:
            if result is None:  # saved without signing in: no sign-in's tokens stay behind
                await self.flow.discard()
            saved = await self.flow.call(usecases.create, self.services, connection, result)
        except (StoreError, VaultError, ValueError) as exc:
            problem, nickname = str(exc), isinstance(exc, NicknameError)
        except Exception:  # a bug or a surprise: still a message, and the buttons back
            log.error("saving a new connection failed unexpectedly", exc_info=True)
            problem = self.tr("Something unexpected went wrong. Try again; if it happens "
                              "again, send the log to your IT contact.")
        finally:
            if saved is None:  # failed, or stopped as the app quits
                self._saving = False
                self._set_saving_buttons(True)
        if saved is None:
            if result is None:  # the summary page isn't showing: say it where the person is
                from o365desk.ui import dialogs

                if nickname:
                    while self.currentId() != PageId.NICKNAME:
                        super().back()  # to the field that needs changing
                from o365desk.ui.message_bar import curly_quotes

                dialogs.inform(self, self.tr("Not saved"), self.tr(
                    "The connection was not saved. {reason}").format(
                    reason=curly_quotes(problem)))
                return
            self.summary_page.show_save_error(problem, nickname)
            return
        self.saved_connection = saved
        self.saved.emit(saved)
        super().accept()

    async def _save_app_only(self) -> None:
        """Save the app-only connection and put its secret, or its certificate's key and
        certificate, in the keychain (both or neither: usecases.app_only), then on to
        the summary."""
        from o365desk.core.nickname import NicknameError
        from o365desk.storage.store import StoreError
        from o365desk.storage.vault import VaultError
        from o365desk.ui.async_runner import off_gui_thread
        from o365desk.usecases.app_only import create_app_only, create_app_only_certificate

        page = self.app_credential_page
        saved, problem, nickname, detail = None, "", False, ""
        try:
            if page.uses_certificate():  # read from its file already: not needed again
                saved = await off_gui_thread(create_app_only_certificate, self.services,
                                             self.draft(), page.certificate_value())
            else:
                saved = await off_gui_thread(create_app_only, self.services, self.draft(),
                                             page.secret_value(), page.expires_value())
        except VaultError as exc:  # the keychain: the app's credential is kept only there
            problem = self._keychain_refusal(exc, page.uses_certificate())
            detail = exc.detail  # the keychain's own error, for IT (Show Details...)
        except (StoreError, ValueError) as exc:
            problem, nickname = str(exc), isinstance(exc, NicknameError)
        except Exception:  # a bug or a surprise: still a message, and the buttons back
            log.error("saving a new app-only connection failed unexpectedly", exc_info=True)
            problem = self.tr("Something unexpected went wrong. Try again; if it happens "
                              "again, send the log to your IT contact.")
        finally:
            self._saving = False
            self._set_saving_buttons(True)
        if saved is None:
            from o365desk.ui import dialogs

            if nickname:  # taken meanwhile (another window, the command line)
                while self.currentId() != PageId.NICKNAME:
                    super().back()  # to the field that needs changing
            from o365desk.ui.message_bar import curly_quotes  # the CLI's words, our quotes

            text = self.tr("The connection was not saved. {reason}").format(
                reason=curly_quotes(problem))
            if detail:
                dialogs.show_details(self, self.tr("Not saved"), text, detail)
            else:
                dialogs.inform(self, self.tr("Not saved"), text)
            return
        self.saved_connection = saved
        self.saved.emit(saved)
        self.next()

    def _keychain_refusal(self, error, certificate: bool) -> str:
        """Why an app-only connection could not be saved for want of a keychain, what to
        do, and that nothing typed is lost (the wizard stays where it is)."""
        from o365desk.storage.vault_errors import advice

        kept = self.tr("its certificate's private key") if certificate else \
            self.tr("its client secret")
        return self.tr(
            "{headline}, so this app-only connection can't be saved: {kept} is kept "
            "in the keychain, nowhere else. {advice} Everything you entered is still "
            "here: click Next again once the keychain is ready.").format(
            headline=error.headline, kept=kept, advice=advice(str(error)))

    def change_nickname(self) -> None:
        """The nickname was taken meanwhile: ask for another, keep the sign-in, save again."""
        from o365desk.ui import dialogs

        current = self.nickname_page.nickname.text()
        answer = dialogs.ask_text(self, self.tr("Change nickname"), self.tr("New nickname:"),
                                  current)
        if answer is None or not answer.strip():
            return
        self.nickname_page.nickname.setText(answer)
        self.summary_page.set_nickname(self.draft().nickname)
        self.accept()

    def back(self) -> None:
        # Back (Alt+Left too) while saving: the save finishes first; once an app-only
        # connection is saved, there is nothing to go back and change.
        if not self._saving and self.saved_connection is None:
            super().back()

    # --- closing: Cancel, Esc and the close button ask first; reject() discards at once ----

    def request_close(self) -> None:
        """Close, asking first when something entered would be lost."""
        if self._saving or self._closing:
            return  # the save finishes first; or closing already
        lost = self._what_is_lost()
        if lost is None:
            self.reject()
            return
        if self.discard_question is not None:
            if self.discard_question.isVisible():
                return
            self.discard_question.deleteLater()  # an earlier answer's box
        from o365desk.ui.wizard.closing import ask_discard

        self.discard_question = ask_discard(
            self, self.tr("New connection"), self.tr("Discard this new connection?"), lost,
            self.reject)

    def _what_is_lost(self) -> str | None:
        """What closing now throws away, in words; None when nothing was entered yet."""
        page = self.currentId()
        nickname = self.nickname_page.value()
        if self.saved_connection is not None:
            return None  # saved: nothing is lost
        if page <= PageId.NICKNAME:
            typed = self.nickname_page.nickname.text().strip() or \
                self.nickname_page.description_text()
            return self.tr("What you typed on this page is lost. Nothing has been saved "
                           "yet.") if typed else None
        if page in (PageId.ORGANISATION, PageId.APP_CREDENTIAL):
            text = self.tr("The nickname \u201c{name}\u201d and the organisation you entered "
                           "are lost.")
        else:
            text = self.tr("The nickname \u201c{name}\u201d, the organisation and the "
                           "permissions you chose are lost.")
        text = text.format(name=nickname)
        if self.result is not None:
            text += " " + self.tr("You are signed out of {user} again.").format(
                user=self.result.account.username)
        return text + " " + self.tr("Nothing has been saved yet.")

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.request_close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:
        if not self._closing and not self._saving and self._what_is_lost() is not None:
            event.ignore()
            self.request_close()
            return
        super().closeEvent(event)

    def reject(self) -> None:
        if self._saving:
            return  # Cancel, Esc or closing while saving: the save finishes first
        if self._closing:
            return
        self._closing = True
        self.signin_page.stop()
        if self.saved_connection is None:
            # Now, not in the clean-up job: a sign-in still finishing must not save its
            # tokens even if that job never runs (the app quits right after).
            self.flow.abandon()
        self.flow.runner.cancel_all()
        self.runner.cancel_all()
        if self.saved_connection is None and self.flow.has_unsaved_sign_in():
            self.runner.start(self._discard_then_report())
        else:
            self.discarded.emit()
        super().reject()

    async def _discard_then_report(self) -> None:
        await self.flow.discard()
        self.discarded.emit()

    def done(self, result: int) -> None:
        self.signin_page.stop()
        self.app_credential_page.certificate.clear()  # the file's bytes and password go
        super().done(result)
