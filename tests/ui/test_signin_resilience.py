"""The embedded sign-in never takes the app down: a killed page process mid-sign-in leaves
the main window and the wizard (or the "Sign in again" dialog) with a plain message and the
other two ways to sign in, which then work. Real QtWebEngine, real MSAL, the fake."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from o365desk.core.connection import Connection
from o365desk.core.signin_errors import Action
from o365desk.ui.reauthorize_dialog import ReauthorizeDialog
from o365desk.ui.wizard.new_connection import PageId
from tests.fakes.browser import signing_in, stand_in_browser
from tests.fakes.identity import DEFAULT_PASSWORD, DEFAULT_USERNAME
from tests.ui.webengine_helpers import (
    click,
    fill_sign_in,
    kill_page_process,
    wait_for_element,
)
from tests.ui.wizard_helpers import fill_to_signin

pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")
TENANT = "contoso.onmicrosoft.com"


def _crash_mid_sign_in(qtbot, page) -> None:
    """Sign in half-way (to the consent page), then kill the page's process."""
    view = page.view
    qtbot.waitUntil(lambda: view.running, timeout=15000)
    fill_sign_in(qtbot, view, DEFAULT_USERNAME, DEFAULT_PASSWORD)
    wait_for_element(qtbot, view, "accept")
    kill_page_process(qtbot, view)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.error_panel, timeout=10000)


def _assert_crash_explained(page) -> None:
    panel = page.error_panel
    assert panel.explanation.code == "render_gone"
    assert panel.title.text() == "The sign-in page stopped"
    assert "Nothing was saved" in panel.message.text()
    assert "web browser" in panel.message.text() and "another device" in panel.message.text()
    assert list(panel.buttons) == [Action.SIGN_IN_AGAIN, Action.USE_SYSTEM_BROWSER,
                                   Action.USE_DEVICE_CODE]
    assert "exit code" in panel.details.toPlainText()  # for IT, behind "Show details"
    assert page.view.page is None  # the dead page and its profile are gone


@pytest.fixture
def wizard_from_window(qtbot, make_window, fake_identity, monkeypatch):
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    window, controller = make_window([])
    window.act_new.trigger()
    wizard = controller._wizard
    qtbot.waitUntil(wizard.isVisible)
    yield window, wizard
    wizard.signin_page.stop()


def test_a_killed_page_keeps_the_app_and_a_code_on_another_device_works(
    qtbot, wizard_from_window, fake_identity
):
    window, wizard = wizard_from_window
    fill_to_signin(qtbot, wizard, fake_identity, scopes=("User.Read",))
    page = wizard.signin_page
    _crash_mid_sign_in(qtbot, page)
    _assert_crash_explained(page)
    assert window.isVisible() and wizard.isVisible() and wizard.currentId() == PageId.SIGNIN

    page.error_panel.buttons[Action.USE_DEVICE_CODE].click()
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.device_panel, timeout=15000)
    fake_identity.approve_device_code(page.device_panel.code.text())
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=20000)
    assert wizard.summary_page.account.text() == DEFAULT_USERNAME


def test_a_killed_page_keeps_the_app_and_the_system_browser_works(
    qtbot, wizard_from_window, fake_identity, monkeypatch
):
    window, wizard = wizard_from_window
    stand_in_browser(monkeypatch, signing_in(fake_identity))
    fill_to_signin(qtbot, wizard, fake_identity, scopes=("User.Read",))
    page = wizard.signin_page
    _crash_mid_sign_in(qtbot, page)
    _assert_crash_explained(page)
    page.error_panel.buttons[Action.USE_SYSTEM_BROWSER].click()
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=30000)
    assert wizard.summary_page.account.text() == DEFAULT_USERNAME
    assert window.isVisible()


def _saved_connection(services, fake_identity, monkeypatch) -> Connection:
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    return services.store.add(Connection(
        nickname="Contoso admin", tenant=TENANT, authority=fake_identity.authority(TENANT),
        graph_endpoint=fake_identity.graph_url, scopes=("User.Read",)))


@pytest.fixture
def reauthorize(qtbot, services, fake_identity, monkeypatch):
    dialog = ReauthorizeDialog(services, _saved_connection(services, fake_identity,
                                                           monkeypatch))
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    yield dialog
    dialog.page.stop()


def test_sign_in_again_survives_a_killed_page_too(qtbot, reauthorize, fake_identity):
    page = reauthorize.page
    _crash_mid_sign_in(qtbot, page)
    _assert_crash_explained(page)
    assert reauthorize.isVisible()
    page.error_panel.buttons[Action.USE_DEVICE_CODE].click()
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.device_panel, timeout=15000)
    with qtbot.waitSignal(reauthorize.signed_in, timeout=20000):
        fake_identity.approve_device_code(page.device_panel.code.text())


def test_escape_in_the_sign_in_again_page_stops_the_sign_in_not_the_dialog(
    qtbot, reauthorize
):
    page = reauthorize.page
    qtbot.waitUntil(lambda: page.view.running, timeout=15000)
    wait_for_element(qtbot, page.view, "username")
    proxy = page.view.view.focusProxy()
    proxy.setFocus()
    qtbot.waitUntil(proxy.hasFocus)
    QTest.keyClick(proxy, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.error_panel, timeout=5000)
    assert page.error_panel.explanation.code == "cancelled"
    assert reauthorize.isVisible()
    cancels = [b for b in (page.view.cancel_button,
                           *reauthorize.buttons.buttons()) if "Cancel" in b.text()]
    assert len(cancels) == 1  # the dialog's own
    # Esc outside the page is the dialog's: nothing typed here, so it just closes.
    qtbot.waitUntil(page.error_panel.buttons[Action.SIGN_IN_AGAIN].hasFocus, timeout=2000)
    qtbot.keyClick(page.error_panel.buttons[Action.SIGN_IN_AGAIN], Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not reauthorize.isVisible(), timeout=5000)


def test_closing_sign_in_again_while_it_saves_waits_for_the_save(
    qtbot, services, fake_identity, monkeypatch
):
    """Esc (or Cancel) the moment the sign-in succeeded: the dialog, freed once closed as
    the main window's keeper does, still saves who signed in and says so."""
    from o365desk.ui.window_keeper import WindowKeeper

    keeper = WindowKeeper()
    reauthorize = keeper.keep(ReauthorizeDialog(
        services, _saved_connection(services, fake_identity, monkeypatch)))
    with qtbot.waitExposed(reauthorize):
        reauthorize.show()
    heard = []
    reauthorize.signed_in.connect(lambda saved, _result: heard.append(saved))
    # Right after the dialog has started saving: the person presses Esc.
    reauthorize.page.signed_in.connect(
        lambda: qtbot.keyClick(reauthorize, Qt.Key.Key_Escape))
    view = reauthorize.page.view
    qtbot.waitUntil(lambda: view.running, timeout=15000)
    fill_sign_in(qtbot, view, DEFAULT_USERNAME, DEFAULT_PASSWORD)
    click(qtbot, view, "accept")
    qtbot.waitUntil(lambda: bool(heard), timeout=20000)
    assert heard[0].account.username == DEFAULT_USERNAME
    [saved] = services.store.load()
    assert saved.account is not None and saved.account.username == DEFAULT_USERNAME
    assert keeper.window is None  # and then it closed by itself
