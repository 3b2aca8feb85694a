"""The main window's behaviour: the slots behind its actions and the jobs they start."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QModelIndex, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView

from o365desk import __version__
from o365desk.core.connection import Connection, utcnow
from o365desk.core.words import plural
from o365desk.services import KeychainState, Services
from o365desk.storage.store import StoreError
from o365desk.ui import dialogs
from o365desk.ui.async_runner import TaskRunner
from o365desk.ui.connection_actions import ConnectionActions
from o365desk.ui.connection_edits import ConnectionEdits
from o365desk.ui.connection_menu import ConnectionMenu
from o365desk.ui.connection_state import damaged_reason
from o365desk.ui.connections_changed import ConnectionsChanged
from o365desk.ui.connections_model import (
    Column,
    ConnectionRole,
    ConnectionsModel,
    ConnectionsProxy,
)
from o365desk.ui.keychain_status import KeychainStatus
from o365desk.ui.main_window import MainWindow, window_settings
from o365desk.ui.store_watcher import StoreWatcher
from o365desk.ui.window_keeper import WindowKeeper


class MainController(QObject):
    """Connects the window to the services; owns the model and the background jobs."""

    def __init__(
        self,
        window: MainWindow,
        services: Services,
        clock: Callable[[], datetime] = utcnow,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.store = services.store
        self._clock = clock
        self.edits = ConnectionEdits(self)
        self.model = ConnectionsModel(self.edits.rename, clock, self)
        self.proxy = ConnectionsProxy(self)
        self.proxy.setSourceModel(self.model)
        window.table.setModel(self.proxy)
        window.table.sortByColumn(Column.NICKNAME, Qt.SortOrder.AscendingOrder)
        self.runner = TaskRunner(self)
        self.keychain_status = KeychainStatus(window, services, self.model, self.runner, self)
        self.actions = ConnectionActions(self)
        # Keep-alive and the tray's health notifications: made after the first paint.
        self._health_watch = None
        self._clock_for_health = clock
        self.wizards = WindowKeeper(self)  # the open New connection wizard
        self.scope_browsers = WindowKeeper(self)  # the open permission browser
        self.menu = ConnectionMenu(window, self.current, self.model.status_of, self)
        self._policy = None  # ui.policy_status.PolicyStatus, on first use
        window.act_managed.triggered.connect(lambda: self.policy.show_dialog())
        window.policy_details_button.clicked.connect(lambda: self.policy.show_dialog())
        self._reload_pending = False
        self._error_detail = ""
        self._template_import = None  # ui.template_import.TemplateImport, on first use
        # A refused keep-alive refresh, said once: ui.keep_alive_notice.KeepAliveNotice,
        # made when the health watch starts.
        self.keep_alive_notice = None
        self._it_templates = None  # ui.it_templates.ItTemplateChooser, on first use
        self._settings = settings if settings is not None else window_settings()
        self._watcher = StoreWatcher(self.store.path, self)
        self._minute = QTimer(self)
        self._minute.setInterval(60_000)
        self._minute.timeout.connect(self._on_minute)
        self._minute.start()
        self._connect()
        # After setModel: the header's saved column widths need its sections to exist.
        window.restore_state(self._settings)

    def _connect(self) -> None:
        w = self.window
        w.act_new.triggered.connect(self._on_new_connection)
        w.act_new_from_template.triggered.connect(lambda: self.templates().choose())
        w.act_quit.triggered.connect(w.close)
        w.act_edit.triggered.connect(self.edits.on_edit)
        w.details.edit_button.clicked.connect(self.edits.on_edit)
        w.act_rename.triggered.connect(self.edits.on_rename)
        w.details.rename_button.clicked.connect(self.edits.on_rename)
        w.act_delete.triggered.connect(self.edits.on_delete)
        w.details.delete_button.clicked.connect(self.edits.on_delete)
        w.act_copy_id.triggered.connect(self._on_copy_id)
        w.act_filter.triggered.connect(self._on_focus_filter)
        w.act_permissions.triggered.connect(self._on_permissions)
        w.act_about.triggered.connect(self._on_about)
        w.act_open_logs.triggered.connect(self._on_open_logs)
        w.filter_edit.textChanged.connect(self._on_filter_changed)
        w.attention_check.toggled.connect(self._on_attention_only)
        w.act_sort_health.triggered.connect(
            lambda: w.table.sortByColumn(Column.HEALTH, Qt.SortOrder.AscendingOrder))
        w.filter_edit.returnPressed.connect(w.table.setFocus)
        w.clear_filter_shortcut.activated.connect(self._on_clear_filter)
        w.edit_again_button.clicked.connect(self.edits.on_edit_again)
        w.error_details_button.clicked.connect(self._on_error_details)
        w.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        w.closing.connect(self._on_closing)
        w.nickname_delegate.closeEditor.connect(self.flush_pending_reload)
        self.model.rename_failed.connect(self.edits.on_rename_failed)
        self.model.dataChanged.connect(self._on_selection_changed)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._on_rows_changed)
        self._watcher.changed.connect(self._on_store_file_changed)
        self.runner.failed.connect(self._on_job_failed)
        self.keychain_status.changed.connect(self._on_selection_changed)
        # Every change this window saves comes back through one slot.
        for source in (self.actions, self.edits):
            source.changed.connect(self.on_connections_changed)
        self.edits.approval_needed.connect(self.actions.sign_in)
        self.actions.edit_requested.connect(lambda scopes: self.edits.on_edit(tick=scopes))

    # --- loading -------------------------------------------------------------------------

    def load(self, policy: bool = True) -> None:
        """Read connections.json (fast, local) and fill the list; never touches the keychain.

        `policy`: read the IT policy now too. The window's start reads it just after its
        first paint instead (load_policy; what it imports would delay that paint), so New
        connection is on for that moment; the wizard checks the policy itself anyway.
        """
        self._read_store()
        if policy:
            self.load_policy()
        self._on_rows_changed()  # the model says nothing when the list was and is empty
        self.select(None)

    @property
    def policy(self):
        """What the IT policy means for the window (ui.policy_status), made on first use."""
        if self._policy is None:
            from o365desk.ui.policy_status import PolicyStatus

            self._policy = PolicyStatus(self.window, lambda: list(self.store.connections),
                                        self)
        return self._policy

    def load_policy(self) -> None:
        self.policy.load()

    @property
    def health_watch(self):
        """Keep-alive and the health notifications (ui.health_watch), made on first use."""
        if self._health_watch is None:
            from o365desk.ui.health_notifier import HealthNotifier
            from o365desk.ui.health_watch import HealthWatch

            self._health_watch = HealthWatch(self.services, HealthNotifier(None),
                                             self._clock_for_health, self)
        return self._health_watch

    def _read_store(self) -> None:
        try:
            self.store.load()
        except StoreError as exc:
            self.show_error(
                self.tr("The saved connections could not be read. {reason}").format(reason=exc)
            )
        self._watcher.mark_seen()
        notices = list(self.store.notices)
        if notices:
            self.window.notice_bar.show_message("\n".join(notices))
        self.model.set_editable(not self.store.read_only)
        try:
            connections = list(self.store.connections)
        except StoreError:
            connections = []
        self.model.set_connections(connections)

    def _reload(self) -> None:
        current = self.current()
        self._read_store()
        self.select(current.id if current else None)

    def select(self, connection_id: str | None) -> None:
        """Select that connection if it is listed, else the first row (if any)."""
        row = self.model.row_of(connection_id) if connection_id else -1
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else None
        if index is None or not index.isValid():
            index = self.proxy.index(0, 0)
        if index.isValid():
            self.window.table.selectRow(index.row())
        self.update_actions()

    def _on_store_file_changed(self) -> None:
        editing = self.window.table.state() == QAbstractItemView.State.EditingState
        if self.edits.deleting or editing:
            self._reload_pending = True  # reloading now would close the editor or race
            return
        self._reload()

    def flush_pending_reload(self, *_args) -> None:
        if self._reload_pending and not self.edits.deleting:
            self._reload_pending = False
            # Later, not now: the editor that just closed is still being torn down.
            QTimer.singleShot(0, self._on_store_file_changed)

    def _on_minute(self) -> None:
        self.model.refresh_times()
        self.flush_pending_reload()

    # --- keychain ------------------------------------------------------------------------

    @property
    def keychain(self) -> KeychainState | None:
        return self.keychain_status.state

    def start_keychain_check(self) -> None:
        """Ask the keychain which backend it is and whether it answers, off the GUI thread.
        Then, soon and every hour: keep-alive and the health notifications."""
        self.keychain_status.start_check()
        if self.health_watch.notifier.tray is None:
            from o365desk.ui.health_notifier import system_tray

            self.health_watch.notifier.tray = system_tray(self.window)
        self.health_watch.start()
        if self.keep_alive_notice is None:
            from o365desk.ui.keep_alive_notice import KeepAliveNotice

            self.keep_alive_notice = KeepAliveNotice(self.window.keep_alive_bar,
                                                     self._sign_in_again, self)
            self.health_watch.finished.connect(self.keep_alive_notice.show_refused)

    def apply_keychain_state(self, state: KeychainState) -> None:
        self.keychain_status.apply(state)

    # --- selection -----------------------------------------------------------------------

    def current_index(self) -> QModelIndex:
        """The selected row, as an index into the model (not the proxy); invalid if none."""
        rows = self.window.table.selectionModel().selectedRows(Column.NICKNAME)
        if not rows:
            return QModelIndex()
        return self.proxy.mapToSource(rows[0])

    def current(self) -> Connection | None:
        index = self.current_index()
        return index.data(ConnectionRole) if index.isValid() else None

    def _on_selection_changed(self, *_args) -> None:
        self._refresh_details()
        self.update_actions()

    def _refresh_details(self) -> None:
        conn = self.current()
        if conn is None:
            self.window.details.clear()
            return
        self.window.details.show_connection(
            conn, self.model.status_of(conn), self.keychain_status.backend, self._clock(),
            self.model.state_of(conn.id))

    def update_actions(self) -> None:
        w = self.window
        conn = self.current()
        if conn is None:
            reason = self.tr("Select a connection first.")
        elif self.store.read_only:
            # The store's notices say why it is read-only (newer file, damaged file...).
            reason = " ".join(self.store.notices) or self.tr(
                "Changes to connections are turned off; restart o365desk to try again."
            )
        elif self.edits.deleting:
            reason = self.tr("Wait until the deletion has finished.")
        else:
            reason = ""
        damaged = damaged_reason(conn)  # only Delete works on a damaged connection
        # A test or sign-in still running would save its tokens after the deletion.
        busy = self.tr("Wait until the current action on this connection has finished.") \
            if conn is not None and self.actions.is_busy(conn.id) else ""
        self.model.set_editable(not self.store.read_only and not self.edits.deleting)
        for action, button, tip, why_not in (
            (w.act_edit, w.details.edit_button,
             self.tr("Change the connection's description and permissions"), reason or damaged),
            (w.act_rename, w.details.rename_button, self.tr("Give the connection a new nickname"),
             reason or damaged),
            (
                w.act_delete,
                w.details.delete_button,
                self.tr("Delete the connection and its saved sign-in from this computer"),
                reason or busy,
            ),
        ):
            action.setEnabled(not why_not)
            button.setEnabled(not why_not)
            action.setToolTip(why_not or tip)
            button.setToolTip(why_not or tip)
        w.act_copy_id.setEnabled(conn is not None)
        self.actions.update(conn, reason if conn is not None else "")

    def is_deleting(self, connection_id: str) -> bool:
        return connection_id in self.edits.deleting

    def _on_rows_changed(self, *_args) -> None:
        has_rows = self.model.rowCount() > 0
        w = self.window
        w.show_list(has_rows)
        self.actions.forget_result()  # about a connection deleted meanwhile: hide it
        self._update_count()
        self._on_selection_changed()

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if shown == total:
            text = plural(total, self.tr("1 connection"), self.tr("{count} connections"))
        else:
            text = plural(total, self.tr("{shown} of 1 connection shown"),
                          self.tr("{shown} of {count} connections shown"), shown=shown)
        self.window.count_label.setText(text)
        self.window.show_no_match(total > 0 and shown == 0)

    # --- filter --------------------------------------------------------------------------

    def _on_filter_changed(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self._update_count()
        if self.current() is None and self.proxy.rowCount():
            self.window.table.selectRow(0)  # keep the details pane on a visible match
        self._on_selection_changed()

    def _on_attention_only(self, only: bool) -> None:
        self.proxy.set_attention_only(only)
        self._on_filter_changed(self.window.filter_edit.text())

    def _on_clear_filter(self) -> None:
        self.window.filter_edit.clear()

    def _sign_in_again(self, connection: Connection) -> None:
        """Sign that connection in again (the keep-alive bar's button): shown first if the
        filter hides it; nothing when it was deleted meanwhile."""
        row = self.model.row_of(connection.id)
        if row < 0:
            return
        if not self.proxy.mapFromSource(self.model.index(row, 0)).isValid():
            self._on_clear_filter()
            self.window.attention_check.setChecked(False)
        self.actions.sign_in(connection)

    def _on_focus_filter(self) -> None:
        self.window.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.window.filter_edit.selectAll()

    # --- the rest ------------------------------------------------------------------------

    def on_connections_changed(self, change: ConnectionsChanged) -> None:
        """After any change saved here (test, sign-in, sign-out, edit, rename, delete, a
        new connection): the list, the details and the actions show it."""
        self.mark_store_seen()
        if change.removed is not None:
            self.model.remove(change.removed)
        saved = change.saved
        if saved is not None:
            if self.model.row_of(saved.id) >= 0:
                self.model.replace(saved)
            else:
                self._reload()  # a new connection: read it as saved, with the rest
            if change.select:
                self.select(saved.id)
        self._on_selection_changed()

    def mark_store_seen(self) -> None:
        """After a change saved here: the file is as this window left it, unless that save
        found another process's change too, which the list must then show."""
        self._watcher.mark_seen()
        if self.store.take_changed_elsewhere():
            self._on_store_file_changed()  # reloads now, or once an edit or deletion ends

    def show_error(self, text: str, detail: str = "", edit_again: bool = False) -> None:
        self._error_detail = detail
        self.window.error_details_button.setVisible(bool(detail))
        self.window.edit_again_button.setVisible(edit_again)
        self.window.error_bar.show_message(text)

    def _on_error_details(self) -> None:
        dialogs.show_details(
            self.window,
            self.tr("Error details"),
            self.window.error_bar.text(),
            self._error_detail,
        )

    def _on_job_failed(self, error: str) -> None:
        self.show_error(
            self.tr("Something went wrong in the background. Try again; if it keeps "
                    "happening, send the details to your IT contact."),
            detail=error,
        )

    def _on_copy_id(self) -> None:
        conn = self.current()
        if conn is None:
            return
        QGuiApplication.clipboard().setText(conn.id)
        self.window.statusBar().showMessage(
            self.tr("Copied the ID of \u201c{name}\u201d.").format(name=conn.nickname), 5000
        )

    @property
    def _wizard(self):
        """The open New connection wizard, if any."""
        return self.wizards.window

    @property
    def _scope_browser(self):
        """The open permission browser, if any."""
        return self.scope_browsers.window

    def _on_new_connection(self) -> None:
        from o365desk.ui.it_templates import policy_offers_templates

        # The IT policy's templates come first (ui.it_templates), then the wizard.
        if self.window.act_new.isEnabled() and self.wizards.window is None \
                and policy_offers_templates():
            self.it_templates().choose()
            return
        self._on_new_connection_with(None)

    def it_templates(self):
        """The chooser of the IT policy's templates (ui.it_templates), made on first use."""
        if self._it_templates is None:
            from o365desk.ui.it_templates import ItTemplateChooser

            self._it_templates = ItTemplateChooser(
                self.window, self.services,
                lambda entry: self._on_new_connection_with(None, template=entry))
        return self._it_templates

    def templates(self):
        """New connection from template (ui.template_import), made on first use."""
        if self._template_import is None:
            from o365desk.ui.template_import import TemplateImport

            self._template_import = TemplateImport(
                self.window, self.services,
                lambda entry: self._on_new_connection_with(None, template=entry),
                self._on_template_created)
        return self._template_import

    def _on_template_created(self, saved: list[Connection]) -> None:
        for connection in saved:
            self.on_connections_changed(ConnectionsChanged(saved=connection))
        self.window.statusBar().showMessage(plural(
            len(saved), self.tr("Created 1 connection from the template."),
            self.tr("Created {count} connections from the template.")), 5000)

    def _on_new_connection_with(self, scopes: list[str] | None, template=None) -> None:
        """`scopes`: from the permission browser, ticked when the wizard starts;
        `template`: a core.template.TemplateEntry whose values fill the wizard."""
        if not self.window.act_new.isEnabled():  # a damaged IT policy: say why, here too
            self.show_error(self.window.policy_bar.text())
            return
        if self.wizards.bring_forward():  # one wizard at a time
            if scopes:
                dialogs.inform(self.wizards.window, self.tr("New connection"), self.tr(
                    "A new connection is already being set up."), self.tr(
                    "Finish or cancel it, then choose \u201cNew connection with these "
                    "permissions\u201d in the permission browser again: your selection "
                    "there is kept."))
            return
        from o365desk.ui.wizard import open_new_connection_wizard  # QtWebEngine loads now

        wizard = open_new_connection_wizard(
            self.services, self.window, keychain_state=self.keychain_status.state,
            scopes=scopes, template=template)
        wizard.saved.connect(self._on_connection_saved)
        # Freed once closed: on Cancel it cancels its jobs itself, except the one removing
        # an unsaved sign-in's tokens, which must finish first.
        self.wizards.keep(wizard, cancel_jobs=False)

    def _on_connection_saved(self, connection: Connection) -> None:
        result = getattr(self.wizards.window, "result", None)
        if result is not None:  # the details show what the sign-in just returned
            from o365desk.auth.token_state import from_result

            self.model.set_state(connection.id, from_result(result))
        self.on_connections_changed(ConnectionsChanged(saved=connection))
        self.window.statusBar().showMessage(
            self.tr("Saved \u201c{name}\u201d.").format(name=connection.nickname), 5000)

    def _on_permissions(self) -> None:
        if self.scope_browsers.bring_forward():  # one per window
            return
        from o365desk.ui.scopes import open_scope_browser  # the catalog loads only now

        browser = open_scope_browser(self.window, self.services)
        self.scope_browsers.keep(browser, browser.closed)  # freed once closed
        browser.new_connection_requested.connect(self._on_new_connection_with)
        refresh = getattr(browser, "tenant_refresh", None)
        if refresh is not None:
            refresh.edit_requested.connect(self._on_edit_requested)

    def _on_edit_requested(self, connection_id: str, scopes) -> None:
        """Another window asks to change a connection's permissions: Edit connection opens
        here, over the main window, with `scopes` ticked."""
        if self.model.row_of(connection_id) < 0:
            return  # deleted meanwhile
        if self.window.filter_edit.text():
            self.window.filter_edit.clear()  # the row must be visible to be selected
        self.window.attention_check.setChecked(False)
        self.select(connection_id)
        self.window.raise_()
        self.window.activateWindow()
        self.edits.on_edit(tick=tuple(scopes))

    def _on_open_logs(self) -> None:
        from o365desk.ui.log_folder import open_log_folder

        open_log_folder(lambda text, detail: self.show_error(text, detail=detail))

    def _on_about(self) -> None:
        dialogs.about(self.window, __version__)

    def _on_closing(self) -> None:
        self.window.save_state(self._settings)
        if self._health_watch is not None:
            self._health_watch.stop()
