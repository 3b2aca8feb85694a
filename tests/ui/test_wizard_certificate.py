"""The New connection wizard making an app-only connection that signs in with a
certificate file, by the keyboard alone: a PFX with its password, an encrypted PEM chosen
with Choose file...; the file may be deleted once read; the key and certificate end up in
the real Secret Service, and the command line gets a token with a certificate client
assertion from the fake. Each file o365desk refuses says why in words and saves nothing."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWizard

from o365desk.auth.claims import decode_claims
from o365desk.storage.vault import CERTIFICATE, CERTIFICATE_KEY
from o365desk.ui.certificate_fields import FILE_FILTERS
from o365desk.ui.wizard.new_connection import PageId
from tests.e2e.certificates import (
    cert_text,
    certificate,
    key_pem,
    pem_file,
    pfx_file,
    rsa_key,
)
from tests.e2e.test_cli_app_only import APP_ID, _entries, cli_env, o365desk  # noqa: F401
from tests.ui.test_wizard_app_only import ALT, enter, focused, key, to_credential, type_here
from tests.ui.wizard_helpers import make_wizard  # noqa: F401 (fixture)

PASSWORD = "Pfx-Pa55word!"


@pytest.fixture(scope="module")
def rsa():
    return rsa_key()


@pytest.fixture(scope="module")
def other_rsa():
    return rsa_key()


@pytest.fixture
def app_wizard(make_wizard, secret_service_vault):  # noqa: F811
    return make_wizard(vault_factory=lambda: secret_service_vault)


def _jwt_header(assertion: str) -> dict:
    head = assertion.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))


def to_certificate(qtbot, wizard, fake) -> None:
    """On to the credential page, the client ID typed, Certificate file chosen (Alt+R)."""
    to_credential(qtbot, wizard, fake)
    page = wizard.app_credential_page
    type_here(qtbot, APP_ID)
    key(qtbot, Qt.Key.Key_R, ALT)  # "Ce&rtificate file"
    qtbot.waitUntil(page.use_certificate.isChecked)
    assert focused() is page.use_certificate
    assert not page.secret.isVisible() and page.certificate.path.isVisible()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # nothing read
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is page.certificate.path


def names(entries: set[str]) -> set[str]:
    """The vault names of a connection's entries (a long value is kept in chunks)."""
    return {entry.split("/")[1] for entry in entries}


def facts_read(page) -> bool:
    return page.certificate.credential() is not None


