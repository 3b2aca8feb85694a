"""Ask for admin consent in the window, against the fake's adminconsent page over HTTPS and
the real loopback listener; the browser is played by an HTTP client. Then Test connection
names the application permissions the token lacks."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from o365desk.core.connection import Connection, Credential, CredentialType, Kind
from o365desk.storage.vault import CLIENT_SECRET, Vault
from o365desk.ui.consent_dialog import ConsentDialog
from o365desk.ui.credential_dialog import CredentialDialog
from tests.fakes.identity import DEFAULT_DOMAIN
from tests.fakes.identity.consent import configure_app_permissions, refuse_admin_consent
from tests.ui.helpers import select
from tests.ui.test_app_only_window import closed

APP = "7d3f0b6a-1c2e-4d5f-8a9b-0c1d2e3f4a5b"
SECRET = "fake-app-secret-value-0123456789"


@pytest.fixture
def payroll(fake_identity, monkeypatch) -> Connection:
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    fake_identity.register_app(APP, SECRET, roles=("User.Read.All",),
                               name="Payroll automation")
    fake_identity.register_client(APP, "Payroll automation", ["http://localhost"])
    configure_app_permissions(fake_identity, APP, ["User.Read.All", "Mail.Send"])
    return Connection(
        "Payroll", tenant=DEFAULT_DOMAIN, client_id=APP, kind=Kind.APP_ONLY,
        authority=fake_identity.authority(DEFAULT_DOMAIN),
        graph_endpoint=fake_identity.graph_url, scopes=("User.Read.All", "Mail.Send"),
        credential=Credential(CredentialType.SECRET))


def browser(fake, opened: list[str], follow: threading.Event | None = None):
    """Opens the link: follows Microsoft's redirect back at once, or once `follow` is set."""

    def browse(url: str) -> bool:
        opened.append(url)

        def act() -> None:
            if follow is not None:
                follow.wait(10)
            with fake.http_session() as session:
                session.get(url, timeout=10)

        threading.Thread(target=act, daemon=True).start()
        return True

    return browse


def _open(qtbot, make_window, keyring_backend, conn, browse):
    window, controller = make_window([conn])
    saved = controller.services.store.find(conn.nickname)
    Vault(keyring_backend).set(saved.id, CLIENT_SECRET, SECRET)
    controller.actions.consent_browser = browse
    select(window, controller, conn.nickname)
    d = window.details
    assert d.admin_consent_button.isVisible() and d.admin_consent_button.isEnabled()
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # As&k for...
    qtbot.waitUntil(lambda: isinstance(controller.actions.dialog, ConsentDialog))
    dialog = controller.actions.dialog
    qtbot.waitUntil(dialog.isActiveWindow)  # the keys go to it from now on
    return window, controller, dialog


def test_consent_granted_then_test_names_the_missing_role(
        qtbot, make_window, keyring_backend, fake_identity, payroll):
    opened: list[str] = []
    follow = threading.Event()
    window, controller, dialog = _open(qtbot, make_window, keyring_backend, payroll,
                                       browser(fake_identity, opened, follow))
    assert "Global Administrator" in dialog.intro.text()  # what the administrator sees
    assert "http://localhost" in dialog.intro.text()
    qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # &Open in browser
    qtbot.waitUntil(lambda: bool(opened))
    assert dialog.waiting and dialog.cancel_wait_button.isVisible()
    assert "Waiting for the administrator" in dialog.state.text()
    assert "/v2.0/adminconsent?" in opened[0] and APP in opened[0]
    follow.set()
    qtbot.waitUntil(lambda: not dialog.waiting, timeout=15000)
    assert dialog.result.granted
    assert dialog.state.text().startswith("The administrator approved the app")
    assert not dialog.problem.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: closed(dialog))

    window.act_test.trigger()  # the token carries User.Read.All only
    qtbot.waitUntil(lambda: window.result_bar.isVisible(), timeout=15000)
    text = window.result_bar.text()
    assert "doesn't carry the application permission Mail.Send" in text
    assert "User.Read.All" not in text
    # The window's words for what to do, with its button (not the CLI's command).
    assert "o365desk consent" not in text and text.endswith("choose Ask for admin consent.")
    buttons = {b.text().replace("&", ""): b
               for b in window.result_bar.findChildren(QPushButton)}
    buttons["Ask for admin consent\u2026"].click()
    qtbot.waitUntil(lambda: isinstance(controller.actions.dialog, ConsentDialog))


