"""The New connection wizard as staff meet it, by the keyboard alone: no keychain while
making an app-only connection with a certificate file says what happened and what to do,
in the window's words, and loses nothing typed; once the keychain is there, Next saves."""

from __future__ import annotations

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt

from o365desk.storage.keychain import open_vault
from o365desk.storage.vault import CERTIFICATE_KEY, CLIENT_SECRET, SERVICE, Vault
from o365desk.ui.wizard.new_connection import PageId
from tests.e2e.certificates import certificate, pem_file, rsa_key
from tests.fakes.memory_keyring import MemoryKeyring
from tests.ui.test_wizard_app_only import ALT, enter, focused, key, to_credential, type_here
from tests.ui.wizard_helpers import make_wizard  # noqa: F401 (fixture)

APP_ID = "0f6e9f9a-8a4e-4c8e-9d43-0f6b2f2c1e11"


class KeychainLater:
    """A keychain that is not there until the person starts one."""

    def __init__(self) -> None:
        self.started = False
        self.backend = MemoryKeyring()

    def __call__(self):
        if not self.started:
            return open_vault(fail.Keyring())  # raises: no keychain found
        return Vault(self.backend)


def _to_permissions_with_certificate(qtbot, wizard, fake, tmp_path):
    to_credential(qtbot, wizard, fake)
    page = wizard.app_credential_page
    type_here(qtbot, APP_ID)
    key(qtbot, Qt.Key.Key_R, ALT)  # "Ce&rtificate file"
    qtbot.waitUntil(page.use_certificate.isChecked)
    key(qtbot, Qt.Key.Key_Tab)
    rsa = rsa_key()
    type_here(qtbot, str(pem_file(tmp_path, rsa, certificate(rsa, days=200))))
    key(qtbot, Qt.Key.Key_Return)  # read; Next waits for it
    qtbot.waitUntil(lambda: page.certificate.credential() is not None, timeout=10000)
    enter(qtbot, wizard, PageId.PERMISSIONS)
    key(qtbot, Qt.Key.Key_S, ALT)  # "&Search:"
    type_here(qtbot, "User.Read.All")
    key(qtbot, Qt.Key.Key_Return)
    key(qtbot, Qt.Key.Key_Space)
    wizard.permissions_page.search.setFocus()
    key(qtbot, Qt.Key.Key_Tab)  # on from the search box: Enter there is Next


@pytest.mark.parametrize("kind", ["certificate", "secret"])
def test_no_keychain_for_an_app_says_what_to_do_and_keeps_what_was_typed(
        qtbot, make_wizard, fake_identity, tmp_path, dialog_log, kind):  # noqa: F811
    keychain = KeychainLater()
    wizard = make_wizard(vault_factory=keychain)
    if kind == "certificate":
        _to_permissions_with_certificate(qtbot, wizard, fake_identity, tmp_path)
    else:
        to_credential(qtbot, wizard, fake_identity)
        type_here(qtbot, APP_ID)
        key(qtbot, Qt.Key.Key_E, ALT)  # "Client s&ecret:"
        type_here(qtbot, "Abc8Q~very-secret-value-0123456789abcdEFG")
        enter(qtbot, wizard, PageId.PERMISSIONS)
        key(qtbot, Qt.Key.Key_S, ALT)
        type_here(qtbot, "User.Read.All")
        key(qtbot, Qt.Key.Key_Return)
        key(qtbot, Qt.Key.Key_Space)
        wizard.permissions_page.search.setFocus()
        key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Return)  # Next: saves, and finds no keychain
    qtbot.waitUntil(lambda: bool(dialog_log.details) and not wizard.runner.busy,
                    timeout=10000)
    note = dialog_log.details[-1]
    assert note["title"] == "Not saved"
    assert "keyring" in note["detail"]  # the keychain's own error, one click away for IT
    text = note["text"]
    kept = "certificate's private key" if kind == "certificate" else "client secret"
    assert text.startswith("The connection was not saved. No keychain was found, so this "
                           "app-only connection can't be saved: its " + kept)
    assert "start GNOME Keyring or KWallet" in text
    assert "Everything you entered is still here: click Next again" in text
    assert "\u201cNo keychain\u201d" in text and '"' not in text  # the window's quotes
    # Nothing lost, nothing saved: the same page, every field as typed.
    assert wizard.currentId() == PageId.PERMISSIONS
    assert wizard.permissions_page.scopes() == ["User.Read.All"]
    assert wizard.nickname_page.nickname.text() == "Payroll"
    assert wizard.app_credential_page.client_id.text() == APP_ID
    if kind == "certificate":
        assert wizard.app_credential_page.certificate.credential() is not None
    assert wizard.services.store.connections == []
    keychain.started = True  # the person started one, as the message said
    wizard.permissions_page.search.setFocus()
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is not None
    enter(qtbot, wizard, PageId.APP_SUMMARY)
    saved = wizard.services.store.find("Payroll")
    kept_names = {u.split("/")[1] for u in keychain.backend.usernames(SERVICE)
                  if u.startswith(saved.id)}
    assert (CERTIFICATE_KEY if kind == "certificate" else CLIENT_SECRET) in kept_names