@pytest.mark.usefixtures("qasync_loop")
@pytest.mark.parametrize("form", ["pfx", "encrypted pem"])
def test_payroll_with_a_certificate_by_keyboard_gets_a_token(
        qtbot, app_wizard, fake_identity, cli_env, secret_service_vault,  # noqa: F811
        tmp_path, rsa, form):
    cert = certificate(rsa, days=19.5, subject="payroll.contoso.com")
    fake_identity.register_app_certificate(APP_ID, cert, roles=("User.Read.All",))
    wizard = app_wizard
    to_certificate(qtbot, wizard, fake_identity)
    page = wizard.app_credential_page
    fields = page.certificate
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    if form == "pfx":
        path = pfx_file(tmp_path, rsa, cert, PASSWORD.encode())
        type_here(qtbot, f'"{path}"')  # as Windows' "Copy as path" gives it
        key(qtbot, Qt.Key.Key_Tab)  # the field left: the file is read
        assert focused() is fields.choose_button
        qtbot.waitUntil(fields.problem.isVisible, timeout=10000)
        assert "protected by a password" in fields.problem.text()
        assert not next_button.isEnabled()
        key(qtbot, Qt.Key.Key_Tab)
    else:
        path = pem_file(tmp_path, rsa, cert, password=PASSWORD.encode())
        key(qtbot, Qt.Key.Key_Tab)
        assert focused() is fields.choose_button
        key(qtbot, Qt.Key.Key_Space)  # Choose file...
        qtbot.waitUntil(lambda: fields.file_dialog is not None
                        and fields.file_dialog.isVisible())
        dialog = fields.file_dialog
        assert dialog.nameFilters() == list(FILE_FILTERS)
        name_field = dialog.findChild(QLineEdit, "fileNameEdit")
        qtbot.waitUntil(lambda: focused() is name_field)
        type_here(qtbot, str(path))
        key(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        wizard.activateWindow()  # as a window manager does (offscreen has none)
        qtbot.waitUntil(lambda: focused() is fields.password)
        assert fields.path.text() == str(path)
        qtbot.waitUntil(fields.problem.isVisible, timeout=10000)
        assert "protected by a passphrase" in fields.problem.text()
    assert focused() is fields.password
    assert fields.password.echoMode() == QLineEdit.EchoMode.Password
    type_here(qtbot, PASSWORD)
    key(qtbot, Qt.Key.Key_Return)  # read again with the password; Next waits for it
    qtbot.waitUntil(lambda: facts_read(page), timeout=10000)
    assert wizard.currentId() == PageId.APP_CREDENTIAL
    sha1 = cert.fingerprint(hashes.SHA1()).hex().upper()
    assert fields.facts.text().splitlines()[:4] == [
        "The file holds this certificate:", "Subject: CN=payroll.contoso.com",
        f"SHA-1 thumbprint: {sha1}", f"Valid until: {cert.not_valid_after_utc:%Y-%m-%d}"]
    assert "Check it is the one uploaded to the app registration" in fields.facts.text()
    assert fields.soon.isVisible()  # within 30 days, as the list would warn
    assert fields.soon.text() == "It expires in 19 days: make a new certificate before then."
    assert not fields.problem.isVisible() and next_button.isEnabled()
    from o365desk.auth.redact import redact

    assert PASSWORD not in redact(f"the password was {PASSWORD}")  # never in a log
    path.unlink()  # read already: the wizard needs the file no more
    enter(qtbot, wizard, PageId.PERMISSIONS)
    wizard.permissions_page.search.setFocus()
    type_here(qtbot, "User.Read.All")
    key(qtbot, Qt.Key.Key_Return)
    key(qtbot, Qt.Key.Key_Space)
    assert wizard.permissions_page.scopes() == ["User.Read.All"]
    wizard.permissions_page.search.setFocus()
    key(qtbot, Qt.Key.Key_Tab)
    enter(qtbot, wizard, PageId.APP_SUMMARY)

    saved = wizard.services.store.find("Payroll")
    facts = saved.credential
    assert facts.type.value == "certificate" and facts.sha1 == sha1
    assert facts.sha256 == cert.fingerprint(hashes.SHA256()).hex().upper()
    assert facts.subject == "CN=payroll.contoso.com"
    assert secret_service_vault.get(saved.id, CERTIFICATE) == cert_text(cert)
    assert "PRIVATE KEY" in secret_service_vault.get(saved.id, CERTIFICATE_KEY)
    assert names(_entries(secret_service_vault, saved.id)) == {CERTIFICATE_KEY, CERTIFICATE}
    summary = wizard.app_summary_page
    assert summary.secret_caption.text() == "Certificate:"
    assert summary.secret.text() == (
        f"CN=payroll.contoso.com\nSHA-1 thumbprint {sha1}\nkept in the keychain; it "
        f"expires on {facts.expires_at:%Y-%m-%d}")
    assert "its certificate's private key and the certificate are in this " \
        "computer's keychain" in summary.help.text()
    assert summary.warning.isVisible()
    assert summary.warning.text().startswith(
        "\u201cPayroll\u201d: its certificate expires in 19 days (on ")
    assert summary.warning.text().endswith("choose Replace credential in the list.")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert fields.credential() is None and fields.password.text() == ""  # forgotten

    token = o365desk(cli_env, "token", "Payroll")
    assert token.returncode == 0, token.stderr
    assert decode_claims(token.stdout.strip()).app_only
    sent = fake_identity.requests_to("/oauth2/v2.0/token", "POST")[-1]
    assert sent.form["grant_type"] == "client_credentials"
    assert "client_secret" not in sent.form
    assert sent.form["client_assertion_type"].endswith("jwt-bearer")
    assert _jwt_header(sent.form["client_assertion"])["x5c"]
    assert fake_identity.assertion_refusals == []


def _refusals(tmp_path, rsa, other_rsa):
    """(file, password typed, words expected) for each file o365desk refuses."""
    good = certificate(rsa)
    big = tmp_path / "huge.pfx"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # 50 MB, all of it never read
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    weak = rsa_key(1024)
    key_only = tmp_path / "key-only.pem"
    key_only.write_bytes(key_pem(rsa))
    return [
        (pfx_file(tmp_path, rsa, good, PASSWORD.encode()), "Wrong-password",
         "That password is not the right one for this certificate file."),
        (pem_file(tmp_path, rsa, certificate(rsa, days=-2, start_days=-30), "old.pem"), "",
         "This certificate expired on "),
        (pem_file(tmp_path, rsa, certificate(rsa, days=60, start_days=5), "later.pem"), "",
         "This certificate is valid only from "),
        (pem_file(tmp_path, other_rsa, good, "mixed.pem"), "",
         "The private key in this file does not belong to its certificate"),
        (picture, "", "This file is not a certificate or a private key."),
        (big, "", "is larger than 1 MB, far larger than any certificate file"),
        (tmp_path / "gone.pfx", "", "There is no file at "),
        (pem_file(tmp_path, weak, certificate(weak), "weak.pem"), "",
         "This certificate's RSA key is only 1024 bits long."),
        (key_only, "", "This file holds a private key but not its certificate."),
    ]


@pytest.mark.usefixtures("qasync_loop")
def test_each_refused_file_says_why_and_saves_nothing(
        qtbot, make_wizard, fake_identity, keyring_backend, tmp_path, rsa,  # noqa: F811
        other_rsa):
    wizard = make_wizard()
    to_certificate(qtbot, wizard, fake_identity)
    fields = wizard.app_credential_page.certificate
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    for path, password, words in _refusals(tmp_path, rsa, other_rsa):
        fields.path.setFocus()
        key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_here(qtbot, str(path))
        key(qtbot, Qt.Key.Key_W, ALT)  # "Pass&word (if the file has one):"
        assert focused() is fields.password
        key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        key(qtbot, Qt.Key.Key_Delete)
        type_here(qtbot, password)
        key(qtbot, Qt.Key.Key_Return)  # read; Next stays off
        qtbot.waitUntil(lambda w=words: w in fields.problem.text(), timeout=10000)
        assert fields.problem.isVisible() and not fields.facts.isVisible()
        assert not fields.soon.isVisible()
        assert fields.credential() is None and not next_button.isEnabled()
        assert wizard.currentId() == PageId.APP_CREDENTIAL
        assert "Traceback" not in fields.problem.text()
    assert wizard.services.store.connections == []
    assert list(keyring_backend.usernames("o365desk")) == []


@pytest.mark.usefixtures("qasync_loop")
def test_secret_and_certificate_rows_follow_the_choice(qtbot, make_wizard, fake_identity,  # noqa: F811
                                                       tmp_path, rsa):
    """Back to Client secret: its fields again, and the certificate read is not what
    Next uses; a new password after a good read makes it read again."""
    wizard = make_wizard()
    to_certificate(qtbot, wizard, fake_identity)
    page = wizard.app_credential_page
    fields = page.certificate
    path = pem_file(tmp_path, rsa, certificate(rsa, days=400))
    type_here(qtbot, str(path))
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: facts_read(page), timeout=10000)
    assert not fields.soon.isVisible()  # over 30 days left: no warning
    from PySide6.QtWidgets import QAbstractButton

    from tests.ui.test_colours_and_screen_readers import hidden_label_texts

    assert hidden_label_texts(page) == []  # what was read is what a screen reader reads
    for field in page.findChildren(QLineEdit) + page.findChildren(QAbstractButton):
        if field.isVisibleTo(page) and not isinstance(field.parent(), QLineEdit):
            assert field.accessibleName(), repr(field)
    path.unlink()
    key(qtbot, Qt.Key.Key_W, ALT)
    type_here(qtbot, "x")  # a password where none is needed: read again, from memory
    assert fields.credential() is None
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: facts_read(page), timeout=10000)
    key(qtbot, Qt.Key.Key_S, ALT)  # "Client &secret"
    qtbot.waitUntil(page.use_secret.isChecked)
    assert page.secret.isVisible() and not fields.path.isVisible()
    assert not page.uses_certificate()
    assert not page.secret_problem.isVisible() and not page.expires_problem.isVisible()
    key(qtbot, Qt.Key.Key_R, ALT)  # and back: what was read shows again, no empty lines
    qtbot.waitUntil(page.use_certificate.isChecked)
    assert fields.facts.isVisible() and not fields.problem.isVisible()
    key(qtbot, Qt.Key.Key_S, ALT)
    qtbot.waitUntil(page.use_secret.isChecked)
    key(qtbot, Qt.Key.Key_E, ALT)
    assert focused() is page.secret


def mnemonics(root) -> list[str]:
    """The Alt+letter of every visible label and button under `root`."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QLabel

    letters = []
    for widget in root.findChildren(QLabel) + root.findChildren(QAbstractButton):
        if widget.isVisibleTo(root):
            found = re.search(r"&([^&])", widget.text())
            if found:
                letters.append(found.group(1).lower())
    return letters


def test_each_alt_letter_is_one_field_in_either_choice(qtbot, make_wizard, fake_identity):  # noqa: F811
    from o365desk.ui.credential_dialog import CredentialDialog
    from tests.ui.test_app_only_window import app

    wizard = make_wizard()
    to_certificate(qtbot, wizard, fake_identity)
    page = wizard.app_credential_page
    for choice in (page.use_certificate, page.use_secret):
        choice.setChecked(True)
        letters = mnemonics(wizard)
        assert len(letters) == len(set(letters)), letters
    dialog = CredentialDialog(wizard.services, app())
    qtbot.addWidget(dialog)
    dialog.show()
    for choice in (dialog.use_certificate, dialog.use_secret):
        choice.setChecked(True)
        letters = mnemonics(dialog)
        assert len(letters) == len(set(letters)), letters
