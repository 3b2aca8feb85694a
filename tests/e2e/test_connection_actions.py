"""The main window's per-connection actions end to end: real MSAL, QtWebEngine, the fake."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from o365desk.core.connection import Status
from o365desk.ui.connections_model import Column, StatusRole
from o365desk.ui.message_bar import Level
from tests.fakes.identity import DEFAULT_PASSWORD, DEFAULT_USERNAME
from tests.ui.helpers import press_test, row_texts, select
from tests.ui.webengine_helpers import click, fill_sign_in, js_value, wait_for_element
from tests.ui.wizard_helpers import vault_entries

pytestmark = [
    pytest.mark.usefixtures("qasync_loop"),
    pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended"),
]


def status_of(controller, nickname: str) -> str:
    return row_texts(controller, nickname)[Column.STATUS]


def test_test_connection_shows_organisation_and_latency(qtbot, signed_in, open_window):
    signed_in()
    window, controller = open_window()
    conn = controller.model.connections()[0]
    qtbot.waitUntil(lambda: controller.model.state_of(conn.id) is not None)
    # The status says what the person needs to know; the access token's expiry (which
    # renews by itself) is a detail.
    assert status_of(controller, "Contoso admin") == "Signed in"
    assert "renews by itself" in window.details.expiry.text()
    assert window.act_test.isEnabled() and window.act_sign_out.isEnabled()
    press_test(qtbot, window, controller)  # Ctrl+T: the keyboard path
    text = window.result_bar.text()
    assert window.result_bar.level == Level.INFO
    assert text.startswith("Connected to Contoso (fake) in ") and " ms " in text
    details = window.details
    assert "valid until" in details.expiry.text()
    assert "granted: User.Read" in details.granted.text()
    assert not details.consent_button.isVisible()


def test_revoked_sign_in_fails_the_test_and_says_sign_in_needed(
    qtbot, signed_in, open_window, fake_identity
):
    signed_in()
    window, controller = open_window()
    fake_identity.expire_access_tokens()
    fake_identity.revoke_refresh_tokens()
    press_test(qtbot, window, controller)
    bar = window.result_bar
    assert bar.level == Level.ERROR
    assert "didn't work" in bar.text()
    # (Their Alt letters are whichever the window leaves free: ui/mnemonics.py.)
    labels = [b.text().replace("&", "") for b in
              bar.findChildren(type(window.details.test_button)) if b.isVisible()]
    assert "Sign in again\u2026" in labels and "Details\u2026" in labels
    assert status_of(controller, "Contoso admin") == "Sign-in needed"
    assert window.details.status.text() == "Sign-in needed"
    index = controller.proxy.index(0, Column.STATUS)
    assert index.data(StatusRole) == Status.SIGN_IN_NEEDED


def test_sign_out_removes_tokens_and_account(
    qtbot, signed_in, open_window, services, keyring_backend, dialog_log
):
    conn = signed_in()
    assert vault_entries(keyring_backend, conn.id)
    window, controller = open_window()
    dialog_log.confirm_answer = True
    window.act_sign_out.trigger()
    qtbot.waitUntil(lambda: status_of(controller, "Contoso admin") == "Not signed in",
                    timeout=10000)
    [asked] = dialog_log.confirms
    assert "tokens" in asked["informative"] and "keychain" in asked["informative"].lower()
    assert "cookies" in asked["informative"]
    assert vault_entries(keyring_backend, conn.id) == set()
    [saved] = services.store.load()
    assert saved.account is None and saved.expires_at is None
    assert not window.act_test.isEnabled() and not window.act_sign_out.isEnabled()
    assert window.act_sign_in.isEnabled() and window.act_sign_in.text() == "Sign &in\u2026"


def test_sign_in_again_through_the_real_page_asks_for_added_scopes(
    qtbot, signed_in, open_window, services
):
    conn = signed_in(scopes=("User.Read",))
    before = conn.expires_at
    services.store.update(conn.replace(scopes=("User.Read", "User.Read.All")))
    window, controller = open_window()
    select(window, controller, "Contoso admin")
    window.details.sign_in_button.click()
    dialog = controller.actions.dialog
    qtbot.waitUntil(lambda: dialog.page.view.running, timeout=15000)
    view = dialog.page.view
    wait_for_element(qtbot, view, "username")
    assert js_value(qtbot, view, "document.getElementById('username').value") == \
        DEFAULT_USERNAME  # the connection's account is suggested
    fill_sign_in(qtbot, view, DEFAULT_USERNAME, DEFAULT_PASSWORD)
    click(qtbot, view, "accept")  # the consent page: User.Read.All was added
    qtbot.waitUntil(lambda: controller.actions.dialog is None, timeout=20000)  # closed
    [saved] = services.store.load()
    assert saved.account.username == DEFAULT_USERNAME
    assert saved.expires_at is not None and saved.expires_at >= before
    state = controller.model.state_of(conn.id)
    assert set(state.granted) >= {"User.Read", "User.Read.All"}
    assert status_of(controller, "Contoso admin") == "Signed in"


def test_sign_in_again_offers_no_button_it_cannot_carry_out(
    qtbot, signed_in, open_window, fake_identity
):
    from o365desk.core.signin_errors import Action

    signed_in(scopes=("User.Read",))
    window, controller = open_window()
    select(window, controller, "Contoso admin")
    fake_identity.fail_authorize(700016)  # app not found: check organisation and client ID
    window.details.sign_in_button.click()
    dialog = controller.actions.dialog
    panel = dialog.page.error_panel
    qtbot.waitUntil(lambda: dialog.page.stack.currentWidget() is panel, timeout=20000)
    assert panel.explanation.code == "AADSTS700016"
    assert Action.CHECK_ORGANISATION not in panel.buttons
    assert Action.CHECK_CLIENT_ID not in panel.buttons
    assert Action.COPY_ADMIN_CONSENT_LINK in panel.buttons
    dialog.reject()


def test_consent_missing_shows_granted_and_not_granted(
    qtbot, signed_in, open_window, fake_identity
):
    fake_identity.not_granted = {"User.Read.All"}
    signed_in(scopes=("User.Read", "User.Read.All"))
    window, controller = open_window()
    qtbot.waitUntil(lambda: status_of(controller, "Contoso admin")
                    == "Some permissions not granted", timeout=10000)
    details = window.details
    assert details.status.text() == "Some permissions not granted"
    assert "granted: User.Read;" in details.granted.text()
    assert "not granted: User.Read.All" in details.granted.text()
    # The cached access token's own claims, decoded offline for display.
    from tests.fakes.identity import DEFAULT_TENANT_ID

    facts = details.token_facts.text()
    assert f"organisation {DEFAULT_TENANT_ID}" in facts and "signed in with password" in facts
    assert details.consent_button.isVisible()
    details.consent_button.click()
    from PySide6.QtGui import QGuiApplication

    link = urlsplit(QGuiApplication.clipboard().text())
    assert link.path == "/contoso.onmicrosoft.com/v2.0/adminconsent"  # the v2.0 form
    query = parse_qs(link.query, strict_parsing=True)
    assert query["scope"] == ["https://graph.microsoft.com/User.Read "
                              "https://graph.microsoft.com/User.Read.All"]
    assert query["redirect_uri"] == ["http://localhost"] and query["state"][0]


def test_new_controls_have_names_and_shortcuts(open_window):
    window, _ = open_window()
    d = window.details
    for widget in (d.test_button, d.sign_in_button, d.sign_out_button, d.consent_button,
                   window.result_bar):
        assert widget.accessibleName(), widget
    for label in (d.expiry, d.granted):  # a value is read as itself, its caption beside it
        assert label.accessibleDescription(), label
    assert window.act_test.shortcut().toString() == "Ctrl+T"
    assert window.act_sign_in.shortcut().toString() == "Ctrl+I"
    menu = [a for a in window.menuBar().actions() if a.text() == "&Connection"][0].menu()
    assert {window.act_test, window.act_sign_in, window.act_sign_out} <= set(menu.actions())


def test_scope_browser_refreshes_through_a_signed_in_connection(
    qtbot, signed_in, services, monkeypatch
):
    from o365desk.ui.scopes import open_scope_browser, tenant_refresh

    conn = signed_in(scopes=("User.Read", "Application.Read.All"))
    monkeypatch.setattr(tenant_refresh, "ask_connection", lambda parent, conns: conns[0])
    window = open_scope_browser(None, services)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.controller.tree_model.rows_filled)
    assert window.refresh_button.isVisible() and window.refresh_button.accessibleName()
    assert window.controller.catalog.tenant is None
    window.act_refresh_tenant.trigger()
    qtbot.waitUntil(lambda: window.controller.changes_dialog is not None
                    and window.controller.changes_dialog.isVisible(), timeout=20000)
    assert window.controller.catalog.tenant is not None
    assert conn.nickname in window.controller.catalog.tenant.source_name


def test_scope_browser_refresh_failure_changes_nothing(qtbot, signed_in, services,
                                                       monkeypatch):
    from o365desk.ui.scopes import open_scope_browser, tenant_refresh

    signed_in(scopes=("User.Read",))  # without Application.Read.All: Graph says 403
    monkeypatch.setattr(tenant_refresh, "ask_connection", lambda parent, conns: conns[0])
    window = open_scope_browser(None, services)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.controller.tree_model.rows_filled)
    window.act_refresh_tenant.trigger()
    qtbot.waitUntil(window.error_bar.isVisible, timeout=20000)
    assert "Nothing was changed" in window.error_bar.text()
    assert "Permission missing" in window.error_bar.text()
    assert window.controller.catalog.tenant is None
    assert window.act_refresh_tenant.isEnabled()
