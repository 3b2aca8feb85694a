"""Render New connection when the IT policy offers templates, offscreen: the chooser while
it looks, with IT's templates (one refused), with none yet, offline, and the wizard
started from one of them.

Usage: python tools/it_templates_screenshots.py OUTPUT_DIR [dark]

An in-memory keychain, a policy file and temporary HOME and config dirs: nothing real is
touched.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.fakes
from shot_runner import isolated_home  # noqa: E402 (beside this script)

_HOME = isolated_home()
_POLICY = _HOME / "policy.json"
os.environ["O365DESK_POLICY_FILE"] = str(_POLICY)  # this machine has no policy of its own

import PySide6.QtWebEngineWidgets  # noqa: E402, F401, TID251  (before the QApplication)
from actions_screenshots import shoot, wait_until  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402, TID251

from o365desk.services import Services  # noqa: E402
from o365desk.storage.store import ConnectionStore  # noqa: E402
from o365desk.storage.vault import Vault  # noqa: E402
from o365desk.ui.it_templates import ItTemplatesDialog  # noqa: E402
from o365desk.ui.main_controller import MainController  # noqa: E402
from o365desk.ui.main_window import MainWindow  # noqa: E402
from o365desk.ui.wizard.new_connection import NewConnectionWizard  # noqa: E402
from tests.fakes.memory_keyring import MemoryKeyring  # noqa: E402
from tests.ui.palettes import make_palette  # noqa: E402

PAYROLL = {"nickname": "Payroll", "description": "Payroll team, Contoso UK: pay slips and "
           "the payroll mailbox", "tenant": "contoso.com",
           "scopes": ["User.Read", "Mail.Send", "Calendars.Read"],
           "locked": ["tenant", "scopes"]}
HELPDESK = {"nickname": "Helpdesk", "description": "Password resets and new starters",
            "tenant": "contoso.com", "scopes": ["User.Read.All"]}
REPORTS = {"nickname": "Monthly reports", "tenant": "contoso.com", "scopes": ["Reports.Read.All"]}


def template(*entries) -> str:
    return json.dumps({"format": "o365desk-template", "version": 1,
                       "connections": list(entries)})


def offer(where: str) -> None:
    _POLICY.write_text(json.dumps({"templates": where}))


async def chooser(controller, window) -> ItTemplatesDialog:
    window.act_new.trigger()
    await wait_until(lambda: controller.it_templates().dialog is not None)
    dialog = controller.it_templates().dialog
    await wait_until(lambda: dialog.isVisible()
                     and not dialog.status.label.text().startswith("Looking"))
    return dialog


async def main(out: Path) -> None:
    app = QApplication.instance()
    if "dark" in sys.argv[2:]:
        app.setPalette(make_palette(app, "dark"))
    keyring = MemoryKeyring()
    services = Services(ConnectionStore(_HOME / "config" / "connections.json"),
                        vault_factory=lambda: Vault(keyring))
    window = MainWindow()
    controller = MainController(window, services)
    window.resize(1180, 760)
    controller.load()
    window.show()
    controller.start_keychain_check()
    await wait_until(lambda: controller.keychain is not None and not controller.runner.busy)

    looking = ItTemplatesDialog(window)
    looking.show()
    await shoot(looking, out, "it-templates-01-looking")
    looking.close()
    looking.deleteLater()

    folder = _HOME / "it-templates"
    folder.mkdir()
    (folder / "payroll.o365template").write_text(template(PAYROLL, HELPDESK))
    (folder / "reports.o365template").write_text(template(REPORTS))
    (folder / "old-robot.o365template").write_text(template(
        {**HELPDESK, "nickname": "Robot", "client_secret": "not shown"}))
    offer(str(folder))
    dialog = await chooser(controller, window)
    await shoot(dialog, out, "it-templates-02-chooser")
    dialog.reject()

    empty = _HOME / "no-templates-yet"
    empty.mkdir()
    offer(str(empty))
    dialog = await chooser(controller, window)
    await shoot(dialog, out, "it-templates-03-none-yet")
    dialog.reject()

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    offer(f"https://127.0.0.1:{port}/o365desk/index.json")
    dialog = await chooser(controller, window)
    await shoot(dialog, out, "it-templates-04-offline")
    dialog.reject()

    offer(str(folder))
    dialog = await chooser(controller, window)
    dialog.use.click()
    await wait_until(lambda: isinstance(controller.wizards.window, NewConnectionWizard))
    wizard = controller.wizards.window
    await wait_until(wizard.isVisible)
    await shoot(wizard, out, "it-templates-05-wizard")
    wizard.next()
    await shoot(wizard, out, "it-templates-06-wizard-organisation")
    wizard.reject()
    window.close()


def run(out: Path) -> int:
    from shot_runner import run_async_tool  # beside this script

    return run_async_tool(main, out)


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    sys.exit(run(Path(sys.argv[1])))
