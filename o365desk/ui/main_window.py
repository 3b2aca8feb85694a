"""The main window's layout: menus, toolbar, message bars, the list, details and status bar."""

from __future__ import annotations

import os

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from o365desk.core import paths
from o365desk.ui import header_layout
from o365desk.ui.connections_model import Column
from o365desk.ui.details_pane import DetailsPane
from o365desk.ui.empty_state import EmptyState
from o365desk.ui.message_bar import Level, MessageBar, MessageBarGroup, StatusBar
from o365desk.ui.widgets import make_action, no_match_page

# Widths a first start opens with, before the user has resized anything; the last column,
# Health, takes the rest, and needs this much to say "Secret expires in 200 days" whole.
_DEFAULT_WIDTHS = {
    Column.NICKNAME: 170,
    Column.ACCOUNT: 220,
    Column.TENANT: 200,
    Column.CLOUD: 120,
    Column.STATUS: 150,
    Column.LAST_USED: 110,
}
_HEALTH_ROOM = 210
_MIN_WIDTH = 60


def first_widths(room: int) -> dict[Column, int]:
    """The default widths, narrowed alike when `room` (the list's width in pixels) can't
    hold them and the Health column too: every column shows on a first start."""
    total = sum(_DEFAULT_WIDTHS.values())
    scale = min(1.0, max(0, room - _HEALTH_ROOM) / total)
    return {column: max(_MIN_WIDTH, int(width * scale))
            for column, width in _DEFAULT_WIDTHS.items()}


def window_settings() -> QSettings:
    """Window geometry lives beside connections.json, so a test's config dir isolates it."""
    path = paths.config_dir() / "window.ini"
    try:
        # Qt would make the folder and the file as the umask allows (0777 and 0666 under
        # umask 000); an owner-only file made first keeps its mode through Qt's saves.
        paths.make_private_dir(path.parent)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    except OSError:
        pass  # QSettings then fails quietly too: the window opens with its default layout
    return QSettings(str(path), QSettings.Format.IniFormat)


