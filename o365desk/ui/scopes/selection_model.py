"""The user's selection of permissions as a table model: name, kind and why to look twice."""

from __future__ import annotations

import enum

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QApplication, QStyle

from o365desk.catalog.model import APPLICATION, DELEGATED, PermissionStatus
from o365desk.catalog.presets import flag_for
from o365desk.ui import colors
from o365desk.ui.scopes.table_base import ANY_INDEX, SequenceTableModel
from o365desk.ui.scopes.tree_model import STATUS_ROLES

_USER = Qt.ItemDataRole.UserRole
NameRole = _USER + 1
KindRole = _USER + 2  # DELEGATED or APPLICATION
FlagRole = _USER + 3  # a one-line reason to look twice, or ""
StateRole = _USER + 4  # the chosen variant's PermissionStatus ("retired"...); None: not in catalog
OrderRole = _USER + 5  # position in the selection, for sorting back to the user's order


class SelColumn(enum.IntEnum):
    NAME = 0
    KIND = 1
    NOTE = 2


def tr(text: str) -> str:
    return QCoreApplication.translate("Selection", text)


def kind_label(kind: str) -> str:
    return {DELEGATED: tr("Delegated"), APPLICATION: tr("Application")}[kind]


class SelectionModel(SequenceTableModel):
    """(name, kind) pairs in the order chosen, each once; flags come from the catalog."""

    selection_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._catalog = None
        self._items: list[tuple[str, str]] = []
        self._rows: list[tuple[object, str]] = []  # (Permission | None, flag) per item

    def set_catalog(self, catalog) -> None:
        self._catalog = catalog
        self.set_items(self._items)

    # --- editing -------------------------------------------------------------------------

    def items(self) -> list[tuple[str, str]]:
        return list(self._items)

    def set_items(self, items) -> None:
        self.beginResetModel()
        self._items = list(dict.fromkeys((name, kind) for name, kind in items))
        self._rows = [self._describe(name, kind) for name, kind in self._items]
        self.endResetModel()
        self.selection_changed.emit()

    def add(self, name: str, kind: str) -> bool:
        if (name, kind) in self._items:
            return False
        row = len(self._items)
        self.beginInsertRows(QModelIndex(), row, row)
        self._items.append((name, kind))
        self._rows.append(self._describe(name, kind))
        self.endInsertRows()
        self.selection_changed.emit()
        return True

    def remove(self, name: str, kind: str) -> bool:
        try:
            row = self._items.index((name, kind))
        except ValueError:
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._items[row]
        del self._rows[row]
        self.endRemoveRows()
        self.selection_changed.emit()
        return True

    def contains(self, name: str, kind: str) -> bool:
        return (name, kind) in self._items

    def kinds_by_name(self) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = {}
        for name, kind in self._items:
            out.setdefault(name, set()).add(kind)
        return {name: frozenset(kinds) for name, kinds in out.items()}

    def flagged(self) -> list[tuple[str, str, str]]:
        """(name, kind, flag) of each item that needs a second look."""
        return [(n, k, flag) for (n, k), (_p, flag) in zip(self._items, self._rows,
                                                             strict=True) if flag]

    def flag_states(self) -> list[str]:
        """For each flagged item: "retired", "deprecated", or "" (not grantable as chosen)."""
        out = []
        for (_name, kind), (p, flag) in zip(self._items, self._rows, strict=True):
            if flag:
                state = p.status.for_kind(kind) if p is not None else PermissionStatus.ACTIVE
                out.append("" if state is PermissionStatus.ACTIVE else state.value)
        return out

    def _describe(self, name: str, kind: str) -> tuple[object, str]:
        if self._catalog is None:
            return None, ""
        permission = self._catalog.get(name)
        return permission, flag_for(permission, name, kind)

    # --- QAbstractTableModel -------------------------------------------------------------

    def _row_count(self) -> int:
        return len(self._items)

    def _headers(self) -> tuple[str, ...]:
        return (tr("Permission"), tr("Type"), tr("Needs attention"))

    def data(self, index: ANY_INDEX, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        name, kind = self._items[index.row()]
        permission, flag = self._rows[index.row()]
        state = permission.status.for_kind(kind) if permission is not None else None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            # The column shows the gist ("Retired 2023-05-19"); the tooltip the whole note.
            return (name, kind_label(kind), flag.split(": ", 1)[0])[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return flag or (permission.description if permission is not None else None)
        if role == Qt.ItemDataRole.DecorationRole and column == SelColumn.NAME and flag:
            icon = (QStyle.StandardPixmap.SP_MessageBoxCritical if state is PermissionStatus.RETIRED
                    else QStyle.StandardPixmap.SP_MessageBoxWarning)
            return QApplication.style().standardIcon(icon)
        if role == Qt.ItemDataRole.ForegroundRole and column == SelColumn.NOTE:
            role = STATUS_ROLES.get(state) if state else STATUS_ROLES[PermissionStatus.DEPRECATED]
            return QBrush(colors.text(role)) if role else None
        if role == NameRole:
            return name
        if role == KindRole:
            return kind
        if role == FlagRole:
            return flag
        if role == StateRole:
            return state.value if state is not None else None
        if role == OrderRole:
            return index.row()
        return None


def make_selection_proxy(parent=None) -> tuple[SelectionModel, QSortFilterProxyModel]:
    model = SelectionModel(parent)
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return model, proxy
