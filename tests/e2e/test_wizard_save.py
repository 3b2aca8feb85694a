"""The wizard's last step, saving: no Cancel half-way, and a nickname taken meanwhile can
be changed without signing in again. Real wizard, MSAL and QtWebEngine against the fake."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from o365desk.core.connection import Connection
from o365desk.storage.store import ConnectionStore
from o365desk.ui import dialogs
from o365desk.ui.wizard.new_connection import PageId
from tests.fakes.identity import DEFAULT_USERNAME
from tests.fakes.lock_holder import another_process_holding
from tests.ui.wizard_helpers import fill_to_signin, sign_in_embedded, vault_entries

pytestmark = [
    pytest.mark.usefixtures("qasync_loop"),
    pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended"),
]


def _signed_in_wizard(qtbot, make_wizard, fake_identity):
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity, scopes=("User.Read",))
    sign_in_embedded(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=20000)
    return wizard


def test_no_cancel_while_saving(qtbot, make_wizard, fake_identity, services, keyring_backend):
    wizard = _signed_in_wizard(qtbot, make_wizard, fake_identity)
    # Another o365desk (`o365desk add` in a terminal) holds the file for a moment.
    with another_process_holding(services.store.lock_path, 1.5):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton),
                         Qt.MouseButton.LeftButton)
        cancel = wizard.button(QWizard.WizardButton.CancelButton)
        assert not cancel.isEnabled()
        wizard.reject()  # Esc or the window's close button: waits for the save
        qtbot.waitUntil(lambda: wizard.saved_connection is not None, timeout=20000)
    saved = services.store.load()
    assert [(c.nickname, c.account.username) for c in saved] == [
        ("Contoso admin", DEFAULT_USERNAME)]
    assert vault_entries(keyring_backend, saved[0].id)  # signed in, and saved whole


def test_a_nickname_taken_meanwhile_can_be_changed_keeping_the_sign_in(
        qtbot, make_wizard, fake_identity, services, store_path, keyring_backend, monkeypatch):
    wizard = _signed_in_wizard(qtbot, make_wizard, fake_identity)
    ConnectionStore(store_path).add(Connection(nickname="Contoso admin", tenant="x.example"))
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    page = wizard.summary_page
    qtbot.waitUntil(page.save_problem.isVisible, timeout=10000)
    assert "already exists" in page.save_problem.text()
    assert page.change_nickname.isVisible()
    assert wizard.button(QWizard.WizardButton.CancelButton).isEnabled()

    asked = []
    monkeypatch.setattr(dialogs, "ask_text",
                        lambda parent, title, label, text="": asked.append(text) or "Contoso 2")
    qtbot.mouseClick(page.change_nickname, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.saved_connection is not None, timeout=20000)
    assert asked == ["Contoso admin"]  # offered the old one to edit
    saved = {c.nickname: c for c in services.store.load()}
    assert set(saved) == {"Contoso admin", "Contoso 2"}
    assert saved["Contoso 2"].account.username == DEFAULT_USERNAME  # no second sign-in
    assert vault_entries(keyring_backend, saved["Contoso 2"].id)


def test_cancel_then_quit_while_the_sign_in_finishes_leaves_no_tokens(
        qtbot, make_wizard, fake_identity, keyring_backend):
    import asyncio

    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity, scopes=("User.Read",))
    fake_identity.token_delay = 1.5  # the code is being redeemed when Cancel comes
    sign_in_embedded(qtbot, wizard)
    page = wizard.signin_page
    qtbot.waitUntil(lambda: "Finishing" in page.waiting_text.text(), timeout=15000)
    qtbot.wait(300)
    wizard.reject()
    # The person then quits: the app cancels every job still running (app._close_asyncio),
    # the clean-up included.
    for task in asyncio.all_tasks():
        task.cancel()
    qtbot.wait(2500)  # the token request answers meanwhile
    assert vault_entries(keyring_backend, wizard.connection_id) == set()


def test_back_while_saving_waits_and_an_unexpected_failure_gives_the_buttons_back(
        qtbot, make_wizard, fake_identity, services, monkeypatch):
    wizard = _signed_in_wizard(qtbot, make_wizard, fake_identity)

    def broken_add(connection):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services.store, "add", broken_add)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    wizard.back()  # (Alt+Left, or a script) while saving: nothing happens
    assert wizard.currentId() == PageId.SUMMARY
    page = wizard.summary_page
    qtbot.waitUntil(page.save_problem.isVisible, timeout=10000)
    assert "unexpected" in page.save_problem.text()
    for which in (QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton):
        assert wizard.button(which).isEnabled()
    wizard.reject()  # Cancel works again
    assert not wizard.isVisible()
