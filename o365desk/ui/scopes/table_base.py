"""A read-only table model over a Python sequence: the part every small table here shares."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

ANY_INDEX = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the default parent: the invisible root


class SequenceTableModel(QAbstractTableModel):
    """Rows from `_row_count()`, columns and their titles from `_headers()`."""

    def _headers(self) -> tuple[str, ...]:
        raise NotImplementedError

    def _row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: ANY_INDEX = ROOT) -> int:
        return 0 if parent.isValid() else self._row_count()

    def columnCount(self, parent: ANY_INDEX = ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers())

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers()[section]
        return None
