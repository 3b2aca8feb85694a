"""Edit connection from the keyboard: Enter in its boxes does what that box is for."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from o365desk.core.connection import Connection
from o365desk.ui.edit_dialog import EditConnectionDialog
from o365desk.ui.wizard.permissions_model import NameRole


def _dialog(qtbot, services, scopes=("User.Read", "Mail.Send"), nickname="Payroll",
            **kw) -> EditConnectionDialog:
    conn = services.store.add(Connection(nickname=nickname, tenant="contoso.com",
                                         scopes=scopes))
    dialog = EditConnectionDialog(services, conn, **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


@pytest.mark.usefixtures("qasync_loop")  # a save, if one started, would finish
def test_enter_in_the_paste_box_ticks_and_keeps_the_dialog_open(qtbot, services):
    dialog = _dialog(qtbot, services)
    dialog.paste.setFocus()
    qtbot.keyClicks(dialog.paste, "Calendars.Readd")
    qtbot.keyClick(dialog.paste, Qt.Key.Key_Return)
    qtbot.wait(500)
    assert dialog.isVisible()  # not saved and closed, losing what was typed
    assert dialog.paste.text() == "Calendars.Readd"
    assert "Did you mean Calendars.Read" in dialog.paste_problem.text()
    qtbot.keyClick(dialog.paste, Qt.Key.Key_Backspace)
    qtbot.keyClick(dialog.paste, Qt.Key.Key_Enter)  # the keypad's Enter too
    qtbot.wait(500)
    assert dialog.isVisible() and "Calendars.Read" in dialog.scopes()
    assert services.store.find("Payroll").scopes == ("User.Read", "Mail.Send")  # not yet


def test_enter_in_the_search_box_goes_to_the_best_match_not_to_save(qtbot, services):
    dialog = _dialog(qtbot, services)
    search = dialog.permissions.search
    search.setFocus()
    qtbot.keyClicks(search, "calendars read")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert dialog.isVisible()
    table = dialog.permissions.table
    assert table.hasFocus() and table.currentIndex().data(NameRole) == "Calendars.Read"
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert dialog.scopes() == ["User.Read", "Mail.Send", "Calendars.Read"]


def test_the_ready_made_set_box_says_no_change_was_made_when_none_was(qtbot, services):
    dialog = _dialog(qtbot, services)
    page = dialog.permissions
    assert page.preset.currentText() == "Custom"
    assert page.preset_summary.text() == (
        "Permissions chosen one by one. Choose a ready-made set to start over.")
    other = _dialog(qtbot, services, scopes=("User.Read",), nickname="Helpdesk")
    page = other.permissions
    assert page.preset.currentText() == "Only sign in and read my profile"
    # A permission a failed test found missing, ticked for the person: still no "changed".
    ticked = _dialog(qtbot, services, scopes=("Mail.Send",), nickname="Robot",
                     tick=("User.Read",))
    page = ticked.permissions
    assert page.preset.currentText() == "Custom" and page.model.checked() == [
        "Mail.Send", "User.Read"]
