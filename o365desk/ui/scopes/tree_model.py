"""The permission tree as a Qt model: resource groups with their counts, then permissions."""

from __future__ import annotations

import enum

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QFont, QStandardItemModel

from o365desk.catalog.model import APPLICATION, DELEGATED, Permission, PermissionStatus, Variant
from o365desk.ui import colors

_USER = Qt.ItemDataRole.UserRole
NodeRole = _USER + 1  # GROUP or PERMISSION
GroupRole = _USER + 2  # the group's name, on both levels
PermissionRole = _USER + 3  # the Permission behind a permission row
NameRole = _USER + 4  # the permission's name
CountRole = _USER + 5  # group rows: how many permissions the group holds
StatusRole = _USER + 6  # the PermissionStatus value: "active", "deprecated" or "retired"
PrivilegeRole = _USER + 7  # the highest privilege level of its variants, 0 when none is given
SelectedKindsRole = _USER + 8  # the kinds of this permission in the user's selection
RankRole = _USER + 9  # while a query ranks the rows: the place of the row, 0 the best

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)

GROUP = "group"
PERMISSION = "permission"
# Red and amber from the palette's colour roles; the status is also spelled out.
STATUS_ROLES = {PermissionStatus.RETIRED: colors.Role.ERROR,
                PermissionStatus.DEPRECATED: colors.Role.WARNING}


def status_brushes() -> dict[PermissionStatus, QBrush]:
    return {state: QBrush(colors.text(role)) for state, role in STATUS_ROLES.items()}


class Column(enum.IntEnum):
    NAME = 0
    DELEGATED = 1
    APPLICATION = 2
    LEVEL = 3
    STATUS = 4


def tr(text: str) -> str:
    return QCoreApplication.translate("PermissionTree", text)


def _consent_key(variant: Variant | None) -> str:
    if variant is None:
        return "none"
    if not variant.id:
        return "no-id"
    return {True: "admin", False: "user", None: "unknown"}[variant.admin_consent]


def consent_words() -> dict[str, str]:
    """The word in a Delegated or Application cell, as the CLI prints it."""
    return {"none": "\u2014", "no-id": tr("no ID"), "admin": tr("admin"), "user": tr("user"),
            "unknown": "?"}


def consent_tips(kind_label: str) -> dict[str, str]:
    return {key: text.format(kind=kind_label) for key, text in (
        ("none", tr("No {kind} variant")),
        ("no-id", tr("{kind}: Microsoft provisions no ID, so it can't be granted")),
        ("admin", tr("{kind}: needs an admin's consent")),
        ("user", tr("{kind}: a user may consent")),
        ("unknown", tr("{kind}: Microsoft's data does not say who may consent")))}


def status_text(p: Permission) -> str:
    """Short, for a narrow column; the tooltip and the details pane say the rest."""
    state = p.status.state
    if state is PermissionStatus.ACTIVE:
        return ""
    word = tr("Retired") if state is PermissionStatus.RETIRED else tr("Deprecated")
    # A star: only one variant is affected; the tooltip says which.
    return word + "*" if p.status.applies_to in (DELEGATED, APPLICATION) else word


def status_tip(p: Permission) -> str:
    only = {DELEGATED: tr(" (delegated variant only)"),
            APPLICATION: tr(" (application variant only)")}.get(p.status.applies_to, "")
    return f"{p.status.state.label} {p.status.date}{only}: {p.status.note}"


