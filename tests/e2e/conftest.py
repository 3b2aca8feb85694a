"""Fixtures for the end-to-end wizard tests: QtWebEngine first, a qasync loop, services."""

from __future__ import annotations

from urllib.parse import urlencode

# Before pytest-qt makes the QApplication (see tests/ui/conftest.py).
import PySide6.QtWebEngineWidgets  # noqa: F401, I001
import pytest

from o365desk.core.connection import Connection
from o365desk.ui.main_controller import MainController
from o365desk.ui.main_window import MainWindow
from tests.ui.conftest import DialogLog, run_qasync
from tests.ui.wizard_helpers import make_wizard  # noqa: F401  (a fixture)

TENANT = "contoso.onmicrosoft.com"


@pytest.fixture
def qasync_loop(qapp):
    """Not autouse here: the CLI tests run processes and need no Qt."""
    yield from run_qasync(qapp)




@pytest.fixture
def dialog_log(monkeypatch) -> DialogLog:
    """Not autouse here: the CLI tests show no message boxes."""
    return DialogLog.install(monkeypatch)


@pytest.fixture
def signed_in(services, fake_identity, monkeypatch):
    """make(scopes) -> a saved connection signed in at the fake (over HTTP, no view)."""
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)

    def make(scopes=("User.Read",), nickname="Contoso admin") -> Connection:
        conn = services.store.add(Connection(
            nickname=nickname, tenant=TENANT, authority=fake_identity.authority(TENANT),
            graph_endpoint=fake_identity.graph_url, scopes=tuple(scopes)))
        session = services.session_for(conn)
        start = session.start_auth_code()
        answer = fake_identity.sign_in_with_http(start.auth_uri)
        result = session.finish_auth_code(start, f"{start.redirect_uri}?{urlencode(answer)}")
        return services.record_sign_in(conn, result)

    return make


@pytest.fixture
def open_window(qtbot, services, dialog_log):
    made = []

    def make():
        window = MainWindow()
        qtbot.addWidget(window)
        controller = MainController(window, services)
        made.append(controller)
        controller.load()
        with qtbot.waitExposed(window):
            window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        controller.start_keychain_check()
        qtbot.waitUntil(lambda: controller.keychain is not None
                        and not controller.runner.busy, timeout=10000)
        return window, controller

    yield make
    for controller in made:
        if controller.actions.dialog is not None:
            controller.actions.dialog.page.stop()
