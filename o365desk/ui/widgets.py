"""Small builders the windows share: actions with their shortcut and tip, greyed hints,
the page that stands in for a list the filters emptied."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


def make_action(owner: QWidget, text: str, shortcut=None, tip: str = "",
                icon: str = "") -> QAction:
    """An action on `owner`, so its shortcut works even while no menu shows it."""
    action = QAction(text, owner)
    if isinstance(shortcut, QKeySequence.StandardKey):
        action.setShortcuts(shortcut)  # every binding the platform has (Close: Ctrl+W, Ctrl+F4)
    elif shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    if icon:
        action.setIcon(QIcon.fromTheme(icon))
    owner.addAction(action)
    return action


def hint_label(text: str, parent: QWidget, accessible_name: str = "") -> QLabel:
    """A centred, greyed sentence standing in for content that isn't there yet."""
    from o365desk.ui import colors

    label = QLabel(text, parent)
    if accessible_name:  # the text is what a screen reader reads; this is the context
        label.setAccessibleDescription(accessible_name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    colors.mute(label)  # greyed: it is a hint, not content
    return label


def no_match_page(parent: QWidget, name: str, button_text: str,
                  button_name: str) -> tuple[QWidget, QLabel, QPushButton]:
    """In a list's place while filters hide every row: a centred sentence (set by the
    caller) above the button that brings the rows back."""
    page = QWidget(parent)
    page.setAccessibleName(name)
    label = QLabel(page)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setAccessibleDescription(name)
    button = QPushButton(button_text, page)
    button.setAccessibleName(button_name)
    layout = QVBoxLayout(page)
    layout.addStretch(1)
    layout.addWidget(label)
    layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
    layout.addStretch(2)
    return page, label, button