class PermissionTreeModel(QStandardItemModel):
    """Groups (with their counts) holding permissions, five columns, named roles.

    Built on QStandardItemModel on purpose: the view and the proxy ask the model about a
    dozen roles per painted cell, and a model written in Python answered each through a
    Python call (about 14 per cell through the proxy), which made a keystroke cost 25 ms.
    Here C++ answers them; Python runs only when the catalog or the selection changes.
    Cells are filled with setItemData/setData, which return a value: PySide6 6.12 on
    Python 3.11 drops a reference to None on every Qt call that returns nothing.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._groups: list[str] = []
        self._members: list[list[Permission]] = []
        self._where: dict[str, tuple[int, int]] = {}
        self._rows: dict[str, QModelIndex] = {}  # name -> its row, made on first ranking
        self._selected: dict[str, frozenset[str]] = {}
        self._shown: list[int] | None = None
        self._empty_rows = False
        self._bold = QFont()
        self._bold.setBold(True)
        self._normal = QFont()
        self._brushes = status_brushes()
        colors.watcher().changed.connect(self._on_palette_changed)
        self.setHorizontalHeaderLabels([tr("Permission"), tr("Delegated"), tr("Application"),
                                        tr("Level"), tr("Status")])
        tips = (tr("The permission's name; groups show how many they hold"),
                tr("Delegated (acts as the signed-in user): admin = needs admin consent, "
                   "user = a user may consent"),
                tr("Application (acts as the app itself): admin consent is always needed"),
                tr("Microsoft's privilege level, 1 (least) to 4 (most)"),
                tr("Retired and deprecated permissions are marked here"))
        for column, tip in enumerate(tips):
            self.setHeaderData(column, Qt.Orientation.Horizontal, tip, Qt.ItemDataRole.ToolTipRole)

    # --- data set by the controller ------------------------------------------------------

    def set_catalog(self, catalog, defer_rows: bool = False) -> None:
        """Load the catalog. With defer_rows, the permission rows are made but left empty
        until fill_rows(): a window can paint its collapsed groups first."""
        self.beginResetModel()
        self.blockSignals(True)  # one reset for the views, not a signal per cell
        try:
            self.removeRows(0, self.rowCount())
            self._groups = [group for group, _count in catalog.groups()]
            self._members = [catalog.in_group(group) for group in self._groups]
            self._where = {p.name: (g, r) for g, members in enumerate(self._members)
                           for r, p in enumerate(members)}
            self._rows = {}
            self._shown = None
            self.insertRows(0, len(self._groups))
            for g, (group, members) in enumerate(zip(self._groups, self._members, strict=True)):
                index = self.index(g, 0)
                self.setItemData(index, {_DISPLAY: self._group_label(g), _FONT: self._bold,
                                         NodeRole: GROUP, GroupRole: group,
                                         CountRole: len(members)})
                self.insertColumns(0, len(Column), index)
                self.insertRows(0, len(members), index)
            self._empty_rows = True
        finally:
            self.blockSignals(False)
        self.endResetModel()
        if not defer_rows:
            self.fill_rows()

    @property
    def rows_filled(self) -> bool:
        return not self._empty_rows

    def fill_rows(self) -> bool:
        """Give the permission rows their data; False when they had it already. Views are
        not told cell by cell: call it before they show rows, or invalidate the proxy."""
        if not self._empty_rows:
            return False
        self._empty_rows = False
        words = consent_words()
        tips = {Column.DELEGATED: consent_tips(tr("Delegated")),
                Column.APPLICATION: consent_tips(tr("Application"))}
        self.blockSignals(True)
        try:
            for g, (group, members) in enumerate(zip(self._groups, self._members, strict=True)):
                self._fill_group(self.index(g, 0), group, members, words, tips)
        finally:
            self.blockSignals(False)
        if self._selected:
            self.set_selected(self._selected, force=True)
        return True

    def _fill_group(self, index, group: str, members: list[Permission], words, tips) -> None:
        model_index, set_item_data, set_data = self.index, self.setItemData, self.setData
        for r, p in enumerate(members):
            level = p.max_privilege
            set_item_data(model_index(r, 0, index), {
                _DISPLAY: p.name, _TOOLTIP: self._tooltip(p), NodeRole: PERMISSION,
                GroupRole: group, PermissionRole: p, NameRole: p.name,
                StatusRole: p.status.state.value, PrivilegeRole: level})
            for column, variant in ((Column.DELEGATED, p.delegated),
                                    (Column.APPLICATION, p.application)):
                key = _consent_key(variant)
                set_item_data(model_index(r, column, index),
                              {_DISPLAY: words[key], _TOOLTIP: tips[column][key]})
            if level:
                set_data(model_index(r, Column.LEVEL, index), str(level))
            if p.status.state is not PermissionStatus.ACTIVE:
                set_item_data(model_index(r, Column.STATUS, index), {
                    _DISPLAY: status_text(p), _FOREGROUND: self._brushes[p.status.state],
                    _TOOLTIP: status_tip(p)})

    def _on_palette_changed(self) -> None:
        self._brushes = status_brushes()
        if self._empty_rows:
            return
        for members in self._members:
            for p in members:
                if p.status.state is not PermissionStatus.ACTIVE:
                    self.setData(self.index_for_name(p.name, Column.STATUS),
                                 self._brushes[p.status.state], _FOREGROUND)

    def set_shown_counts(self, shown: list[int] | None) -> None:
        """Group labels say "Mail (3 of 33)" while a filter narrows them. Signals are held
        back: the proxy invalidates right after, and the views read everything again."""
        self._shown = shown
        self.blockSignals(True)
        try:
            for g in range(len(self._groups)):
                self.setData(self.index(g, 0), self._group_label(g))
        finally:
            self.blockSignals(False)

    def set_ranks(self, names: list[str]) -> None:
        """Number the permissions in `names` by their place in it, and each group by its
        best one, for the proxy to sort by. Signals are held back: the proxy invalidates
        right after. Rows not named keep an old number; the proxy hides them."""
        if not self._rows:
            self._rows = {p.name: self.index(r, 0, self.index(g, 0))
                          for g, members in enumerate(self._members)
                          for r, p in enumerate(members)}
        rows, where, set_data = self._rows, self._where, self.setData
        best: dict[int, int] = {}
        self.blockSignals(True)
        try:
            for place, name in enumerate(names):
                set_data(rows[name], place, RankRole)
                best.setdefault(where[name][0], place)
            for g, place in best.items():
                set_data(self.index(g, 0), place, RankRole)
        finally:
            self.blockSignals(False)

    def set_selected(self, selected: dict[str, frozenset[str]], force: bool = False) -> None:
        """Show the permissions in the user's selection in bold (name -> kinds)."""
        if self._empty_rows:  # fill_rows() marks them
            self._selected = dict(selected)
            return
        changed = set(self._selected) ^ set(selected)
        changed |= {n for n in selected if self._selected.get(n) != selected[n]}
        self._selected = dict(selected)
        for name in (set(selected) if force else changed):
            index = self.index_for_name(name)
            if index.isValid():
                self.setData(index, self._bold if name in selected else self._normal, _FONT)
                self.setData(index, self._tooltip(index.data(PermissionRole)), _TOOLTIP)
                self.setData(index, selected.get(name, frozenset()), SelectedKindsRole)

    # --- lookups -------------------------------------------------------------------------

    @property
    def groups(self) -> list[str]:
        return self._groups

    @property
    def members(self) -> list[list[Permission]]:
        return self._members

    def index_for_name(self, name: str, column: int = 0) -> QModelIndex:
        where = self._where.get(name)
        if where is None:
            return QModelIndex()
        return self.index(where[1], column, self.index(where[0], 0))

    def _group_label(self, g: int) -> str:
        total = len(self._members[g])
        shown = self._shown[g] if self._shown is not None else total
        if shown == total:
            return tr("{group} ({count})").format(group=self._groups[g], count=total)
        return tr("{group} ({shown} of {count})").format(group=self._groups[g], shown=shown,
                                                         count=total)

    def _tooltip(self, p: Permission) -> str:
        text = f"{p.name}\n{p.description}"
        kinds = self._selected.get(p.name)
        if kinds:
            text += "\n" + tr("In your selection as {kinds}.").format(
                kinds=tr(" and ").join(sorted(kinds)))
        if p.status.state is not PermissionStatus.ACTIVE:
            text += "\n" + f"{status_text(p)} {p.status.date}".rstrip()
        return text
