"""The New connection wizard's pages: live checks, presets, and Cancel leaving nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWizard

from o365desk.catalog.catalog import get_catalog
from o365desk.catalog.presets import find_preset
from o365desk.catalog.search import search
from o365desk.core.clouds import Cloud
from o365desk.core.connection import DEFAULT_CLIENT_ID, Connection
from o365desk.ui.wizard.new_connection import NewConnectionWizard, PageId
from o365desk.ui.wizard.permissions_model import (
    AdminConsentRole,
    Col,
    NameRole,
)
from o365desk.ui.wizard.permissions_page import PermissionsPage
from tests.ui.wizard_helpers import (
    answer_discard_question,
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
    assert org.tenant.text() == "" and not org.choose_at_sign_in.isChecked()
    assert not _next_enabled(wizard) and not org.tenant_problem.isVisible()  # no scolding
    assert org.client_id.text() == DEFAULT_CLIENT_ID
    assert org.redirect_uri.text() == "http://localhost"
    assert not org.advanced.isVisible()
    org.tenant.setText("not a tenant!")
    assert not _next_enabled(wizard) and "is not an organisation" in org.tenant_problem.text()
    assert "admin@contoso.com" in org.tenant_problem.text()  # it says what is accepted
    assert not org.tenant_result.isVisible()
    org.tenant.setText("Contoso.OnMicrosoft.com")
    assert _next_enabled(wizard) and org.tenant_value() == "contoso.onmicrosoft.com"
    org.client_id.setText("nope")
    assert not _next_enabled(wizard)
    assert org.advanced.isVisible()  # the problem is in Advanced: it opens by itself
    assert "GUID" in org.advanced_problem.text()
    org.client_id.setText(DEFAULT_CLIENT_ID)
    org.authority.setText("http://login.example.com/x")
    assert not _next_enabled(wizard) and "https://" in org.advanced_problem.text()
    org.authority.setText("https://login.microsoftonline.com@127.0.0.1/x")
    assert not _next_enabled(wizard) and "user name" in org.advanced_problem.text()
    org.authority.setText("")
    org.redirect_uri.setText("http://localhost.evil.example/cb")
    assert not _next_enabled(wizard) and "catch a sign-in" in org.advanced_problem.text()
    org.redirect_uri.setText("http://localhost:8400")
    org.cloud.setCurrentIndex(org.cloud.findText(Cloud.USGOV.label))
    assert _next_enabled(wizard) and org.cloud_value() is Cloud.USGOV
    org.graph.setText("https://graph.microsoft.com")  # the Global cloud's Graph
    assert not _next_enabled(wizard) and "another cloud" in org.advanced_problem.text()


@pytest.fixture
def offline_wizard(qtbot, services):
    """A wizard for the pages before sign-in, which need no identity platform."""
    wizard = NewConnectionWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    yield wizard
    wizard.signin_page.stop()


def _organisation_page_shown(qtbot, wizard):
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)  # keyboard focus and shortcuts need this
    qtbot.keyClicks(wizard.nickname_page.nickname, "Payroll")
    qtbot.keyClick(wizard.nickname_page.nickname, Qt.Key.Key_Return)  # Enter is Next
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.ORGANISATION)
    org = wizard.organisation_page
    qtbot.waitUntil(lambda: org.tenant.hasFocus())  # the page puts the cursor in the field
    return org


def test_typing_a_domain_key_by_key_gives_exactly_that_tenant(qtbot, offline_wizard):
    wizard = offline_wizard
    org = _organisation_page_shown(qtbot, wizard)
    qtbot.keyClicks(org.tenant, "contoso.com")  # into the focused field, as a person types
    assert org.tenant.text() == "contoso.com"
    assert org.tenant_result.isVisible() and org.tenant_result.text() == "Signs in to contoso.com"
    assert org.tenant.accessibleDescription() == "Signs in to contoso.com"
    assert wizard.draft().tenant == "contoso.com" and _next_enabled(wizard)
    qtbot.keyClick(org.tenant, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.PERMISSIONS)
    assert wizard.draft().tenant == "contoso.com"


def test_a_half_typed_domain_is_not_scolded_until_typing_pauses(qtbot, offline_wizard):
    org = _organisation_page_shown(qtbot, offline_wizard)
    qtbot.keyClicks(org.tenant, "contoso")
    assert not org.tenant_problem.isVisible() and not _next_enabled(offline_wizard)
    qtbot.waitUntil(org.tenant_problem.isVisible, timeout=3000)  # a pause: now it says why
    assert "\u201ccontoso\u201d is not an organisation" in org.tenant_problem.text()
    qtbot.keyClicks(org.tenant, ".")  # a problem already shown follows each key
    assert org.tenant_problem.isVisible() and "\u201ccontoso.\u201d" in org.tenant_problem.text()
    qtbot.keyClicks(org.tenant, "c")
    assert not org.tenant_problem.isVisible() and _next_enabled(offline_wizard)
    qtbot.keyClick(org.tenant, Qt.Key.Key_Backspace)  # a new problem waits again
    assert not org.tenant_problem.isVisible() and not _next_enabled(offline_wizard)
    qtbot.keyClick(org.tenant, Qt.Key.Key_Tab)  # leaving the field: at once
    assert org.tenant_problem.isVisible()
    assert org.choose_at_sign_in.hasFocus()  # Tab goes on to the tick box


@pytest.mark.parametrize(
    ("pasted", "tenant", "shown"),
    [
        ("admin@contoso.com", "contoso.com", "Signs in to contoso.com"),
        ("https://www.contoso.com/about ", "contoso.com", "Signs in to contoso.com"),
        ("{ 4F1C3B52-8D6E-4F0A-9B7C-2D5E6F708192 }", "4f1c3b52-8d6e-4f0a-9b7c-2d5e6f708192",
         "Signs in to the organisation with tenant ID 4f1c3b52-8d6e-4f0a-9b7c-2d5e6f708192"),
        ("münchen.de", "xn--mnchen-3ya.de", "Signs in to münchen.de (xn--mnchen-3ya.de)"),
    ],
)
def test_a_paste_shows_what_it_was_read_as(qtbot, offline_wizard, pasted, tenant, shown):
    wizard = offline_wizard
    org = _organisation_page_shown(qtbot, wizard)
    QApplication.clipboard().setText(pasted)
    qtbot.keyClick(org.tenant, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert org.tenant.text() == pasted
    assert org.tenant_result.text() == shown and org.tenant_result.isVisible()
    assert not org.tenant_problem.isVisible()
    assert wizard.draft().tenant == tenant and _next_enabled(wizard)


def test_a_hostile_paste_is_refused_and_quoted_harmlessly(qtbot, offline_wizard):
    wizard = offline_wizard
    org = _organisation_page_shown(qtbot, wizard)
    org.tenant.setText("<b>x</b>" + "a" * 500)
    problem = org.tenant_problem.text()
    assert problem.startswith("\u201c<b>x</b>aaa") and "\u2026\u201d" in problem
    assert org.tenant_problem.textFormat() == Qt.TextFormat.PlainText  # no markup rendered
    assert not _next_enabled(wizard) and not org.tenant_result.isVisible()
    org.tenant.setText("contoso\u202e.com")
    assert "U+202E" in org.tenant_problem.text() and not _next_enabled(wizard)
    org.tenant.setText("https://evil.example@contoso.com/")
    assert "user name or password" in org.tenant_problem.text() and not _next_enabled(wizard)


def test_choosing_the_organisation_at_sign_in_is_an_explicit_choice(qtbot, offline_wizard):
    wizard = offline_wizard
    org = _organisation_page_shown(qtbot, wizard)
    qtbot.keyClicks(org.tenant, "contoso")  # unfinished
    assert not _next_enabled(wizard)
    qtbot.keyClick(org.tenant, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)  # its mnemonic
    qtbot.waitUntil(org.choose_at_sign_in.isChecked)  # a mnemonic's click shows, then ticks
    assert not org.tenant.isEnabled()
    assert org.tenant_result.text() == "You choose the organisation when you sign in"
    assert not org.tenant_problem.isVisible()
    assert wizard.draft().tenant == "organizations" and _next_enabled(wizard)
    qtbot.keyClick(org.choose_at_sign_in, Qt.Key.Key_Space)  # keyboard: untick again
    assert not org.choose_at_sign_in.isChecked() and org.tenant.isEnabled()
    assert org.tenant.text() == "contoso" and not _next_enabled(wizard)  # typed text kept


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


def test_enter_or_down_in_the_search_goes_to_the_best_match_not_to_next(qtbot, offline_wizard):
    wizard = offline_wizard
    org = _organisation_page_shown(qtbot, wizard)
    qtbot.keyClicks(org.tenant, "contoso.com")
    qtbot.keyClick(org.tenant, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.PERMISSIONS)
    page = wizard.permissions_page
    page.search.setFocus()
    qtbot.keyClicks(page.search, "mail send")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # as after typing into any search box
    assert wizard.currentId() == PageId.PERMISSIONS  # not on to sign-in without Mail.Send
    assert page.table.hasFocus()
    assert page.table.currentIndex().data(NameRole) == "Mail.Send"
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert page.scopes() == ["Mail.Send", "User.Read"]
    page.search.setFocus()
    page.search.clear()
    qtbot.keyClicks(page.search, "calendars read")
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    assert page.table.currentIndex().data(NameRole) == "Calendars.Read"
    qtbot.keyClick(page.table, Qt.Key.Key_Down)  # on to the next match, then back up
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Down)  # same query: back where it was
    assert page.table.currentIndex().row() == 1


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
        qtbot.keyClicks(wizard.organisation_page.tenant, "contoso.com")
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
        if page_id > PageId.NICKNAME:  # something was entered: Cancel asks first
            answer_discard_question(qtbot, wizard, discard=True)
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
        qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # Esc is Cancel: it asks first
        answer_discard_question(qtbot, wizard, discard=True)
    assert vault_entries(keyring_backend, wizard.connection_id) == set()
    assert services.store.load() == []


def test_the_summary_values_are_described_as_their_captions_say(qtbot, make_wizard):
    """A screen reader reads each value with the caption shown beside it, not another."""
    from PySide6.QtWidgets import QFormLayout

    page = make_wizard().summary_page
    [form] = page.findChildren(QFormLayout)
    rows = {}
    for row in range(form.rowCount()):
        caption = form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget().text()
        value = form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
        rows[caption.rstrip(":")] = value.accessibleDescription()
    assert rows == {"Nickname": "Nickname", "Account": "Account",
                    "Organisation": "Organisation", "Access token": "Access token"}


def test_every_page_has_help_and_named_controls(qtbot, make_wizard):
    wizard = make_wizard()
    for page_id in wizard.pageIds():
        page = wizard.page(page_id)
        assert page.title()
        assert page.help.text() and page.help.accessibleDescription() == "About this step"
    wizard.permissions_page.load()
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QTableView

    unnamed = [w for t in (QLineEdit, QComboBox, QTableView, QAbstractButton)
               for w in wizard.findChildren(t)
               if not w.accessibleName() and w.objectName() != "qt_tableview_cornerbutton"
               and not w.objectName().startswith("qt_")]
    assert unnamed == [], [type(w).__name__ + ":" + w.objectName() for w in unnamed]
