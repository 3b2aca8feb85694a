"""Small pieces the wizard's pages share: the help text and the inline problem line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def help_label(text: str, parent: QWidget, name: str) -> QLabel:
    """A short, plain explanation at the top of a page, for non-technical staff."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setObjectName("helpText")
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet("#helpText { color: palette(window-text); padding-bottom: 6px; }")
    return label


def problem_label(parent: QWidget, name: str) -> QLabel:
    """A line under a field that says what is wrong with it, in red; hidden when fine."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setObjectName("problem")
    label.setAccessibleName(name)
    # Dark red on a light window, a light red on a dark one: readable in both.
    dark = label.palette().window().color().lightness() < 128
    label.setStyleSheet(f"#problem {{ color: {'#ff9b9b' if dark else '#a4262c'}; }}")
    label.hide()
    return label


def show_problem(label: QLabel, text: str) -> None:
    from o365desk.ui.message_bar import curly_quotes  # the CLI's words, the window's quotes

    text = curly_quotes(text)
    label.setText(text)
    label.setAccessibleDescription(text)
    label.setVisible(bool(text))
