"""Saving a new connection without signing in, as `o365desk add` does; signing in later."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard

from o365desk.core.connection import Connection
from o365desk.ui.wizard.new_connection import PageId
from tests.ui.wizard_helpers import fill_to_permissions, fill_to_signin, press_next, vault_entries

pytestmark = [
    pytest.mark.usefixtures("qasync_loop"),
    pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended"),
]


def unsigned_button(wizard):
    return wizard.button(QWizard.WizardButton.CustomButton1)


def test_the_button_shows_once_the_permissions_are_chosen(qtbot, make_wizard, fake_identity):
    wizard = make_wizard()
    assert not unsigned_button(wizard).isVisible()
    QTest.keyClicks(wizard.nickname_page.nickname, "Payroll")
    press_next(qtbot, wizard)
    assert not unsigned_button(wizard).isVisible()


def test_payroll_for_contoso_saved_without_signing_in(qtbot, make_wizard, fake_identity,
                                                      services, keyring_backend):
    wizard = make_wizard()
    saved = []
    wizard.saved.connect(saved.append)
    fill_to_permissions(qtbot, wizard, fake_identity, nickname="Payroll", tenant="contoso.com")
    button = unsigned_button(wizard)
    assert button.isVisible() and button.isEnabled()
    assert button.text().replace("&", "") == "Save without signing in"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(saved), timeout=10000)
    [stored] = services.store.load()
    assert (stored.nickname, stored.tenant, stored.account) == ("Payroll", "contoso.com", None)
    assert stored.scopes == ("User.Read",)  # the wizard's default
    assert not vault_entries(keyring_backend, stored.id)
    assert not wizard.isVisible()


def test_saving_unsigned_during_a_sign_in_stops_it_and_keeps_no_tokens(
        qtbot, make_wizard, fake_identity, services, keyring_backend):
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity, nickname="Payroll")
    qtbot.waitUntil(lambda: wizard.signin_page.view.running, timeout=15000)
    qtbot.mouseClick(unsigned_button(wizard), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.saved_connection is not None, timeout=10000)
    [stored] = services.store.load()
    assert stored.account is None
    assert not vault_entries(keyring_backend, stored.id)


def test_a_nickname_taken_meanwhile_goes_back_to_the_nickname(
        qtbot, make_wizard, fake_identity, services, dialog_log):
    wizard = make_wizard()
    fill_to_permissions(qtbot, wizard, fake_identity, nickname="Payroll")
    services.store.add(Connection(nickname="payroll"))  # meanwhile, from the command line
    qtbot.mouseClick(unsigned_button(wizard), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.NICKNAME, timeout=10000)
    assert "not saved" in dialog_log.infos[-1]["text"]
    assert [c.nickname for c in services.store.load()] == ["payroll"]
    assert wizard.isVisible() and wizard.nickname_page.nickname.text() == "Payroll"


def test_a_settings_button_while_saving_unsigned_waits_for_the_save(
    qtbot, make_wizard, fake_identity, services, monkeypatch
):
    """A sign-in problem's "Change permissions" clicked while the connection is being saved
    without signing in: the wizard stays where it is (Back waits for the save) and saves."""
    import threading

    from o365desk import usecases
    from o365desk.core.signin_errors import Action, Explanation

    gate, reached = threading.Event(), threading.Event()
    create = usecases.create

    def slow_create(*args):  # the store on a slow network share
        reached.set()
        gate.wait(30)
        return create(*args)

    monkeypatch.setattr(usecases, "create", slow_create)
    wizard = make_wizard()
    backs = []
    back = wizard.back

    def counted_back() -> None:
        backs.append(1)
        assert len(backs) < 20, "Back was asked again and again"
        back()

    monkeypatch.setattr(wizard, "back", counted_back)
    saved = []
    wizard.saved.connect(saved.append)
    fill_to_signin(qtbot, wizard, fake_identity, scopes=("User.Read",))
    page = wizard.signin_page
    page.show_explanation(Explanation(
        "AADSTS65001", "Permissions need approval", "An administrator must approve them.",
        (Action.CHECK_PERMISSIONS,), None, "AADSTS65001"))
    try:
        qtbot.mouseClick(unsigned_button(wizard), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(reached.is_set, timeout=5000)
        qtbot.mouseClick(page.error_panel.buttons[Action.CHECK_PERMISSIONS],
                         Qt.MouseButton.LeftButton)
        assert wizard.currentId() == PageId.SIGNIN  # the save goes on
    finally:
        gate.set()
    qtbot.waitUntil(lambda: bool(saved), timeout=10000)
    assert [c.nickname for c in services.store.load()] == ["Contoso admin"]
