"""Edit connection on an app-only connection lists application permissions (app roles),
searched and ticked by keys like the delegated ones, and saves them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from o365desk.catalog import get_catalog
from o365desk.core.connection import Connection, Kind
from o365desk.ui.edit_dialog import EditConnectionDialog
from o365desk.ui.wizard.permissions_model import Col

pytestmark = pytest.mark.usefixtures("qasync_loop")
APP_ID = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"


def _dialog(qtbot, services) -> EditConnectionDialog:
    conn = services.store.add(Connection(
        "Payroll", tenant="contoso.com", client_id=APP_ID, kind=Kind.APP_ONLY,
        scopes=("User.Read.All",)))
    dialog = EditConnectionDialog(services, conn)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_application_permissions_are_listed_searched_ticked_and_saved(qtbot, services):
    dialog = _dialog(qtbot, services)
    permissions = dialog.permissions
    model = permissions.model
    assert model.application
    names = {model.name_at(r) for r in range(model.rowCount())}
    catalog = get_catalog()
    assert names == {p.name for p in catalog if p.application is not None}
    assert "User.Read" not in names  # delegated only
    assert model.headerData(Col.ADMIN, Qt.Orientation.Horizontal) == "App role ID"
    assert permissions.scopes() == ["User.Read.All"]
    permissions.search.setFocus()
    qtbot.keyClicks(permissions.search, "Mail.Send")
    qtbot.keyClick(permissions.search, Qt.Key.Key_Return)  # to the best match
    table = permissions.table
    assert QApplication.focusWidget() is table
    assert table.currentIndex().data() == "Mail.Send"
    assert table.currentIndex().siblingAtColumn(Col.ADMIN).data() == \
        catalog.require("Mail.Send").application.id
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert dialog.scopes() == ["User.Read.All", "Mail.Send"]
    assert "An administrator must grant consent to it" in dialog.change_note.text()
    assert dialog.save_button.text() == "&Save"  # no sign-in follows: no one signs in
    with qtbot.waitSignal(dialog.saved, timeout=10000) as saved:
        dialog.save_button.click()
    assert not saved.args[0].needs_approval
    stored = services.store.find("Payroll")
    assert stored.kind == Kind.APP_ONLY and stored.scopes == ("User.Read.All", "Mail.Send")


def test_a_pasted_delegated_only_permission_is_refused_in_words(qtbot, services):
    dialog = _dialog(qtbot, services)
    dialog.paste.setFocus()
    qtbot.keyClicks(dialog.paste, "User.Read Mail.Read")
    qtbot.keyClick(dialog.paste, Qt.Key.Key_Return)
    assert dialog.paste_problem.isVisible()
    assert dialog.paste_problem.text().startswith(
        "User.Read: no application variant, so an app on its own can't be given it.")
    assert dialog.scopes() == ["User.Read.All"]  # nothing ticked
    dialog.paste.clear()
    qtbot.keyClicks(dialog.paste, "Mail.Read")
    qtbot.keyClick(dialog.paste, Qt.Key.Key_Return)
    assert not dialog.paste_problem.isVisible()
    assert dialog.scopes() == ["User.Read.All", "Mail.Read"]
