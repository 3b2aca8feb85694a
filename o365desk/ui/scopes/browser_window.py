"""The scope browser's layout: search, filters, the permission tree, and the side tabs."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from o365desk.catalog.model import APPLICATION, DELEGATED, PermissionStatus
from o365desk.ui.message_bar import Level, MessageBar
from o365desk.ui.scopes.a11y import name_qt_parts
from o365desk.ui.scopes.details_view import PermissionDetails
from o365desk.ui.scopes.export_panel import ExportPanel
from o365desk.ui.scopes.filter_combo import FilterCombo
from o365desk.ui.scopes.selection import SelectionPanel
from o365desk.ui.scopes.tree_model import Column
from o365desk.ui.widgets import make_action, no_match_page

_WIDTHS = {Column.DELEGATED: 70, Column.APPLICATION: 80, Column.LEVEL: 40, Column.STATUS: 82}
# The permission tree's width below which long names (UserActivity.ReadWrite.CreatedByApp)
# would be cut short.
_ROOM_FOR_NAMES = 560


class ScopeBrowserWindow(QMainWindow):
    """Widgets and actions only; ScopeBrowserController connects them to the catalog."""

    first_painted = Signal()
    # "New connection with these permissions": the delegated permissions of the selection.
    new_connection_requested = Signal(list)
    closed = Signal()  # the window was closed (Close, Ctrl+W, its close button)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._painted = False
        self.setObjectName("scopeBrowser")
        self.setWindowTitle(self.tr("Microsoft Graph permissions \u2014 o365desk"))
        self.setAccessibleName(self.tr("Microsoft Graph permissions"))
        self.resize(1360, 820)
        self._build_actions()
        self._build_menus()
        self._build_new_connection()
        self._build_central()
        self._build_status_bar()
        self._name_unnamed_buttons()
        self._connect_view_actions()

    # --- building ------------------------------------------------------------------------

    def _action(self, text: str, shortcut=None, tip: str = "") -> QAction:
        return make_action(self, text, shortcut, tip)

    def _build_actions(self) -> None:
        self.act_import = self._action(
            self.tr("&Refresh from a tenant file\u2026"), None,
            self.tr("Import Microsoft's wording from your tenant's Graph service principal "
                    "(a saved JSON response)"))
        self.act_refresh_tenant = self._action(
            self.tr("Refresh from a &signed-in connection\u2026"), None,
            self.tr("Fetch Microsoft's wording from your tenant through a signed-in "
                    "connection (needs the Application.Read.All permission)"))
        self.act_refresh_tenant.setEnabled(False)  # until there are connections to use
        self.act_changes = self._action(
            self.tr("&Changes since the built-in catalog\u2026"), None,
            self.tr("List the permissions your tenant has and the built-in catalog lacks, "
                    "and the other way round"))
        self.act_close = self._action(self.tr("C&lose"), QKeySequence.StandardKey.Close)
        self.act_find = self._action(self.tr("&Find"), QKeySequence.StandardKey.Find,
                                     self.tr("Search permissions"))
        self.act_clear_filters = self._action(self.tr("C&lear search and filters"),
                                              "Ctrl+Shift+L")
        self.act_add = self._action(
            self.tr("&Add to selection"), "Ctrl+D",
            self.tr("Add the permission to the selection (its delegated variant when it has "
                    "one, unless the Type filter says application)"))
        self.act_copy_delegated = self._action(self.tr("Copy &delegated ID"), "Ctrl+Shift+D")
        self.act_copy_application = self._action(self.tr("Copy a&pplication ID"),
                                                 "Ctrl+Shift+A")
        self.act_show_details = self._action(self.tr("&Details"), "Ctrl+1")
        self.act_show_selection = self._action(self.tr("&Selection"), "Ctrl+2")
        self.act_show_export = self._action(self.tr("&Export"), "Ctrl+3")
        self.act_expand = self._action(self.tr("E&xpand all groups"), "Ctrl+Shift+Right")
        self.act_collapse = self._action(self.tr("C&ollapse all groups"), "Ctrl+Shift+Left")

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.setAccessibleName(self.tr("Menu bar"))
        catalog = bar.addMenu(self.tr("&Catalog"))
        catalog.addActions([self.act_import, self.act_refresh_tenant, self.act_changes])
        catalog.addSeparator()
        catalog.addAction(self.act_close)
        self.edit_menu = edit = bar.addMenu(self.tr("&Edit"))
        edit.addActions([self.act_find, self.act_clear_filters])
        edit.addSeparator()
        edit.addActions([self.act_add, self.act_copy_delegated, self.act_copy_application])
        view = bar.addMenu(self.tr("&View"))
        view.addActions([self.act_show_details, self.act_show_selection, self.act_show_export])
        view.addSeparator()
        view.addActions([self.act_expand, self.act_collapse])

    def _build_new_connection(self) -> None:
        """The action that starts a connection from the selection; the Selection tab has
        it as a button too. The selection controller enables it and says why when off."""
        self.act_new_connection = self._action(
            self.tr("Ne&w connection with these permissions\u2026"), "Ctrl+Shift+N")
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.act_new_connection)

    def _build_central(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.setSpacing(6)
        self.error_bar = MessageBar(Level.ERROR, self.tr("Error message"), central)
        self.tenant_bar = MessageBar(Level.INFO, self.tr("Tenant wording notice"), central)
        self.changes_button = self.tenant_bar.add_button(
            self.tr("Show c&hanges\u2026"), self.tr("Show changes since the built-in catalog"))
        layout.addWidget(self.error_bar)
        layout.addWidget(self.tenant_bar)
        layout.addLayout(self._build_search_row(central))
        layout.addLayout(self._build_filter_row(central))

        self.splitter = QSplitter(Qt.Orientation.Horizontal, central)
        self.splitter.setObjectName("scopeSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_tree(self.splitter))
        self.tabs = QTabWidget(self.splitter)
        self.tabs.setAccessibleName(self.tr("Details, selection and export"))
        self.tabs.tabBar().setAccessibleName(self.tr("Side panel tabs"))
        self.details = PermissionDetails(self.tabs)
        self.selection = SelectionPanel(self.tabs)
        self.selection.new_connection_button.setText(self.act_new_connection.text())
        self.selection.new_connection_button.clicked.connect(self.act_new_connection.trigger)
        self.export = ExportPanel(self.tabs)
        self.tabs.addTab(self.details, self.tr("Details"))
        self.tabs.addTab(self.selection, self.tr("Selection"))
        self.tabs.addTab(self.export, self.tr("Export"))
        self.splitter.addWidget(self.tabs)
        # Half each: long permission names need the room as much as the details do.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([680, 680])
        self._divider_moved = False
        self.splitter.splitterMoved.connect(lambda *_: setattr(self, "_divider_moved", True))
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        # Tab goes from the search box to the results, then the side panel; the filters
        # come before the search box (Shift+Tab), each also on its Alt+letter.
        self.setTabOrder(self.type_combo, self.consent_combo)
        self.setTabOrder(self.consent_combo, self.level_combo)
        self.setTabOrder(self.level_combo, self.status_combo)
        self.setTabOrder(self.status_combo, self.reset_button)
        self.setTabOrder(self.reset_button, self.search_edit)
        self.setTabOrder(self.search_edit, self.tree)
        self.setTabOrder(self.tree, self.no_match_button)
        self.setTabOrder(self.no_match_button, self.tabs)
        self.search_edit.setFocus()  # where the window starts

    def _build_search_row(self, parent: QWidget) -> QHBoxLayout:
        self.search_edit = QLineEdit(parent)
        self.search_edit.setPlaceholderText(
            self.tr("Search permissions: name, description, ID or API path"))
        self.search_edit.setAccessibleName(self.tr("Search permissions"))
        self.search_edit.setToolTip(self.tr(
            "Every word must match a name, description, ID or API path, e.g. mail.send, "
            "e383f46e, /users/{id}/messages (Ctrl+F; Enter, Down or Tab goes to the best "
            "result; Esc clears)"))
        self.search_edit.setClearButtonEnabled(True)
        label = QLabel(self.tr("&Search:"), parent)
        label.setBuddy(self.search_edit)
        self.clear_search_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search_edit,
                                               context=Qt.ShortcutContext.WidgetShortcut)
        self.to_results_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Down), self.search_edit,
                                             context=Qt.ShortcutContext.WidgetShortcut)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.search_edit, 1)
        return row

    def _combo(self, parent: QWidget, caption: str, name: str, items) -> tuple[QLabel, QComboBox]:
        combo = FilterCombo(parent)
        combo.setAccessibleName(name)
        combo.setToolTip(name)
        for text, value in items:
            combo.addItem(text, value)
        label = QLabel(caption, parent)
        label.setBuddy(combo)
        return label, combo

    def _build_filter_row(self, parent: QWidget) -> QHBoxLayout:
        type_label, self.type_combo = self._combo(parent, self.tr("&Type:"), self.tr(
            "Permission type filter"), [(self.tr("Delegated or application"), None),
                                        (self.tr("Delegated"), DELEGATED),
                                        (self.tr("Application"), APPLICATION)])
        consent_label, self.consent_combo = self._combo(parent, self.tr("Co&nsent:"), self.tr(
            "Admin consent filter"), [(self.tr("Any"), None),
                                      (self.tr("Needs admin consent"), True),
                                      (self.tr("A user may consent"), False)])
        level_label, self.level_combo = self._combo(parent, self.tr("&Level:"), self.tr(
            "Privilege level filter"), [(self.tr("Any"), None),
                                        (self.tr("1 \u2014 least privileged"), 1),
                                        (self.tr("2"), 2), (self.tr("3"), 3),
                                        (self.tr("4 \u2014 most privileged"), 4),
                                        (self.tr("Not given"), 0)])
        status_label, self.status_combo = self._combo(parent, self.tr("Stat&us:"), self.tr(
            "Status filter"), [(self.tr("Any"), None),
                               (self.tr("Active"), PermissionStatus.ACTIVE.value),
                               (PermissionStatus.DEPRECATED.label,
                                PermissionStatus.DEPRECATED.value),
                               (PermissionStatus.RETIRED.label, PermissionStatus.RETIRED.value)])
        self.reset_button = QPushButton(self.tr("Clear &filters"), parent)
        self.reset_button.setAccessibleName(self.tr("Clear search and filters"))
        row = QHBoxLayout()
        for label, combo in ((type_label, self.type_combo), (consent_label, self.consent_combo),
                             (level_label, self.level_combo), (status_label, self.status_combo)):
            row.addWidget(label)
            row.addWidget(combo)
            row.addSpacing(8)
        row.addStretch(1)
        row.addWidget(self.reset_button)
        return row

    def _build_tree(self, parent: QWidget) -> QWidget:
        page = QWidget(parent)
        self.tree = QTreeView(page)
        self.tree.setAccessibleName(self.tr("Permissions by group"))
        self.tree.setUniformRowHeights(True)  # lets Qt lay out a thousand rows cheaply
        self.tree.setAlternatingRowColors(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Names differ at their ends (.Read.All, .ReadWrite.All): cut the middle if need be.
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        # Enter on a permission adds it to the selection; on a group it opens or closes it.
        self.enter_shortcuts = [QShortcut(QKeySequence(key), self.tree,
                                          context=Qt.ShortcutContext.WidgetShortcut)
                                for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)]
        header = self.tree.header()
        header.setAccessibleName(self.tr("Permission columns"))
        header.setHighlightSections(False)
        self.no_match, self.no_match_label, self.no_match_button = no_match_page(
            page, self.tr("No permission matches"), self.tr("Clear search and filters"),
            self.tr("Clear search and filters"))
        self.tree_stack = QStackedWidget(page)
        self.tree_stack.addWidget(self.tree)
        self.tree_stack.addWidget(self.no_match)
        self.count_label = QLabel(page)
        self.count_label.setAccessibleDescription(self.tr("Number of permissions shown"))
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree_stack, 1)
        layout.addWidget(self.count_label)
        return page

    def set_tree_model(self, model) -> None:
        self.tree.setModel(model)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in _WIDTHS.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.tree.setColumnWidth(column, width)

    def span_group_rows(self) -> None:
        """Group labels ("Compliance and information protection (28)") use the whole row."""
        model, root = self.tree.model(), self.tree.rootIndex()
        for row in range(model.rowCount(root)):
            self.tree.setFirstColumnSpanned(row, root, True)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setAccessibleName(self.tr("Status bar"))
        self.source_label = QLabel(bar)
        self.source_label.setAccessibleDescription(self.tr("Catalog source"))
        bar.addWidget(self.source_label, 1)
        self.import_button = QPushButton(self.tr("Refresh from tenant f&ile\u2026"), bar)
        self.import_button.setAccessibleName(self.tr("Refresh from tenant file"))
        self.import_button.setToolTip(self.act_import.toolTip())
        self.import_button.setFlat(True)
        bar.addPermanentWidget(self.import_button)
        self.refresh_button = QPushButton(self.tr("Refresh from c&onnection\u2026"), bar)
        self.refresh_button.setAccessibleName(self.tr("Refresh from a signed-in connection"))
        self.refresh_button.setToolTip(self.act_refresh_tenant.toolTip())
        self.refresh_button.setFlat(True)
        self.refresh_button.hide()  # shown when the browser has connections to use
        bar.addPermanentWidget(self.refresh_button)

    def _name_unnamed_buttons(self) -> None:
        """Qt makes some buttons itself (clear buttons, scroll arrows, tabs): name them."""
        name_qt_parts(self)
        names = {"qt_menubar_ext_button": self.tr("More menus")}
        for button in self.findChildren(QAbstractButton):
            if button.accessibleName():
                continue
            if button.parent() is self.search_edit:
                button.setAccessibleName(self.tr("Clear search"))
            else:
                button.setAccessibleName(names.get(button.objectName(), button.text()
                                                   or self.tr("Scroll tabs")))

    def _connect_view_actions(self) -> None:
        """Actions that only move focus or change what is shown; the controller owns the
        ones that touch the catalog or the selection."""
        self.act_find.triggered.connect(self.focus_search)
        self.act_close.triggered.connect(self.close)
        self.clear_search_shortcut.activated.connect(self.search_edit.clear)
        self.act_show_details.triggered.connect(lambda: self.tabs.setCurrentWidget(self.details))
        self.act_show_selection.triggered.connect(
            lambda: self.tabs.setCurrentWidget(self.selection))
        self.act_show_export.triggered.connect(lambda: self.tabs.setCurrentWidget(self.export))
        self.act_expand.triggered.connect(self.tree.expandAll)
        self.act_collapse.triggered.connect(self.tree.collapseAll)

    # --- helpers for the controller ------------------------------------------------------

    def set_tab_counts(self, selected: int) -> None:
        self.tabs.setTabText(1, self.tr("Selection ({count})").format(count=selected)
                             if selected else self.tr("Selection"))

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._divider_moved:  # until the person drags the divider themselves
            self._share_the_width()

    def _share_the_width(self) -> None:
        """Half each; less for the details if that puts the two variants side by side and
        still leaves the names their room. Otherwise the details put one above the other."""
        self.centralWidget().layout().activate()  # the splitter's width for this size
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        narrowest = self.tabs.minimumSizeHint().width()
        frame = narrowest - max(self.tabs.widget(i).minimumSizeHint().width()
                                for i in range(self.tabs.count()))
        wide = max(narrowest, frame + self.details.width_side_by_side())
        half = total // 2
        if total - half < wide <= total - _ROOM_FOR_NAMES:
            self.splitter.setSizes([total - wide, wide])
        else:
            self.splitter.setSizes([half, total - half])

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def closeEvent(self, event) -> None:
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit()
