"""Wizard page 3: the permissions to ask for, from a ready-made set or picked from the list."""

from __future__ import annotations

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

from o365desk.ui.wizard.common import help_label
from o365desk.ui.wizard.permissions_model import Col, PermissionChecklist, PermissionFilter

DEFAULT_SCOPES = ("User.Read",)


class PermissionsPage(QWizardPage):
    """A preset fills the checklist; the search box narrows it; Next needs one permission."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Choose the permissions"))
        self.help = help_label(self.tr(
            "Permissions decide what o365desk may do in Microsoft 365 on your behalf. Pick a "
            "ready-made set for your task, or tick permissions in the list. Ask for no more "
            "than you need: you can add more later."
        ), self, self.tr("About this step"))
        self.preset = QComboBox(self)
        self.preset.setAccessibleName(self.tr("Ready-made permission set"))
        self.preset_summary = QLabel(self)
        self.preset_summary.setWordWrap(True)
        self.preset_summary.setAccessibleName(self.tr("About the ready-made set"))
        self.search = QLineEdit(self)
        self.search.setAccessibleName(self.tr("Search permissions"))
        self.search.setPlaceholderText(self.tr("Search, e.g. user read or mail"))
        self.search.setClearButtonEnabled(True)
        for button in self.search.findChildren(QToolButton):  # the clear button has no name
            button.setAccessibleName(self.tr("Clear search"))
        self.chosen_only = QCheckBox(self.tr("Show &chosen only"), self)
        self.chosen_only.setAccessibleName(self.tr("Show chosen permissions only"))
        self.model = PermissionChecklist(self)
        self.proxy = PermissionFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setAccessibleName(self.tr("Permissions"))
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
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
        self.admin_note.setAccessibleName(self.tr("About administrator approval"))
        self.chosen = QLabel(self)
        self.chosen.setWordWrap(True)
        self.chosen.setAccessibleName(self.tr("Chosen permissions"))
        form = QFormLayout()
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
        self.search.textChanged.connect(self.proxy.set_query)
        self.chosen_only.toggled.connect(self.proxy.set_chosen_only)
        self.model.selection_changed.connect(self._on_selection_changed)
        self._presets: list = []
        self._loaded = False

    def load(self, initial=DEFAULT_SCOPES) -> None:
        """Read the catalog (local, ~60 ms) the first time the page is shown."""
        if self._loaded:
            return
        from o365desk.catalog import get_catalog
        from o365desk.catalog.presets import PRESETS

        self._loaded = True
        self.model.set_catalog(get_catalog())
        self._presets = list(PRESETS)
        self.preset.addItem(self.tr("Only sign in and read my profile"), None)
        for preset in self._presets:
            self.preset.addItem(self.tr(preset.title), preset)
        self.model.set_checked(initial)
        self.table.resizeColumnToContents(Col.NAME)
        self.table.resizeColumnToContents(Col.ADMIN)
        self._on_preset(0)

    def initializePage(self) -> None:
        self.load()

    def _on_preset(self, row: int) -> None:
        preset = self.preset.itemData(row)
        if preset is None:
            self.preset_summary.setText(self.tr(
                "Just signing in (User.Read): enough to test the connection."))
            self.model.set_checked(DEFAULT_SCOPES)
            return
        self.preset_summary.setText(self.tr(preset.summary))
        self.model.set_checked(preset.scopes)

    def apply_preset(self, key: str) -> None:
        for row in range(self.preset.count()):
            preset = self.preset.itemData(row)
            if preset is not None and preset.key == key:
                self.preset.setCurrentIndex(row)
                self._on_preset(row)
                return
        raise KeyError(key)

    def set_scopes(self, names) -> None:
        self.model.set_checked(names)

    def scopes(self) -> list[str]:
        return self.model.checked()

    def _on_selection_changed(self) -> None:
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
            if admin:
                text += " " + self.tr("{count} of them need an administrator.").format(
                    count=len(admin))
        self.chosen.setText(text)
        self.chosen.setAccessibleDescription(text)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.scopes())
