"""Replace credential in the window with a certificate file and back to a client secret,
by the keyboard, with the real Secret Service as the keychain: each swap leaves only the
new credential's entries (the vault's own listing), and a refused file changes nothing."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from o365desk.storage.vault import CERTIFICATE, CERTIFICATE_KEY, CLIENT_SECRET, MSAL_CACHE
from o365desk.ui.credential_dialog import CredentialDialog
from tests.e2e.certificates import cert_text, certificate, pem_file, pfx_file, rsa_key
from tests.e2e.test_cli_app_only import _entries
from tests.ui.helpers import select
from tests.ui.test_app_only_window import app, closed
from tests.ui.test_wizard_certificate import PASSWORD, names

ALT = Qt.KeyboardModifier.AltModifier
NEW_SECRET = "new~Secret.Value_0123456789abcdefghij"


@pytest.fixture
def services(store_path, secret_service_vault):
    """The window's services over the real Secret Service (the make_window fixture's)."""
    from o365desk.services import Services
    from o365desk.storage.store import ConnectionStore

    return Services(ConnectionStore(store_path), vault_factory=lambda: secret_service_vault)


@pytest.fixture(scope="module")
def rsa():
    return rsa_key()


def focused():
    return QApplication.focusWidget()


def key(qtbot, which, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), which, modifier)


def type_here(qtbot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def open_dialog(qtbot, window, controller) -> CredentialDialog:
    select(window, controller, "Daemon")
    window.table.setFocus()
    window.act_replace_credential.trigger()
    qtbot.waitUntil(lambda: isinstance(controller.actions.dialog, CredentialDialog))
    dialog = controller.actions.dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def saved_daemon(controller, secret_service_vault):
    window_app = controller.services.store.find("Daemon")
    vault = secret_service_vault
    vault.set(window_app.id, CLIENT_SECRET, "old-secret-value")
    vault.set(window_app.id, MSAL_CACHE, "{}")
    return window_app


@pytest.mark.usefixtures("qasync_loop")
def test_secret_to_certificate_and_back_by_keyboard(qtbot, make_window, secret_service_vault,
                                                    tmp_path, rsa):
    window, controller = make_window([app()])
    conn = saved_daemon(controller, secret_service_vault)
    assert names(_entries(secret_service_vault, conn.id)) == {CLIENT_SECRET, MSAL_CACHE}

    dialog = open_dialog(qtbot, window, controller)
    qtbot.waitUntil(lambda: focused() is dialog.secret)  # it has a secret: that comes first
    assert dialog.use_secret.isChecked() and not dialog.certificate.path.isVisible()
    key(qtbot, Qt.Key.Key_R, ALT)  # "Ce&rtificate file"
    qtbot.waitUntil(dialog.use_certificate.isChecked)
    assert not dialog.secret.isVisible() and dialog.certificate.path.isVisible()
    assert dialog.intro.text().startswith("Give \u201cDaemon\u201d a certificate.")
    assert not dialog.save_button.isEnabled()  # nothing read yet
    assert not dialog.certificate.problem.isVisible()  # no empty lines in its rows
    assert not dialog.certificate.facts.isVisible()
    key(qtbot, Qt.Key.Key_F, ALT)  # "Certificate &file:"
    assert focused() is dialog.certificate.path
    cert = certificate(rsa, days=200, subject="daemon.contoso.com")
    path = pfx_file(tmp_path, rsa, cert, PASSWORD.encode())
    type_here(qtbot, str(path))
    key(qtbot, Qt.Key.Key_W, ALT)  # "Pass&word (if the file has one):"
    assert focused() is dialog.certificate.password
    type_here(qtbot, PASSWORD)
    key(qtbot, Qt.Key.Key_Return)  # read; Save waits for it
    qtbot.waitUntil(lambda: dialog.certificate.credential() is not None, timeout=10000)
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    sha1 = cert.fingerprint(hashes.SHA1()).hex().upper()
    assert f"SHA-1 thumbprint: {sha1}" in dialog.certificate.facts.text()
    path.unlink()  # read already
    key(qtbot, Qt.Key.Key_Return)  # Save
    qtbot.waitUntil(lambda: closed(dialog), timeout=10000)
    saved = controller.services.store.find("Daemon")
    assert saved.credential.type.value == "certificate" and saved.credential.sha1 == sha1
    assert names(_entries(secret_service_vault, conn.id)) == {CERTIFICATE_KEY, CERTIFICATE}
    assert secret_service_vault.get(conn.id, CERTIFICATE) == cert_text(cert)
    assert "new certificate" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.details.credential.text().startswith(
        "certificate expires in"))
    assert f"thumbprint {sha1}" in window.details.credential.text()

    dialog = open_dialog(qtbot, window, controller)  # and back to a secret
    qtbot.waitUntil(lambda: focused() is dialog.certificate.path)  # a certificate first
    assert dialog.use_certificate.isChecked()
    key(qtbot, Qt.Key.Key_T, ALT)  # "Client secre&t"
    qtbot.waitUntil(dialog.use_secret.isChecked)
    assert dialog.save_button.isEnabled()  # a secret is checked on Save
    key(qtbot, Qt.Key.Key_E, ALT)  # "Client s&ecret:"
    assert focused() is dialog.secret
    type_here(qtbot, NEW_SECRET)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: closed(dialog), timeout=10000)
    assert names(_entries(secret_service_vault, conn.id)) == {CLIENT_SECRET}
    assert secret_service_vault.get(conn.id, CLIENT_SECRET) == NEW_SECRET
    assert controller.services.store.find("Daemon").credential.type.value == "secret"
    assert "new client secret" in window.statusBar().currentMessage()


@pytest.mark.usefixtures("qasync_loop")
def test_a_refused_file_says_why_and_the_old_secret_stays(qtbot, make_window,
                                                         secret_service_vault, tmp_path, rsa):
    window, controller = make_window([app()])
    conn = saved_daemon(controller, secret_service_vault)
    dialog = open_dialog(qtbot, window, controller)
    qtbot.waitUntil(lambda: focused() is dialog.secret)
    key(qtbot, Qt.Key.Key_R, ALT)
    qtbot.waitUntil(dialog.use_certificate.isChecked)  # a mnemonic clicks soon after
    key(qtbot, Qt.Key.Key_F, ALT)
    assert focused() is dialog.certificate.path
    expired = pem_file(tmp_path, rsa, certificate(rsa, days=-1, start_days=-90))
    type_here(qtbot, str(expired))
    key(qtbot, Qt.Key.Key_Return)  # read; Save is off, so Enter saves nothing
    fields = dialog.certificate
    qtbot.waitUntil(fields.problem.isVisible, timeout=10000)
    assert fields.problem.text().startswith("This certificate expired on ")
    assert "Make a new certificate, upload its public part" in fields.problem.text()
    assert not dialog.save_button.isEnabled() and dialog.isVisible()
    key(qtbot, Qt.Key.Key_Return)
    assert dialog.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc: nothing changes
    qtbot.waitUntil(lambda: closed(dialog))
    assert names(_entries(secret_service_vault, conn.id)) == {CLIENT_SECRET, MSAL_CACHE}
    assert secret_service_vault.get(conn.id, CLIENT_SECRET) == "old-secret-value"
    assert controller.services.store.find("Daemon").credential.type.value == "secret"


@pytest.mark.usefixtures("qasync_loop")
def test_a_locked_keychain_says_so_keeps_the_dialog_and_changes_nothing(
        qtbot, store_path, tmp_path, rsa):
    from o365desk.services import Services
    from o365desk.storage.store import ConnectionStore
    from o365desk.storage.vault import Vault
    from tests.fakes.memory_keyring import MemoryKeyring

    backend = MemoryKeyring()
    services = Services(ConnectionStore(store_path), vault_factory=lambda: Vault(backend))
    conn = services.store.add(app())
    Vault(backend).set(conn.id, CLIENT_SECRET, "old-secret-value")
    dialog = CredentialDialog(services, conn)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: focused() is dialog.secret)
    key(qtbot, Qt.Key.Key_R, ALT)
    qtbot.waitUntil(dialog.use_certificate.isChecked)
    key(qtbot, Qt.Key.Key_F, ALT)
    type_here(qtbot, str(pem_file(tmp_path, rsa, certificate(rsa))))
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.certificate.credential() is not None, timeout=10000)
    backend.locked = True  # locked meanwhile
    key(qtbot, Qt.Key.Key_Return)  # Save
    qtbot.waitUntil(dialog.problem.isVisible, timeout=10000)
    assert dialog.problem.text().startswith(
        "The new certificate could not be put in the keychain, so nothing changed.")
    assert "Traceback" not in dialog.problem.text()
    assert dialog.isVisible() and dialog.save_button.isEnabled()  # try again when unlocked
    backend.locked = False
    assert Vault(backend).get(conn.id, CLIENT_SECRET) == "old-secret-value"
    assert services.store.find("Daemon").credential.type.value == "secret"
    key(qtbot, Qt.Key.Key_Return)  # unlocked: Save again works
    qtbot.waitUntil(lambda: closed(dialog), timeout=10000)
    assert Vault(backend).get(conn.id, CLIENT_SECRET) is None
    assert services.store.find("Daemon").credential.type.value == "certificate"
