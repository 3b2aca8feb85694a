"""Edit connection end to end: F4, type, tick, save, and straight into approving."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.fakes.identity import DEFAULT_PASSWORD, DEFAULT_USERNAME
from tests.ui.helpers import press_test, row_texts, select
from tests.ui.webengine_helpers import click, fill_sign_in, wait_for_element

pytestmark = [
    pytest.mark.usefixtures("qasync_loop"),
    pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended"),
]


def status_of(controller, nickname: str) -> str:
    from o365desk.ui.connections_model import Column

    return row_texts(controller, nickname)[Column.STATUS]


def open_edit(qtbot, window, controller):
    select(window, controller, "Contoso admin")
    window.table.setFocus()
    QTest.keyClick(window.table, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: controller.edits.edit_dialog is not None
                    and controller.edits.edit_dialog.isVisible())
    dialog = controller.edits.edit_dialog
    qtbot.waitUntil(dialog.isActiveWindow)  # as a person sees it: keys go to the dialog
    assert dialog.focusWidget() is dialog.description  # ready to type
    return dialog


def tick_by_keyboard(qtbot, dialog, name: str) -> None:
    """Search for the name, Tab into the list, Space on the row: as a person would."""
    search = dialog.permissions.search
    search.setFocus()
    search.selectAll()
    QTest.keyClicks(search, name)
    table = dialog.permissions.table
    qtbot.waitUntil(lambda: table.model().rowCount() > 0)
    rows = [table.model().index(r, 0) for r in range(table.model().rowCount())]
    [hit] = [i for i in rows if i.data() == name]
    table.setFocus()
    table.setCurrentIndex(hit)
    QTest.keyClick(table, Qt.Key.Key_Space)
    assert name in dialog.scopes()


def test_adding_a_permission_leads_straight_into_signing_in_again(
        qtbot, signed_in, open_window, services):
    signed_in(scopes=("User.Read",))
    window, controller = open_window()
    dialog = open_edit(qtbot, window, controller)
    assert dialog.scopes() == ["User.Read"]
    assert dialog.save_button.text().replace("&", "") == "Save"
    dialog.description.setFocus()
    QTest.keyClicks(dialog.description, "Payroll team")
    tick_by_keyboard(qtbot, dialog, "Mail.Send")
    assert dialog.save_button.text().replace("&", "") == "Save and sign in again\u2026"
    assert "Mail.Send" in dialog.change_note.text()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: controller.edits.edit_dialog is None, timeout=10000)
    saved = services.store.find("Contoso admin")
    assert saved.description == "Payroll team"
    assert saved.scopes == ("User.Read", "Mail.Send")
    assert status_of(controller, "Contoso admin") == "Waiting for approval"
    # Straight into Sign in again, which asks for the new permission.
    qtbot.waitUntil(lambda: controller.actions.dialog is not None
                    and controller.actions.dialog.isVisible(), timeout=10000)
    signin = controller.actions.dialog
    qtbot.waitUntil(lambda: signin.page.view.running, timeout=15000)
    wait_for_element(qtbot, signin.page.view, "username")
    fill_sign_in(qtbot, signin.page.view, DEFAULT_USERNAME, DEFAULT_PASSWORD)
    click(qtbot, signin.page.view, "accept")
    qtbot.waitUntil(lambda: controller.actions.dialog is None, timeout=20000)  # closed
    saved = services.store.find("Contoso admin")
    assert saved.approved_scopes == ("User.Read", "Mail.Send")
    assert status_of(controller, "Contoso admin") == "Signed in"


def test_a_description_change_alone_saves_without_signing_in(
        qtbot, signed_in, open_window, services):
    signed_in(scopes=("User.Read",))
    window, controller = open_window()
    dialog = open_edit(qtbot, window, controller)
    dialog.description.setFocus()
    QTest.keyClicks(dialog.description, "HR")
    QTest.keyClick(dialog.description, Qt.Key.Key_Return)  # Enter saves
    qtbot.waitUntil(lambda: controller.edits.edit_dialog is None, timeout=10000)
    assert services.store.find("Contoso admin").description == "HR"
    assert controller.actions.dialog is None  # nothing to approve
    assert status_of(controller, "Contoso admin") == "Signed in"
    assert window.details.description.text() == "HR"


def test_a_failed_test_for_a_missing_permission_opens_edit_with_it_ticked(
        qtbot, signed_in, open_window, services):
    signed_in(scopes=("Mail.Send",))
    window, controller = open_window()
    select(window, controller, "Contoso admin")
    press_test(qtbot, window, controller)
    assert "User.Read" in window.result_bar.text()
    [button] = [b for b in window.result_bar.findChildren(type(window.details.edit_button))
                if b.text().replace("&", "") == "Change permissions\u2026"]
    button.click()
    dialog = controller.edits.edit_dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    assert set(dialog.scopes()) == {"Mail.Send", "User.Read"}
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: controller.edits.edit_dialog is None)
    assert services.store.find("Contoso admin").scopes == ("Mail.Send",)  # Cancel: unchanged


def test_a_catalog_refresh_refused_for_a_missing_permission_offers_to_change_it(
        qtbot, signed_in, open_window, services, monkeypatch):
    from PySide6.QtWidgets import QPushButton

    from o365desk.ui.scopes import tenant_refresh

    signed_in(scopes=("User.Read",))  # without Application.Read.All: Graph says 403
    monkeypatch.setattr(tenant_refresh, "ask_connection", lambda parent, conns: conns[0])
    window, controller = open_window()
    window.act_permissions.trigger()
    browser = controller._scope_browser
    qtbot.waitUntil(lambda: browser.controller.tree_model.rows_filled)
    browser.act_refresh_tenant.trigger()
    qtbot.waitUntil(browser.error_bar.isVisible, timeout=20000)
    assert "Application.Read.All" in browser.error_bar.text()
    [button] = [b for b in browser.error_bar.findChildren(QPushButton)
                if b.text().startswith("Change the permissions of")]
    button.click()
    dialog = controller.edits.edit_dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    assert dialog.connection.nickname == "Contoso admin"
    assert dialog.scopes() == ["User.Read", "Application.Read.All"]
    assert dialog.save_button.text().replace("&", "") == "Save and sign in again\u2026"
    dialog.reject()
