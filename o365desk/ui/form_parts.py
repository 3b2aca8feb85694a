"""Small pieces the dialogs share: a form row whose caption's mnemonic moves the focus to
its field, a masked field for a secret, a read-only table of rows, and the main button
beside Cancel.

Each piece is made where the dialog made it before, so the Tab order (the order widgets
are made in) stays the dialog's own.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)


def captioned_row(form: QFormLayout, caption: str, field: QWidget, parent: QWidget) -> QLabel:
    """A row of `form`: `caption` (its &-letter gives `field` the focus), then `field`."""
    label = QLabel(caption, parent)
    label.setBuddy(field)
    form.addRow(label, field)
    return label


def masked_line(parent: QWidget, name: str) -> QLineEdit:
    """A field for a password or secret: pasting works, nothing shows, nothing is copied;
    `name` is what a screen reader calls it."""
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    return edit


def read_only_table(parent: QWidget, model: QAbstractItemModel, name: str) -> QTableView:
    """A table showing `model` a row at a time: whole rows are selected, nothing is edited,
    no row numbers, Tab goes on to the next widget; `name` is what a screen reader calls
    it."""
    table = QTableView(parent)
    table.setTabKeyNavigation(False)  # Tab leaves the list, as in any list box
    table.setAccessibleName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    return table


def main_and_cancel(dialog: QDialog, text: str, on_accept: Callable[[], object],
                    main: QDialogButtonBox.StandardButton | None = None,
                    ) -> tuple[QDialogButtonBox, QPushButton]:
    """The dialog's buttons: the main one (`text`, with its &-letter; the standard button
    `main` given that text, else a button of the accept role) and Cancel. A screen reader
    calls the main one `text` without the &. Accepting calls `on_accept`; Cancel and Esc
    reject the dialog. Returns the box and its main button."""
    box = QDialogButtonBox(dialog)
    if main is None:
        button = box.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
    else:
        button = box.addButton(main)
        button.setText(text)
    button.setAccessibleName(text.replace("&", ""))
    cancel = box.addButton(QDialogButtonBox.StandardButton.Cancel)
    cancel.setAccessibleName(QCoreApplication.translate("Dialogs", "Cancel"))
    box.accepted.connect(on_accept)
    box.rejected.connect(dialog.reject)
    return box, button
