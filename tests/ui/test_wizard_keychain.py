"""The New connection wizard says on its first page, before anything is typed, when no
sign-in can be kept: no keychain, a locked one, one that doesn't answer."""

from __future__ import annotations

from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from o365desk.services import KeychainState
from o365desk.storage.keychain import open_vault
from o365desk.storage.vault import Vault
from o365desk.ui.wizard.new_connection import PageId
from tests.fakes.memory_keyring import MemoryKeyring


class SilentKeyring(MemoryKeyring):
    """A keychain whose service times out on every call, as a hung D-Bus service does."""

    def get_password(self, service: str, username: str) -> str | None:
        raise TimeoutError("org.freedesktop.secrets did not reply")


def _bar_text(qtbot, wizard) -> str:
    page = wizard.nickname_page
    qtbot.waitUntil(lambda: page.keychain_bar.isVisible() and not wizard.runner.busy)
    return page.keychain_bar.text()


def test_no_keychain_is_said_on_the_first_page_before_anything_is_typed(qtbot, make_wizard):
    # keyring's "fail" backend: what keyring gives when it finds no keychain at all.
    wizard = make_wizard(lambda: open_vault(fail.Keyring()))
    assert wizard.currentId() == PageId.NICKNAME
    text = _bar_text(qtbot, wizard)
    assert text.startswith(
        "No keychain was found, so o365desk can't keep this connection's sign-in.")
    assert "GNOME Keyring or KWallet" in text and "README" in text
    assert "refused" not in text
    assert wizard.nickname_page.nickname.text() == ""  # nothing typed yet
    # Typing still works: the message informs, it doesn't block the page.
    qtbot.keyClicks(wizard.nickname_page.nickname, "Payroll")
    assert wizard.nickname_page.isComplete()


def test_a_locked_keychain_is_named_locked_with_how_to_unlock(qtbot, make_wizard):
    backend = MemoryKeyring()
    backend.locked = True
    text = _bar_text(qtbot, make_wizard(lambda: Vault(backend)))
    assert text.startswith("The keychain is locked, so o365desk can't keep")
    assert "Unlock it" in text
    assert "No keychain was found" not in text


def test_a_keychain_that_does_not_answer_is_named_so(qtbot, make_wizard):
    text = _bar_text(qtbot, make_wizard(lambda: Vault(SilentKeyring())))
    assert text.startswith("The keychain isn't answering, so o365desk can't keep")
    assert "Make sure it is running and unlocked" in text


def test_check_again_hides_the_message_once_the_keychain_is_there(qtbot, make_wizard):
    backend = MemoryKeyring()
    backend.locked = True
    wizard = make_wizard(lambda: Vault(backend))
    page = wizard.nickname_page
    _bar_text(qtbot, wizard)
    backend.locked = False  # the person unlocked it
    qtbot.mouseClick(page.keychain_check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.keychain_bar.isHidden() and not wizard.runner.busy)


def test_a_working_keychain_shows_no_message(qtbot, make_wizard):
    wizard = make_wizard(lambda: Vault(MemoryKeyring()))
    qtbot.waitUntil(lambda: not wizard.runner.busy)
    qtbot.wait(50)
    assert wizard.nickname_page.keychain_bar.isHidden()


def test_what_the_main_window_knows_shows_at_once(qtbot, make_wizard):
    from o365desk.storage.vault import NO_KEYCHAIN_MESSAGE

    known = KeychainState("none", False, NO_KEYCHAIN_MESSAGE, "no backend")
    wizard = make_wizard(lambda: open_vault(fail.Keyring()), keychain_state=known)
    # Before the fresh check has had a chance to answer.
    assert wizard.nickname_page.keychain_bar.isVisible()
    assert wizard.nickname_page.keychain_bar.text().startswith("No keychain was found")



def test_signing_in_without_a_keychain_names_it_not_refused(qtbot, make_wizard, fake_identity):
    from tests.ui.wizard_helpers import fill_to_signin

    wizard = make_wizard(vault_factory=lambda: open_vault(fail.Keyring()))
    fill_to_signin(qtbot, wizard, fake_identity)
    panel = wizard.signin_page.error_panel
    qtbot.waitUntil(lambda: wizard.signin_page.stack.currentWidget() is panel, timeout=15000)
    assert panel.title.text() == "No keychain was found"
    assert "GNOME Keyring or KWallet" in panel.message.text()
    # The window's quotes, though the words are the command line's too.
    assert 'under \u201cNo keychain\u201d.' in panel.message.text()
    assert '"' not in panel.message.text() + panel.accessibleDescription()
    # The way out that works without a keychain is named, and is there to press.
    # Named as on its button, in the window's quotes.
    assert "click \u201cSave without signing in\u201d" in panel.note.text()
    assert panel.note.isVisibleTo(panel)
    assert wizard.button(QWizard.WizardButton.CustomButton1).isVisible()
