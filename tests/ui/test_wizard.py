"""The New connection wizard's pages: live checks, presets, and Cancel leaving nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from o365desk.catalog.catalog import get_catalog
from o365desk.catalog.presets import find_preset
from o365desk.catalog.search import search
from o365desk.core.clouds import Cloud
from o365desk.core.connection import DEFAULT_CLIENT_ID, Connection
from o365desk.ui.wizard.new_connection import PageId
from o365desk.ui.wizard.permissions_model import AdminConsentRole, Col, NameRole
from o365desk.ui.wizard.permissions_page import PermissionsPage
from tests.ui.wizard_helpers import (
    fill_to_permissions,
    fill_to_signin,
    press_next,
    sign_in_embedded,
    vault_entries,
)

pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


def _next_enabled(wizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_nickname_is_checked_as_it_is_typed(qtbot, make_wizard, services):
    services.store.add(Connection(nickname="Contoso Prod"))
    wizard = make_wizard()
    page = wizard.nickname_page
    assert not _next_enabled(wizard)
    assert not page.problem.isVisible()  # nothing typed yet: no scolding
    qtbot.keyClicks(page.nickname, "contoso prod")
    assert not _next_enabled(wizard)
    assert page.problem.isVisible() and "already exists" in page.problem.text()
    page.nickname.setText("Contoso\u202eProd")
    assert "invisible character" in page.problem.text()
    page.nickname.setText("  Contoso test  ")
    assert _next_enabled(wizard) and not page.problem.isVisible()
    assert page.value() == "Contoso test"
    assert page.nickname.accessibleName() == "Nickname"


def test_organisation_checks_tenant_and_advanced_settings(qtbot, make_wizard):
    wizard = make_wizard()
    qtbot.keyClicks(wizard.nickname_page.nickname, "X")
    press_next(qtbot, wizard)
    org = wizard.organisation_page
    assert org.tenant.text() == "organizations" and _next_enabled(wizard)
    assert org.client_id.text() == DEFAULT_CLIENT_ID
    assert org.redirect_uri.text() == "http://localhost"
    assert not org.advanced.isVisible()
    org.tenant.setText("not a tenant!")
    assert not _next_enabled(wizard) and "is not an organisation" in org.tenant_problem.text()
    org.tenant.setText("Contoso.OnMicrosoft.com")
    assert _next_enabled(wizard) and org.tenant_value() == "contoso.onmicrosoft.com"
    org.client_id.setText("nope")
    assert not _next_enabled(wizard)
    assert org.advanced.isVisible()  # the problem is in Advanced: it opens by itself
    assert "GUID" in org.advanced_problem.text()
    org.client_id.setText(DEFAULT_CLIENT_ID)
    org.authority.setText("http://login.example.com/x")
    assert not _next_enabled(wizard) and "https://" in org.advanced_problem.text()
    org.authority.setText("")
    org.cloud.setCurrentIndex(org.cloud.findText(Cloud.USGOV.label))
    assert _next_enabled(wizard) and org.cloud_value() is Cloud.USGOV


def test_permissions_presets_search_and_admin_marks(qtbot, make_wizard, fake_identity):
    wizard = make_wizard()
    fill_to_permissions(qtbot, wizard, fake_identity)
    page = wizard.permissions_page
    assert page.scopes() == ["User.Read"] and _next_enabled(wizard)
    page.apply_preset("read-only-directory")
    assert "User.Read.All" in page.scopes() and "openid" not in page.scopes()
    assert "need an administrator" in page.chosen.text()
    page.search.setText("user read all")
    names = [page.proxy.index(r, 0).data(NameRole) for r in range(page.proxy.rowCount())]
    assert names[0] == "User.Read.All"
    # The catalog's search decides, in its order: delegated ones only, none for signing in.
    assert names == [p.name for p in search(get_catalog(), "user read all")
                     if p.delegated and p.name not in ("openid", "profile", "email")]
    row = names.index("User.Read.All")
    assert page.proxy.index(row, 0).data(AdminConsentRole) is True
    assert page.proxy.index(row, Col.ADMIN).data() == "Yes"
    page.set_scopes([])
    assert not _next_enabled(wizard) and "choose at least one" in page.chosen.text()
    # Ticking a box in the list (the keyboard's Space does the same) chooses it.
    index = page.proxy.index(row, Col.NAME)
    assert page.proxy.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert page.scopes() == ["User.Read.All"] and _next_enabled(wizard)
    page.chosen_only.setChecked(True)
    assert page.proxy.rowCount() == 1


def _choose_set(qtbot, page, title: str) -> None:
    """Home, then down through the ready-made sets with the keyboard until `title` shows."""
    page.preset.setFocus()
    qtbot.keyClick(page.preset, Qt.Key.Key_Home)
    for _ in range(page.preset.count()):
        if page.preset.currentText() == title:
            return
        qtbot.keyClick(page.preset, Qt.Key.Key_Down)
    raise AssertionError(f"no set called {title}")


def _tick_first_hit(qtbot, page, query: str) -> str:
    """Search, Tab to the list, Space on the first row: as someone at the keyboard would."""
    page.search.setFocus()
    page.search.clear()
    qtbot.keyClicks(page.search, query)
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, Col.NAME))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    return page.proxy.index(0, Col.NAME).data(NameRole)


def test_ready_made_set_says_custom_after_a_change_and_comes_back(qtbot, make_wizard,
                                                                   fake_identity):
    wizard = make_wizard()
    fill_to_permissions(qtbot, wizard, fake_identity)
    page = wizard.permissions_page
    sets = page.preset.count()
    assert page.preset.currentText() == "Only sign in and read my profile"
    mail = find_preset("mail-automation")
    _choose_set(qtbot, page, mail.title)
    assert page.preset_summary.text() == mail.summary
    assert set(page.scopes()) == set(mail.scopes) - {"openid", "profile", "offline_access"}

    added = _tick_first_hit(qtbot, page, "calendars read")
    assert added == "Calendars.Read" and "Calendars.Read" in page.scopes()
    assert page.preset.currentText() == "Custom (started from \u201cMail automation\u201d)"
    assert page.preset_summary.text() == (
        "You changed the ticks of \u201cMail automation\u201d (1 added). Choose a "
        "ready-made set again to start over.")
    _tick_first_hit(qtbot, page, "mail send")  # unticks Mail.Send, part of the set
    assert "Mail.Send" not in page.scopes()
    assert "(1 added, 1 removed)" in page.preset_summary.text()
    assert page.preset.count() == sets + 1  # one "Custom" item, not one per change

    # Back to exactly the set's ticks: the box names the set again.
    _tick_first_hit(qtbot, page, "mail send")
    _tick_first_hit(qtbot, page, "calendars read")
    assert page.preset.currentText() == mail.title
    assert page.preset_summary.text() == mail.summary
    assert page.preset.count() == sets
    # Unticking the default set's only permission: custom, started from that set.
    _choose_set(qtbot, page, "Only sign in and read my profile")
    assert page.scopes() == ["User.Read"]
    _tick_first_hit(qtbot, page, "user read")
    assert page.scopes() == [] and page.preset.currentText() == (
        "Custom (started from \u201cOnly sign in and read my profile\u201d)")
    assert "(1 removed)" in page.preset_summary.text()


def test_the_permissions_page_can_start_with_given_scopes(qtbot):
    page = PermissionsPage(scopes=["Sites.Read.All", "Mail.Send"])
    qtbot.addWidget(page)
    page.load()
    assert page.scopes() == ["Mail.Send", "Sites.Read.All"]
    assert page.preset.currentText() == "Custom"
    assert "chosen one by one" in page.preset_summary.text()
    assert page.chosen_only.isChecked() and page.proxy.rowCount() == 2  # they show
    same_as_a_set = PermissionsPage(scopes=find_preset("mail-automation").scopes)
    qtbot.addWidget(same_as_a_set)
    same_as_a_set.load()
    assert same_as_a_set.preset.currentText() == "Mail automation"


@pytest.mark.parametrize("page_id", [PageId.NICKNAME, PageId.ORGANISATION,
                                     PageId.PERMISSIONS, PageId.SIGNIN])
def test_cancel_at_any_page_before_sign_in_saves_nothing(
    qtbot, make_wizard, fake_identity, services, keyring_backend, store_path, page_id
):
    wizard = make_wizard()
    if page_id >= PageId.ORGANISATION:
        qtbot.keyClicks(wizard.nickname_page.nickname, "Half made")
        press_next(qtbot, wizard)
    if page_id >= PageId.PERMISSIONS:
        press_next(qtbot, wizard)
    if page_id == PageId.SIGNIN:
        wizard.back()
        wizard.back()
        wizard.nickname_page.nickname.clear()
        fill_to_signin(qtbot, wizard, fake_identity, nickname="Half made")
        qtbot.waitUntil(lambda: wizard.signin_page.view.running, timeout=15000)
    assert wizard.currentId() == page_id
    with qtbot.waitSignal(wizard.discarded, timeout=10000):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton),
                         Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()
    assert not store_path.exists() or services.store.load() == []
    assert vault_entries(keyring_backend, wizard.connection_id) == set()
    assert wizard.signin_page.view.page is None  # the web page and its profile are gone


def test_cancel_on_summary_removes_the_tokens_the_sign_in_saved(
    qtbot, make_wizard, fake_identity, services, keyring_backend
):
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity, scopes=("User.Read",))
    sign_in_embedded(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=20000)
    assert vault_entries(keyring_backend, wizard.connection_id)
    with qtbot.waitSignal(wizard.discarded, timeout=10000):
        qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # Esc is Cancel
    assert vault_entries(keyring_backend, wizard.connection_id) == set()
    assert services.store.load() == []


def test_every_page_has_help_and_named_controls(qtbot, make_wizard):
    wizard = make_wizard()
    for page_id in wizard.pageIds():
        page = wizard.page(page_id)
        assert page.title()
        assert page.help.text() and page.help.accessibleName() == "About this step"
    wizard.permissions_page.load()
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QTableView

    unnamed = [w for t in (QLineEdit, QComboBox, QTableView, QAbstractButton)
               for w in wizard.findChildren(t)
               if not w.accessibleName() and w.objectName() != "qt_tableview_cornerbutton"
               and not w.objectName().startswith("qt_")]
    assert unnamed == [], [type(w).__name__ + ":" + w.objectName() for w in unnamed]
