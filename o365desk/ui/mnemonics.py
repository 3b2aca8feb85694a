"""Alt letters that stay unique: a bar's buttons, added next to a window's menus, fields
and the details pane's buttons, take letters none of those shown has (a letter two
widgets share only moves the focus between them, and so does nothing a person expects)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtWidgets import QAbstractButton, QLabel, QMainWindow, QWidget

_MARK = re.compile(r"&([^&])")


def letter(text: str) -> str | None:
    """The Alt letter of a label ("Sign &in" -> "i"), lower-case; None when it has none."""
    found = _MARK.search(text)
    return found.group(1).lower() if found else None


def letters_in_use(window: QWidget, leaving_out: QWidget) -> set[str]:
    """The Alt letters of `window`'s menus and shown labels and buttons, apart from those
    inside `leaving_out`."""
    used: set[str] = set()
    if isinstance(window, QMainWindow):
        used |= {letter(a.text()) for a in window.menuBar().actions() if a.isVisible()}
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if widget is leaving_out or leaving_out.isAncestorOf(widget):
            continue
        if widget.isVisibleTo(window):
            used.add(letter(widget.text()))
    used.discard(None)
    return used


def with_free_letter(text: str, used: set[str]) -> str:
    """`text` with its own Alt letter when free, else its first letter that is; none left:
    no Alt letter at all (Tab still reaches it). The letter given is added to `used`."""
    plain = text.replace("&", "")
    own = letter(text)
    for choice in ([own] if own else []) + [c.lower() for c in plain if c.isalpha()]:
        if choice in used:
            continue
        used.add(choice)
        if choice == own:
            return text
        where = next(i for i, c in enumerate(plain) if c.lower() == choice)
        return plain[:where] + "&" + plain[where:]
    return plain


def free_letters(buttons: Iterable[QAbstractButton], used: set[str]) -> None:
    """Give each of `buttons`, in order, an Alt letter that is free (starting from its own
    label each time: a bar shown again gets its own letter back when it is free again)."""
    for button in buttons:
        if button.property("own_label") is None:
            button.setProperty("own_label", button.text())
        button.setText(with_free_letter(button.property("own_label"), used))
