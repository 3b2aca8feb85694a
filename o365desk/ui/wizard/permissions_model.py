"""The permissions checklist: every delegated Graph permission, checkable, with admin flags."""

from __future__ import annotations

import enum

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

ANY_INDEX = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
NameRole = Qt.ItemDataRole.UserRole + 1
AdminConsentRole = Qt.ItemDataRole.UserRole + 2
SearchTextRole = Qt.ItemDataRole.UserRole + 3
# Scopes for signing in itself: MSAL adds them; a checklist of them would only confuse.
_SIGN_IN_ONLY = frozenset({"openid", "profile", "offline_access", "email"})


def tr(text: str) -> str:
    return QCoreApplication.translate("PermissionsPage", text)


class Col(enum.IntEnum):
    NAME = 0
    ADMIN = 1
    DESCRIPTION = 2


class PermissionChecklist(QAbstractTableModel):
    """One row per delegated permission; the Name column is checkable."""

    selection_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, bool | None, str]] = []  # name, admin consent, text
        self._checked: set[str] = set()
        self._unknown: list[str] = []  # chosen names the catalog doesn't know (kept)

    def set_catalog(self, catalog) -> None:
        self.beginResetModel()
        self._rows = sorted(
            ((p.name, p.delegated.admin_consent, p.description) for p in catalog
             if p.delegated is not None and p.name not in _SIGN_IN_ONLY),
            key=lambda row: row[0].casefold(),
        )
        self.endResetModel()

    def admin_consent(self, name: str) -> bool:
        return any(row[0] == name and row[1] for row in self._rows)

    def checked(self) -> list[str]:
        return [row[0] for row in self._rows if row[0] in self._checked] + self._unknown

    def set_checked(self, names) -> None:
        known = {row[0] for row in self._rows}
        wanted = [n for n in dict.fromkeys(names) if n not in _SIGN_IN_ONLY]
        self._checked = {n for n in wanted if n in known}
        self._unknown = [n for n in wanted if n not in known]
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0),
                                  [Qt.ItemDataRole.CheckStateRole])
        self.selection_changed.emit()

    def rowCount(self, parent: ANY_INDEX = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ANY_INDEX = ROOT) -> int:
        return 0 if parent.isValid() else len(Col)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (tr("Permission"), tr("Needs an administrator"), tr("What it allows"))[section]
        return None

    def flags(self, index: ANY_INDEX) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == Col.NAME else base

    def data(self, index: ANY_INDEX, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        name, admin, text = self._rows[index.row()]
        col = index.column()
        if role == NameRole:
            return name
        if role == AdminConsentRole:
            return bool(admin)
        if role == SearchTextRole:
            return f"{name} {text}".casefold()
        if role == Qt.ItemDataRole.CheckStateRole and col == Col.NAME:
            return Qt.CheckState.Checked if name in self._checked else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == Col.NAME:
                return name
            if col == Col.ADMIN:
                return tr("Yes") if admin else (tr("No") if admin is False else tr("Unknown"))
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == Col.ADMIN and admin:
                return tr("Works only after an administrator approves it for the organisation.")
            return text
        return None

    def setData(self, index: ANY_INDEX, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != Col.NAME:
            return False
        name = self._rows[index.row()][0]
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._checked.add(name)
        else:
            self._checked.discard(name)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.selection_changed.emit()
        return True


class PermissionFilter(QSortFilterProxyModel):
    """Words typed in the search box must all appear in a permission's name or text."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._chosen_only = False

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_chosen_only(self, on: bool) -> None:
        self.beginFilterChange()
        self._chosen_only = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        index = self.sourceModel().index(source_row, Col.NAME, source_parent)
        if self._chosen_only and index.data(Qt.ItemDataRole.CheckStateRole) != \
                Qt.CheckState.Checked:
            return False
        text = index.data(SearchTextRole) or ""
        return all(word in text for word in self._words)
