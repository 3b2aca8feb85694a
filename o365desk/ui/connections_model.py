"""The connections list as a Qt table model, and the proxy that filters and sorts it."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cmp_to_key
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QCoreApplication,
    QDateTime,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from o365desk.core import connection_rules
from o365desk.core.connection import Connection, Kind, Status, utcnow
from o365desk.core.health import Health, assess
from o365desk.core.nickname import NicknameError, normalize
from o365desk.core.text import visible
from o365desk.storage.store import StoreError
from o365desk.ui.connection_state import (  # noqa: F401  (status_label: re-exported)
    connection_status,
    status_label,
    status_text,
)

if TYPE_CHECKING:  # the sign-in modules load after the first paint
    from o365desk.auth.token_state import TokenState

_USER = Qt.ItemDataRole.UserRole
ConnectionRole = _USER + 1  # the Connection behind a row
ConnectionIdRole = _USER + 2  # its UUID, for finding the row again after a reload
SortRole = _USER + 3  # what the column sorts by (the real timestamp for "Last used")
SearchTextRole = _USER + 4  # case-folded text the filter matches against
StatusRole = _USER + 5  # the Status enum member
HealthRole = _USER + 6  # its core.health.Health (token health: needs attention, and why)

_ANY_INDEX = QModelIndex | QPersistentModelIndex


class Column(enum.IntEnum):
    NICKNAME = 0
    ACCOUNT = 1
    TENANT = 2
    CLOUD = 3
    STATUS = 4
    LAST_USED = 5
    HEALTH = 6


def relative_time(when: datetime | None, now: datetime) -> str:
    """ "5 minutes ago", "yesterday", "never": how people say when something last happened."""
    if when is None:
        return QCoreApplication.translate("ConnectionsModel", "never")
    seconds = (now - when).total_seconds()
    if seconds < 60:  # also covers a clock that is slightly behind the file's
        return QCoreApplication.translate("ConnectionsModel", "just now")
    minutes = int(seconds // 60)
    if minutes < 60:
        if minutes == 1:
            return QCoreApplication.translate("ConnectionsModel", "1 minute ago")
        return QCoreApplication.translate("ConnectionsModel", "%n minutes ago", None, minutes)
    hours = minutes // 60
    if hours < 24:
        if hours == 1:
            return QCoreApplication.translate("ConnectionsModel", "1 hour ago")
        return QCoreApplication.translate("ConnectionsModel", "%n hours ago", None, hours)
    days = hours // 24
    if days == 1:
        return QCoreApplication.translate("ConnectionsModel", "yesterday")
    if days < 31:
        return QCoreApplication.translate("ConnectionsModel", "%n days ago", None, days)
    return format_date(when)


def _to_qdatetime(when: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(when.timestamp())).toLocalTime()


def _c_locale(locale: QLocale) -> bool:
    # The "C" locale (no LANG set) formats dates as "18 10 2026": ISO 8601 reads better.
    return locale.language() == QLocale.Language.C


def format_date(when: datetime) -> str:
    locale = QLocale()
    if _c_locale(locale):
        return _to_qdatetime(when).toString("yyyy-MM-dd")
    return locale.toString(_to_qdatetime(when).date(), QLocale.FormatType.ShortFormat)


def format_datetime(when: datetime | None) -> str:
    """A date and time in the user's locale and time zone; "never" when there is none."""
    if when is None:
        return QCoreApplication.translate("ConnectionsModel", "never")
    locale = QLocale()
    if _c_locale(locale):
        return _to_qdatetime(when).toString("yyyy-MM-dd HH:mm")
    return locale.toString(_to_qdatetime(when), QLocale.FormatType.ShortFormat)


