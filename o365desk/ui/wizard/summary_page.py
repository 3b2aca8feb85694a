"""Wizard page 5: who signed in where, and which permissions were granted against asked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QGuiApplication, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)

from o365desk.core.text import visible
from o365desk.ui import colors
from o365desk.ui.wizard.common import help_label, problem_label, show_problem

StatusRole = Qt.ItemDataRole.UserRole + 1  # "granted", "missing" or "extra"


def _value(parent, name: str) -> QLabel:
    label = QLabel(parent)
    label.setAccessibleDescription(name)  # the value is what a screen reader reads
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class SummaryPage(QWizardPage):
    """Shows the sign-in's outcome; Save connection (Finish) stores it."""

    def __init__(self, wizard, parent=None) -> None:
        super().__init__(parent)
        self._wizard = wizard
        self.setTitle(self.tr("Check and save"))
        self.help = help_label(self.tr(
            "You are signed in. Check the account and the permissions below, then click "
            "\u201cSave connection\u201d. Nothing is saved until you do."
        ), self, self.tr("About this step"))
        self.nickname = _value(self, self.tr("Nickname"))
        self.account = _value(self, self.tr("Account"))
        self.organisation = _value(self, self.tr("Organisation"))
        self.expires = _value(self, self.tr("Access token"))
        self.model = QStandardItemModel(0, 2, self)
        self.model.setHorizontalHeaderLabels([self.tr("Permission"), self.tr("Result")])
        self.table = QTableView(self)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list, as in any list box
        self.table.setAccessibleName(self.tr("Permissions granted and asked for"))
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.missing_note = QLabel(self)
        self.missing_note.setWordWrap(True)
        self.missing_note.setAccessibleDescription(self.tr("About permissions not granted"))
        self.missing_note.setObjectName("missingNote")
        colors.follow_palette(self, self._apply_colours)
        self.copy_consent = QPushButton(self.tr("Copy admin-&consent link"), self)
        self.copy_consent.setAccessibleName(self.tr("Copy admin-consent link"))
        self.copy_consent.clicked.connect(self._on_copy_consent)
        self.save_problem = problem_label(self, self.tr("Saving problem"))
        # When the nickname was taken meanwhile (in another window, or from the command
        # line): a new one here keeps the sign-in, where Back would undo it.
        self.change_nickname = QPushButton(self.tr("C&hange nickname\u2026"), self)
        self.change_nickname.setAccessibleName(self.tr("Change nickname"))
        self.change_nickname.hide()
        form = QFormLayout()
        form.addRow(self.tr("Nickname:"), self.nickname)
        form.addRow(self.tr("Account:"), self.account)
        form.addRow(self.tr("Organisation:"), self.organisation)
        # The access token, not the sign-in: "signed in until 14:05" reads as "sign in
        # again at 14:05", while the token renews by itself.
        form.addRow(self.tr("Access token:"), self.expires)
        consent_row = QHBoxLayout()
        consent_row.addWidget(self.copy_consent)
        consent_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.help)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.missing_note)
        layout.addLayout(consent_row)
        layout.addWidget(self.save_problem)
        nickname_row = QHBoxLayout()
        nickname_row.addWidget(self.change_nickname)
        nickname_row.addStretch(1)
        layout.addLayout(nickname_row)
        self.missing: tuple[str, ...] = ()

    def initializePage(self) -> None:
        from o365desk.auth.claims import granted_vs_requested

        w = self._wizard
        result, conn = w.result, w.draft()
        show_problem(self.save_problem, "")
        self.change_nickname.hide()
        if result is None:
            return
        self.nickname.setText(conn.nickname)
        self.account.setText(visible(result.account.username))  # the server's words
        tenant_id = result.account.tenant_id
        org = conn.tenant if conn.tenant == tenant_id else f"{conn.tenant} ({tenant_id})"
        self.organisation.setText(f"{visible(org)} \u2013 {self.tr(conn.cloud.label)}")
        local = result.expires_at.astimezone()
        self.expires.setText(self.tr(
            "valid until {time}; renews by itself while the sign-in lasts"
        ).format(time=local.strftime("%Y-%m-%d %H:%M")))
        compared = granted_vs_requested(result.requested, result.granted)
        self.missing = compared.missing
        self.model.removeRows(0, self.model.rowCount())
        rows = [(n, "missing", self.tr("Not granted")) for n in compared.missing]
        rows += [(n, "granted", self.tr("Granted")) for n in compared.granted_requested]
        rows += [(n, "extra", self.tr("Granted earlier (not asked for now)"))
                 for n in compared.extra]
        for name, status, text in rows:
            name_item, status_item = QStandardItem(name), QStandardItem(text)
            for item in (name_item, status_item):
                item.setData(status, StatusRole)
            self.model.appendRow([name_item, status_item])
        self._colour_rows()
        if compared.missing:
            text = (self.tr(
                "Not granted: {names}. Your organisation has not approved it for o365desk "
                "(or it was declined at sign-in). You can save the connection and use it "
                "for everything else; tasks that need it will fail until an administrator "
                "approves it with the admin-consent link, and you sign in again."
            ) if len(compared.missing) == 1 else self.tr(
                "Not granted: {names}. Your organisation has not approved these for o365desk "
                "(or they were declined at sign-in). You can save the connection and use it "
                "for everything else; tasks that need these will fail until an administrator "
                "approves them with the admin-consent link, and you sign in again."
            )).format(names=", ".join(compared.missing))
        else:
            text = ""
        self.missing_note.setText(text)
        self.missing_note.setVisible(bool(text))
        self.copy_consent.setVisible(bool(text))

    def _apply_colours(self) -> None:
        warning = colors.card(colors.Tint.WARNING)
        self.missing_note.setStyleSheet(
            f"#missingNote {{ background: {warning.fill.name()};"
            f" border: 1px solid {warning.edge.name()}; border-radius: 4px;"
            f" padding: 6px; color: {warning.text.name()}; }}")
        self._colour_rows()

    def _colour_rows(self) -> None:
        """Not-granted rows in the error colour (the Result column says it in words)."""
        error = QBrush(colors.text(colors.Role.ERROR))
        for row in range(self.model.rowCount()):
            for column in range(self.model.columnCount()):
                item = self.model.item(row, column)
                if item.data(StatusRole) == "missing":
                    item.setForeground(error)

    def _on_copy_consent(self) -> None:
        session = self._wizard.session
        if session is not None:
            QGuiApplication.clipboard().setText(session.consent_url())
            self.copy_consent.setText(self.tr("Copied \u2013 send it to an administrator"))

    def show_save_error(self, text: str, nickname: bool = False) -> None:
        """Why saving failed; `nickname`: the nickname is the problem, so offer to change it."""
        show_problem(self.save_problem, self.tr(
            "The connection was not saved. {reason}").format(reason=text))
        self.change_nickname.setVisible(nickname)
        if nickname:
            self.change_nickname.setFocus()

    def set_nickname(self, nickname: str) -> None:
        self.nickname.setText(nickname)
        show_problem(self.save_problem, "")
        self.change_nickname.hide()