def _app_template(thumbprints: list[str]):
    import json

    from o365desk.core import template as tpl

    data = {"format": "o365desk-template", "version": 1, "connections": [{
        "nickname": "Payroll export", "kind": "app-only", "tenant": "contoso.com",
        "client_id": APP_ID, "scopes": ["User.Read.All"],
        **({"certificate_thumbprints": thumbprints} if thumbprints else {}),
        "locked": ["tenant", "cloud", "client_id", "scopes", "kind"]}]}
    [entry] = tpl.parse_bytes(json.dumps(data).encode()).entries
    return entry


@pytest.mark.parametrize("same", [True, False])
def test_an_app_template_naming_a_certificate_asks_for_its_file_and_checks_it(
        qtbot, make_wizard, tmp_path, same):  # noqa: F811
    from cryptography.hazmat.primitives import hashes

    rsa = rsa_key()
    cert = certificate(rsa, days=300, subject="payroll.contoso.com")
    named = cert if same else certificate(rsa_key(), days=300, subject="the right one")
    sha1 = named.fingerprint(hashes.SHA1()).hex().upper()
    wizard = make_wizard(template=_app_template([":".join(
        sha1[i:i + 2] for i in range(0, 40, 2))]))  # as some tools show it
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    qtbot.waitUntil(lambda: focused() is wizard.nickname_page.nickname)
    enter(qtbot, wizard, PageId.ORGANISATION)  # every field set by the template
    enter(qtbot, wizard, PageId.APP_CREDENTIAL)
    page = wizard.app_credential_page
    fields = page.certificate
    # The certificate file is asked for, and the keyboard is in it, not in the locked ID.
    assert page.use_certificate.isChecked()
    qtbot.waitUntil(lambda: focused() is fields.path)
    type_here(qtbot, str(pem_file(tmp_path, rsa, cert)))
    key(qtbot, Qt.Key.Key_Return)  # read; Next waits for it
    qtbot.waitUntil(lambda: fields.credential() is not None, timeout=10000)
    if same:
        assert fields.facts.text().splitlines()[-1] == \
            "It is the certificate your IT team\u2019s template names."
        assert not fields.soon.isVisible()
    else:
        assert "Check it is the one uploaded" in fields.facts.text()
        assert fields.soon.isVisible()
        assert fields.soon.text() == (
            "This is not the certificate your IT team\u2019s template names (thumbprint "
            f"{sha1}), so the app may refuse it. Choose that certificate\u2019s file, or "
            "ask your IT team which one to use.")
    assert wizard.currentId() == PageId.APP_CREDENTIAL


