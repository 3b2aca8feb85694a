"""Help > Managed settings: each setting in force and who set it (IT's policy, the settings
file, or o365desk's default), any problem with the policy, and saved connections the
policy would not let be created again."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QVBoxLayout,
)

from o365desk.core import effective_settings
from o365desk.core.connection import Connection
from o365desk.core.effective_settings import EffectiveSettings, Origin
from o365desk.core.text import visible
from o365desk.ui.form_parts import read_only_table
from o365desk.ui.message_bar import curly_quotes
from o365desk.ui.wizard.common import help_label, problem_label, show_problem

_ROLE = Qt.ItemDataRole
_ROOT = QModelIndex()


class ManagedSettingsModel(QAbstractTableModel):
    """One row per setting: its name, its value, and who set it."""

    COLUMNS = ("Setting", "Value", "Set by")

    def __init__(self, current: EffectiveSettings, parent=None) -> None:
        super().__init__(parent)
        # Managed ones first: they are what this view is for.
        self.rows = sorted(current.settings.values(), key=lambda s: not s.managed)

    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=_ROLE.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == _ROLE.DisplayRole:
            return self.tr(self.COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=_ROLE.DisplayRole):
        if not index.isValid() or role not in (_ROLE.DisplayRole, _ROLE.ToolTipRole,
                                               _ROLE.AccessibleTextRole):
            return None
        setting = self.rows[index.row()]
        if index.column() == 0:
            return self.tr(effective_settings.LABELS[setting.key])
        if index.column() == 1:
            if setting.key == "allowed_clouds" and setting.value:
                return ", ".join(self.tr(cloud.label) for cloud in setting.value)
            return visible(effective_settings.shown_value(setting))
        if setting.origin is Origin.POLICY:
            text = self.tr("Your IT team")
        elif setting.origin is Origin.USER:
            text = self.tr("Your settings file")
        else:
            text = self.tr("o365desk\u2019s default")
        if role == _ROLE.ToolTipRole and setting.where:
            return visible(setting.where)
        return text


class ManagedSettingsDialog(QDialog):
    def __init__(self, current: EffectiveSettings, connections: list[Connection] = (),
                 parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Managed settings"))
        self.setAccessibleName(self.tr("Managed by your organisation"))
        policy = current.policy
        managed = len(current.managed())
        if policy.damaged:
            intro = self.tr("Your organisation’s IT policy can’t be used (what is "
                            "wrong is below), so o365desk uses its defaults and your settings "
                            "file, and no new connection can be created until IT fixes it.")
        elif not policy.present:
            intro = self.tr("No setting on this computer is managed by your organisation: "
                            "each one below is o365desk\u2019s default or comes from your "
                            "settings file.")
        elif managed:
            intro = self.tr("Your organisation\u2019s IT team manages {count} of these "
                            "settings with the policy {where}; they can\u2019t be changed "
                            "here. Ask your IT team if one of them stops your work.").format(
                count=managed, where=visible(policy.where))
        else:
            intro = self.tr("Your organisation\u2019s IT policy {where} manages none of "
                            "these settings.").format(where=visible(policy.where))
        self.intro = help_label(intro, self, self.tr("About managed settings"))
        self.problem = problem_label(self, self.tr("IT policy problem"))
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        show_problem(self.problem, policy.problem)
        self.model = ManagedSettingsModel(current, self)
        self.table = read_only_table(self, self.model, self.tr("Settings and who set them"))
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        notes = []
        if policy.unknown:
            notes.append(self.tr("For IT: the policy has keys o365desk does not know, which "
                                 "it ignores: {keys}.").format(keys=", ".join(policy.unknown)))
        outside = [c for c in connections if not c.damage and policy.refusal(c)
                   and not policy.damaged]
        if outside:
            names = ", ".join(f"\u201c{visible(c.nickname)}\u201d" for c in outside[:10])
            notes.append(self.tr(
                "These saved connections still work, but the policy would not let them be "
                "created again: {names}.").format(names=names))
        self.notes = QLabel(curly_quotes(" ".join(notes)), self)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName(self.tr("Notes about the policy"))
        self.notes.setVisible(bool(notes))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(
            self.tr("Close"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.problem)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes)
        layout.addWidget(buttons)
        self.resize(760, 460)
        self.table.setFocus()
