"""The export panel: the selection as a scope string or a manifest block, to copy or save."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from o365desk.ui.message_bar import Level, MessageBar

SCOPE_STRING = "scope-string"
MANIFEST = "manifest"


def ask_save_path(parent: QWidget | None, caption: str, suggested: str, filters: str) -> str:
    """The file to save to, or "" when cancelled. Tests replace this function."""
    path, _filter = QFileDialog.getSaveFileName(parent, caption, suggested, filters)
    return path


class ExportPanel(QWidget):
    """Layout only: the controller fills the preview and answers the buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Export the selection"))
        self.scope_radio = QRadioButton(self.tr("Sc&ope string (space-separated)"), self)
        self.scope_radio.setAccessibleName(self.tr("Export as a scope string"))
        self.manifest_radio = QRadioButton(
            self.tr("App &manifest: requiredResourceAccess (JSON)"), self)
        self.manifest_radio.setAccessibleName(self.tr("Export as manifest JSON"))
        self.formats = QButtonGroup(self)
        self.formats.addButton(self.scope_radio)
        self.formats.addButton(self.manifest_radio)
        self.scope_radio.setChecked(True)
        format_row = QHBoxLayout()
        format_row.addWidget(self.scope_radio)
        format_row.addWidget(self.manifest_radio)
        format_row.addStretch(1)
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)
        self.explain.setAccessibleDescription(self.tr("About this format"))

        self.problem_bar = MessageBar(Level.ERROR, self.tr("Export problems"), self)
        self.problem_bar.close_button.hide()
        self.note_bar = MessageBar(Level.WARNING, self.tr("Export notes"), self)
        self.note_bar.close_button.hide()
        self.done_bar = MessageBar(Level.INFO, self.tr("Export result"), self)

        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName(self.tr("Export preview"))
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setTabChangesFocus(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        self.copy_button = QPushButton(self.tr("Cop&y to clipboard"), self)
        self.copy_button.setAccessibleName(self.tr("Copy the export to the clipboard"))
        self.save_button = QPushButton(self.tr("S&ave to file\u2026"), self)
        self.save_button.setAccessibleName(self.tr("Save the export to a file"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(format_row)
        layout.addWidget(self.explain)
        layout.addWidget(self.problem_bar)
        layout.addWidget(self.note_bar)
        layout.addWidget(self.done_bar)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)

    def current_format(self) -> str:
        return MANIFEST if self.manifest_radio.isChecked() else SCOPE_STRING

    def show_export(self, text: str, problems: list[str], notes: list[str],
                    empty_text: str) -> None:
        """The text to export ("" when there is none), what stops it, and what to know."""
        self.done_bar.hide()
        fmt = self.current_format()
        self.explain.setText(
            self.tr("In the Entra admin center, open the app registration's Manifest and "
                    "replace its \u201crequiredResourceAccess\u201d with this one. Delegated "
                    "permissions are \u201cScope\u201d entries, application permissions "
                    "\u201cRole\u201d entries; an admin still grants consent afterwards.")
            if fmt == MANIFEST else
            self.tr("The scopes an app asks for when a user signs in, separated by spaces. "
                    "Only delegated permissions are requested by name."))
        if problems:
            # The bars show plain text (never HTML): one line per problem or note.
            items = "".join(f"\n\u2022 {p}" for p in problems)
            self.problem_bar.show_message(
                (self.tr("One of the selected permissions can't be exported as chosen. "
                         "Change it or remove it:") if len(problems) == 1 else
                 self.tr("{count} of the selected permissions can't be exported as chosen. "
                         "Change them or remove them:").format(count=len(problems)))
                + items)
        else:
            self.problem_bar.hide()
        if notes:
            self.note_bar.show_message("\n".join(notes))
        else:
            self.note_bar.hide()
        self.preview.setPlainText(text)
        self.preview.setPlaceholderText(empty_text)
        self.copy_button.setEnabled(bool(text))
        self.save_button.setEnabled(bool(text))

    def show_done(self, text: str, level: Level = Level.INFO) -> None:
        self.done_bar.show_message(text, level)
