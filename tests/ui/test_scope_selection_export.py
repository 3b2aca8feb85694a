"""The scope browser's selection, presets, exports and tenant import."""

from __future__ import annotations

import json
import os
import stat

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from o365desk.catalog.model import PermissionStatus
from o365desk.catalog.presets import find_preset
from o365desk.ui.scopes import export_panel, open_scope_browser, tenant_dialog
from o365desk.ui.scopes.controller import TENANT_CACHE_NAME
from o365desk.ui.scopes.selection_model import FlagRole, NameRole, StateRole
from tests.ui.scope_helpers import (
    FIXTURES,
    MAIL_SEND_DELEGATED,
    USER_READ_ALL_APPLICATION,
    choose,
    open_browser,
    visible_names,
)


@pytest.fixture
def browser(qtbot):
    return open_browser(qtbot)


# --- selection, presets, exports ----------------------------------------------------------


def test_okta_preset_selects_62_and_flags_each_retired_or_deprecated(browser):
    panel = browser.selection
    panel.preset_combo.setCurrentIndex(panel.preset_combo.findData("okta-o365-admin"))
    panel.apply_button.click()
    model = browser.controller.selection.model
    assert model.rowCount() == 62
    assert browser.tabs.tabText(1) == "Selection (62)"
    flagged = {}
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        state = PermissionStatus(index.data(StateRole))
        if state is not PermissionStatus.ACTIVE:
            assert index.data(FlagRole).startswith(state.label), index.data(NameRole)
            # The column shows the gist, the tooltip the whole note.
            assert index.data(FlagRole).startswith(model.index(row, 2).data())
            assert model.index(row, 2).data(Qt.ItemDataRole.ToolTipRole) == index.data(FlagRole)
            flagged[index.data(NameRole)] = state
    assert flagged["ProgramControl.ReadWrite.All"] is PermissionStatus.RETIRED
    assert flagged["SecurityEvents.ReadWrite.All"] is PermissionStatus.DEPRECATED
    assert len(flagged) == 7
    assert "7 of these need a second look (2 deprecated, 5 retired)" in \
        panel.flag_bar.text()
    panel.only_flagged_button.click()
    assert browser.controller.selection.proxy.rowCount() == 7
    assert panel.only_flagged_button.text() == "Sh&ow all"  # the way back
    panel.only_flagged_button.click()
    assert browser.controller.selection.proxy.rowCount() == 62
    assert panel.only_flagged_button.text() == "Show &only these"
    # Edit it: remove one row with the Delete key.
    panel.table.setFocus()
    panel.table.setCurrentIndex(browser.controller.selection.proxy.index(0, 0))
    panel.delete_shortcut.activated.emit()
    assert model.rowCount() == 61


def test_manifest_export_of_a_known_selection(browser, qtbot, tmp_path, monkeypatch):
    c = browser.controller
    c.select_permission("Mail.Send")
    browser.details.delegated.add_button.click()
    c.select_permission("User.Read.All")
    browser.details.application.add_button.click()
    assert browser.details.application.add_button.text() == "Remove from selection"
    assert c.selection.model.items() == [("Mail.Send", "delegated"),
                                         ("User.Read.All", "application")]
    browser.export.manifest_radio.click()
    expected = {"requiredResourceAccess": [{
        "resourceAppId": "00000003-0000-0000-c000-000000000000",
        "resourceAccess": [{"id": MAIL_SEND_DELEGATED, "type": "Scope"},
                           {"id": USER_READ_ALL_APPLICATION, "type": "Role"}]}]}
    text = browser.export.preview.toPlainText()
    assert json.loads(text) == expected
    assert browser.export.problem_bar.isHidden()

    browser.export.copy_button.click()
    assert json.loads(QGuiApplication.clipboard().text()) == expected
    target = tmp_path / "manifest.json"
    asked = []
    monkeypatch.setattr(export_panel, "ask_save_path",
                        lambda *args: asked.append(args) or str(target))
    old_umask = os.umask(0)  # the saved file is owner-only whatever the umask
    try:
        browser.export.save_button.click()
    finally:
        os.umask(old_umask)
    assert json.loads(target.read_text("utf-8")) == expected
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert asked[0][2].endswith("requiredResourceAccess.json")
    assert f"Saved the manifest JSON to {target}" in browser.export.done_bar.text()


def test_scope_string_leaves_out_application_permissions_and_says_why(browser):
    c = browser.controller
    c.selection.add("Mail.Send", "delegated")
    c.selection.add("User.Read", "delegated")
    c.selection.add("User.Read.All", "application")
    browser.export.scope_radio.click()
    assert browser.export.preview.toPlainText() == "Mail.Send User.Read"
    assert not browser.export.note_bar.isHidden()
    assert "1 application permissions are left out" in browser.export.note_bar.text()


def test_a_permission_that_cant_be_exported_is_named_and_can_be_removed(browser):
    c = browser.controller
    c.selection.add("Mail.Send", "delegated")
    c.selection.add("AgentIdentity.Create.All", "delegated")  # Microsoft gives no ID
    browser.export.manifest_radio.click()
    assert not browser.export.problem_bar.isHidden()
    assert "AgentIdentity.Create.All cannot be exported as delegated (Scope)" in \
        browser.export.problem_bar.text()
    assert "<" not in browser.export.problem_bar.text()  # the bar shows plain text, no tags
    assert browser.export.preview.toPlainText() == ""
    assert "until the permissions named above" in browser.export.preview.placeholderText()
    assert not browser.export.copy_button.isEnabled()
    c.selection.remove_bad_button.click()
    assert c.selection.model.items() == [("Mail.Send", "delegated")]
    assert browser.export.problem_bar.isHidden()
    assert MAIL_SEND_DELEGATED in browser.export.preview.toPlainText()