class NicknameDelegate(QStyledItemDelegate):
    """Gives the in-place editor a name for screen readers, and can reopen with given text."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.pending_text: str | None = None

    def createEditor(self, parent, option, index):
        editor = super().createEditor(parent, option, index)
        editor.setAccessibleName(self.tr("Nickname"))
        return editor

    def setEditorData(self, editor, index):
        if self.pending_text is not None and isinstance(editor, QLineEdit):
            # "Edit again" after a refused rename: give back what the user typed.
            editor.setText(self.pending_text)
            self.pending_text = None
            return
        super().setEditorData(editor, index)


class MainWindow(QMainWindow):
    """Widgets and actions only; MainController connects them to the services."""

    first_painted = Signal()
    closing = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._painted = False
        self.setWindowTitle(self.tr("o365desk"))
        self.setAccessibleName(self.tr("o365desk connections"))
        self.resize(1180, 660)
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_central()
        self._build_status_bar()
        self._name_unnamed_buttons()
        self._clear_bars_on_new_actions()

    # --- building ------------------------------------------------------------------------

    def _action(self, text: str, shortcut=None, tip: str = "", icon: str = "") -> QAction:
        return make_action(self, text, shortcut, tip, icon)

    def _build_actions(self) -> None:
        self.act_new = self._action(
            self.tr("&New connection\u2026"),
            QKeySequence.StandardKey.New,
            self.tr("Save a new connection to a Microsoft 365 organisation"),
            "document-new",
        )
        self.act_new_from_template = self._action(
            self.tr("New connection from &template…"), None,
            self.tr("Set up a connection from a template file your IT team gave you"))
        self.act_quit = self._action(self.tr("&Quit"), QKeySequence.StandardKey.Quit)
        self.act_edit = self._action(
            self.tr("&Edit connection\u2026"),
            Qt.Key.Key_F4,
            self.tr("Change the connection's description and permissions"),
            "document-properties",
        )
        self.act_rename = self._action(
            self.tr("&Rename"), Qt.Key.Key_F2, self.tr("Give the connection a new nickname")
        )
        self.act_delete = self._action(
            self.tr("&Delete\u2026"),
            QKeySequence.StandardKey.Delete,
            self.tr("Delete the connection and its saved sign-in from this computer"),
            "edit-delete",
        )
        self.act_copy_id = self._action(
            self.tr("Copy &ID"),
            "Ctrl+Shift+C",
            self.tr("Copy the connection's ID, which scripts and the command line accept"),
        )
        self.act_test = self._action(
            self.tr("&Test connection"),
            "Ctrl+T",
            self.tr("Ask Microsoft Graph whether the connection works, and how fast"),
            "network-transmit-receive",
        )
        self.act_sign_in = self._action(
            self.tr("Sign &in again\u2026"),
            "Ctrl+I",
            self.tr("Sign in again with this connection, approving any permissions added"),
            "view-refresh",
        )
        self.act_sign_out = self._action(
            self.tr("Sign &out\u2026"),
            None,
            self.tr("Remove this connection's saved sign-in from this computer"),
            "system-log-out",
        )
        self.act_replace_credential = self._action(
            self.tr("Re&place credential\u2026"),
            None,
            self.tr("Give this app-only connection a new client secret"),
        )
        self.act_admin_consent = self._action(
            self.tr("As&k for admin consent\u2026"),
            None,
            self.tr("Ask an administrator to approve this app for the organisation"),
        )
        self.act_filter = self._action(
            self.tr("&Filter connections"),
            QKeySequence.StandardKey.Find,
            self.tr("Type to show only matching connections"),
        )
        self.act_sort_health = self._action(
            self.tr("Sort by &health"),
            QKeySequence("Ctrl+Shift+H"),
            self.tr("Show the connections that need attention first, then the soonest to "
                    "lapse"),
        )
        self.act_permissions = self._action(
            self.tr("&Permissions\u2026"),
            "Ctrl+Shift+P",
            self.tr("Browse the Microsoft Graph permissions"),
        )
        self.act_open_logs = self._action(
            self.tr("Open &log folder"),
            None,
            self.tr("Open the folder with o365desk's log, for IT"),
            "folder-open",
        )
        self.act_about = self._action(self.tr("&About o365desk"))
        self.act_managed = self._action(
            self.tr("&Managed settings…"), None,
            self.tr("See which settings your organisation's IT team manages"))
        # The Connection menu, and the list's context menu (None: a separator).
        self.connection_items = (self.act_test, self.act_sign_in, self.act_sign_out,
                                 self.act_replace_credential, self.act_admin_consent, None,
                                 self.act_edit, self.act_rename, self.act_delete,
                                 self.act_copy_id)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.setAccessibleName(self.tr("Menu bar"))
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addAction(self.act_new)
        file_menu.addAction(self.act_new_from_template)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        conn_menu = bar.addMenu(self.tr("&Connection"))
        for action in self.connection_items:
            if action is None:
                conn_menu.addSeparator()
            else:
                conn_menu.addAction(action)
        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addAction(self.act_filter)
        view_menu.addAction(self.act_sort_health)
        tools_menu = bar.addMenu(self.tr("&Tools"))
        tools_menu.addAction(self.act_permissions)
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.act_open_logs)
        help_menu.addAction(self.act_managed)
        help_menu.addSeparator()
        help_menu.addAction(self.act_about)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(self.tr("Main toolbar"), self)
        self.toolbar.setObjectName("mainToolbar")  # saveState() needs the name
        self.toolbar.setAccessibleName(self.tr("Main toolbar"))
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.act_new, None, self.act_test, self.act_sign_in, None,
                       self.act_edit, self.act_rename, self.act_delete, None):
            if action is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(action)
        self.toolbar.addAction(self.act_permissions)
        self.addToolBar(self.toolbar)

    def _build_central(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.setSpacing(6)

        self.notice_bar = MessageBar(Level.INFO, self.tr("Notice about the connections file"))
        self.keychain_bar = MessageBar(Level.WARNING, self.tr("Keychain warning"))
        self.retry_button = self.keychain_bar.add_button(
            self.tr("Retr&y"), self.tr("Check the keychain again")
        )
        self.keychain_details_button = self.keychain_bar.add_button(
            self.tr("Detai&ls\u2026"), self.tr("Show the keychain error for IT")
        )
        # A keep-alive refresh Microsoft refused (ui/keep_alive_notice.py fills it).
        self.keep_alive_bar = MessageBar(Level.WARNING, self.tr("Sign-in refresh refused"))
        self.error_bar = MessageBar(Level.ERROR, self.tr("Error message"))
        self.edit_again_button = self.error_bar.add_button(
            self.tr("Fi&x the nickname"), self.tr("Fix the nickname: edit it again")
        )
        self.error_details_button = self.error_bar.add_button(
            self.tr("Detail&s\u2026"), self.tr("Show the error details for IT")
        )
        # A connection test's outcome: info when it worked, error with its actions when not.
        self.result_bar = MessageBar(Level.INFO, self.tr("Connection test result"))
        # A damaged IT policy: for IT, shown until o365desk starts with a sound one.
        self.policy_bar = MessageBar(Level.ERROR, self.tr("IT policy problem"))
        self.policy_details_button = self.policy_bar.add_button(
            self.tr("&Managed settings…"), self.tr("Show the managed settings"))
        for bar in (self.policy_bar, self.notice_bar, self.keychain_bar,
                    self.keep_alive_bar, self.error_bar, self.result_bar):
            layout.addWidget(bar)
        # How the last action went: one bar at a time, gone when the person acts again.
        self.action_bars = MessageBarGroup(self.error_bar, self.result_bar, parent=self)

        self._empty_state: EmptyState | None = None  # built when first needed
        self.details = DetailsPane(central)
        # Details below the list: six columns need the window's whole width to show
        # an e-mail address, a tenant and a cloud name without cutting them off.
        self.splitter = QSplitter(Qt.Orientation.Vertical, central)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_list(central))
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([320, 280])  # the details need room for tokens and consent

        self.stack = QStackedWidget(central)
        self.stack.addWidget(self.splitter)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.setTabOrder(self.filter_edit, self.attention_check)
        self.setTabOrder(self.attention_check, self.table)
        d = self.details
        order = (self.table, d.test_button, d.sign_in_button, d.sign_out_button,
                 d.edit_button, d.rename_button, d.delete_button)
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)

    def _build_list(self, parent: QWidget) -> QWidget:
        page = QWidget(parent)
        self.filter_edit = QLineEdit(page)
        self.filter_edit.setPlaceholderText(self.tr("Filter connections"))
        self.filter_edit.setAccessibleName(self.tr("Filter connections"))
        self.filter_edit.setToolTip(
            self.tr("Matches nickname, account, tenant and description (Ctrl+F; Esc clears)")
        )
        self.filter_edit.setClearButtonEnabled(True)
        filter_label = QLabel(self.tr("F&ilter:"), page)
        filter_label.setBuddy(self.filter_edit)
        self.clear_filter_shortcut = QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self.filter_edit,
            context=Qt.ShortcutContext.WidgetShortcut,
        )

        self.table = QTableView(page)
        self.table.setAccessibleName(self.tr("Connections"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list, as in any list box
        self.table.verticalHeader().hide()
        # Compact rows: one line of text and a little air, whatever the style's default.
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.verticalHeader().setAccessibleName(self.tr("Row numbers"))
        header = self.table.horizontalHeader()
        header.setAccessibleName(self.tr("Column headings"))
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        header.setSectionsMovable(True)  # order and widths are remembered in window.ini
        self.nickname_delegate = NicknameDelegate(self.table)
        self.table.setItemDelegateForColumn(Column.NICKNAME, self.nickname_delegate)
        # In the table's place while the filter hides every row: say so, and the way back.
        self.no_match, self.no_match_label, self.clear_filter_button = no_match_page(
            page, self.tr("No connection matches"), self.tr("Sho&w all connections"),
            self.tr("Show all connections"))
        self.clear_filter_button.clicked.connect(self.filter_edit.clear)
        # Token health (core/health.py): a lapse near, a sign-in ended, a credential expiring.
        self.attention_check = QCheckBox(self.tr("Needs &attention only"), page)
        self.attention_check.setToolTip(self.tr(
            "Show only the connections that need you to sign in again, get a new "
            "credential, or be repaired"))
        self.clear_filter_button.clicked.connect(
            lambda: self.attention_check.setChecked(False))
        self.list_stack = QStackedWidget(page)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.no_match)

        filter_row = QHBoxLayout()
        filter_row.addWidget(filter_label)
        filter_row.addWidget(self.filter_edit, 1)
        filter_row.addWidget(self.attention_check)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filter_row)
        layout.addWidget(self.list_stack, 1)
        return page

    def _build_status_bar(self) -> None:
        self.setStatusBar(StatusBar(self))  # names in its messages: never raw
        bar = self.statusBar()
        bar.setAccessibleName(self.tr("Status bar"))
        self.count_label = QLabel(bar)
        self.count_label.setAccessibleDescription(self.tr("Number of connections"))
        bar.addWidget(self.count_label)
        self.keychain_label = QLabel(self.tr("Keychain: checking\u2026"), bar)
        self.keychain_label.setAccessibleDescription(self.tr("Keychain status"))
        bar.addPermanentWidget(self.keychain_label)

    def _clear_bars_on_new_actions(self) -> None:
        """Starting an action takes away the bar of the one before. Connected before the
        controller's slots, so a message the new action shows at once stays."""
        d = self.details
        for action in (self.act_new, self.act_test, self.act_sign_in, self.act_sign_out,
                       self.act_replace_credential, self.act_admin_consent, self.act_edit,
                       self.act_rename, self.act_delete):
            action.triggered.connect(self.action_bars.clear)
        for button in (d.test_button, d.sign_in_button, d.sign_out_button,
                       d.replace_credential_button, d.admin_consent_button, d.edit_button,
                       d.rename_button, d.delete_button):
            button.clicked.connect(self.action_bars.clear)

    def _name_unnamed_buttons(self) -> None:
        """Qt makes some buttons itself (toolbar, clear button, table corner): name them."""
        for action in self.toolbar.actions():
            if action.isSeparator():
                # Not even asked for: a separator's widget is of a class PySide6 doesn't
                # export, and looking for it loads every widget class, ~15 ms at start-up.
                continue
            widget = self.toolbar.widgetForAction(action)
            if widget is not None:
                widget.setAccessibleName(action.text().replace("&", "").rstrip("\u2026"))
        names = {
            "qt_toolbar_ext_button": self.tr("More toolbar buttons"),
            "qt_menubar_ext_button": self.tr("More menus"),
            "qt_tableview_cornerbutton": self.tr("Select all"),
        }
        for button in self.findChildren(QAbstractButton):
            if button.accessibleName():
                continue
            if button.parent() is self.filter_edit:
                button.setAccessibleName(self.tr("Clear filter"))
            else:
                button.setAccessibleName(names.get(button.objectName(), button.text()))

    @property
    def empty_state(self) -> EmptyState:
        """The panel shown instead of the list; built on first use, as most starts list
        connections and never show it (its fonts and layout cost ~5 ms before the first
        paint)."""
        if self._empty_state is None:
            self._empty_state = EmptyState(self.stack)
            button = self._empty_state.new_button
            button.clicked.connect(self.act_new.trigger)

            def follow_new() -> None:  # off, with the reason, while the IT policy is damaged
                button.setEnabled(self.act_new.isEnabled())
                button.setToolTip(self.act_new.toolTip())

            self.act_new.changed.connect(follow_new)
            follow_new()
            self.stack.addWidget(self._empty_state)
        return self._empty_state

    def show_no_match(self, no_match: bool) -> None:
        """In the table's place, or not: the filter hides every connection."""
        if no_match:
            text = self.filter_edit.text().strip()
            if not self.attention_check.isChecked():
                words = self.tr("No connection matches \u201c{text}\u201d.")
            elif text:
                words = self.tr("No connection that needs attention matches "
                                "\u201c{text}\u201d.")
            else:
                words = self.tr("No connection needs attention: all are well.")
            self.no_match_label.setText(words.format(text=text))
        self.list_stack.setCurrentWidget(self.no_match if no_match else self.table)

    def show_list(self, has_rows: bool) -> None:
        """The list and details when there are connections, else the empty state."""
        self.stack.setCurrentWidget(self.splitter if has_rows else self.empty_state)

    # --- state ---------------------------------------------------------------------------

    def restore_state(self, settings: QSettings) -> None:
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        elif self.screen() is not None:
            # First start: a roomy window, but never larger than a small laptop screen.
            room = self.screen().availableGeometry().size() * 0.9
            self.resize(min(self.width(), room.width()), min(self.height(), room.height()))
        for key, restore in (
            ("window/state", self.restoreState),
            ("window/splitter", self.splitter.restoreState),
        ):
            value = settings.value(key)
            if isinstance(value, QByteArray) and not value.isEmpty():
                restore(value)
        # A layout saved before (any version) as it was; else a first start: the widths
        # fit the window once it shows (its size is known then).
        self._fit_columns = not header_layout.restore(
            self.table.horizontalHeader(), settings,
            {**_DEFAULT_WIDTHS, Column.HEALTH: _HEALTH_ROOM})
        if self._fit_columns:
            self._fit_columns_to(self.width())

    def _fit_columns_to(self, width: int) -> None:
        margins = 2 * self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent) + 24
        for column, pixels in first_widths(width - margins).items():
            self.table.setColumnWidth(column, pixels)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if getattr(self, "_fit_columns", False):
            self._fit_columns = False
            self._fit_columns_to(self.width())

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("window/splitter", self.splitter.saveState())
        header_layout.save(self.table.horizontalHeader(), settings)
        settings.sync()

    # --- events --------------------------------------------------------------------------

    def closeEvent(self, event) -> None:
        self.closing.emit()
        super().closeEvent(event)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()