def test_a_locked_client_id_is_not_where_the_keyboard_lands(qtbot, make_wizard):  # noqa: F811
    """A secret app template: the page opens in the secret's field."""
    wizard = make_wizard(template=_app_template([]))
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    enter(qtbot, wizard, PageId.ORGANISATION)
    enter(qtbot, wizard, PageId.APP_CREDENTIAL)
    page = wizard.app_credential_page
    assert page.use_secret.isChecked()
    qtbot.waitUntil(lambda: focused() is page.secret)
    key(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    key(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is page.client_id  # still reached by Tab, read-only
    assert page.client_id.isReadOnly()


def test_app_only_on_the_first_page_names_both_ways_an_app_signs_in(qtbot, make_wizard):  # noqa: F811
    wizard = make_wizard()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    qtbot.waitUntil(lambda: focused() is wizard.nickname_page.nickname)
    type_here(qtbot, "Payroll")
    key(qtbot, Qt.Key.Key_A, ALT)  # "&App only, no person signs in"
    qtbot.waitUntil(wizard.nickname_page.app_only.isChecked)
    said = focused().accessibleDescription()  # what a screen reader reads, as shown
    assert "signs in with its client secret or certificate, for tasks" in said


def test_sign_in_window_off_by_policy_the_keyboard_lands_on_the_first_way_out(
        qtbot, make_wizard, fake_identity, tmp_path, monkeypatch):  # noqa: F811
    import json

    from o365desk.core import policy_sources
    from o365desk.core.signin_errors import Action

    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"embedded_sign_in": False}))
    monkeypatch.setenv(policy_sources.POLICY_ENV, str(policy))
    wizard = make_wizard()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    qtbot.waitUntil(lambda: focused() is wizard.nickname_page.nickname)
    type_here(qtbot, "Payroll")
    enter(qtbot, wizard, PageId.ORGANISATION)
    org = wizard.organisation_page
    type_here(qtbot, "contoso.onmicrosoft.com")
    key(qtbot, Qt.Key.Key_A, ALT)  # "&Advanced (for IT)"
    qtbot.waitUntil(org.advanced.isVisible)
    key(qtbot, Qt.Key.Key_U, ALT)
    type_here(qtbot, fake_identity.authority("contoso.onmicrosoft.com"))
    key(qtbot, Qt.Key.Key_Tab)
    type_here(qtbot, fake_identity.graph_url)
    enter(qtbot, wizard, PageId.PERMISSIONS)
    key(qtbot, Qt.Key.Key_S, ALT)  # "&Search:"
    key(qtbot, Qt.Key.Key_Tab)  # to "Show chosen only", on the page the card replaces
    enter(qtbot, wizard, PageId.SIGNIN)
    panel = wizard.signin_page.error_panel
    qtbot.waitUntil(lambda: wizard.signin_page.stack.currentWidget() is panel, timeout=10000)
    browser = panel.buttons[Action.USE_SYSTEM_BROWSER]
    qtbot.waitUntil(lambda: focused() is browser)  # not a hidden box of the page before
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is panel.buttons[Action.USE_DEVICE_CODE]
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is panel.details_button  # below the ways out, so after them


def test_replace_credential_with_no_keychain_says_so_in_the_windows_words(
        qtbot, store_path):
    from o365desk.core.connection import Kind
    from o365desk.services import Services
    from o365desk.storage.store import ConnectionStore
    from o365desk.ui.credential_dialog import CredentialDialog
    from tests.ui.test_app_only_window import app

    services = Services(ConnectionStore(store_path), vault_factory=KeychainLater())
    conn = services.store.add(app())
    assert conn.kind == Kind.APP_ONLY
    dialog = CredentialDialog(services, conn)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: focused() is dialog.secret)
    type_here(qtbot, "Abc8Q~very-secret-value-0123456789abcdEFG")
    key(qtbot, Qt.Key.Key_Return)  # Save
    qtbot.waitUntil(dialog.problem.isVisible, timeout=10000)
    text = dialog.problem.text()
    assert text.startswith("The new secret could not be put in the keychain, so nothing "
                           "changed. No keychain was found")
    assert "\u201cNo keychain\u201d" in text and '"' not in text
    assert dialog.isVisible() and dialog.secret.text()  # what was pasted is still there


def test_on_the_app_summary_each_alt_letter_does_one_thing(
        qtbot, make_wizard, fake_identity, tmp_path):  # noqa: F811
    from PySide6.QtGui import QGuiApplication

    from tests.ui.test_wizard_certificate import mnemonics

    backend = MemoryKeyring()
    wizard = make_wizard(vault_factory=lambda: Vault(backend))
    _to_permissions_with_certificate(qtbot, wizard, fake_identity, tmp_path)
    enter(qtbot, wizard, PageId.APP_SUMMARY)
    letters = mnemonics(wizard)
    assert len(letters) == len(set(letters)), letters
    QGuiApplication.clipboard().clear()
    key(qtbot, Qt.Key.Key_L, ALT)  # "Copy admin-consent &link"
    qtbot.waitUntil(lambda: "adminconsent" in QGuiApplication.clipboard().text())
    assert wizard.isVisible()
    key(qtbot, Qt.Key.Key_C, ALT)  # "&Close"
    qtbot.waitUntil(lambda: not wizard.isVisible())


def test_the_wizard_opens_within_the_screen_with_its_buttons_on_it(qtbot, make_wizard):  # noqa: F811
    from PySide6.QtWidgets import QWizard

    wizard = make_wizard()
    room = wizard.screen().availableGeometry()
    assert room.width() < 860 or room.height() < 720, "the test screen is a small one"
    qtbot.waitUntil(lambda: wizard.isVisible())
    frame = wizard.frameGeometry()
    assert frame.width() <= room.width() and frame.height() <= room.height(), (frame, room)
    cancel = wizard.button(QWizard.WizardButton.CancelButton)
    corner = cancel.mapTo(wizard, cancel.rect().bottomRight())
    assert cancel.isVisible() and wizard.rect().contains(corner)
