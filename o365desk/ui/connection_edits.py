"""Rename in place and delete, for the main window: the saving, the refusals, Edit again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from o365desk import usecases
from o365desk.core.connection import Connection
from o365desk.storage.store import NotFoundError, StoreError
from o365desk.storage.vault import VaultError
from o365desk.ui import dialogs
from o365desk.ui.async_runner import off_gui_thread
from o365desk.ui.connections_changed import ConnectionsChanged
from o365desk.ui.connections_model import Column

if TYPE_CHECKING:
    from o365desk.ui.connections_view import ConnectionsView


_GUI_WAIT = 0.5  # seconds


class ConnectionEdits(QObject):
    """Slots behind Edit connection, Rename, Edit again and Delete."""

    changed = Signal(object)  # ConnectionsChanged: after every change saved here
    approval_needed = Signal(object)  # a Connection whose added permissions need a sign-in

    def __init__(self, main: ConnectionsView) -> None:
        super().__init__(main)
        self.main = main
        self.window = main.window
        self.deleting: set[str] = set()  # connection ids being deleted right now
        self._rename_attempt: tuple[str, str] | None = None  # (connection id, typed text)
        self.edit_dialog = None  # the open EditConnectionDialog, if any

    # --- rename --------------------------------------------------------------------------

    def rename(self, connection_id: str, nickname: str) -> Connection:
        """The model's renamer: the store checks the nickname rules and saves."""
        # On the GUI thread (the model's editor commits here): never wait long for another
        # o365desk's lock; the refusal says "busy, try again" and Edit again keeps the text.
        renamed = usecases.rename(self.main.services, connection_id, nickname, wait=_GUI_WAIT)
        self.changed.emit(ConnectionsChanged())  # the model shows the new name itself
        if self._rename_attempt is not None:
            self._rename_attempt = None
            self.window.error_bar.hide()
        return renamed

    def on_rename(self) -> None:
        main = self.main
        index = main.current_index()
        if not index.isValid() or not self.window.act_rename.isEnabled():
            return
        view_index = main.proxy.mapFromSource(index.siblingAtColumn(Column.NICKNAME))
        self.window.table.setCurrentIndex(view_index)
        self.window.table.edit(view_index)

    def on_rename_failed(self, connection_id: str, attempted: str, message: str) -> None:
        self._rename_attempt = (connection_id, attempted)
        model = self.main.model
        row = model.row_of(connection_id)
        old = model.connections()[row].nickname if row >= 0 else ""
        self.main.show_error(
            self.tr("\u201c{old}\u201d was not renamed. {reason}").format(old=old, reason=message),
            edit_again=True,
        )

    def on_edit_again(self) -> None:
        if self._rename_attempt is None:
            return
        connection_id, attempted = self._rename_attempt
        model, proxy, w = self.main.model, self.main.proxy, self.window
        row = model.row_of(connection_id)
        if row < 0:
            return
        index = proxy.mapFromSource(model.index(row, Column.NICKNAME))
        if not index.isValid():
            w.filter_edit.clear()  # the row is filtered out: show it again
            index = proxy.mapFromSource(model.index(row, Column.NICKNAME))
        w.error_bar.hide()
        w.table.setFocus()
        w.table.selectRow(index.row())
        w.nickname_delegate.pending_text = attempted
        if not w.table.edit(index):
            w.nickname_delegate.pending_text = None

    # --- edit ----------------------------------------------------------------------------

    def on_edit(self, _checked: bool = False, *, tick: tuple[str, ...] = ()) -> None:
        """Open Edit connection for the selected connection, `tick` ticked as well."""
        conn = self.main.current()
        if conn is None:
            return
        if not self.window.act_edit.isEnabled():  # say why, e.g. asked from another window
            self.window.statusBar().showMessage(self.window.act_edit.toolTip(), 8000)
            return
        dialog = self.edit_dialog
        if dialog is not None:
            if dialog.connection.id == conn.id:
                if tick:
                    dialog.permissions.set_scopes([*dialog.scopes(), *tick])
                dialogs.bring_forward(dialog)
                return
            # One at a time; the open one may hold changes not saved yet, so it stays.
            dialogs.bring_forward(dialog)
            dialogs.inform(dialog, self.tr("Edit connection"), self.tr(
                "\u201c{name}\u201d is being edited.").format(name=dialog.connection.nickname),
                self.tr("Save or cancel those changes first, then choose to change "
                        "\u201c{other}\u201d again.").format(other=conn.nickname))
            return
        from o365desk.ui.edit_dialog import EditConnectionDialog  # the catalog loads now

        dialog = EditConnectionDialog(self.main.services, conn, self.window, tick=tick)
        dialog.saved.connect(self._on_edited)
        dialog.finished.connect(lambda _result, d=dialog: self._on_edit_closed(d))
        self.edit_dialog = dialog
        dialog.open()

    def _on_edit_closed(self, dialog) -> None:
        if self.edit_dialog is dialog:
            self.edit_dialog = None
        dialog.deleteLater()  # a closed dialog holds a catalog model: free it

    def _on_edited(self, result) -> None:
        saved = result.connection
        self.changed.emit(ConnectionsChanged(saved=saved))
        self.window.statusBar().showMessage(
            self.tr("Saved the changes to \u201c{name}\u201d.").format(name=saved.nickname),
            5000)
        if result.needs_approval:
            self.approval_needed.emit(saved)  # straight into approving what was added

    # --- delete --------------------------------------------------------------------------

    def on_delete(self) -> None:
        main = self.main
        conn = main.current()
        if conn is None or not self.window.act_delete.isEnabled():
            return
        if not dialogs.confirm_delete(self.window, conn, main.keychain_status.backend):
            return
        self.deleting.add(conn.id)
        main.update_actions()
        self.window.statusBar().showMessage(
            self.tr("Deleting \u201c{name}\u201d\u2026").format(name=conn.nickname)
        )
        main.runner.start(self._delete(conn))

    async def _delete(self, conn: Connection) -> None:
        main = self.main
        bar = self.window.statusBar()
        try:
            await off_gui_thread(usecases.delete, main.services, conn)
        except NotFoundError:
            pass  # someone else deleted it meanwhile: the outcome the user asked for
        except (VaultError, StoreError) as exc:
            bar.clearMessage()
            text = self.tr("\u201c{name}\u201d was not deleted. {reason}")
            reason = str(exc)
            if isinstance(exc, VaultError):
                text = self.tr(
                    "\u201c{name}\u201d was not deleted: its saved sign-in could not be removed "
                    "from the keychain. {reason}"
                )
                # Shown where the keychain's state is, with Retry; named here.
                reason = main.keychain_status.refused(exc)
            detail = exc.detail if isinstance(exc, VaultError) else ""
            main.show_error(text.format(name=conn.nickname, reason=reason), detail=detail)
            return
        finally:
            self.deleting.discard(conn.id)
            self.changed.emit(ConnectionsChanged())  # the file is as this window left it
            main.update_actions()
            main.flush_pending_reload()
        # The rows change: the result bar about it goes too.
        self.changed.emit(ConnectionsChanged(removed=conn.id))
        bar.showMessage(self.tr("Deleted \u201c{name}\u201d.").format(name=conn.nickname), 5000)
