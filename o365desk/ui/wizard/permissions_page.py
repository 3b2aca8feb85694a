"""Wizard page 3: the permissions to ask for, from a ready-made set or picked from the list."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWizardPage,
)

from o365desk.core.connection import DEFAULT_SCOPES
from o365desk.core.words import plural
from o365desk.ui.wizard.common import help_label
from o365desk.ui.wizard.permissions_model import Col, PermissionChecklist, PermissionFilter

CUSTOM = "custom"  # the data of the "Custom" item the ready-made set box gets after an edit


class PermissionsPage(QWizardPage):
    """A preset fills the checklist; the search box narrows it; Next needs one permission."""

    def __init__(self, parent=None, scopes=None, *, application: bool = False) -> None:
        """`scopes`: the permissions to start with instead of User.Read alone;
        `application`: list application permissions (an app-only connection's)."""
        super().__init__(parent)
        self._initial = None if scopes is None else tuple(scopes)
        self._application = application
        self._origin = 0  # the row of the ready-made set the ticks started from
        self._locked = False  # lock_choice(): fixed by a template
        self.setTitle(self.tr("Choose the permissions"))
        self.help = help_label(self.tr(
            "Permissions decide what o365desk may do in Microsoft 365 on your behalf. Pick a "
            "ready-made set for your task, or tick permissions in the list. Ask for no more "
            "than you need: you can add more later with Edit connection."
        ), self, self.tr("About this step"))
        self.preset = QComboBox(self)
        self.preset.setAccessibleName(self.tr("Ready-made permission set"))
        self.preset_summary = QLabel(self)
        self.preset_summary.setWordWrap(True)
        # At the top of its row: a row sized for a longer summary leaves no gap above.
        self.preset_summary.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.preset_summary.setAccessibleDescription(self.tr("About the ready-made set"))
        self.search = QLineEdit(self)
        self.search.setAccessibleName(self.tr("Search permissions"))
        self.search.setPlaceholderText(self.tr("Search, e.g. user read or mail"))
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(self.tr("Enter or Down goes to the best match; Space ticks it"))
        self.search.installEventFilter(self)  # Enter and Down go to the list, not to Next
        for button in self.search.findChildren(QToolButton):  # the clear button has no name
            button.setAccessibleName(self.tr("Clear search"))
        self.chosen_only = QCheckBox(self.tr("Show &chosen only"), self)
        self.chosen_only.setAccessibleName(self.tr("Show chosen permissions only"))
        self.model = PermissionChecklist(self)
        self.proxy = PermissionFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list, as in any list box
        self.table.setAccessibleName(self.tr("Permissions"))
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # Best match first while searching; a click on a header sorts by that column.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        header.setSectionResizeMode(Col.NAME, QHeaderView.ResizeMode.Interactive)
        # Sized once in load(): sizing to contents on every change would read every row's
        # data again at each keystroke.
        header.setSectionResizeMode(Col.ADMIN, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.admin_note = QLabel(self.tr(
            "Permissions that need an administrator work only after an administrator of the "
            "organisation approves them; if you are not one, the sign-in asks for that "
            "approval and o365desk gives you a link to send to them."
        ), self)
        self.admin_note.setWordWrap(True)
        self.admin_note.setAccessibleDescription(self.tr("About administrator approval"))
        self._delegated_help = self.help.text()
        self._delegated_admin_note = self.admin_note.text()
        self.chosen = QLabel(self)
        self.chosen.setWordWrap(True)
        self.chosen.setAccessibleDescription(self.tr("Chosen permissions"))
        self._form = form = QFormLayout()
        form.addRow(self.tr("&Ready-made set:"), self.preset)
        form.addRow("", self.preset_summary)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.chosen_only)
        search_label = QLabel(self.tr("&Search:"), self)
        search_label.setBuddy(self.search)
        form.addRow(search_label, search_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.help)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.chosen)
        layout.addWidget(self.admin_note)
        self.preset.activated.connect(self._on_preset)
        self.search.textChanged.connect(self._on_search_changed)
        self.chosen_only.toggled.connect(self.proxy.set_chosen_only)
        self.model.selection_changed.connect(self._on_selection_changed)
        self._presets: list = []
        self._loaded = False
        self._best_pending = True

    def load(self) -> None:
        """Read the catalog (local, ~60 ms) the first time the page is shown."""
        if self._loaded:
            return
        from o365desk.catalog import get_catalog
        from o365desk.catalog.presets import PRESETS

        self._loaded = True
        self.model.set_catalog(get_catalog(), application=self._application)
        self._show_kind()
        self._presets = list(PRESETS)
        self.preset.addItem(self.tr("Only sign in and read my profile"), None)
        for preset in self._presets:
            self.preset.addItem(self.tr(preset.title), preset)
        self.table.resizeColumnToContents(Col.NAME)
        self.table.resizeColumnToContents(Col.ADMIN)
        if self._application:
            self._origin = -1  # the ready-made sets are delegated ones
            self.model.set_checked(self._initial or ())
            if self._initial:
                self.chosen_only.setChecked(True)
        elif self._initial is None:
            self._on_preset(0)
        else:
            self._origin = -1  # none: chosen elsewhere, e.g. in the permission browser
            self.model.set_checked(self._initial)
            self.chosen_only.setChecked(True)  # what was brought along, at a glance

    def initializePage(self) -> None:
        self.load()

    @property
    def application(self) -> bool:
        return self._application

    def set_application(self, on: bool) -> None:
        """Switch between delegated and application permissions (the wizard's kind
        changed): the list is read again and the ticks start over."""
        if on == self._application:
            return
        self._application = on
        if not self._loaded:
            return
        from o365desk.catalog import get_catalog

        self.search.clear()
        self.chosen_only.setChecked(False)
        self.model.set_catalog(get_catalog(), application=on)
        self._show_kind()
        self.table.resizeColumnToContents(Col.NAME)
        self.table.resizeColumnToContents(Col.ADMIN)
        if on:
            self._origin = -1
            self.model.set_checked(())
        else:
            self._on_preset(0)

    def _show_kind(self) -> None:
        """The ready-made sets and the words about them are for delegated permissions."""
        on = self._application
        self._form.setRowVisible(0, not on and not self._locked)
        self._form.setRowVisible(1, not on and not self._locked)
        if on:
            self.setTitle(self.tr("Choose the application permissions"))
            self.help.setText(self.tr(
                "Application permissions decide what the app may do in the whole "
                "organisation, with no person signed in. Tick the ones your app registration "
                "was given in Entra (API permissions, type Application). Ask for no more "
                "than the task needs."))
            self.admin_note.setText(self.tr(
                "Every application permission works only after an administrator of the "
                "organisation grants consent to it; o365desk gives you a link to send to "
                "them once the connection is saved."))
            self.search.setPlaceholderText(self.tr("Search, e.g. user read all or mail"))
        else:
            self.setTitle(self.tr("Choose the permissions"))
            self.help.setText(self._delegated_help)
            self.admin_note.setText(self._delegated_admin_note)
            self.search.setPlaceholderText(self.tr("Search, e.g. user read or mail"))

    def _on_search_changed(self, text: str) -> None:
        blocked = self.table.horizontalHeader().blockSignals(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().blockSignals(blocked)
        self.proxy.set_query(text)
        self.table.scrollToTop()
        self._best_pending = True  # a new query: Down goes to its best match

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter or Down in the search box: to the best match, ready for Space to tick it.

        Enter there would otherwise press Next, leaving with the permission just searched
        for not chosen."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down) and \
                not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            current = self.table.currentIndex()
            if self.proxy.rowCount() and (event.key() != Qt.Key.Key_Down or not current.isValid()
                                          or self._best_pending):
                self.table.setCurrentIndex(self.proxy.index(0, Col.NAME))
            self._best_pending = False
            return True
        return super().eventFilter(watched, event)

    def _scopes_of(self, row: int) -> tuple[str, ...]:
        preset = self.preset.itemData(row)
        return DEFAULT_SCOPES if preset is None else tuple(preset.scopes)

    def _summary_of(self, row: int) -> str:
        preset = self.preset.itemData(row)
        if preset is None:
            return self.tr("Just signing in (User.Read): enough to test the connection.")
        return self.tr(preset.summary)

    def _on_preset(self, row: int) -> None:
        if self.preset.itemData(row) == CUSTOM:  # chosen again: the ticks stay as they are
            return
        self._origin = row
        self.model.set_checked(self._scopes_of(row))  # _show_preset follows

    def _show_preset(self) -> None:
        """The box names the set the ticks are, or says "Custom" and what it started from."""
        custom = self.preset.findData(CUSTOM)
        sets = [r for r in range(self.preset.count()) if r != custom]
        matching = [r for r in sets if self.model.is_checked(self._scopes_of(r))]
        if matching:
            row = self._origin if self._origin in matching else matching[0]
            self._origin = row
            if custom >= 0:
                self.preset.removeItem(custom)
            self.preset.setCurrentIndex(row)
            self.preset_summary.setText(self._summary_of(row))
            return
        if self._origin in sets:
            title = self.preset.itemText(self._origin)
            label = self.tr("Custom (started from \u201c{set}\u201d)").format(set=title)
            ticked = set(self.scopes())
            wanted = self.model.as_ticked(self._scopes_of(self._origin))
            added, removed = len(ticked - wanted), len(wanted - ticked)
            changes = ", ".join(([self.tr("{count} added").format(count=added)] if added else [])
                                + ([self.tr("{count} removed").format(count=removed)]
                                   if removed else []))
            summary = self.tr(
                "You changed the ticks of \u201c{set}\u201d ({changes}). Choose a ready-made "
                "set again to start over.").format(set=title, changes=changes)
        else:
            label = self.tr("Custom")
            summary = self.tr("Permissions chosen one by one. Choose a ready-made set to "
                              "start over.")
        if custom < 0:
            self.preset.addItem(label, CUSTOM)
            custom = self.preset.count() - 1
        self.preset.setItemText(custom, label)
        self.preset.setCurrentIndex(custom)
        self.preset_summary.setText(summary)

    def apply_preset(self, key: str) -> None:
        for row in range(self.preset.count()):
            preset = self.preset.itemData(row)
            if preset is not None and preset.key == key:
                self.preset.setCurrentIndex(row)
                self._on_preset(row)
                return
        raise KeyError(key)

    def lock_choice(self) -> None:
        """The permissions are fixed (a template's locked field): shown, not changeable."""
        self.model.locked = True
        self.preset.setEnabled(False)
        self._locked = True
        self._form.setRowVisible(0, False)  # no ready-made set to choose instead
        self._form.setRowVisible(1, False)

    def set_scopes(self, names) -> None:
        self.model.set_checked(names)

    def start_with(self, names) -> None:
        """Tick `names` as the starting point (a saved connection's own permissions): the
        ready-made set box names a set they match, or says "Custom", never "You changed"."""
        self._origin = -1
        self.model.set_checked(names)

    def scopes(self) -> list[str]:
        return self.model.checked()

    def _on_selection_changed(self) -> None:
        if self._loaded and not self._application:
            self._show_preset()
        names = self.scopes()
        admin = [n for n in names if self.model.admin_consent(n)]
        if not names:
            text = self.tr("No permission chosen yet: choose at least one.")
        else:
            shown = ", ".join(names[:8])
            if len(names) > 8:
                shown = self.tr("{names} and {more} more").format(names=shown,
                                                                  more=len(names) - 8)
            text = self.tr("{count} chosen: {names}.").format(count=len(names), names=shown)
            if admin and not self._application:  # every app role needs one: said below
                text += " " + plural(len(admin), self.tr("1 of them needs an administrator."),
                                     self.tr("{count} of them need an administrator."))
        self.chosen.setText(text)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.scopes())
