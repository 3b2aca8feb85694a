"""The import preview: what a template would create and what it refuses, and why."""

from __future__ import annotations

import enum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QVBoxLayout,
)

from o365desk.core.text import visible
from o365desk.core.words import plural
from o365desk.ui.form_parts import main_and_cancel, read_only_table
from o365desk.ui.message_bar import curly_quotes

ANY_INDEX = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


class Col(enum.IntEnum):
    NICKNAME = 0
    WHAT = 1
    RESULT = 2


class PreviewModel(QAbstractTableModel):
    """One row per connection of the template: its nickname, what it is, and whether it
    will be created (or why not)."""

    def __init__(self, preview, parent=None) -> None:
        super().__init__(parent)
        self.preview = preview

    def rowCount(self, parent: ANY_INDEX = ROOT) -> int:
        return 0 if parent.isValid() else len(self.preview.items)

    def columnCount(self, parent: ANY_INDEX = ROOT) -> int:
        return 0 if parent.isValid() else len(Col)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Nickname"), self.tr("Connection"), self.tr("Result"))[section]
        return None

    def data(self, index: ANY_INDEX, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self.preview.items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.AccessibleTextRole):
            return self._text(item, Col(index.column()))
        if role == Qt.ItemDataRole.DecorationRole and index.column() == Col.RESULT:
            from PySide6.QtWidgets import QApplication, QStyle

            icon = QStyle.StandardPixmap.SP_DialogApplyButton if item.created else \
                QStyle.StandardPixmap.SP_MessageBoxWarning
            return QApplication.style().standardIcon(icon)
        return None

    def _text(self, item, col: Col) -> str:
        entry = item.entry
        if col == Col.NICKNAME:
            return visible(item.nickname)
        if col == Col.WHAT:
            where = self.tr("organisation chosen at sign-in") \
                if entry.tenant in ("organizations", "common") else entry.tenant
            kind = self.tr("app only") if entry.kind.value == "app-only" \
                else self.tr("signed-in person")
            text = self.tr("{kind}, {where}, {cloud}, {count}").format(
                kind=kind, where=where, cloud=self.tr(entry.cloud.label),
                count=plural(len(entry.scopes), self.tr("1 permission"),
                             self.tr("{count} permissions")))
            if entry.locked:
                text += self.tr("; {count} set by your IT team").format(
                    count=plural(len(entry.locked), self.tr("1 field"),
                                 self.tr("{count} fields")))
            return text
        if item.created:
            return self.tr("Will be created")
        if len(self.preview.items) == 1 and item.renamable:  # the wizard asks for one next
            return self.tr("Choose another nickname next: {why}").format(
                why=curly_quotes(visible(item.refusal)))
        return self.tr("Refused: {why}").format(why=curly_quotes(visible(item.refusal)))


_WHAT_MAX_WIDTH = 400  # pixels; the result column takes the rest


class TemplatePreviewDialog(QDialog):
    """Shows the preview; its main button goes on: to the wizard for a one-connection
    template (where a taken nickname is simply typed anew), or creates the connections."""

    def __init__(self, preview, source: str, parent=None) -> None:
        super().__init__(parent)
        self.preview = preview
        count = len(preview.items)
        self.one = count == 1
        self.setWindowTitle(self.tr("New connection from template"))
        self.setAccessibleName(self.tr("Template preview"))
        created = len(preview.to_create)
        # One connection goes on to the wizard, unless more than its nickname stands in
        # the way (the IT policy, permissions an app can't have): then it can't be made.
        self.one = self.one and (created == 1 or preview.items[0].renamable)
        if self.one:
            intro = self.tr(
                "The template \u201c{file}\u201d sets up this connection. Continue to choose "
                "its nickname and sign in; fields your IT team set can't be changed.")
        elif count == 1:
            intro = self.tr("The template \u201c{file}\u201d sets up one connection, but it "
                            "can't be created, for the reason shown.")
        elif created == count:
            intro = self.tr("The template \u201c{file}\u201d sets up {count} connections. "
                            "They are created not signed in; sign in to each from the list.")
        else:
            intro = self.tr(
                "The template \u201c{file}\u201d sets up {count} connections; {refused} of "
                "them can't be created, for the reason shown. The others are created not "
                "signed in; sign in to each from the list.")
        self.intro = QLabel(intro.format(file=visible(source), count=count,
                                         refused=count - created), self)
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.model = PreviewModel(preview, self)
        self.table = read_only_table(self, self.model, self.tr("Connections in the template"))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Col.NICKNAME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Col.WHAT, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.resizeColumnToContents(Col.WHAT)
        # The connection's words wrap rather than leave the result a sliver: the result
        # says why one is refused or what to do next, and must be read whole.
        self.table.setColumnWidth(Col.WHAT, min(self.table.columnWidth(Col.WHAT),
                                                _WHAT_MAX_WIDTH))
        if count == 1:
            text = self.tr("&Continue\u2026")
        else:
            text = plural(created, self.tr("&Create 1 connection"),
                          self.tr("&Create {count} connections"))
        self.buttons, self.go = main_and_cancel(self, text, self.accept)
        self.go.setEnabled(self.one or created > 0)
        self.go.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.table.setFocus()
        if count:
            self.table.selectRow(0)
        self.resize(820, 260 if count == 1 else 360)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # Now that the columns have their widths: each row as tall as its wrapped words.
        self.table.resizeRowsToContents()
