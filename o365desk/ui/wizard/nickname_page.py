"""Wizard page 1: the nickname (checked as it is typed) and an optional description."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit, QVBoxLayout, QWizardPage

from o365desk.core import nickname as nick
from o365desk.ui.wizard.common import help_label, problem_label, show_problem


class NicknamePage(QWizardPage):
    """Next stays disabled until the nickname follows the rules and is not taken."""

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
        self.description.setAccessibleName(self.tr("Description (optional)"))
        self.description.setPlaceholderText(self.tr("Optional: a note for yourself"))
        form = QFormLayout()
        form.addRow(self.tr("&Nickname:"), self.nickname)
        form.addRow("", self.problem)
        form.addRow(self.tr("&Description:"), self.description)
        layout = QVBoxLayout(self)
        layout.addWidget(self.help)
        layout.addLayout(form)
        layout.addStretch(1)
        self.nickname.textChanged.connect(self._on_changed)
        self._typed = False

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

    def description_text(self) -> str:
        return self.description.text().strip()

    def isComplete(self) -> bool:
        problem = self.error()
        # An empty field says nothing until the person has typed something.
        show_problem(self.problem, problem if self._typed else "")
        return not problem
