"""Each failure of issue 10 point 6, provoked for real (the fake identity platform answers
the client credentials grant with Entra's JSON for the code, to the real MSAL), shown in the
main window's result bar after Ctrl+T: every button does what it says, the raw answer is
one click away through Copy details for IT, and the words name the window's own buttons."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton

from o365desk.core.connection import Connection, Credential, CredentialType, Kind
from o365desk.storage.vault import CLIENT_SECRET, Vault
from tests.fakes.identity import DEFAULT_DOMAIN
from tests.fakes.identity.errors import APP_ONLY_CODES
from tests.ui.helpers import press_test, select

APP = "7d3f0b6a-1c2e-4d5f-8a9b-0c1d2e3f4a5b"
SECRET = "fake-app-secret-value-0123456789"
KNOWN = {"Ask for admin consent\u2026", "Try again", "Copy details for IT",
         "Replace credential\u2026", "Edit connection\u2026", "Details\u2026"}


@pytest.fixture
def failing_app(qtbot, fake_identity, monkeypatch, make_window, keyring_backend):
    """open(code) -> the window after Ctrl+T on an app-only connection refused with code."""
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    fake_identity.register_app(APP, SECRET, roles=("User.Read.All",))

    def open_(code: int):
        conn = Connection("Payroll daemon", tenant=DEFAULT_DOMAIN, client_id=APP,
                          kind=Kind.APP_ONLY, authority=fake_identity.authority(DEFAULT_DOMAIN),
                          graph_endpoint=fake_identity.graph_url, scopes=("User.Read.All",),
                          credential=Credential(CredentialType.SECRET))
        window, controller = make_window([conn])
        Vault(keyring_backend).set(controller.services.store.find("Payroll daemon").id,
                                   CLIENT_SECRET, SECRET)
        select(window, controller, "Payroll daemon")
        window.table.setFocus()
        fake_identity.fail_token(code, grant="client_credentials")
        press_test(qtbot, window, controller)  # Ctrl+T
        return window, controller

    return open_


def _buttons(window) -> dict[str, QPushButton]:
    return {b.text().replace("&", ""): b for b in window.result_bar.findChildren(QPushButton)
            if not b.isHidden()}


def _press(qtbot, button: QPushButton) -> None:
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


@pytest.mark.parametrize("code", APP_ONLY_CODES)
def test_each_failure_offers_only_working_buttons_and_the_raw_answer(
        qtbot, failing_app, code):
    window, controller = failing_app(code)
    assert f"AADSTS{code}" == controller.actions._explanation.code  # noqa: SLF001
    buttons = _buttons(window)
    assert set(buttons) <= KNOWN, set(buttons) - KNOWN
    assert "Copy details for IT" in buttons and "Details\u2026" in buttons
    QGuiApplication.clipboard().clear()
    _press(qtbot, buttons["Copy details for IT"])
    copied = QGuiApplication.clipboard().text()
    assert f"AADSTS{code}" in copied and "Trace ID" in copied  # Entra's answer, for IT
    assert SECRET not in copied and SECRET not in window.result_bar.text()


@pytest.mark.parametrize("code", [90002, 900023, 700016])
def test_check_the_organisation_or_client_id_opens_the_edit_dialog(qtbot, failing_app, code):
    window, controller = failing_app(code)
    _press(qtbot, _buttons(window)["Edit connection\u2026"])
    qtbot.waitUntil(lambda: controller.edits.edit_dialog is not None
                    and controller.edits.edit_dialog.isVisible())
    qtbot.keyClick(controller.edits.edit_dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: controller.edits.edit_dialog is None)


def test_no_admin_consent_names_the_windows_own_button(qtbot, failing_app):
    window, controller = failing_app(65001)
    text = window.result_bar.text()
    assert "choose Ask for admin consent to open Microsoft's approval page" in text
    assert "copy the admin-consent link" not in text
    assert list(_buttons(window))[0] == "Ask for admin consent\u2026"
