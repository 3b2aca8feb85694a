"""Slots of the scope browser: loading, search and filters, the tree, details, tenant import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication

from o365desk.catalog.catalog import Catalog, CatalogError
from o365desk.catalog.model import APPLICATION, DELEGATED, Permission, PermissionStatus
from o365desk.catalog.search import Filters, for_request, index_for
from o365desk.ui.message_bar import Level
from o365desk.ui.scopes import tenant_dialog
from o365desk.ui.scopes.details_view import tenant_date
from o365desk.ui.scopes.filter_proxy import PermissionFilterProxy
from o365desk.ui.scopes.paths_model import make_paths_proxy
from o365desk.ui.scopes.selection_controller import SelectionController
from o365desk.ui.scopes.tree_model import GROUP, NodeRole, PermissionRole, PermissionTreeModel

# The cached tenant import's file name (tenant_import.CACHE_NAME), checked before importing
# that module: opening the browser without a tenant import should not pay for it.
TENANT_CACHE_NAME = "tenant-catalog.json"


def _import_and_index(path: Path, builtin: Catalog):
    """Worker thread: check and cache the file, merge it, and build the search index."""
    from o365desk.catalog import tenant_import

    tenant, diff = tenant_import.import_file(path, builtin)
    merged = builtin.with_tenant(tenant)
    index_for(merged)
    return tenant, diff, merged


class ScopeBrowserController(QObject):
    """Connects the browser window to the catalog; the window never holds catalog data."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.builtin: Catalog | None = None
        self.catalog: Catalog | None = None
        self.tree_model = PermissionTreeModel(self)
        self.proxy = PermissionFilterProxy(self)
        self.proxy.setSourceModel(self.tree_model)
        self.paths_model, self.paths_proxy = make_paths_proxy(self)
        self.selection = SelectionController(window, self)
        self.runner = None  # a TaskRunner, made when the first import starts
        self.changes_dialog: tenant_dialog.ChangesDialog | None = None
        self._current: Permission | None = None
        self._best_pending = False  # a query changed: entering the results goes to its best
        window.set_tree_model(self.proxy)
        window.details.set_paths_model(self.paths_proxy)
        self._connect()

    def _connect(self) -> None:
        w = self.window
        w.search_edit.textChanged.connect(self._on_search_changed)
        w.search_edit.returnPressed.connect(self._on_search_return)
        w.to_results_shortcut.activated.connect(self._on_search_down)
        for combo in (w.type_combo, w.consent_combo, w.level_combo, w.status_combo):
            combo.currentIndexChanged.connect(self._on_filters_changed)
        w.reset_button.clicked.connect(self._on_clear_filters)
        w.no_match_button.clicked.connect(self._on_clear_filters)
        w.act_clear_filters.triggered.connect(self._on_clear_filters)
        w.act_add.triggered.connect(self._on_add_current)
        w.act_copy_delegated.triggered.connect(lambda: self._on_copy_id(DELEGATED))
        w.act_copy_application.triggered.connect(lambda: self._on_copy_id(APPLICATION))
        w.act_import.triggered.connect(self._on_import_tenant)
        w.import_button.clicked.connect(self._on_import_tenant)
        w.act_changes.triggered.connect(self._on_show_changes)
        w.changes_button.clicked.connect(self._on_show_changes)
        w.tree.selectionModel().currentChanged.connect(self._on_current_changed)
        w.tree.activated.connect(self._on_tree_activated)
        w.tree.installEventFilter(self)
        for shortcut in w.enter_shortcuts:
            shortcut.activated.connect(self._on_tree_enter)
        w.details.copy_id_requested.connect(self._on_copy_id)
        w.details.selection_toggled.connect(self._on_toggle_selection)
        w.details.alternative_activated.connect(self._on_alternative)
        self.selection.model.selection_changed.connect(self._on_selection_changed)
        self.selection.show_permission.connect(self._on_show_from_selection)

    # --- loading -------------------------------------------------------------------------

    def load(self) -> None:
        """Read the built-in catalog (tens of ms) and a cached tenant import, if any."""
        from o365desk.catalog.catalog import get_catalog
        from o365desk.core import paths

        self.builtin = get_catalog()
        tenant = None
        if (paths.data_dir() / TENANT_CACHE_NAME).exists():
            from o365desk.catalog import tenant_import

            try:
                tenant = tenant_import.load_cached()
            except tenant_import.TenantImportError as exc:
                self.window.error_bar.clear_buttons()  # an earlier message's buttons go
                self.window.error_bar.show_message(str(exc), Level.WARNING)
        # The first paint needs only the groups and their counts: the permission rows get
        # their data, and the search its index, right after it (see _on_first_painted).
        self._set_catalog(self.builtin.with_tenant(tenant) if tenant else self.builtin,
                          defer_rows=True)
        self.window.first_painted.connect(self._on_first_painted)

    def _on_first_painted(self) -> None:
        QTimer.singleShot(0, self.finish_loading)

    def finish_loading(self) -> None:
        """Fill the permission rows and build the search index, if not done yet."""
        if self.catalog is None:
            return
        if self.tree_model.fill_rows():
            self.proxy.invalidate()
            self._after_filter()
        index_for(self.catalog)

    def _set_catalog(self, catalog: Catalog, defer_rows: bool = False) -> None:
        current = self._current.name if self._current else None
        self.catalog = catalog
        self.tree_model.set_catalog(catalog, defer_rows)
        self.proxy.set_catalog(catalog)
        self.selection.set_catalog(catalog)
        self._after_filter()
        self._show_source()
        if current:
            self.select_permission(current)

    def _show_source(self) -> None:
        w, catalog = self.window, self.catalog
        source = catalog.source.get("date", "")
        text = self.tr("{count} Microsoft Graph permissions, built-in catalog of {date}").format(
            count=len(catalog), date=source) if source else self.tr(
            "{count} Microsoft Graph permissions").format(count=len(catalog))
        tenant = catalog.tenant
        w.act_changes.setEnabled(tenant is not None)
        if tenant is None:
            w.source_label.setText(text)
            w.tenant_bar.hide()
            return
        date = tenant_date(tenant.imported_at)
        w.source_label.setText(text + self.tr("; wording from your tenant, {date}").format(
            date=date))
        w.tenant_bar.show_message(self.tr(
            "Showing Microsoft's wording from your tenant, {date} ({file}). Works offline "
            "from the saved copy.").format(date=date, file=tenant.source_name))

    # --- search, filters and the tree ----------------------------------------------------

    def current_filters(self) -> Filters:
        w = self.window
        level, status = w.level_combo.currentData(), w.status_combo.currentData()
        return Filters(kind=w.type_combo.currentData(), admin_consent=w.consent_combo.currentData(),
                       privileges=None if level is None else frozenset({level}),
                       status=None if status is None else PermissionStatus(status))

    def _on_search_changed(self, text: str) -> None:
        self.finish_loading()
        self.proxy.set_search(text)
        self._after_filter()
        # The best match is the first row; Enter, Down or Tab makes it current.
        self._best_pending = self.proxy.best_match() is not None
        if self._best_pending:
            self.window.tree.scrollToTop()

    def _on_filters_changed(self) -> None:
        self.finish_loading()
        self.proxy.set_filters(self.current_filters())
        self._after_filter()

    def _on_clear_filters(self) -> None:
        w = self.window
        for combo in (w.type_combo, w.consent_combo, w.level_combo, w.status_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        w.search_edit.blockSignals(True)
        w.search_edit.clear()
        w.search_edit.blockSignals(False)
        self.proxy.set_search("", self.current_filters())
        self._after_filter()

    def _after_filter(self) -> None:
        w, proxy = self.window, self.proxy
        shown = proxy.match_count()
        total = len(self.catalog) if self.catalog else 0
        if proxy.is_narrowed():
            w.tree.expandAll()
            w.count_label.setText(self.tr("{shown} of {total} permissions match").format(
                shown=shown, total=total))
        else:
            w.tree.collapseAll()
            w.count_label.setText(self.tr("{total} permissions in {groups} groups").format(
                total=total, groups=proxy.rowCount()))
            if self._current is not None:
                self._reveal(self._current.name)
        w.span_group_rows()
        if shown == 0 and total:
            query = proxy.query.strip()
            w.no_match_label.setText(
                self.tr("No permission matches \u201c{query}\u201d with these filters.\nTry "
                        "fewer or shorter words, or clear the filters.").format(query=query)
                if query else self.tr("No permission matches these filters."))
            w.tree_stack.setCurrentWidget(w.no_match)
            w.details.clear()  # nothing listed: no details of a permission not shown
        else:
            w.tree_stack.setCurrentWidget(w.tree)
            current = self._current
            if current is not None and w.details.is_cleared() and \
                    self._proxy_index(current.name).isValid():
                self.show_details(current)  # listed again: its details come back

    def _proxy_index(self, name: str) -> QModelIndex:
        return self.proxy.mapFromSource(self.tree_model.index_for_name(name))

    def _reveal(self, name: str) -> QModelIndex:
        index = self._proxy_index(name)
        if index.isValid():
            self.window.tree.expand(index.parent())
            self.window.tree.scrollTo(index)
        return index

    def select_permission(self, name: str) -> bool:
        """Make `name` current in the tree, clearing search and filters when they hide it."""
        if self.catalog is None or self.catalog.get(name) is None:
            return False
        self.finish_loading()
        name = self.catalog.get(name).name
        if not self._proxy_index(name).isValid():
            self._on_clear_filters()
        index = self._reveal(name)
        self.window.tree.setCurrentIndex(index)
        return index.isValid()

    def _first_permission(self) -> QModelIndex:
        for row in range(self.proxy.rowCount()):
            group = self.proxy.index(row, 0)
            if self.proxy.rowCount(group):
                return self.proxy.index(0, 0, group)
        return QModelIndex()

    def _go_to_best(self) -> None:
        """Make the best result current. For an API path, the least-privileged permission
        Microsoft lists for it; for words, the best-ranked name (the first row); with no
        query, the first row."""
        self.finish_loading()
        self._best_pending = False
        name = self.proxy.best_match()
        if "/" in self.proxy.query:
            for p, _least in for_request(self.catalog, self.proxy.query):
                if self._proxy_index(p.name).isValid():
                    name = p.name
                    break
        index = self._proxy_index(name) if name else self._first_permission()
        if index.isValid():
            self._reveal(index.data(PermissionRole).name)
            self.window.tree.setCurrentIndex(index)

    def _on_search_return(self) -> None:
        """Enter: to the best result, whatever was current."""
        self._go_to_best()
        self.window.tree.setFocus()

    def _on_search_down(self) -> None:
        """Down: to the best result of a new query; otherwise back to the current row."""
        if self._best_pending or not self.window.tree.currentIndex().isValid():
            self._go_to_best()
        self.window.tree.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Tab from the search box into the tree works like Down."""
        if watched is self.window.tree and event.type() == QEvent.Type.FocusIn and \
                event.reason() in (Qt.FocusReason.TabFocusReason,
                                   Qt.FocusReason.BacktabFocusReason) and self._best_pending:
            self._go_to_best()
        return super().eventFilter(watched, event)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.window.tree.hasFocus():  # chosen in the tree: Tab back keeps it
            self._best_pending = False
        if not current.isValid() or current.data(NodeRole) == GROUP:
            return
        if current.data(PermissionRole) is None:  # chosen before the rows were filled
            self.finish_loading()
            current = self.window.tree.currentIndex()
        if current.data(PermissionRole) is not None:
            self.show_details(current.data(PermissionRole))

    def _on_tree_enter(self) -> None:
        """Enter: a permission joins the selection; a group opens or closes."""
        tree = self.window.tree
        index = tree.currentIndex().siblingAtColumn(0)
        if not index.isValid():
            return
        if index.data(NodeRole) == GROUP:
            tree.setExpanded(index, not tree.isExpanded(index))
            return
        self._on_add_current()

    def _on_tree_activated(self, index: QModelIndex) -> None:
        w = self.window
        if index.data(NodeRole) == GROUP:
            w.tree.setExpanded(index, not w.tree.isExpanded(index))
            return
        w.tabs.setCurrentWidget(w.details)

    # --- details -------------------------------------------------------------------------

    def show_details(self, p: Permission) -> None:
        self._current = p
        try:
            alternatives = [a.name for a in self.catalog.alternatives(p.name)]
        except CatalogError:
            alternatives = []
        paths = p.paths
        self.paths_model.set_paths(paths)
        kinds = self.selection.model.kinds_by_name().get(p.name, frozenset())
        self.window.details.show_permission(p, alternatives, kinds, len(paths),
                                            self.catalog.tenant)

    def _on_copy_id(self, kind: str) -> None:
        p = self._current
        variant = p.variant(kind) if p else None
        if variant is None or not variant.id:
            self.window.statusBar().showMessage(self.tr("No {kind} ID to copy.").format(
                kind=kind), 4000)
            return
        QGuiApplication.clipboard().setText(variant.id)
        self.window.statusBar().showMessage(self.tr("Copied the {kind} ID of {name}: {id}").format(
            kind=kind, name=p.name, id=variant.id), 6000)

    def _on_alternative(self, name: str) -> None:
        self.select_permission(name)
        self.window.tabs.setCurrentWidget(self.window.details)

    def _on_show_from_selection(self, name: str) -> None:
        self.select_permission(name)
        self.window.tabs.setCurrentWidget(self.window.details)
        self.window.tree.setFocus()

    # --- selection -----------------------------------------------------------------------

    def _on_toggle_selection(self, kind: str) -> None:
        if self._current is not None:
            self.selection.toggle(self._current.name, kind)

    def _on_add_current(self) -> None:
        p = self._current
        if p is None:
            return
        wanted = self.window.type_combo.currentData()
        kind = wanted or (DELEGATED if p.delegated is not None else APPLICATION)
        if p.variant(kind) is None:
            kind = APPLICATION if kind == DELEGATED else DELEGATED
        added = self.selection.add(p.name, kind)
        self.window.statusBar().showMessage(
            (self.tr("Added {name} ({kind}) to the selection.") if added else
             self.tr("{name} ({kind}) is already in the selection.")).format(
                name=p.name, kind=kind), 4000)

    def _on_selection_changed(self) -> None:
        self.tree_model.set_selected(self.selection.model.kinds_by_name())
        if self._current is not None:
            self.show_details(self._current)

    # --- tenant import -------------------------------------------------------------------

    def _on_import_tenant(self) -> None:
        path = tenant_dialog.ask_open_path(self.window)
        if path:
            self.start(self.import_tenant_file(Path(path)))

    def start(self, coro) -> None:
        """On the app's qasync loop when it runs; otherwise (tools) right here."""
        import asyncio

        from o365desk.ui.async_runner import TaskRunner

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            asyncio.run(coro)
            return
        if self.runner is None:
            self.runner = TaskRunner(self)
            self.runner.failed.connect(self._on_job_failed)
        self.runner.start(coro)

    def _on_job_failed(self, error: str) -> None:
        """A job broke in a way nobody foresaw: say so, rather than nothing."""
        self.window.error_bar.clear_buttons()  # an earlier message's buttons go
        self.window.error_bar.show_message(self.tr(
            "Something went wrong; nothing was changed. Try again; if it keeps happening, "
            "send this to your IT contact: {error}").format(error=error), Level.ERROR)

    async def import_tenant_file(self, path: Path) -> bool:
        """Import off the GUI thread; on a bad file say why and change nothing."""
        from o365desk.catalog import tenant_import
        from o365desk.ui.async_runner import off_gui_thread

        w = self.window
        w.import_button.setEnabled(False)
        w.act_import.setEnabled(False)
        w.statusBar().showMessage(self.tr("Reading {file}\u2026").format(file=path.name))
        try:
            tenant, diff, merged = await off_gui_thread(_import_and_index, path, self.builtin)
        except (tenant_import.TenantImportError, OSError) as exc:
            # OSError: the file was fine but its copy could not be saved in the data folder.
            if isinstance(exc, ValueError):
                reason = str(exc) + " " + self.tr(
                    "Choose the JSON file your IT saved of the Microsoft Graph service "
                    "principal, or use Refresh from a signed-in connection.")
            else:
                reason = self.tr(
                    "Its copy could not be saved in {folder}: {error}. Free some space or "
                    "check that folder's permissions, then try again.").format(
                    folder=tenant_import.cache_path().parent, error=exc.strerror or exc)
            w.error_bar.clear_buttons()  # an earlier message's buttons go
            w.error_bar.show_message(self.tr(
                "Could not import the tenant file. Nothing was changed. {reason}").format(
                reason=reason), Level.ERROR)
            return False
        finally:
            w.import_button.setEnabled(True)
            w.act_import.setEnabled(True)
            w.statusBar().clearMessage()
        w.error_bar.hide()
        self._set_catalog(merged)
        self.show_changes(diff)
        return True

    def show_changes(self, diff=None) -> tenant_dialog.ChangesDialog | None:
        tenant = self.catalog.tenant if self.catalog else None
        if tenant is None:
            return None
        if diff is None:
            from o365desk.catalog import tenant_import

            diff = tenant_import.diff(tenant, self.builtin)
        if self.changes_dialog is None:
            self.changes_dialog = tenant_dialog.ChangesDialog(self.window)
        self.changes_dialog.show_diff(diff, tenant.source_name, tenant_date(tenant.imported_at))
        self.changes_dialog.show()
        self.changes_dialog.raise_()
        return self.changes_dialog

    def _on_show_changes(self) -> None:
        self.show_changes()
