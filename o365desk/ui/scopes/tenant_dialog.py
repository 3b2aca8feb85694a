"""Tenant import UI: the file chooser, and the "changed since" list against the built-in catalog."""

from __future__ import annotations

import enum

from PySide6.QtCore import (
    QCoreApplication,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from o365desk.catalog.model import APPLICATION, DELEGATED
from o365desk.ui.scopes.a11y import name_qt_parts
from o365desk.ui.scopes.table_base import ANY_INDEX, SequenceTableModel

_USER = Qt.ItemDataRole.UserRole
ChangeRole = _USER + 1  # ADDED, REMOVED or CHANGED
NameRole = _USER + 2
KindRole = _USER + 3
ADDED, REMOVED, CHANGED = "added", "removed", "changed"


def tr(text: str) -> str:
    return QCoreApplication.translate("TenantChanges", text)


def ask_open_path(parent: QWidget | None) -> str:
    """The service principal file to import, or "" when cancelled. Tests replace this."""
    path, _filter = QFileDialog.getOpenFileName(
        parent, tr("Refresh from a tenant file"), "",
        tr("Graph service principal (*.json);;All files (*)"))
    return path


class ChangeColumn(enum.IntEnum):
    CHANGE = 0
    NAME = 1
    KIND = 2
    DETAIL = 3


class ChangesModel(SequenceTableModel):
    """One row per difference in a tenant_import.TenantDiff."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, str, str]] = []

    def set_diff(self, diff) -> None:
        self.beginResetModel()
        self._rows = ([(ADDED, n, k, "") for n, k in diff.added]
                      + [(REMOVED, n, k, "") for n, k in diff.removed]
                      + [(CHANGED, n, k, tr("built-in {old}, tenant {new}").format(old=o, new=t))
                         for n, k, o, t in diff.changed_ids])
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self._rows)

    def _headers(self) -> tuple[str, ...]:
        return (tr("Change"), tr("Permission"), tr("Type"), tr("Detail"))

    def data(self, index: ANY_INDEX, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        change, name, kind, detail = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            words = {ADDED: tr("Only in your tenant"), REMOVED: tr("Not in your tenant"),
                     CHANGED: tr("Another ID")}
            kinds = {DELEGATED: tr("delegated"), APPLICATION: tr("application")}
            return (words[change], name, kinds.get(kind, kind), detail)[index.column()]
        if role == ChangeRole:
            return change
        if role == NameRole:
            return name
        if role == KindRole:
            return kind
        return None


class ChangesDialog(QDialog):
    """Non-modal: what the tenant's service principal has that the built-in catalog lacks,
    and the other way round."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Changed since the built-in catalog"))
        self.setAccessibleName(self.tr("Changed since the built-in catalog"))
        self.resize(760, 480)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleDescription(self.tr("Summary of changes"))
        self.model = ChangesModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(ChangeRole)
        self.show_combo = QComboBox(self)
        self.show_combo.setAccessibleName(self.tr("Which changes to show"))
        for text, value in ((self.tr("All changes"), ""),
                            (self.tr("Only in your tenant"), ADDED),
                            (self.tr("Not in your tenant"), REMOVED),
                            (self.tr("Another ID"), CHANGED)):
            self.show_combo.addItem(text, value)
        self.show_combo.currentIndexChanged.connect(self._on_show_changed)
        show_label = QLabel(self.tr("&Show:"), self)
        show_label.setBuddy(self.show_combo)
        show_row = QHBoxLayout()
        show_row.addWidget(show_label)
        show_row.addWidget(self.show_combo)
        show_row.addStretch(1)
        self.table = QTableView(self)
        self.table.setAccessibleName(self.tr("Changed permissions"))
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setAccessibleName(self.tr("Change columns"))
        header.setStretchLastSection(True)
        header.setSectionResizeMode(ChangeColumn.CHANGE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ChangeColumn.KIND, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(ChangeColumn.NAME, 300)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(show_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        name_qt_parts(self)

    def _on_show_changed(self) -> None:
        value = self.show_combo.currentData()
        self.proxy.setFilterFixedString(value or "")

    def show_diff(self, diff, source_name: str, date: str) -> None:
        self.model.set_diff(diff)
        if diff.is_empty():
            text = self.tr("Your tenant's Microsoft Graph permissions ({file}, imported {date}) "
                           "match the built-in catalog exactly.")
        else:
            text = self.tr(
                "Your tenant's Microsoft Graph service principal ({file}, imported {date}) "
                "compared with the built-in catalog, counting delegated and application "
                "variants apart \u2014 only in your tenant: {added}; not in your tenant: "
                "{removed}; with another ID: {changed}.")
        self.summary.setText(text.format(file=source_name, date=date, added=len(diff.added),
                                         removed=len(diff.removed),
                                         changed=len(diff.changed_ids)))
        self.table.setVisible(not diff.is_empty())
        self.show_combo.setVisible(not diff.is_empty())
