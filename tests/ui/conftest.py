"""Fixtures for window tests: a qasync loop inside pytest-qt, the real store and vault."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

# The sign-in view's QtWebEngine must be imported before pytest-qt makes the QApplication:
# importing it first sets AA_ShareOpenGLContexts, which it needs (o365desk/app.py sets it
# by hand, because there it loads later).
import PySide6.QtWebEngineWidgets  # noqa: F401, I001
import pytest

from o365desk.core.clouds import Cloud
from o365desk.core.connection import Account, Connection
from o365desk.storage.vault import MSAL_CACHE, Vault
from o365desk.ui import dialogs
from o365desk.ui.main_controller import MainController
from o365desk.ui.main_window import MainWindow
from tests.ui.wizard_helpers import make_wizard  # noqa: F401  (a fixture)

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def qasync_loop(qapp):
    """A qasync loop over pytest-qt's running app, so qtbot.waitUntil drives asyncio tasks."""
    yield from run_qasync(qapp)


def run_qasync(qapp):
    """The qasync_loop fixture's body, for other test folders to reuse."""
    import qasync  # here, not at the top: pytest-qt has loaded PySide6 by now

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    for task in asyncio.all_tasks(loop):
        task.cancel()
    qapp.processEvents()
    # Not loop.stop(): it calls app.exit() and every later test's waiting would hang.
    # close() refuses a loop that says it runs, so say it doesn't first.
    loop._QEventLoop__is_running = False  # noqa: SLF001
    qapp.aboutToQuit.disconnect(loop._after_run_forever)
    loop.close()
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


class DialogLog:
    """Stands in for the message boxes: records what would have been shown."""

    def __init__(self) -> None:
        self.confirm_answer: bool | None = None  # None: a confirmation was not expected
        self.confirms: list[dict] = []
        self.infos: list[dict] = []
        self.details: list[dict] = []

    def confirm(self, parent, title, text, informative, accept_label, accept_name) -> bool:
        self.confirms.append({"title": title, "text": text, "informative": informative})
        assert self.confirm_answer is not None, "unexpected confirmation box"
        return self.confirm_answer

    def inform(self, parent, title, text, informative=""):
        self.infos.append({"title": title, "text": text, "informative": informative})

    def show_details(self, parent, title, text, detail, informative=""):
        self.details.append({"title": title, "text": text, "detail": detail})


    @classmethod
    def install(cls, monkeypatch) -> DialogLog:
        """Stand in for the message boxes for one test."""
        log = cls()
        monkeypatch.setattr(dialogs, "confirm", log.confirm)
        monkeypatch.setattr(dialogs, "inform", log.inform)
        monkeypatch.setattr(dialogs, "show_details", log.show_details)
        return log


@pytest.fixture(autouse=True)
def dialog_log(monkeypatch) -> DialogLog:
    return DialogLog.install(monkeypatch)




def sample_connections() -> list[Connection]:
    """Three connections: one signed in, one with a description, one never used."""
    account = Account("admin@contoso.onmicrosoft.com", "uid.utid", "tid-contoso")
    return [
        Connection(
            nickname="Contoso Prod",
            tenant="contoso.onmicrosoft.com",
            account=account,
            scopes=("User.Read.All",),
            last_used_at=NOW - timedelta(minutes=5),
        ),
        Connection(
            nickname="Fabrikam",
            tenant="fabrikam.com",
            description="Helpdesk tenant of the Fabrikam group",
            cloud=Cloud.USGOV,
            last_used_at=NOW - timedelta(days=3),
        ),
        Connection(nickname="Woodgrove Test", tenant="woodgrove.onmicrosoft.com"),
    ]


@pytest.fixture
def make_window(qtbot, services, keyring_backend):
    """Save `connections` with the real store, then open the window over them."""

    def make(connections=(), secrets: bool = True, check_keychain: bool = False):
        for conn in connections:
            services.store.add(conn)
            if secrets and conn.account is not None:
                vault = Vault(keyring_backend)
                vault.set(conn.id, MSAL_CACHE, "x" * 6000)  # big enough to be chunked
        window = MainWindow()
        qtbot.addWidget(window)
        controller = MainController(window, services, clock=lambda: NOW)
        controller.load()
        with qtbot.waitExposed(window):
            window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # keyboard focus and shortcuts need this
        if check_keychain:
            controller.start_keychain_check()
            qtbot.waitUntil(lambda: controller.keychain is not None and not controller.runner.busy)
        return window, controller

    return make
