"""Wizard page 1: the nickname (checked as it is typed) and an optional description."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWizardPage,
)

from o365desk.core import nickname as nick
from o365desk.core.connection_rules import DESCRIPTION_MAX
from o365desk.ui.message_bar import Level, MessageBar
from o365desk.ui.wizard.common import help_label, problem_label, show_problem

if TYPE_CHECKING:
    from o365desk.services import KeychainState, Services
    from o365desk.ui.async_runner import TaskRunner


class NicknamePage(QWizardPage):
    """Next stays disabled until the nickname follows the rules and is not taken; the
    connection's kind is chosen here too: a person signs in, or the app on its own."""

    kind_changed = Signal(bool)  # True: app only

    def __init__(self, taken: list[str], parent=None) -> None:
        super().__init__(parent)
        self._taken = list(taken)
        self.setTitle(self.tr("Name the connection"))
        self.help = help_label(self.tr(
            "Give this connection a name you will recognise in the list, such as the "
            "organisation and what you use it for (for example \u201cContoso \u2013 user "
            "admin\u201d). Only you see it; it changes nothing in Microsoft 365."
        ), self, self.tr("About this step"))
        self.nickname = QLineEdit(self)
        self.nickname.setAccessibleName(self.tr("Nickname"))
        self.nickname.setPlaceholderText(self.tr("e.g. Contoso \u2013 user admin"))
        self.nickname.setMaxLength(nick.MAX_LENGTH + 20)  # room to show the length message
        self.problem = problem_label(self, self.tr("Nickname problem"))
        self.description = QLineEdit(self)
        self.description.setMaxLength(DESCRIPTION_MAX)
        self.description.setAccessibleName(self.tr("Description (optional)"))
        self.description.setPlaceholderText(self.tr("Optional: a note for yourself"))
        form = QFormLayout()
        form.addRow(self.tr("&Nickname:"), self.nickname)
        form.addRow("", self.problem)
        form.addRow(self.tr("&Description:"), self.description)
        self.person = QRadioButton(self.tr("Signed-in &person"), self)
        self.person.setAccessibleName(self.tr("Signed-in person"))
        self.person.setChecked(True)
        self.app_only = QRadioButton(self.tr("&App only, no person signs in"), self)
        self.app_only.setAccessibleName(self.tr("App only, no person signs in"))
        self.kind_group = QButtonGroup(self)
        kinds = QVBoxLayout()
        for button, text in (
                (self.person, self.tr("You sign in with your work account, and o365desk "
                                      "acts as you with the permissions you choose.")),
                (self.app_only, self.tr("Your organisation's own app registration signs in "
                                        "with its client secret or certificate, for tasks "
                                        "with no one at the keyboard. An administrator "
                                        "grants its permissions."))):
            self.kind_group.addButton(button)
            explanation = QLabel(text, self)
            explanation.setWordWrap(True)
            explanation.setContentsMargins(24, 0, 0, 6)  # under the button's text
            button.setAccessibleDescription(text)
            kinds.addWidget(button)
            kinds.addWidget(explanation)
        kind_label = QLabel(self.tr("Who signs in:"), self)
        form.addRow(kind_label, kinds)
        self.app_only.toggled.connect(self.kind_changed)
        # Said before anything is typed: without a keychain no sign-in can be kept.
        self.keychain_bar = MessageBar(Level.WARNING, self.tr("Keychain problem"), self)
        self.keychain_check_button = self.keychain_bar.add_button(
            self.tr("Check a&gain"), self.tr("Check the keychain again"))
        self.keychain_check_button.clicked.connect(self._on_check_again)
        self._keychain_check: tuple[Services, TaskRunner] | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.keychain_bar)
        layout.addWidget(self.help)
        layout.addLayout(form)
        layout.addStretch(1)
        self.nickname.textChanged.connect(self._on_changed)
        self._typed = False

    # --- the keychain --------------------------------------------------------------------

    def check_keychain(self, services: Services, runner: TaskRunner,
                       known: KeychainState | None = None) -> None:
        """Show what is known of the keychain at once, then ask it afresh off the GUI
        thread (it may have been started or unlocked since the main window asked)."""
        self._keychain_check = (services, runner)
        if known is not None:
            self.show_keychain(known)
        self._on_check_again()

    def _on_check_again(self) -> None:
        if self._keychain_check is None:
            return
        services, runner = self._keychain_check
        self.keychain_check_button.setEnabled(False)
        runner.start(self._check(services))

    async def _check(self, services: Services) -> None:
        from o365desk.ui.async_runner import off_gui_thread

        try:
            state = await off_gui_thread(services.keychain_state)
        finally:
            self.keychain_check_button.setEnabled(True)
        self.show_keychain(state)

    def show_keychain(self, state: KeychainState) -> None:
        """Say plainly, on this first page, when no sign-in can be kept; hide it when fine."""
        if state.available:
            self.keychain_bar.hide()
            return
        from o365desk.storage.vault_errors import advice, headline

        self.keychain_bar.show_message(self.tr(
            "{headline}, so o365desk can't keep this connection's sign-in. {advice}").format(
            headline=headline(state.problem), advice=advice(state.problem)))

    # --- the nickname --------------------------------------------------------------------

    def _on_changed(self, _text: str) -> None:
        self._typed = True
        self.completeChanged.emit()

    def error(self) -> str:
        try:
            nick.validate(self.nickname.text(), self._taken)
        except nick.NicknameError as exc:
            return str(exc)
        return ""

    def value(self) -> str:
        return nick.normalize(self.nickname.text())

    def is_app_only(self) -> bool:
        return self.app_only.isChecked()

    def description_text(self) -> str:
        return self.description.text().strip()

    def isComplete(self) -> bool:
        problem = self.error()
        # An empty field says nothing until the person has typed something.
        show_problem(self.problem, problem if self._typed else "")
        return not problem
