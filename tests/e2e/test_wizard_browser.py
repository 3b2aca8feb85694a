"""The wizard's system-browser sign-in: it can be stopped, and says so when no browser opens.

Real wizard, real MSAL loopback listener, the HTTPS fake identity platform; only the step
that opens the browser is replaced (tests/fakes/browser.py).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from o365desk.core.signin_errors import Action
from o365desk.ui.wizard.new_connection import PageId
from tests.fakes.browser import signing_in, stand_in_browser
from tests.fakes.identity import DEFAULT_USERNAME
from tests.ui.wizard_helpers import fill_to_signin, vault_entries

pytestmark = [
    pytest.mark.usefixtures("qasync_loop"),
    # The embedded sign-in the page starts first reads the code from the redirect's query.
    pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended"),
]


def _error_panel(qtbot, page):
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.error_panel, timeout=20000)
    return page.error_panel


def test_stop_waiting_for_the_browser_offers_every_way_and_saves_nothing(
    qtbot, make_wizard, fake_identity, services, keyring_backend, monkeypatch
):
    opened = stand_in_browser(monkeypatch)  # the browser opens; nobody signs in there
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity)
    page = wizard.signin_page
    page.begin_browser()
    qtbot.waitUntil(lambda: bool(opened), timeout=15000)
    assert page.stack.currentWidget() is page.waiting
    assert page.stop_button.isVisible() and page.stop_button.isEnabled()
    assert "browser window" in page.waiting_text.text()

    qtbot.mouseClick(page.stop_button, Qt.MouseButton.LeftButton)
    assert not page.stop_button.isEnabled()  # "Stopping..." until the wait has ended
    panel = _error_panel(qtbot, page)  # well before the listener's 300 s timeout
    assert panel.explanation.code == "cancelled"
    assert list(panel.buttons) == [Action.SIGN_IN_AGAIN, Action.USE_SYSTEM_BROWSER,
                                   Action.USE_DEVICE_CODE]
    assert not panel.details_button.isVisible()  # the person stopped it: nothing for IT
    assert wizard.result is None
    assert vault_entries(keyring_backend, wizard.connection_id) == set()
    assert services.store.load() == []


def test_signing_in_in_the_browser_goes_on_to_the_summary(
    qtbot, make_wizard, fake_identity, keyring_backend, monkeypatch
):
    stand_in_browser(monkeypatch, signing_in(fake_identity))
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity)
    wizard.signin_page.begin_browser()
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=30000)
    assert wizard.summary_page.account.text() == DEFAULT_USERNAME
    assert not wizard.signin_page.stop_button.isVisible()
    assert vault_entries(keyring_backend, wizard.connection_id)


def test_no_browser_offers_a_code_on_another_device_first(
    qtbot, make_wizard, fake_identity, keyring_backend, monkeypatch
):
    stand_in_browser(monkeypatch, opens=False)
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity)
    page = wizard.signin_page
    page.begin_browser()
    panel = _error_panel(qtbot, page)
    assert panel.explanation.code == "no-browser"
    assert list(panel.buttons)[0] is Action.USE_DEVICE_CODE
    assert not page.stop_button.isVisible()
    assert vault_entries(keyring_backend, wizard.connection_id) == set()
