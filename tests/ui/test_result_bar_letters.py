"""After Ctrl+T fails on an app-only connection, every Alt letter in the window does one
thing: the result bar's buttons take letters the menus and the details pane don't have,
so Alt+K opens Ask for admin consent, not only moves the focus between two buttons."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from o365desk.ui.consent_dialog import ConsentDialog
from o365desk.ui.credential_dialog import CredentialDialog
from o365desk.ui.mnemonics import letter, with_free_letter
from tests.ui.test_app_only_error_bar import failing_app  # noqa: F401 (fixture)


def window_letters(window) -> list[str]:
    from PySide6.QtWidgets import QLabel

    found = [letter(a.text()) for a in window.menuBar().actions()]
    found += [letter(w.text()) for w in window.findChildren(QLabel)
              + window.findChildren(QAbstractButton) if w.isVisibleTo(window)]
    return [f for f in found if f]


@pytest.mark.parametrize(("code", "alt", "opens"), [
    (65001, Qt.Key.Key_K, ConsentDialog),  # no admin consent yet
    (7000222, Qt.Key.Key_P, CredentialDialog),  # the secret expired
])
def test_each_alt_letter_is_one_button_with_the_result_bar_shown(
        qtbot, failing_app, code, alt, opens):  # noqa: F811
    window, _controller = failing_app(code)
    qtbot.waitUntil(window.result_bar.isVisible, timeout=10000)
    letters = window_letters(window)
    assert len(letters) == len(set(letters)), sorted(letters)
    # The bar's own button opens it by its own letter ...
    bar_button = next(b for b in window.result_bar.findChildren(QAbstractButton)
                      if b.isVisible() and b.accessibleName().startswith(
                          ("Ask for admin consent", "Replace credential")))
    own = letter(bar_button.text())
    assert own and own != alt.name[-1].lower()
    window.table.setFocus()
    qtbot.keyClick(window, getattr(Qt.Key, f"Key_{own.upper()}"),
                   Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.findChild(opens) is not None
                    and window.findChild(opens).isVisible(), timeout=5000)
    window.findChild(opens).reject()
    qtbot.waitUntil(lambda: window.findChild(opens) is None
                    or not window.findChild(opens).isVisible())
    # ... and the details pane's by its letter.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.table.setFocus()
    qtbot.keyClick(window, alt, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.findChild(opens) is not None
                    and window.findChild(opens).isVisible(), timeout=5000)


def test_a_free_letter_is_its_own_first_then_the_first_free_one():
    used = {"k", "s"}
    assert with_free_letter("As&k for admin consent", used) == "&Ask for admin consent"
    assert used == {"k", "s", "a"}
    assert with_free_letter("T&ry again", {"t"}) == "T&ry again"
    assert with_free_letter("T&ry again", {"r", "t"}) == "Tr&y again"
    assert with_free_letter("Go", {"g", "o"}) == "Go"


def test_a_refused_rename_offers_edit_again_by_a_letter_of_its_own(qtbot, make_window):
    from PySide6.QtWidgets import QApplication, QLineEdit

    from tests.ui.conftest import sample_connections
    from tests.ui.helpers import rename_in_place

    window, controller = make_window(sample_connections())
    rename_in_place(qtbot, window, controller, "Fabrikam", "contoso PROD")  # taken
    assert window.error_bar.isVisible() and window.edit_again_button.isVisible()
    letters = window_letters(window)
    assert len(letters) == len(set(letters)), sorted(letters)  # "Needs &attention only"
    own = letter(window.edit_again_button.text())
    window.table.setFocus()
    qtbot.keyClick(window, getattr(Qt.Key, f"Key_{own.upper()}"),
                   Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit)
                    and QApplication.focusWidget().text() == "contoso PROD")
    assert not window.attention_check.isChecked()
