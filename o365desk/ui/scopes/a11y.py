"""Accessible names for the parts Qt makes inside composite widgets, which have none."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QComboBox, QTableView, QWidget


def tr(text: str) -> str:
    return QCoreApplication.translate("ScopeBrowser", text)


def name_qt_parts(root: QWidget) -> None:
    """Combo pop-up lists, table headers and corner buttons: give each the name of what
    it belongs to, so a screen reader never announces a bare "list". (A message's text is
    its own name.)"""
    for combo in root.findChildren(QComboBox):
        if not combo.view().accessibleName():
            combo.view().setAccessibleName(tr("{name} choices").format(
                name=combo.accessibleName()))
    for table in root.findChildren(QTableView):
        if not table.verticalHeader().accessibleName():
            table.verticalHeader().setAccessibleName(tr("Row numbers"))
        if not table.horizontalHeader().accessibleName():
            table.horizontalHeader().setAccessibleName(tr("Column headings"))
    for button in root.findChildren(QAbstractButton):
        if not button.accessibleName() and button.objectName() == "qt_tableview_cornerbutton":
            button.setAccessibleName(tr("Select all"))