class ConnectionsModel(QAbstractTableModel):
    """Rows of saved connections; renaming a nickname cell goes through the store.

    The model sorts its own rows (`sort`), in Python over keys computed once per sort:
    QSortFilterProxyModel's sort calls data(), rowCount() and columnCount() from C++ for
    every comparison, ~8 ms for 200 rows before the window's first paint.
    """

    # connection id, the nickname that was refused, and the rule's message
    rename_failed = Signal(str, str, str)

    def __init__(
        self,
        renamer: Callable[[str, str], Connection],
        clock: Callable[[], datetime] = utcnow,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._rows: list[Connection] = []  # as shown: sorted once a sort is set
        self._ids: list[str] = []  # in the order given, which "no sort" (-1) shows
        self._sort: tuple[int, bool] = (-1, False)  # the column, and whether descending
        self._renamer = renamer
        self._clock = clock
        self._keychain_ok = True
        self._editable = True
        self._states: dict[str, TokenState] = {}  # what each saved sign-in holds, once read

    # --- reading -------------------------------------------------------------------------

    def rowCount(self, parent: _ANY_INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _ANY_INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._titles()[Column(section)]
        return None

    def _titles(self) -> dict[Column, str]:
        return {
            Column.NICKNAME: self.tr("Nickname"),
            Column.ACCOUNT: self.tr("Account"),
            Column.TENANT: self.tr("Tenant"),
            Column.CLOUD: self.tr("Cloud"),
            Column.STATUS: self.tr("Status"),
            Column.LAST_USED: self.tr("Last used"),
            Column.HEALTH: self.tr("Health"),
        }

    def data(self, index: _ANY_INDEX, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        conn = self._rows[index.row()]
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._display(conn, column)
        if role == ConnectionRole:
            return conn
        if role == ConnectionIdRole:
            return conn.id
        if role == StatusRole:
            return self.status_of(conn)
        if role == HealthRole:
            return self.health_of(conn)
        if role == SortRole:
            return self._sort_key(conn, column)
        if role == SearchTextRole:
            account = f"app {conn.client_id}" if conn.kind == Kind.APP_ONLY \
                else conn.account.username if conn.account else ""
            return " ".join((conn.nickname, account, conn.tenant, conn.description)).casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(conn, column)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == Column.ACCOUNT \
                and conn.kind == Kind.APP_ONLY:
            return self._app_in_full(conn)  # the whole client ID, not its first characters
        if role == Qt.ItemDataRole.DecorationRole and column == Column.STATUS:
            if self.status_of(conn) in (Status.KEYCHAIN_UNAVAILABLE, Status.DAMAGED):
                return _warning_icon()
        if role == Qt.ItemDataRole.DecorationRole and column == Column.HEALTH:
            if self.health_of(conn).needs_attention:
                return _warning_icon()
        return None

    def _display(self, conn: Connection, column: Column) -> str:
        # Names from the file or a sign-in server: control and bidi characters as escapes,
        # never drawn (or obeyed) as they are.
        if column == Column.NICKNAME:
            return visible(conn.nickname)
        if column == Column.ACCOUNT:
            if conn.kind == Kind.APP_ONLY:  # no person: the app registration it acts as
                return self._app_short(conn)
            # Blank, not "not signed in": the Status column already says so.
            return visible(conn.account.username) if conn.account else ""
        if column == Column.TENANT:
            return visible(conn.tenant)
        if column == Column.CLOUD:
            return conn.cloud.label
        if column == Column.STATUS:
            return status_text(self.status_of(conn))
        if column == Column.HEALTH:
            return self.health_of(conn).summary
        return relative_time(conn.last_used_at, self._clock())

    def _sort_key(self, conn: Connection, column: Column):
        if column == Column.LAST_USED:
            # Never-used connections sort as the oldest; the timestamp, not the text, decides.
            return conn.last_used_at.timestamp() if conn.last_used_at else -1.0
        if column == Column.ACCOUNT:
            if conn.kind == Kind.APP_ONLY:  # apps together, by their full client ID
                return self.tr("App") + " " + conn.client_id
            return conn.account.username if conn.account else ""
        if column == Column.HEALTH:  # needing attention first, then the soonest to lapse
            return self.health_of(conn).sort_key()
        return self._display(conn, column)

    def _app_short(self, conn: Connection) -> str:
        """ "App 1b2c3d4e…": the first part of its client ID, enough to tell apps apart."""
        client_id = visible(conn.client_id.strip())
        if not client_id:
            return self.tr("App (no client ID)")
        short = client_id if len(client_id) <= 9 else client_id[:8] + "…"
        return self.tr("App {client_id}").format(client_id=short)

    def _app_in_full(self, conn: Connection) -> str:
        client_id = visible(conn.client_id.strip())
        if not client_id:
            return self.tr("App only, no client ID set")
        return self.tr("App only: acts as the app registration with client ID "
                       "{client_id}").format(client_id=client_id)

    def _tooltip(self, conn: Connection, column: Column) -> str | None:
        if column == Column.NICKNAME and conn.description:
            return visible(conn.description, keep_newlines=True)
        if column == Column.LAST_USED:
            return format_datetime(conn.last_used_at)
        if column == Column.HEALTH:
            from o365desk.ui.message_bar import curly_quotes

            return curly_quotes(visible(self.health_of(conn).words))
        if column == Column.STATUS and conn.damage:
            from o365desk.ui.message_bar import curly_quotes  # the CLI's words, our quotes

            return curly_quotes(connection_rules.message(conn))
        if column == Column.ACCOUNT and conn.kind == Kind.APP_ONLY:
            return self._app_in_full(conn)
        if column in (Column.ACCOUNT, Column.TENANT, Column.CLOUD, Column.STATUS):
            return self._display(conn, column)  # in full, should the column cut it off
        return None

    def flags(self, index: _ANY_INDEX) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == Column.NICKNAME and self._editable \
                and not self._rows[index.row()].damage:  # a damaged one can't be changed
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # --- renaming ------------------------------------------------------------------------

    def setData(self, index: _ANY_INDEX, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or index.column() != Column.NICKNAME
            or not self._editable
        ):
            return False
        conn = self._rows[index.row()]
        text = "" if value is None else str(value)
        if normalize(text) in (conn.nickname, visible(conn.nickname)):
            return False  # Enter without a change: nothing to save, nothing to complain about
        try:
            updated = self._renamer(conn.id, text)
        except (NicknameError, StoreError) as exc:
            # The row keeps the stored name; the controller shows why.
            self.rename_failed.emit(conn.id, text, str(exc))
            return False
        self.replace(updated)
        return True

    # --- changes from the controller -----------------------------------------------------

    def connections(self) -> list[Connection]:
        return list(self._rows)

    def row_of(self, connection_id: str) -> int:
        for row, conn in enumerate(self._rows):
            if conn.id == connection_id:
                return row
        return -1

    def set_connections(self, connections: Sequence[Connection]) -> None:
        new = list(connections)
        ids = [c.id for c in new]
        if ids == self._ids:
            # Same rows: update in place so selection and an open editor survive.
            by_id = dict(zip(ids, new, strict=True))
            self._rows = [by_id[c.id] for c in self._rows]
            if new:
                self._changed(0, len(new) - 1)
            return
        self.beginResetModel()
        self._ids = ids
        self._rows = self._sorted(new)
        self.endResetModel()

    def replace(self, connection: Connection) -> None:
        row = self.row_of(connection.id)
        if row < 0:
            return
        self._rows[row] = connection
        self._changed(row, row)

    def remove(self, connection_id: str) -> None:
        row = self.row_of(connection_id)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._ids.remove(connection_id)
        self.endRemoveRows()

    def health_of(self, conn: Connection) -> Health:
        state = self._states.get(conn.id)
        return assess(conn, self._clock(),
                      token_expires_at=state.expires_at if state is not None else None,
                      cached_at=state.cached_at if state is not None else None,
                      keychain_ok=self._keychain_ok)

    def status_of(self, conn: Connection) -> Status:
        return connection_status(conn, self._keychain_ok, self._states.get(conn.id))

    def state_of(self, connection_id: str) -> TokenState | None:
        return self._states.get(connection_id)

    def set_state(self, connection_id: str, state: TokenState | None) -> None:
        """What the connection's saved sign-in holds (None: not known)."""
        if state is None:
            self._states.pop(connection_id, None)
        else:
            self._states[connection_id] = state
        row = self.row_of(connection_id)
        self._changed(row, row)

    def set_keychain_ok(self, ok: bool) -> None:
        if ok != self._keychain_ok:
            self._keychain_ok = ok
            self._changed(0, len(self._rows) - 1, Column.STATUS, Column.HEALTH)

    def set_editable(self, editable: bool) -> None:
        self._editable = editable

    def refresh_times(self) -> None:
        """Re-say "5 minutes ago" (and "lapses in 5 days") as the minutes pass."""
        self._changed(0, len(self._rows) - 1, Column.LAST_USED, Column.HEALTH)

    def _changed(self, first: int, last: int, left: int = 0, right: int = len(Column) - 1):
        if last >= first >= 0:
            self.dataChanged.emit(self.index(first, left), self.index(last, right))
            if left <= self._sort[0] <= right:
                self._resort()

    # --- sorting -------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by `column` (-1: the order given), keeping the rows' selection."""
        column = column if 0 <= column < len(Column) else -1
        self._sort = (column, order == Qt.SortOrder.DescendingOrder)
        self._resort()

    def _resort(self) -> None:
        rows = self._sorted(self._rows)
        if all(a is b for a, b in zip(rows, self._rows, strict=True)):
            return
        self.layoutAboutToBeChanged.emit()
        moved_to = {conn.id: row for row, conn in enumerate(rows)}
        old = self.persistentIndexList()
        new = [self.index(moved_to[self._rows[i.row()].id], i.column()) for i in old]
        self.changePersistentIndexList(old, new)
        self._rows = rows
        self.layoutChanged.emit()

    def _sorted(self, rows: list[Connection]) -> list[Connection]:
        """`rows` in the current sort order; as in Qt, rows that compare equal keep their
        order in `rows`."""
        column, descending = self._sort
        if column < 0:
            given = {conn_id: place for place, conn_id in enumerate(self._ids)}
            return sorted(rows, key=lambda conn: given[conn.id], reverse=descending)
        keys = {conn.id: self._sort_key(conn, Column(column)) for conn in rows}
        if column in (Column.LAST_USED, Column.HEALTH):
            return sorted(rows, key=lambda conn: keys[conn.id], reverse=descending)
        # Compared as QSortFilterProxyModel compares when sorting locale-aware, ignoring case.
        collator = QCollator(QLocale.system())
        collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        collate = cmp_to_key(collator.compare)
        return sorted(rows, key=lambda conn: collate(keys[conn.id]), reverse=descending)


def _warning_icon():
    # Imported here: QStyle's enums take ~5 ms to load, and the list shows no icon until
    # the keychain check (after the first paint) finds the keychain unavailable.
    from PySide6.QtWidgets import QApplication, QStyle

    return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)


class ConnectionsProxy(QSortFilterProxyModel):
    """Filters as the user types: every word must appear in nickname, account, tenant or
    description, in any order and any case."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self._attention_only = False
        self.setDynamicSortFilter(True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The model sorts its rows itself (see ConnectionsModel); this proxy only filters.
        self.sourceModel().sort(column, order)

    def filter_text(self) -> str:
        return " ".join(self._words)

    def set_filter_text(self, text: str) -> None:
        words = tuple(text.casefold().split())
        if words == self._words:
            return
        self.beginFilterChange()
        self._words = words
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def attention_only(self) -> bool:
        return self._attention_only

    def set_attention_only(self, only: bool) -> None:
        """Show only the connections whose health needs attention (core/health.py)."""
        if only == self._attention_only:
            return
        self.beginFilterChange()
        self._attention_only = only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _ANY_INDEX) -> bool:
        source = self.sourceModel()
        if self._attention_only:
            health = source.data(source.index(source_row, 0, source_parent), HealthRole)
            if health is None or not health.needs_attention:
                return False
        if not self._words:
            return True
        text = source.data(source.index(source_row, 0, source_parent), SearchTextRole) or ""
        return all(word in text for word in self._words)
