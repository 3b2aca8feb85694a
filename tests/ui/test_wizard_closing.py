"""Closing the New connection wizard: Esc, Cancel and the close button ask before anything
entered is lost; Esc in the sign-in page stops only the sign-in; one Cancel on that page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QWizard

from o365desk.core.signin_errors import Action
from o365desk.ui.wizard.new_connection import PageId
from tests.ui.webengine_helpers import wait_for_element
from tests.ui.wizard_helpers import (
    answer_discard_question,
    discard_question,
    fill_to_permissions,
    fill_to_signin,
    press_next,
    sign_in_embedded,
    vault_entries,
)

pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


def _escape(qtbot, wizard) -> None:
    """A real Esc key press where the keyboard focus is."""
    focus = wizard.focusWidget() or wizard
    qtbot.keyClick(focus, Qt.Key.Key_Escape)


def test_escape_on_an_untouched_first_page_closes_without_asking(qtbot, make_wizard):
    wizard = make_wizard()
    with qtbot.waitSignal(wizard.discarded, timeout=5000):
        _escape(qtbot, wizard)
    assert not wizard.isVisible()
    assert wizard.discard_question is None


def test_escape_after_typing_on_the_first_page_asks_and_keep_editing_keeps_it(
    qtbot, make_wizard
):
    wizard = make_wizard()
    qtbot.keyClicks(wizard.nickname_page.nickname, "Payroll")
    wizard.nickname_page.description.setFocus()
    qtbot.keyClicks(wizard.nickname_page.description, "Contoso pay team")
    _escape(qtbot, wizard)
    box = discard_question(qtbot, wizard)
    assert box.text() == "Discard this new connection?"
    assert box.informativeText() == ("What you typed on this page is lost. Nothing has been "
                                     "saved yet.")
    assert box.defaultButton() is box.keep_button  # Enter keeps; only a click discards
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc answers "Keep editing"
    qtbot.waitUntil(lambda: not box.isVisible())
    assert wizard.isVisible() and wizard.currentId() == PageId.NICKNAME
    assert wizard.nickname_page.nickname.text() == "Payroll"
    assert wizard.nickname_page.description.text() == "Contoso pay team"


@pytest.mark.parametrize("page_id", [PageId.ORGANISATION, PageId.PERMISSIONS])
def test_escape_after_the_first_page_asks_and_says_what_is_lost(
    qtbot, make_wizard, fake_identity, services, page_id
):
    wizard = make_wizard()
    if page_id == PageId.ORGANISATION:
        qtbot.keyClicks(wizard.nickname_page.nickname, "Payroll")
        press_next(qtbot, wizard)
        lost = "The nickname \u201cPayroll\u201d and the organisation you entered are lost."
    else:
        fill_to_permissions(qtbot, wizard, fake_identity, nickname="Payroll")
        wizard.permissions_page.set_scopes(("User.Read", "Mail.Read"))
        lost = ("The nickname \u201cPayroll\u201d, the organisation and the permissions you "
                "chose are lost.")
    tenant = wizard.organisation_page.tenant.text()
    _escape(qtbot, wizard)
    answer_discard_question(qtbot, wizard, discard=False)
    # Keep editing: the same page, everything as it was.
    assert wizard.isVisible() and wizard.currentId() == page_id
    assert wizard.nickname_page.nickname.text() == "Payroll"
    assert wizard.organisation_page.tenant.text() == tenant
    if page_id == PageId.PERMISSIONS:
        assert set(wizard.permissions_page.scopes()) == {"User.Read", "Mail.Read"}

    # The window's close button asks the same; Discard closes and saves nothing.
    wizard.close()
    box = discard_question(qtbot, wizard)
    assert box.informativeText() == lost + " Nothing has been saved yet."
    assert wizard.isVisible()
    with qtbot.waitSignal(wizard.discarded, timeout=10000):
        qtbot.mouseClick(box.discard_button, Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()
    assert services.store.load() == []


def test_cancel_after_signing_in_says_the_sign_in_is_undone(
    qtbot, make_wizard, fake_identity, services, keyring_backend
):
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity, nickname="Payroll", scopes=("User.Read",))
    sign_in_embedded(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=20000)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton),
                     Qt.MouseButton.LeftButton)
    box = discard_question(qtbot, wizard)
    assert "You are signed out of admin@contoso.onmicrosoft.com again." in \
        box.informativeText()
    answer_discard_question(qtbot, wizard, discard=False)
    assert wizard.currentId() == PageId.SUMMARY and wizard.result is not None
    assert vault_entries(keyring_backend, wizard.connection_id)  # the sign-in is kept
    with qtbot.waitSignal(wizard.discarded, timeout=10000):
        _escape(qtbot, wizard)
        answer_discard_question(qtbot, wizard, discard=True)
    assert vault_entries(keyring_backend, wizard.connection_id) == set()
    assert services.store.load() == []


def _visible_cancels(wizard) -> list[str]:
    return [b.text() for b in wizard.findChildren(QAbstractButton)
            if b.isVisible() and "cancel" in b.text().replace("&", "").lower()]


def test_escape_in_the_web_view_stops_the_sign_in_not_the_wizard(
    qtbot, make_wizard, fake_identity
):
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity)
    page = wizard.signin_page
    view = page.view
    qtbot.waitUntil(lambda: view.running, timeout=15000)
    wait_for_element(qtbot, view, "username")
    assert _visible_cancels(wizard) == ["Cancel"]  # the window's; the page's is "another way"
    assert view.cancel_button.text().replace("&", "") == "Sign in another way"
    view.view.setFocus()
    proxy = view.view.focusProxy()
    qtbot.waitUntil(proxy.hasFocus)
    QTest.keyClick(proxy, Qt.Key.Key_Escape)  # a real key press on the real web view
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.error_panel, timeout=5000)
    panel = page.error_panel
    assert panel.explanation.code == "cancelled"
    assert list(panel.buttons) == [Action.SIGN_IN_AGAIN, Action.USE_SYSTEM_BROWSER,
                                   Action.USE_DEVICE_CODE]
    assert wizard.isVisible() and wizard.currentId() == PageId.SIGNIN
    assert wizard.discard_question is None  # nothing asked: only the sign-in stopped
    qtbot.waitUntil(lambda: view.page is None)
    assert _visible_cancels(wizard) == ["Cancel"]
    # The keyboard goes on from the card; a second Esc is the wizard's, and asks.
    qtbot.waitUntil(panel.buttons[Action.SIGN_IN_AGAIN].hasFocus, timeout=2000)
    _escape(qtbot, wizard)
    answer_discard_question(qtbot, wizard, discard=False)
    assert wizard.isVisible()


def test_the_device_code_panel_has_one_cancel(qtbot, make_wizard, fake_identity):
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity, scopes=("User.Read",))
    page = wizard.signin_page
    page.begin_device_code()
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.device_panel, timeout=15000)
    assert _visible_cancels(wizard) == ["Cancel"]
    assert page.device_panel.cancel_button.text().replace("&", "") == "Stop waiting"
