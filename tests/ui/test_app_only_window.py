"""An app-only connection in the main window: its details, the actions that apply to it,
and Replace credential, driven by real key presses against the real use case and vault."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from o365desk.core.connection import Connection, Credential, CredentialType, Kind, utcnow
from o365desk.storage.vault import CLIENT_SECRET, MSAL_CACHE, Vault
from o365desk.ui.credential_dialog import CredentialDialog
from tests.ui.helpers import select

CLIENT_ID = "3f2a6e1c-9d4b-4c8e-a1f0-7b5d2e9c4a10"
SHA1 = "A1" * 20
SHA256 = "B2" * 32


def app(nickname: str = "Daemon", *, days: float | None = 12.5,
        kind: CredentialType = CredentialType.SECRET) -> Connection:
    expires = None if days is None else utcnow() + timedelta(days=days)
    credential = Credential(kind, expires_at=expires) if kind == CredentialType.SECRET \
        else Credential(kind, expires_at=expires, sha1=SHA1, sha256=SHA256,
                        subject="CN=daemon.contoso.com", not_after=expires)
    return Connection(nickname=nickname, tenant="contoso.onmicrosoft.com",
                      client_id=CLIENT_ID, kind=Kind.APP_ONLY,
                      scopes=("User.Read.All",), credential=credential)


def closed(dialog) -> bool:
    """Closed (and maybe freed already: the window keeps a closed dialog no longer)."""
    import shiboken6

    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _window(make_window, keyring_backend, *connections):
    window, controller = make_window(list(connections))
    vault = Vault(keyring_backend)
    for conn in connections:
        saved = controller.services.store.find(conn.nickname)
        vault.set(saved.id, CLIENT_SECRET, "old-secret-value")
        vault.set(saved.id, MSAL_CACHE, "{}")
    return window, controller, vault


def test_the_pane_says_app_only_with_its_credential_and_offers_what_applies(
        qtbot, make_window, keyring_backend):
    window, controller, _ = _window(make_window, keyring_backend, app(), Connection(
        nickname="Person", tenant="contoso.com"))
    select(window, controller, "Daemon")
    d = window.details
    assert d.kind.text() == "App only (no person signs in)"
    assert d.client_id.text() == CLIENT_ID
    day = f"{utcnow() + timedelta(days=12.5):%Y-%m-%d}"
    assert d.credential.text() == f"client secret expires in 12 days ({day})"
    assert d.credential.isVisible() and not d.token_facts.isVisible()
    # Within 30 days: the warning, with the window's way to fix it.
    assert "secret expires in 12 days" in d.status_text.text()
    assert d.status_text.text().endswith("choose Replace credential.")
    assert "\u201cDaemon\u201d" in d.status_text.text()  # the window's curly quotes
    for button in (d.sign_in_button, d.sign_out_button):
        assert not button.isVisible()
    for action in (window.act_sign_in, window.act_sign_out):
        assert not action.isVisible()
    for button in (d.test_button, d.replace_credential_button, d.edit_button,
                   d.rename_button, d.delete_button):
        assert button.isVisible() and button.isEnabled(), button.text()
    assert window.act_test.isEnabled() and window.act_replace_credential.isEnabled()

    select(window, controller, "Person")  # a delegated one: the sign-in actions again
    assert d.sign_in_button.isVisible() and not d.replace_credential_button.isVisible()
    assert not window.act_replace_credential.isVisible() and window.act_sign_in.isVisible()
    assert not d.credential.isVisible()
    assert d.token_facts.isVisible()  # hidden for the app-only one: nothing to read there


def test_a_certificate_shows_its_thumbprint_and_subject(qtbot, make_window, keyring_backend):
    window, controller, _ = _window(make_window, keyring_backend,
                                    app(days=200, kind=CredentialType.CERTIFICATE))
    select(window, controller, "Daemon")
    text = window.details.credential.text()
    assert text.startswith("certificate expires in 200 days")
    assert f"thumbprint {SHA1}" in text and "subject CN=daemon.contoso.com" in text
    assert window.details.status_text.text().startswith("It signs in as its app")


def test_an_expired_secret_says_so_and_enter_offers_a_new_one(
        qtbot, make_window, keyring_backend):
    window, controller, vault = _window(make_window, keyring_backend, app(days=-3))
    select(window, controller, "Daemon")
    d = window.details
    assert d.status.text() == "Credential expired"
    assert "secret expired on" in d.credential.text()
    assert "so it can't get tokens" in d.status_text.text()
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(controller.actions.dialog, CredentialDialog))
    dialog = controller.actions.dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc closes, nothing changes
    qtbot.waitUntil(lambda: closed(dialog))
    saved = controller.services.store.find("Daemon")
    assert vault.get(saved.id, CLIENT_SECRET) == "old-secret-value"


def _open_dialog(qtbot, window, controller) -> CredentialDialog:
    window.table.setFocus()
    window.act_replace_credential.trigger()
    qtbot.waitUntil(lambda: isinstance(controller.actions.dialog, CredentialDialog))
    dialog = controller.actions.dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.secret)
    return dialog


def test_replace_credential_by_keyboard_puts_the_new_secret_in_the_keychain(
        qtbot, make_window, keyring_backend):
    window, controller, vault = _window(make_window, keyring_backend, app())
    select(window, controller, "Daemon")
    dialog = _open_dialog(qtbot, window, controller)
    assert dialog.secret.echoMode() == dialog.secret.EchoMode.Password
    qtbot.keyClicks(dialog.secret, "  new~Secret.Value_0123456789abcdefghij ")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.expires
    expires = date.today() + timedelta(days=400)
    qtbot.keyClicks(dialog.expires, expires.isoformat())
    qtbot.keyClick(dialog.expires, Qt.Key.Key_Return)  # Save is the default button
    qtbot.waitUntil(lambda: closed(dialog))
    saved = controller.services.store.find("Daemon")
    assert vault.get(saved.id, CLIENT_SECRET) == "new~Secret.Value_0123456789abcdefghij"
    assert vault.get(saved.id, MSAL_CACHE) is None  # the old secret's tokens went too
    assert saved.credential.expires_at == datetime(expires.year, expires.month, expires.day,
                                                   tzinfo=UTC)
    assert "new client secret" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.details.credential.text().startswith(
        "client secret expires in 39"))


def test_replace_credential_refuses_in_plain_words_and_keeps_the_old_secret(
        qtbot, make_window, keyring_backend):
    window, controller, vault = _window(make_window, keyring_backend, app())
    select(window, controller, "Daemon")
    dialog = _open_dialog(qtbot, window, controller)
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)  # empty
    qtbot.waitUntil(dialog.problem.isVisible)
    assert "Paste the client secret's value" in dialog.problem.text()
    qtbot.keyClicks(dialog.secret, "0b5c1f6e-2a8d-4e7b-9c3f-1d2e3f4a5b6c")  # its ID
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "secret's ID" in dialog.problem.text())
    dialog.secret.clear()
    qtbot.keyClicks(dialog.secret, "a-real-looking-secret-value")
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.expires, "30/06/2027")
    qtbot.keyClick(dialog.expires, Qt.Key.Key_Return)
    assert "is not a date o365desk understands" in dialog.problem.text()
    assert QApplication.focusWidget() is dialog.expires
    saved = controller.services.store.find("Daemon")
    assert vault.get(saved.id, CLIENT_SECRET) == "old-secret-value"
    assert "Traceback" not in dialog.problem.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: closed(dialog))


def test_the_result_bars_replace_credential_button_opens_the_dialog(
        qtbot, make_window, keyring_backend):
    from o365desk.core.signin_errors import explain_result

    conn = app()
    window, controller, _ = _window(make_window, keyring_backend, conn)
    saved = controller.services.store.find("Daemon")
    explanation = explain_result(
        {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client "
         "secret provided.", "error_codes": [7000215]}, tenant=saved.tenant,
        cloud=saved.cloud, client_id=saved.client_id, kind=saved.kind)
    controller.actions.show_failure(saved, explanation)
    buttons = {b.text().replace("&", ""): b
               for b in window.result_bar.findChildren(QPushButton)}
    buttons["Replace credential\u2026"].click()
    qtbot.waitUntil(lambda: isinstance(controller.actions.dialog, CredentialDialog))
    assert controller.actions.dialog.connection.id == saved.id
