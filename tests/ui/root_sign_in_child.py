"""Run by test_root_sign_in.py in a process of its own, as root with Chromium's sandbox on:
opens the main window, the New connection wizard, goes to Sign in, and prints one JSON line
saying what the sign-in page shows; then signs in with a code on another device from there,
saves, and opens "Sign in again" for the saved connection.

Usage: python -m tests.ui.root_sign_in_child
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path


async def _until(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the wizard did not get there in time")
        await asyncio.sleep(0.05)


async def _drive(window, controller, fake, report: dict) -> None:
    from o365desk.core.signin_errors import Action
    from o365desk.ui.wizard.new_connection import PageId

    window.act_new.trigger()
    wizard = controller._wizard
    await _until(wizard.isVisible)
    wizard.nickname_page.nickname.setText("Payroll")
    wizard.next()
    org = wizard.organisation_page
    org.tenant.setText("contoso.onmicrosoft.com")
    org.authority.setText(fake.authority("contoso.onmicrosoft.com"))
    org.graph.setText(fake.graph_url)
    wizard.next()
    wizard.permissions_page.set_scopes(("User.Read",))
    wizard.next()
    page = wizard.signin_page
    await _until(lambda: page.stack.currentWidget() is page.error_panel)
    await asyncio.sleep(1.0)  # time for anything that would end the process to do so
    panel = page.error_panel
    report.update(
        page=int(wizard.currentId()), code=panel.explanation.code,
        title=panel.title.text(), message=panel.message.text(),
        buttons=[b.text() for b in panel.buttons.values() if b.isVisible()],
        details=panel.details.toPlainText(),
        web_view_made=page.view.view is not None or page.view._profile is not None,
        window_visible=window.isVisible(), wizard_visible=wizard.isVisible())
    panel.buttons[Action.USE_DEVICE_CODE].click()
    await _until(lambda: page.stack.currentWidget() is page.device_panel)
    fake.approve_device_code(page.device_panel.code.text())
    await _until(lambda: wizard.currentId() == PageId.SUMMARY)
    report["signed_in_as"] = wizard.summary_page.account.text()
    saved = []
    wizard.saved.connect(saved.append)
    wizard.accept()
    await _until(lambda: saved and controller.wizards.window is None)  # closed and let go

    # "Sign in again" for the saved connection embeds the same page: the same protection.
    from o365desk.ui.reauthorize_dialog import ReauthorizeDialog

    dialog = ReauthorizeDialog(controller.services, saved[0], window)
    dialog.show()
    page = dialog.page
    await _until(lambda: page.stack.currentWidget() is page.error_panel)
    await asyncio.sleep(0.5)
    report["again"] = dict(
        code=page.error_panel.explanation.code,
        buttons=[b.text() for b in page.error_panel.buttons.values() if b.isVisible()],
        dialog_visible=dialog.isVisible())
    dialog.reject()


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="o365desk-root-test-"))
    os.environ.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                      XDG_CACHE_HOME=str(home / ".cache"), XDG_DATA_HOME=str(home / ".local"),
                      O365DESK_CONFIG_DIR=str(home / "config"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from o365desk.services import Services
    from o365desk.storage.store import ConnectionStore
    from o365desk.storage.vault import Vault
    from tests.fakes.identity import FakeIdentity
    from tests.fakes.memory_keyring import MemoryKeyring

    backend = MemoryKeyring()
    services = Services(ConnectionStore(home / "config" / "connections.json"),
                        vault_factory=lambda: Vault(backend))
    # As the app starts (o365desk/app.py): QtWebEngine is loaded later, on demand.
    import qasync
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    from o365desk.ui.main_controller import MainController
    from o365desk.ui.main_window import MainWindow

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    window = MainWindow()
    controller = MainController(window, services)
    controller.load()
    window.show()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    report: dict = {"euid": os.geteuid()}
    with FakeIdentity() as fake:
        os.environ["O365DESK_EXTRA_CA_CERTS"] = fake.ca_pem_path
        with loop:
            loop.run_until_complete(_drive(window, controller, fake, report))
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
