"""The connection list's desktop conventions: its context menu, and Enter on a row.

The menu is made of the window's own actions, so it reads, enables and explains exactly
as the Connection menu does. Enter does what a person most likely wants next with the
connection (docs/DECISIONS.md, "Enter on a connection"): test one that is signed in, sign
in one that is not or whose sign-in has run out.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu

from o365desk.core.connection import Connection, Status
from o365desk.ui.connections_model import Column
from o365desk.ui.main_window import MainWindow

# What Enter does, by the connection's status; None: nothing can be done now.
_ENTER = {
    Status.SIGNED_IN: "act_test",
    Status.CONSENT_MISSING: "act_test",
    Status.NOT_SIGNED_IN: "act_sign_in",
    Status.SIGN_IN_NEEDED: "act_sign_in",
    Status.WAITING_FOR_APPROVAL: "act_sign_in",  # signing in approves what was added
    Status.KEYCHAIN_UNAVAILABLE: None,
    Status.DAMAGED: None,  # only Delete works on it
    Status.READY: "act_test",  # app only: nothing to sign in
    Status.CREDENTIAL_EXPIRED: "act_replace_credential",  # app only: give it a new one
}


class ConnectionMenu(QObject):
    """Right-click, the Menu key or Shift+F10 on the list; Enter or Return on a row."""

    def __init__(
        self,
        window: MainWindow,
        current: Callable[[], Connection | None],
        status_of: Callable[[Connection], Status],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self._current = current
        self._status_of = status_of
        self.menu: QMenu | None = None  # the one open, if any
        table = window.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._on_requested)
        # Only while the list itself has the focus: in the rename editor Enter commits.
        self._shortcuts = []
        for keys, slot in (((Qt.Key.Key_Return, Qt.Key.Key_Enter), self.on_enter),
                           ((Qt.Key.Key_Menu, "Shift+F10"), self.popup_for_current)):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), table,
                                     context=Qt.ShortcutContext.WidgetShortcut)
                shortcut.activated.connect(slot)
                self._shortcuts.append(shortcut)

    def actions(self) -> list[QAction | None]:
        """The menu's items for a selected connection (None: a separator): the
        Connection menu's."""
        return list(self.window.connection_items)

    def build(self) -> QMenu:
        menu = QMenu(self.window.table)
        menu.setAccessibleName(self.tr("Connection actions"))
        items = self.actions() if self._current() is not None else [self.window.act_new]
        for action in items:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.aboutToHide.connect(self._on_hidden)
        return menu

    def _on_requested(self, pos: QPoint) -> None:
        table = self.window.table
        index = table.indexAt(pos)
        if index.isValid():  # the row under the pointer, as in any list
            table.selectRow(index.row())
            self._popup(table.viewport().mapToGlobal(pos))
        else:
            self.popup_for_current()

    def popup_for_current(self) -> None:
        """The menu beside the selected row (from the keyboard), or at the list's top."""
        table = self.window.table
        rows = table.selectionModel().selectedRows(Column.NICKNAME)
        if rows:
            rect = table.visualRect(rows[0])
            at = QPoint(rect.left() + 16, rect.bottom())
        else:
            at = QPoint(16, 8)
        self._popup(table.viewport().mapToGlobal(at))

    def _popup(self, at: QPoint) -> None:
        if self.menu is not None:
            self.menu.close()
        self.menu = self.build()
        self.menu.popup(at)

    def _on_hidden(self) -> None:
        menu, self.menu = self.menu, None
        if menu is not None:
            menu.deleteLater()

    def on_enter(self) -> None:
        conn = self._current()
        if conn is None:
            return
        name = _ENTER[self._status_of(conn)]
        action = getattr(self.window, name) if name else self.window.act_test
        if action.isEnabled():
            action.trigger()
        else:  # say why, as the greyed button's tip does
            self.window.statusBar().showMessage(action.toolTip(), 8000)
