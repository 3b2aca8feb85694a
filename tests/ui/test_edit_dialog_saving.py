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
