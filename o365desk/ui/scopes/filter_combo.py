"""A filter box whose choice changes only when asked: arrow keys open its list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

_OPENING = (Qt.Key.Key_Up, Qt.Key.Key_Down)
_CHANGING = (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End)


class FilterCombo(QComboBox):
    """A QComboBox that a stray arrow key or wheel turn doesn't change behind one's back.

    Closed, Qt's combo box steps to the next choice on Up, Down, Page Up/Down, Home, End
    and the mouse wheel, and the tree narrows at once. Here Up and Down open the list
    (as Alt+Down and F4 do), where arrows and Enter choose and Escape keeps the choice;
    the other keys and the wheel pass the box by. Typing a choice's first letters still
    picks it, as asked.
    """

    def keyPressEvent(self, event) -> None:
        plain = not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        if plain and event.key() in _OPENING:
            self.showPopup()
            event.accept()
            return
        if plain and event.key() in _CHANGING:
            event.ignore()
            return
        super().keyPressEvent(event)

    def showPopup(self) -> None:
        super().showPopup()
        # Opened again after Escape, the list would show the row last browsed to as if it
        # were the choice.
        self.view().setCurrentIndex(self.model().index(self.currentIndex(), self.modelColumn(),
                                                       self.rootModelIndex()))

    def wheelEvent(self, event) -> None:
        event.ignore()
