"""Refresh the catalog's wording from the tenant through a signed-in connection."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QInputDialog, QWidget

from o365desk import usecases
from o365desk.core.connection import Connection
from o365desk.services import Services
from o365desk.ui.message_bar import Level


def ask_connection(parent: QWidget, connections: list[Connection]) -> Connection | None:
    """Let the person pick one of the signed-in connections (tests replace this)."""
    def tr(text: str) -> str:
        return QCoreApplication.translate("TenantRefresh", text)

    labels = [f"{c.nickname} \u2013 {c.account.username}" for c in connections]
    choice, ok = QInputDialog.getItem(
        parent, tr("Refresh from a signed-in connection"),
        tr("Fetch Microsoft's wording of the permissions from the organisation of:"),
        labels, 0, False)
    return connections[labels.index(choice)] if ok and choice in labels else None


class TenantRefresh(QObject):
    """The browser's "Refresh from a signed-in connection" action, next to the file import."""

    # A connection's id and the permissions to tick: the person wants to change what the
    # connection asks for (the main window opens Edit connection).
    edit_requested = Signal(str, object)

    def __init__(self, controller, services: Services) -> None:
        super().__init__(controller)
        self.controller = controller
        self.services = services
        w = controller.window
        w.act_refresh_tenant.setEnabled(True)
        w.refresh_button.show()
        w.act_refresh_tenant.triggered.connect(self._on_refresh)
        w.refresh_button.clicked.connect(self._on_refresh)

    def signed_in(self) -> list[Connection]:
        try:
            connections = self.services.store.connections
        except Exception:  # a damaged store: the main window says so
            connections = []
        return [c for c in connections if c.account is not None]

    def _on_refresh(self) -> None:
        w = self.controller.window
        connections = self.signed_in()
        if not connections:
            w.error_bar.clear_buttons()  # an earlier message's buttons go
            w.error_bar.show_message(self.tr(
                "No connection is signed in. Sign in with a connection in the main window "
                "first (it needs the Application.Read.All permission)."), Level.WARNING)
            return
        conn = ask_connection(w, connections)
        if conn is not None:
            self.controller.start(self.refresh(conn))

    async def refresh(self, conn: Connection) -> bool:
        """Fetch off the GUI thread; on failure say why plainly and change nothing."""
        from o365desk.catalog.tenant_import import TenantImportError
        from o365desk.storage.vault import VaultError
        from o365desk.ui.async_runner import off_gui_thread
        from o365desk.usecases.catalog import RefreshError

        c, w = self.controller, self.controller.window
        controls = (w.act_refresh_tenant, w.refresh_button, w.act_import, w.import_button)
        for control in controls:
            control.setEnabled(False)
        w.statusBar().showMessage(self.tr("Fetching the permissions from \u201c{name}\u201d\u2026")
                                  .format(name=conn.nickname))
        try:
            tenant, diff, merged = await off_gui_thread(
                usecases.refresh_catalog, self.services, conn, c.builtin)
        except RefreshError as exc:
            reason = f"{exc.explanation.title}: {exc.explanation.message}"
            return self._failed(conn, reason, exc.explanation.scopes)
        except (VaultError, TenantImportError, OSError) as exc:
            return self._failed(conn, str(exc))
        finally:
            for control in controls:
                control.setEnabled(True)
            w.statusBar().clearMessage()
        w.error_bar.hide()
        c._set_catalog(merged)
        c.show_changes(diff)
        return True

    def _failed(self, conn: Connection, reason: str, scopes: tuple[str, ...] = ()) -> bool:
        bar = self.controller.window.error_bar
        bar.clear_buttons()
        if scopes:
            text = self.tr("Change the permissions of \u201c{name}\u201d\u2026").format(
                name=conn.nickname)
            button = bar.add_button(text, text.replace("\u2026", ""))
            button.clicked.connect(lambda _=False: self.edit_requested.emit(conn.id, scopes))
        bar.show_message(self.tr(
            "Could not refresh from \u201c{name}\u201d. Nothing was changed. {reason}").format(
            name=conn.nickname, reason=reason), Level.ERROR)
        return False