def test_cancel_waiting_stops_the_wait(qtbot, make_window, keyring_backend, fake_identity,
                                       payroll):
    opened: list[str] = []
    window, controller, dialog = _open(qtbot, make_window, keyring_backend, payroll,
                                       lambda url: opened.append(url) or True)
    dialog.open_button.click()
    qtbot.waitUntil(lambda: bool(opened))
    assert QApplication.focusWidget() is dialog.cancel_wait_button
    qtbot.keyClick(dialog.cancel_wait_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not dialog.waiting, timeout=5000)
    assert dialog.result.outcome == "stopped"
    assert "Stopped waiting" in dialog.problem.text()
    assert dialog.open_button.isEnabled() and not dialog.cancel_wait_button.isVisible()


def test_a_refusal_is_said_in_plain_words_with_microsofts_answer_for_it(
        qtbot, make_window, keyring_backend, fake_identity, payroll):
    refuse_admin_consent(fake_identity, 65004)
    opened: list[str] = []
    window, controller, dialog = _open(qtbot, make_window, keyring_backend, payroll,
                                       browser(fake_identity, opened))
    dialog.open_button.click()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=15000)
    assert not dialog.result.granted
    text = dialog.problem.text()
    assert "chose Cancel" in text and "AADSTS65004" in text
    assert "Traceback" not in text


def test_copy_link_copies_a_link_to_send(qtbot, make_window, keyring_backend, fake_identity,
                                         payroll):
    window, controller, dialog = _open(qtbot, make_window, keyring_backend, payroll,
                                       lambda url: True)
    QGuiApplication.clipboard().setText("")
    qtbot.keyClick(dialog, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # Copy &link
    qtbot.waitUntil(lambda: bool(QGuiApplication.clipboard().text()))  # an animated click
    link = QGuiApplication.clipboard().text()
    assert "/v2.0/adminconsent?" in link and "redirect_uri=http%3A%2F%2Flocalhost&" in link
    assert "Send it to an administrator" in dialog.state.text()


def test_the_result_bars_consent_action_opens_the_dialog_for_app_only(
        qtbot, make_window, keyring_backend, payroll):
    from o365desk.core.signin_errors import Action, Explanation

    window, controller = make_window([payroll])
    saved = controller.services.store.find("Payroll")
    explanation = Explanation("65001", "Permissions not granted yet", "Ask an admin.",
                              (Action.COPY_ADMIN_CONSENT_LINK,), None, "AADSTS65001")
    controller.actions.show_failure(saved, explanation)
    buttons = {b.text().replace("&", ""): b
               for b in window.result_bar.findChildren(QPushButton)}
    buttons["Ask for admin consent\u2026"].click()
    qtbot.waitUntil(lambda: isinstance(controller.actions.dialog, ConsentDialog))


def test_both_dialogs_keep_the_house_conventions(qtbot, make_window, keyring_backend,
                                                 fake_identity, payroll):
    """Every control reached by Tab, each button named for screen readers, every label
    read as shown (also once a problem shows), Esc closes."""
    from tests.ui.test_colours_and_screen_readers import hidden_label_texts

    window, controller, consent = _open(qtbot, make_window, keyring_backend, payroll,
                                        lambda url: True)
    consent.copy_button.click()  # a sentence shows
    for dialog in (consent, "credential"):
        if dialog == "credential":
            window.act_replace_credential.trigger()
            qtbot.waitUntil(lambda: controller.actions.dialog is not None
                            and controller.actions.dialog is not consent)
            dialog = controller.actions.dialog
            assert isinstance(dialog, CredentialDialog)
            qtbot.waitUntil(dialog.isActiveWindow)
            dialog.save_button.click()  # empty: refused, the problem shows
            qtbot.waitUntil(dialog.problem.isVisible)
        assert hidden_label_texts(dialog) == []
        controls = [w for w in dialog.findChildren(QPushButton) + dialog.findChildren(QLineEdit)
                    if w.isVisible() and w.isEnabled()]
        assert all(w.accessibleName() for w in controls)
        reached = set()
        for _ in range(len(controls) + 2):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            reached.add(QApplication.focusWidget())
        assert set(controls) <= reached, [w.accessibleName() for w in controls
                                          if w not in reached]
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda d=dialog: closed(d))
