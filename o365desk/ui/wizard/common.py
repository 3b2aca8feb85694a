"""Small pieces the wizard's pages share: the help text and the inline problem line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def help_label(text: str, parent: QWidget, name: str) -> QLabel:
    """A short, plain explanation at the top of a page, for non-technical staff."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # it can name a connection: never HTML
    label.setWordWrap(True)
    label.setObjectName("helpText")
    # A screen reader reads the text itself (a label's name); `name` is the context.
    label.setAccessibleDescription(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    # A margin, not a style sheet: a style sheet would keep the colours of the palette
    # at the time, and the text would stay black when a dark theme is switched on.
    label.setContentsMargins(0, 0, 0, 6)
    return label


def problem_label(parent: QWidget, name: str) -> QLabel:
    """A line under a field that says what is wrong with it, in red; hidden when fine."""
    from o365desk.ui import colors

    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the file or a server
    label.setWordWrap(True)
    label.setObjectName("problem")
    label.setAccessibleDescription(name)  # the text is what a screen reader reads
    colors.follow_palette(label, lambda: label.setStyleSheet(
        f"#problem {{ {colors.text_style(colors.Role.ERROR)} }}"))
    label.hide()
    return label


def show_problem(label: QLabel, text: str) -> None:
    from o365desk.core.text import visible
    from o365desk.ui.message_bar import curly_quotes  # the CLI's words, the window's quotes

    text = visible(curly_quotes(text), keep_newlines=True)
    label.setText(text)
    label.setVisible(bool(text))
