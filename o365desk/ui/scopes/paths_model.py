"""The API paths that accept one permission, as a table model: methods, path, variants."""

from __future__ import annotations

import enum

from PySide6.QtCore import (
    QCoreApplication,
    QSortFilterProxyModel,
    Qt,
)

from o365desk.catalog.model import APPLICATION, DELEGATED, ApiPath
from o365desk.ui.scopes.table_base import ANY_INDEX, SequenceTableModel

_USER = Qt.ItemDataRole.UserRole
ApiPathRole = _USER + 1  # the ApiPath behind a row
PathRole = _USER + 2  # the path text alone
SortRole = _USER + 3


class PathColumn(enum.IntEnum):
    METHODS = 0
    PATH = 1
    KINDS = 2
    LEAST = 3


def tr(text: str) -> str:
    return QCoreApplication.translate("ApiPaths", text)


def _kinds(kinds: tuple[str, ...]) -> str:
    words = {DELEGATED: tr("delegated"), APPLICATION: tr("application")}
    return ", ".join(words[k] for k in kinds)


class ApiPathsModel(SequenceTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._paths: tuple[ApiPath, ...] = ()

    def set_paths(self, paths: tuple[ApiPath, ...]) -> None:
        self.beginResetModel()
        self._paths = tuple(paths)
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self._paths)

    def _headers(self) -> tuple[str, ...]:
        return (tr("Method"), tr("Path"), tr("For"), tr("Least privileged"))

    def data(self, index: ANY_INDEX, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        api = self._paths[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, SortRole, Qt.ItemDataRole.ToolTipRole):
            if column == PathColumn.METHODS:
                return " ".join(api.methods)
            if column == PathColumn.PATH:
                if role == Qt.ItemDataRole.ToolTipRole and api.also_requires:
                    return tr("{path}\nAlso needs: {others}").format(
                        path=api.path, others=", ".join(api.also_requires))
                return api.path
            if column == PathColumn.KINDS:
                return _kinds(api.kinds)
            return _kinds(api.least) if api.least else ("" if role != SortRole else "~")
        if role == ApiPathRole:
            return api
        if role == PathRole:
            return api.path
        return None


def make_paths_proxy(parent=None) -> tuple[ApiPathsModel, QSortFilterProxyModel]:
    model = ApiPathsModel(parent)
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return model, proxy
