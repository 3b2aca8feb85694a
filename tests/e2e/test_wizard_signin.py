"""The New connection wizard end to end: real pages, real QtWebEngine, real MSAL, the fake."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWizard

from o365desk.core.signin_errors import Action
from o365desk.storage.vault import MSAL_CACHE, Vault
from o365desk.ui.wizard.new_connection import PageId
from tests.fakes.identity import DEFAULT_CLIENT_ID, DEFAULT_USERNAME
from tests.ui.helpers import LoopGaps
from tests.ui.wizard_helpers import (
    answer_discard_question,
    fill_to_signin,
    sign_in_embedded,
    vault_entries,
)

pytestmark = [
    pytest.mark.usefixtures("qasync_loop"),
    pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended"),
]


def test_happy_path_saves_connection_and_tokens(
    qtbot, make_wizard, fake_identity, services, store_path, keyring_backend
):
    fake_identity.not_granted = {"User.Read.All"}
    wizard = make_wizard()
    saved = []
    wizard.saved.connect(saved.append)
    fill_to_signin(qtbot, wizard, fake_identity, scopes=("User.Read", "User.Read.All"))
    sign_in_embedded(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=20000)

    summary = wizard.summary_page
    assert summary.account.text() == DEFAULT_USERNAME
    assert "contoso.onmicrosoft.com" in summary.organisation.text()
    # The access token's expiry, said as such: it renews by itself, no sign-in due then.
    assert summary.expires.text().startswith("valid until ")
    assert "renews by itself" in summary.expires.text()
    rows = {summary.model.item(r, 0).text(): summary.model.item(r, 1).text()
            for r in range(summary.model.rowCount())}
    assert rows["User.Read"] == "Granted"
    assert rows["User.Read.All"] == "Not granted"
    assert summary.missing == ("User.Read.All",)
    assert summary.missing_note.isVisible()
    assert "User.Read.All" in summary.missing_note.text()
    assert "administrator" in summary.missing_note.text()
    assert not store_path.exists() or not services.store.load()  # nothing saved yet

    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(saved), timeout=10000)
    assert not wizard.isVisible()
    [conn] = services.store.load()
    assert conn.nickname == "Contoso admin"
    assert conn.id == wizard.connection_id
    assert conn.account.username == DEFAULT_USERNAME
    assert conn.scopes == ("User.Read", "User.Read.All")
    assert conn.graph_endpoint == fake_identity.graph_url
    assert conn.expires_at is not None
    assert Vault(keyring_backend).get(conn.id, MSAL_CACHE)  # the token cache, in the vault


def test_cancel_after_sign_in_leaves_nothing(
    qtbot, make_wizard, fake_identity, services, store_path, keyring_backend
):
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity)
    sign_in_embedded(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=20000)
    assert vault_entries(keyring_backend, wizard.connection_id)  # the session saved its cache
    with qtbot.waitSignal(wizard.discarded, timeout=10000):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton),
                         Qt.MouseButton.LeftButton)
        answer_discard_question(qtbot, wizard, discard=True)
    assert vault_entries(keyring_backend, wizard.connection_id) == set()
    assert services.store.load() == []


def test_back_from_summary_and_signing_in_again_replaces_the_tokens(
    qtbot, make_wizard, fake_identity, keyring_backend
):
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity)
    sign_in_embedded(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=20000)
    wizard.back()  # to the sign-in page (it shows who signed in)
    wizard.back()  # to the permissions: the sign-in is undone
    assert wizard.currentId() == PageId.PERMISSIONS
    qtbot.waitUntil(lambda: not vault_entries(keyring_backend, wizard.connection_id))
    assert wizard.result is None


def _error_panel_with(qtbot, wizard, action: Action):
    page = wizard.signin_page
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.error_panel
                    and action in page.error_panel.buttons, timeout=20000)
    return page.error_panel


def test_conditional_access_offers_browser_and_device_code_then_device_code_works(
    qtbot, make_wizard, fake_identity, services, keyring_backend
):
    fake_identity.fail_authorize(53003)
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity, scopes=("User.Read",))
    sign_in_embedded(qtbot, wizard, consent=False)
    panel = _error_panel_with(qtbot, wizard, Action.USE_DEVICE_CODE)
    assert list(panel.buttons)[:2] == [Action.USE_SYSTEM_BROWSER, Action.USE_DEVICE_CODE]
    assert panel.explanation.code == "AADSTS53003"
    assert not panel.details.isVisible()
    panel.details_button.click()
    assert panel.details.isVisible() and "53003" in panel.details.toPlainText()

    panel.buttons[Action.USE_DEVICE_CODE].click()
    page = wizard.signin_page
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.device_panel, timeout=15000)
    code = page.device_panel.code.text()
    assert code and page.device_panel.url.text().startswith("https://")
    page.device_panel.copy_button.click()
    assert QGuiApplication.clipboard().text() == code
    fake_identity.approve_device_code(code)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=20000)
    assert wizard.summary_page.account.text() == DEFAULT_USERNAME


def test_a_503_sign_in_page_shows_its_status_and_the_ways_out_and_again_works(
    qtbot, make_wizard, fake_identity, tmp_path
):
    fake_identity.fail_transport(503, endpoint="authorize")
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity, scopes=("User.Read",))
    panel = _error_panel_with(qtbot, wizard, Action.SIGN_IN_AGAIN)
    assert panel.explanation.code == "http-error"
    assert panel.explanation.title == "The sign-in page could not be loaded"
    assert "status 503" in panel.explanation.message
    assert list(panel.buttons)[:3] == [Action.SIGN_IN_AGAIN, Action.USE_SYSTEM_BROWSER,
                                       Action.USE_DEVICE_CODE]
    assert panel.explanation.raw.startswith("HTTP 503 from https://")
    assert "?" not in panel.explanation.raw  # the address only: no state, no challenge
    assert wizard.result is None
    qtbot.wait(150)  # a grab right away can be blank
    wizard.grab().save(str(tmp_path / "http-error.png"))
    # The fault has passed: "Sign in again" loads the page and the sign-in goes through.
    panel.buttons[Action.SIGN_IN_AGAIN].click()
    sign_in_embedded(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=20000)
    assert wizard.summary_page.account.text() == DEFAULT_USERNAME


def test_device_code_cancel_shows_sign_in_again(qtbot, make_wizard, fake_identity):
    fake_identity.fail_authorize(53003)
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity, scopes=("User.Read",))
    sign_in_embedded(qtbot, wizard, consent=False)
    _error_panel_with(qtbot, wizard, Action.USE_DEVICE_CODE).buttons[
        Action.USE_DEVICE_CODE].click()
    page = wizard.signin_page
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.device_panel, timeout=15000)
    page.device_panel.cancel_button.click()
    panel = _error_panel_with(qtbot, wizard, Action.SIGN_IN_AGAIN)
    assert panel.explanation.code == "cancelled"
    assert wizard.result is None


def test_consent_required_copies_the_admin_consent_link(qtbot, make_wizard, fake_identity):
    fake_identity.fail_authorize(65001)
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity, scopes=("User.Read",))
    sign_in_embedded(qtbot, wizard, consent=False)
    panel = _error_panel_with(qtbot, wizard, Action.COPY_ADMIN_CONSENT_LINK)
    QGuiApplication.clipboard().clear()
    panel.buttons[Action.COPY_ADMIN_CONSENT_LINK].click()
    link = urlsplit(QGuiApplication.clipboard().text())
    # The v2.0 form on the connection's own host, asking for the permissions it signs in for.
    assert f"{link.scheme}://{link.netloc}{link.path}" == \
        f"{fake_identity.base_url}/contoso.onmicrosoft.com/v2.0/adminconsent"
    query = parse_qs(link.query, strict_parsing=True)
    assert query["client_id"] == [DEFAULT_CLIENT_ID]
    assert query["scope"] == ["https://graph.microsoft.com/User.Read"]
    assert query["redirect_uri"] == ["http://localhost"] and query["state"][0]
    assert panel.note.isVisible() and "administrator" in panel.note.text()


def test_gui_keeps_turning_while_the_token_endpoint_is_slow(qtbot, make_wizard, fake_identity):
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity, scopes=("User.Read",))
    fake_identity.token_delay = 2.0
    sign_in_embedded(qtbot, wizard)
    page = wizard.signin_page
    # The redirect is caught: from here finish_auth_code waits 2 s for the token endpoint.
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.waiting, timeout=15000)
    with LoopGaps() as loop:
        started = time.monotonic()
        qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=20000)
    assert time.monotonic() - started >= 1.5  # the slow answer really was waited for
    assert loop.longest < 0.5, f"the event loop stalled for {loop.longest:.2f} s"


def test_back_then_next_at_once_still_keeps_the_new_sign_in(
    qtbot, make_wizard, fake_identity, services, keyring_backend, monkeypatch
):
    """Back from the sign-in removes its tokens in the background; Next before that is done
    must not sign in again through the session the removal is closing and dropping."""
    import threading

    wizard = make_wizard()
    saved = []
    wizard.saved.connect(saved.append)
    fill_to_signin(qtbot, wizard, fake_identity, scopes=("User.Read",))
    sign_in_embedded(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=20000)
    gate, dropping = threading.Event(), threading.Event()
    drop = services.drop_session

    def slow_drop(connection_id):  # the keychain takes its time over the removal
        dropping.set()
        gate.wait(30)
        drop(connection_id)

    monkeypatch.setattr(services, "drop_session", slow_drop)
    try:
        wizard.back()  # to the sign-in page
        wizard.back()  # to the permissions: the sign-in is undone in the background
        qtbot.waitUntil(dropping.is_set, timeout=10000)
        wizard.next()  # before that has finished
        assert wizard.currentId() == PageId.SIGNIN
        qtbot.wait(500)  # the new attempt gets as far as it can meanwhile
    finally:
        gate.set()
    sign_in_embedded(qtbot, wizard, consent=False)  # the fake remembers the consent
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=20000)
    qtbot.waitUntil(lambda: not wizard.flow.busy, timeout=10000)
    assert vault_entries(keyring_backend, wizard.connection_id)  # the new sign-in's tokens
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(saved), timeout=10000)
    [conn] = services.store.load()
    assert Vault(keyring_backend).get(conn.id, MSAL_CACHE)  # kept, not abandoned
    services.drop_session(conn.id)  # read back from the keychain, as after a restart
    assert services.session_for(conn).cached_account() is not None
