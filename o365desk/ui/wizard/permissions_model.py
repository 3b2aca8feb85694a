"""The permissions checklist: every delegated Graph permission, checkable, with admin flags;
or, for an app-only connection, every application permission (app role) with its ID."""

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
# Scopes for signing in itself: MSAL adds them; a checklist of them would only confuse.
_SIGN_IN_ONLY = frozenset({"openid", "profile", "offline_access", "email"})


def _by_name(row: tuple) -> str:
    return row[0].casefold()


def tr(text: str) -> str:
    return QCoreApplication.translate("PermissionsPage", text)


class Col(enum.IntEnum):
    NAME = 0
    ADMIN = 1
    DESCRIPTION = 2


class PermissionChecklist(QAbstractTableModel):
    """One row per delegated permission (or application permission: set_catalog's
    `application`); the Name column is checkable."""

    selection_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, bool | None, str]] = []  # name, admin consent, text
        self.catalog = None  # what the search box searches
        self._checked: set[str] = set()
        self._unknown: list[str] = []  # chosen names the catalog doesn't know (kept)
        self.application = False  # app roles: the second column is the role's ID
        self._role_ids: dict[str, str] = {}
        self.locked = False  # fixed by a template: ticks are shown, not changed

    def set_catalog(self, catalog, application: bool = False) -> None:
        """`application`: list the application permissions (app roles) an app-only
        connection is granted, each with the ID an app registration's manifest names."""
        self.beginResetModel()
        self.catalog = catalog
        self.application = application
        if application:
            chosen = [p for p in catalog if p.application is not None]
            self._role_ids = {p.name: p.application.id or "" for p in chosen}
            # Every application permission needs an administrator's consent.
            rows = [(p.name, True, p.description) for p in chosen]
        else:
            self._role_ids = {}
            rows = [(p.name, p.delegated.admin_consent, p.description) for p in catalog
                    if p.delegated is not None and p.name not in _SIGN_IN_ONLY]
        self._rows = sorted(rows, key=_by_name)
        self.endResetModel()

    def role_id(self, name: str) -> str:
        """An application permission's app role ID ("" when Microsoft gives none)."""
        return self._role_ids.get(name, "")

    def set_order(self, places: dict[str, int] | None) -> None:
        """Rows named in `places` first, in its order (best first), then the rest by
        name; None: all by name. Views and selections keep their rows."""
        if not self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()
        names = [self._rows[i.row()][0] for i in kept]
        if places is None:
            self._rows.sort(key=_by_name)
        else:
            last = len(places)
            self._rows.sort(key=lambda row: (places.get(row[0], last), row[0].casefold()))
        row_of = {row[0]: r for r, row in enumerate(self._rows)}
        self.changePersistentIndexList(kept, [self.index(row_of[n], i.column())
                                              for n, i in zip(names, kept, strict=True)])
        self.layoutChanged.emit()

    def name_at(self, row: int) -> str:
        return self._rows[row][0]

    @staticmethod
    def as_ticked(names) -> set[str]:
        """The names set_checked(names) ticks: all but those for signing in itself."""
        return {n for n in names if n not in _SIGN_IN_ONLY}

    def is_checked(self, names) -> bool:
        """Whether exactly the names set_checked(names) would tick are ticked."""
        return set(self.checked()) == self.as_ticked(names)

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
            second = tr("App role ID") if self.application else tr("Needs an administrator")
            return (tr("Permission"), second, tr("What it allows"))[section]
        return None

    def flags(self, index: ANY_INDEX) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() != Col.NAME or self.locked:
            return base
        return base | Qt.ItemFlag.ItemIsUserCheckable

    def data(self, index: ANY_INDEX, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        name, admin, text = self._rows[index.row()]
        col = index.column()
        if role == NameRole:
            return name
        if role == AdminConsentRole:
            return bool(admin)
        if role == Qt.ItemDataRole.CheckStateRole and col == Col.NAME:
            return Qt.CheckState.Checked if name in self._checked else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == Col.NAME:
                return name
            if col == Col.ADMIN and self.application:
                return self._role_ids.get(name) or tr("None given")
            if col == Col.ADMIN:
                return tr("Yes") if admin else (tr("No") if admin is False else tr("Unknown"))
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == Col.ADMIN and self.application:
                return tr("The ID of this app role, as the app registration's manifest "
                          "names it. An administrator must grant it.")
            if col == Col.ADMIN and admin:
                return tr("Works only after an administrator approves it for the organisation.")
            return text
        return None

    def setData(self, index: ANY_INDEX, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != Col.NAME \
                or self.locked:
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
    """Shows what the catalog's search finds for the words typed, best first, as the
    command line and the scope browser list them; a click on a column header sorts by
    that column instead, until the words change.

    The best-first order is the source model's own (PermissionChecklist.set_order): Qt
    keeps it without asking Python to compare rows, which costs ~100 ms a keystroke."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._places: dict[str, int] | None = None  # while a query ranks: name -> place
        self._chosen_only = False
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_query(self, text: str) -> None:
        from o365desk.catalog.search import normalize_query, search

        source = self.sourceModel()
        if self.sortColumn() != -1:
            self.sort(-1)  # back to the source's order: best first
        catalog = source.catalog if source is not None else None
        if catalog is None or not normalize_query(text):
            self._places = None
        else:
            self._places = {p.name: place for place, p in enumerate(search(catalog, text))}
        if source is not None:
            source.set_order(self._places)  # the proxy filters again as it follows

    def set_chosen_only(self, on: bool) -> None:
        self.beginFilterChange()
        self._chosen_only = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        source = self.sourceModel()
        if self._chosen_only and source.index(source_row, Col.NAME, source_parent).data(
                Qt.ItemDataRole.CheckStateRole) != Qt.CheckState.Checked:
            return False
        return self._places is None or source.name_at(source_row) in self._places
