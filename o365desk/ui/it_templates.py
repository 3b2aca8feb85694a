"""New connection when the IT policy offers templates: "Templates from your IT team" first.

When the policy's `templates` key names a folder or an address, New connection opens this
chooser before the wizard: the templates are read off the GUI thread and listed (a Qt model:
name, description; one that can't be used says why); choosing one starts the wizard with its
values and locks, as a template file does; "Without a template" starts it empty. When the
templates can't be read (offline, say), one plain line says so and the wizard still works.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from o365desk.core.text import visible
from o365desk.services import Services
from o365desk.ui import dialogs
from o365desk.ui.async_runner import TaskRunner, off_gui_thread
from o365desk.ui.message_bar import Level, MessageBar, curly_quotes

ANY_INDEX = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
_DESCRIPTION_SHOWN = 300


def tr(text: str) -> str:
    return QCoreApplication.translate("ItTemplates", text)


def policy_offers_templates() -> bool:
    """Whether the IT policy in force names templates (read afresh: a small local file)."""
    from o365desk.usecases.it_templates import policy_location

    return bool(policy_location())


def curly(text: str) -> str:
    """The use case's words as the window shows them: visible, curly quotes and
    apostrophes."""
    return curly_quotes(visible(text)).replace("'", "\u2019")


class Col(enum.IntEnum):
    NAME = 0
    DESCRIPTION = 1


class ItTemplatesModel(QAbstractTableModel):
    """One row per connection IT's templates offer, and per template that can't be used."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.offered: tuple = ()  # usecases.it_templates.OfferedTemplate, usable ones first

    def set_offered(self, offered) -> None:
        self.beginResetModel()
        self.offered = tuple(sorted(offered, key=lambda o: not o.usable))
        self.endResetModel()

    def rowCount(self, parent: ANY_INDEX = ROOT) -> int:
        return 0 if parent.isValid() else len(self.offered)

    def columnCount(self, parent: ANY_INDEX = ROOT) -> int:
        return 0 if parent.isValid() else len(Col)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Template"), self.tr("Description"))[section]
        return None

    def data(self, index: ANY_INDEX, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        offered = self.offered[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(offered, Col(index.column()))
        if role == Qt.ItemDataRole.ToolTipRole:
            if not offered.usable:
                return curly(offered.refusal)
            description = visible(offered.description)
            source = self.tr("From {source}").format(source=visible(offered.source))
            return f"{description}\n\n{source}" if description else source
        if role == Qt.ItemDataRole.DecorationRole and index.column() == Col.NAME \
                and not offered.usable:
            from PySide6.QtWidgets import QApplication, QStyle

            return QApplication.style().standardIcon(
                QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.UserRole:
            return offered
        return None

    def _text(self, offered, col: Col) -> str:
        if col == Col.NAME:
            return visible(offered.name)
        if not offered.usable:
            return self.tr("Can\u2019t be used: {why}").format(why=curly(offered.refusal))
        description = " ".join(visible(offered.description).split())
        if len(description) > _DESCRIPTION_SHOWN:  # up to 2,000 characters: the start
            description = description[: _DESCRIPTION_SHOWN - 1].rstrip() + "\u2026"
        return description or self.tr("No description")


class ItTemplatesDialog(QDialog):
    """The chooser. `chosen_entry` is the template entry to start with (None: without one)
    once it is accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chosen_entry = None
        self.setWindowTitle(self.tr("New connection"))
        self.setAccessibleName(self.tr("New connection: templates from your IT team"))
        self.heading = QLabel(self.tr("Templates from your IT team"), self)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.intro = QLabel(self.tr(
            "Your IT team offers ready-made connections. Choose one to start with its "
            "settings filled in, or set up a connection without a template."), self)
        self.intro.setWordWrap(True)
        self.status = MessageBar(Level.INFO, self.tr("Templates from your IT team"), self)
        self.status.close_button.hide()
        self.model = ItTemplatesModel(self)
        self.table = QTableView(self)
        self.table.setAccessibleName(self.tr("Templates from your IT team"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Col.NAME, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.heading.setBuddy(self.table)
        self.buttons = QDialogButtonBox(self)
        self.use = self.buttons.addButton(self.tr("&Use this template\u2026"),
                                          QDialogButtonBox.ButtonRole.AcceptRole)
        self.use.setAccessibleName(self.tr("Use this template"))
        self.without = self.buttons.addButton(self.tr("Set up &without a template\u2026"),
                                              QDialogButtonBox.ButtonRole.ActionRole)
        self.without.setAccessibleName(self.tr("Set up without a template"))
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel"))
        self.use.clicked.connect(self._on_use)
        self.without.clicked.connect(self._on_without)
        self.buttons.rejected.connect(self.reject)
        # Enter is the default button's (Use this template); a double-click chooses too.
        self.table.doubleClicked.connect(lambda _index: self._on_use())
        self.table.selectionModel().currentRowChanged.connect(self._follow_selection)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addStretch(0)  # takes the room only while the list is hidden
        layout.addWidget(self.buttons)
        self.resize(720, 380)
        self.show_loading()

    # -- what it shows ----------------------------------------------------------------

    def show_loading(self) -> None:
        self._say(Level.INFO, self.tr("Looking for your IT team\u2019s templates\u2026"))
        self.model.set_offered(())
        self.table.hide()
        self._follow_selection()
        self.without.setDefault(True)
        self.without.setFocus()

    def show_found(self, found) -> None:
        """Show `found` (usecases.it_templates.ItTemplates)."""
        self.model.set_offered(found.offered)
        if found.problem:
            self._say(Level.WARNING, curly(found.problem))
        elif not found.offered:
            self._say(Level.INFO, self.tr(
                "Your IT team hasn\u2019t put any templates there yet. You can set up a "
                "connection without one."))
        elif not found.usable:
            self._say(Level.WARNING, self.tr(
                "None of your IT team\u2019s templates can be used, for the reasons shown. "
                "Set up a connection without one, and tell your IT team."))
        elif found.refused or found.note:
            words = []
            if found.refused:
                words.append(self.tr("Some of your IT team\u2019s templates can\u2019t be "
                                     "used, for the reason shown; the others can."))
            if found.note:
                words.append(curly(found.note))
            self._say(Level.INFO, " ".join(words))
        else:
            self.status.hide()
        self.table.setVisible(bool(found.offered))
        if found.offered:
            self.table.resizeColumnToContents(Col.NAME)
            header = self.table.horizontalHeader()
            header.resizeSection(Col.NAME, min(header.sectionSize(Col.NAME) + 16, 300))
            self.table.resizeRowsToContents()
            self.table.selectRow(0)
            self.table.setFocus()
        self._follow_selection()
        if found.offered:  # Enter uses the chosen template (nothing for a refused one)
            self.use.setDefault(True)
        else:
            self.without.setDefault(True)
            self.without.setFocus()

    def _say(self, level: Level, text: str) -> None:
        self.status.set_level(level)
        self.status.label.setText(text)
        self.status.show()

    def current(self):
        index = self.table.currentIndex()
        return self.model.data(index, Qt.ItemDataRole.UserRole) if index.isValid() else None

    def _follow_selection(self, *_args) -> None:
        offered = self.current()
        self.use.setEnabled(offered is not None and offered.usable)

    # -- choosing ---------------------------------------------------------------------

    def _on_use(self) -> None:
        offered = self.current()
        if offered is None or not offered.usable or not self.isVisible():
            return
        self.chosen_entry = offered.entry
        self.accept()

    def _on_without(self) -> None:
        self.chosen_entry = None
        self.accept()


class ItTemplateChooser(QObject):
    """Opens the chooser and starts the wizard: `start_wizard(entry or None)`."""

    def __init__(self, window: QWidget, services: Services,
                 start_wizard: Callable[[object], None]) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.start_wizard = start_wizard
        self.runner = TaskRunner(self)
        self.dialog: ItTemplatesDialog | None = None

    def choose(self) -> None:
        if self.dialog is not None and dialogs.bring_forward(self.dialog):
            return
        self.dialog = dialog = ItTemplatesDialog(self.window)
        dialog.accepted.connect(lambda: self.start_wizard(dialog.chosen_entry))
        dialog.finished.connect(self._closed)
        dialog.open()
        self.runner.start(self._list(dialog))

    async def _list(self, dialog: ItTemplatesDialog) -> None:
        from o365desk.usecases.it_templates import list_it_templates

        found = await off_gui_thread(list_it_templates)
        if self.dialog is dialog:  # still open
            dialog.show_found(found)

    def _closed(self, *_args) -> None:
        dialog, self.dialog = self.dialog, None
        self.runner.cancel_all()
        if dialog is not None:
            dialog.deleteLater()