# --- tenant import ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "reason"), [
    ("not-json.json", "is not valid JSON"),
    ("missing-id.json", "has no \u201cid\u201d"),  # the window's quotes
    ("other-app.json", "not of Microsoft Graph"),
])
def test_malformed_tenant_file_shows_the_error_and_changes_nothing(
        browser, qtbot, monkeypatch, config_dir, name, reason):
    before = browser.controller.catalog
    monkeypatch.setattr(tenant_dialog, "ask_open_path", lambda parent: str(FIXTURES / name))
    browser.act_import.trigger()
    qtbot.waitUntil(browser.error_bar.isVisible)
    assert "Could not import the tenant file. Nothing was changed." in browser.error_bar.text()
    assert reason in browser.error_bar.text()
    assert browser.controller.catalog is before
    assert browser.controller.catalog.tenant is None
    assert not (config_dir / "data" / TENANT_CACHE_NAME).exists()
    assert browser.tenant_bar.isHidden()
    assert browser.import_button.isEnabled()


def test_tenant_file_brings_microsofts_wording_and_the_changes(browser, qtbot, monkeypatch,
                                                               config_dir):
    monkeypatch.setattr(tenant_dialog, "ask_open_path",
                        lambda parent: str(FIXTURES / "graph-sp-small.json"))
    browser.import_button.click()
    qtbot.waitUntil(browser.tenant_bar.isVisible)
    assert (config_dir / "data" / TENANT_CACHE_NAME).exists()
    date = browser.controller.catalog.tenant.imported_at[:10]
    assert f"from your tenant, {date}" in browser.tenant_bar.text()
    dialog = browser.controller.changes_dialog
    assert dialog is not None and dialog.isVisible()
    changes = {(dialog.model.index(r, 1).data(), dialog.model.index(r, 0).data())
               for r in range(dialog.model.rowCount())}
    assert ("Widget.Read.All", "Only in your tenant") in changes
    assert ("Mail.Read", "Not in your tenant") in changes

    browser.controller.select_permission("User.Read")
    box = browser.details.delegated
    assert box.tenant_caption.isVisible()
    assert box.tenant_caption.text() == f"Microsoft's wording, from your tenant, {date}:"
    assert "Fixture: tenant wording for the delegated User.Read scope." in box.tenant_text.text()
    browser.search_edit.setText("Fixture: tenant wording")  # Microsoft's words are searchable
    assert "User.Read" in visible_names(browser)
    browser.search_edit.setText("Widget.Read.All")  # known only from the tenant
    assert visible_names(browser) == ["Widget.Read.All"]


def test_a_cached_tenant_import_is_used_offline_next_time(qtbot, monkeypatch, browser):
    monkeypatch.setattr(tenant_dialog, "ask_open_path",
                        lambda parent: str(FIXTURES / "graph-sp-small.json"))
    browser.act_import.trigger()
    qtbot.waitUntil(browser.tenant_bar.isVisible)
    again = open_scope_browser()
    qtbot.addWidget(again)
    assert again.controller.catalog.tenant is not None
    assert again.tenant_bar.isVisible() and "from your tenant" in again.tenant_bar.text()
    assert again.act_changes.isEnabled()
    assert again.controller.show_changes() is not None


def test_cache_name_matches_the_catalog_layer():
    from o365desk.catalog import tenant_import

    assert TENANT_CACHE_NAME == tenant_import.CACHE_NAME


def test_a_tenant_import_that_cant_be_saved_says_where_and_changes_nothing(
        browser, qtbot, monkeypatch, config_dir):
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "data").write_text("not a folder")  # the cache can't be written there
    before = browser.controller.catalog
    monkeypatch.setattr(tenant_dialog, "ask_open_path",
                        lambda parent: str(FIXTURES / "graph-sp-small.json"))
    browser.act_import.trigger()
    qtbot.waitUntil(browser.error_bar.isVisible)
    assert "Its copy could not be saved in" in browser.error_bar.text()
    assert browser.controller.catalog is before


def test_the_selection_says_which_preset_it_is_and_custom_once_changed(qtbot):
    browser = open_browser(qtbot)
    selection, summary = browser.controller.selection, browser.selection.summary
    browser.tabs.setCurrentWidget(browser.selection)
    choose(browser.selection.preset_combo, "mail-automation")
    qtbot.mouseClick(browser.selection.apply_button, Qt.MouseButton.LeftButton)
    count = len(find_preset("mail-automation").scopes)
    assert summary.text() == f"{count} selected: the \u201cMail automation\u201d preset."
    selection.model.remove("Mail.Send", "delegated")
    assert summary.text() == (f"{count - 1} selected: custom, started from the "
                              "\u201cMail automation\u201d preset.")
    selection.add("Mail.Send", "delegated")  # back to the preset's permissions
    assert summary.text() == f"{count} selected: the \u201cMail automation\u201d preset."
    qtbot.mouseClick(browser.selection.clear_button, Qt.MouseButton.LeftButton)
    selection.add("User.Read", "delegated")  # emptied: no longer from the preset
    assert summary.text() == "1 selected."
