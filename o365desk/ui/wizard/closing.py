"""Asking before a window that holds unsaved work closes (Cancel, Esc, the close button)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def _tr(text: str) -> str:
    return QCoreApplication.translate("Dialogs", text)


def ask_discard(parent: QWidget, title: str, question: str, what_is_lost: str,
                on_discard: Callable[[], None]) -> QMessageBox:
    """A window-modal question that doesn't block: Discard calls `on_discard`; Keep
    editing (the default, and Esc) changes nothing. Returns the box, already open."""
    box = QMessageBox(parent)  # deleted with its parent, or by the caller
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(question)
    box.setInformativeText(what_is_lost)
    # Room for a sentence per line or two, not a word per line.
    box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 380px; }")
    box.setAccessibleName(question)
    box.setAccessibleDescription(what_is_lost)
    discard = box.addButton(_tr("&Discard"), QMessageBox.ButtonRole.DestructiveRole)
    discard.setAccessibleName(_tr("Discard"))
    keep = box.addButton(_tr("&Keep editing"), QMessageBox.ButtonRole.RejectRole)
    keep.setAccessibleName(_tr("Keep editing"))
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.discard_button, box.keep_button = discard, keep

    def answered(_result: int) -> None:
        if box.clickedButton() is discard:
            on_discard()

    box.finished.connect(answered)
    box.open()
    return box
