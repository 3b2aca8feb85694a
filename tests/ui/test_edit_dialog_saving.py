"""Edit connection saves what was changed in it, and only that."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from o365desk.core.connection import Connection
from o365desk.ui.edit_dialog import EditConnectionDialog

pytestmark = pytest.mark.usefixtures("qasync_loop")


def _dialog(qtbot, services, conn) -> EditConnectionDialog:
    dialog = EditConnectionDialog(services, conn)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _save(qtbot, dialog) -> None:
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        dialog.save_button.click()


def test_a_description_changed_elsewhere_meanwhile_stays_when_permissions_are_saved(
        qtbot, services):
    conn = services.store.add(Connection("Payroll", description="Old note",
                                         scopes=("User.Read",)))
    dialog = _dialog(qtbot, services, conn)
    services.store.patch(conn.id, description="New note from the command line")
    dialog.paste.setFocus()
    qtbot.keyClicks(dialog.paste, "Mail.Send")
    qtbot.keyClick(dialog.paste, Qt.Key.Key_Return)
    _save(qtbot, dialog)
    saved = services.store.find(conn.id)
    assert saved.scopes == ("User.Read", "Mail.Send")
    assert saved.description == "New note from the command line"


def test_permissions_changed_elsewhere_meanwhile_stay_when_the_description_is_saved(
        qtbot, services):
    conn = services.store.add(Connection("Payroll", scopes=("User.Read",)))
    dialog = _dialog(qtbot, services, conn)
    services.store.patch(conn.id, scopes=("User.Read", "Calendars.Read"))
    dialog.description.setFocus()
    qtbot.keyClicks(dialog.description, "For HR")
    _save(qtbot, dialog)
    saved = services.store.find(conn.id)
    assert saved.description == "For HR"
    assert saved.scopes == ("User.Read", "Calendars.Read")


def test_a_request_to_edit_another_connection_keeps_the_changes_typed_in_the_open_one(
        qtbot, make_window, services, dialog_log):
    window, controller = make_window([Connection("Payroll", scopes=("User.Read",)),
                                      Connection("Helpdesk", scopes=("User.Read",))])
    helpdesk = services.store.find("Helpdesk")
    controller.select(services.store.find("Payroll").id)
    controller.edits.on_edit()
    dialog = controller.edits.edit_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.description.setFocus()
    qtbot.keyClicks(dialog.description, "Half typed")
    # The permission browser asks to change Helpdesk's permissions meanwhile.
    controller._on_edit_requested(helpdesk.id, ("Mail.Send",))
    qtbot.wait(100)
    assert controller.edits.edit_dialog is dialog and dialog.isVisible()
    assert dialog.description.text() == "Half typed"  # not thrown away
    [info] = dialog_log.infos
    assert info["text"] == "\u201cPayroll\u201d is being edited."
    assert "\u201cHelpdesk\u201d" in info["informative"]
