"""The selection panel: a preset to start from, the chosen permissions, and their flags."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from o365desk.catalog.presets import PRESETS
from o365desk.ui import colors
from o365desk.ui.message_bar import Level, MessageBar
from o365desk.ui.scopes.selection_model import SelColumn


class SelectionPanel(QWidget):
    """Layout only: the controller applies presets and edits the SelectionModel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Selected permissions"))
        self.preset_combo = QComboBox(self)
        self.preset_combo.setAccessibleName(self.tr("Preset"))
        self.preset_combo.setToolTip(self.tr("A ready-made set of permissions to start from"))
        for preset in PRESETS:
            self.preset_combo.addItem(preset.title, preset.key)
        preset_label = QLabel(self.tr("&Preset:"), self)
        preset_label.setBuddy(self.preset_combo)
        self.apply_button = QPushButton(self.tr("&Apply preset"), self)
        self.apply_button.setAccessibleName(self.tr("Apply preset"))
        self.apply_button.setToolTip(self.tr("Replace the selection with the preset's "
                                             "permissions; edit it afterwards"))
        self.preset_summary = QLabel(self)
        self.preset_summary.setWordWrap(True)
        self.preset_summary.setAccessibleDescription(self.tr("About the preset"))
        preset_row = QHBoxLayout()
        preset_row.addWidget(preset_label)
        preset_row.addWidget(self.preset_combo, 1)
        preset_row.addWidget(self.apply_button)

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleDescription(self.tr("Selection summary"))
        self.flag_bar = MessageBar(Level.WARNING, self.tr("Permissions that need a second look"),
                                   self)
        self.flag_bar.close_button.hide()
        self.only_flagged_button = self.flag_bar.add_button(
            self.tr("Show &only these"), self.tr("Show only the permissions that need a look"))
        self.only_flagged_button.setCheckable(True)
        # Pressed, it says how to get back to the whole selection.
        self.only_flagged_button.toggled.connect(lambda only: self.only_flagged_button.setText(
            self.tr("Sh&ow all") if only else self.tr("Show &only these")))
        self.table = QTableView(self)
        self.table.setAccessibleName(self.tr("Selected permissions"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setAccessibleName(self.tr("Selection columns"))
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the user's order first
        self.table.setSortingEnabled(True)
        self.empty = QLabel(self.tr(
            "Nothing selected yet.\n\nChoose a permission in the tree and press \u201cAdd to "
            "selection\u201d (Ctrl+D), or start from a preset above."), self)
        self.empty.setAccessibleDescription(self.tr("Selection is empty"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        colors.mute(self.empty)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)

        self.show_button = QPushButton(self.tr("S&how details"), self)
        self.show_button.setAccessibleName(self.tr("Show details of the chosen permission"))
        self.remove_button = QPushButton(self.tr("&Remove"), self)
        self.remove_button.setAccessibleName(self.tr("Remove from selection"))
        self.remove_button.setToolTip(self.tr("Remove the chosen rows (Delete)"))
        self.clear_button = QPushButton(self.tr("Clear all"), self)
        self.clear_button.setAccessibleName(self.tr("Clear the selection"))
        self.new_connection_button = QPushButton(self)
        self.new_connection_button.setAccessibleName(self.tr(
            "New connection with these permissions"))
        self.delete_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table,
                                         context=Qt.ShortcutContext.WidgetShortcut)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.clear_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(preset_row)
        layout.addWidget(self.preset_summary)
        layout.addSpacing(4)
        layout.addWidget(self.summary)
        layout.addWidget(self.flag_bar)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        connect_row = QHBoxLayout()
        connect_row.addStretch(1)
        connect_row.addWidget(self.new_connection_button)
        layout.addLayout(connect_row)

    def set_model(self, model) -> None:
        self.table.setModel(model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(SelColumn.NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SelColumn.KIND, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(SelColumn.NAME, 300)

    def show_count(self, count: int, flags: list[str], summary: str) -> None:
        """`flags`: for each permission that needs a second look, its state ("retired",
        "deprecated") or "" when it can't be granted as chosen. `summary`: "N selected."
        and which preset that is, if any."""
        self.stack.setCurrentWidget(self.table if count else self.empty)
        self.remove_button.setEnabled(bool(count))
        self.clear_button.setEnabled(bool(count))
        self.show_button.setEnabled(bool(count))
        self.summary.setVisible(bool(count))  # the empty list says it in its place
        self.summary.setText(summary)
        if not flags:
            self.only_flagged_button.setChecked(False)
            self.flag_bar.hide()
            return
        words = {"retired": self.tr("retired"), "deprecated": self.tr("deprecated")}
        kinds: dict[str, int] = {}
        for state in flags:
            key = words.get(state, self.tr("not grantable as chosen"))
            kinds[key] = kinds.get(key, 0) + 1
        parts = ", ".join(f"{n} {what}" for what, n in kinds.items())
        self.flag_bar.show_message(self.tr(
            "{flagged} of these need a second look ({parts}); they are marked in the "
            "list below.").format(flagged=len(flags), parts=parts))
