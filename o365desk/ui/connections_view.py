"""What the main window's per-connection actions need of it: a narrow interface.

Only type checkers read it (the actions import it under TYPE_CHECKING), so defining a
Protocol costs nothing at start-up; the change notice is ui.connections_changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex

    from o365desk.core.connection import Connection
    from o365desk.services import Services
    from o365desk.ui.async_runner import TaskRunner
    from o365desk.ui.connections_model import ConnectionsModel, ConnectionsProxy
    from o365desk.ui.keychain_status import KeychainStatus
    from o365desk.ui.main_window import MainWindow


class ConnectionsView(Protocol):
    """The main window as ConnectionActions and ConnectionEdits see it (MainController)."""

    window: MainWindow
    services: Services
    model: ConnectionsModel
    proxy: ConnectionsProxy
    runner: TaskRunner
    keychain_status: KeychainStatus

    def current(self) -> Connection | None:
        """The selected connection, if any."""

    def current_index(self) -> QModelIndex:
        """The selected row as an index into the model (invalid when none)."""

    def select(self, connection_id: str | None) -> None:
        """Select that connection if it is listed, else the first row."""

    def update_actions(self) -> None:
        """Enable and explain the actions for the selected connection."""

    def is_deleting(self, connection_id: str) -> bool:
        """Whether that connection is being deleted right now."""

    def show_error(self, text: str, detail: str = "", edit_again: bool = False) -> None:
        """The error bar, with details for IT and an Edit again button when asked."""

    def flush_pending_reload(self) -> None:
        """Reload now if a change on disk waited for an edit or deletion to end."""
