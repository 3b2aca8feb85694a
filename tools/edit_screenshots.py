"""Render Edit connection and the statuses it leads to, offscreen, light and dark.

Usage: python tools/edit_screenshots.py OUTPUT_DIR [dark]

Signs in for real (MSAL) against the fake identity platform of the tests, with an
in-memory keychain and temporary HOME and config dirs: nothing real is touched.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.fakes
from shot_runner import isolated_home  # noqa: E402 (beside this script)

_HOME = isolated_home()

import PySide6.QtWebEngineWidgets  # noqa: E402, F401, TID251  (before the QApplication)
from actions_screenshots import shoot, sign_in, wait_until  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402, TID251
from PySide6.QtWidgets import QApplication, QStyleFactory  # noqa: E402, TID251

from o365desk.services import Services  # noqa: E402
from o365desk.storage.store import ConnectionStore  # noqa: E402
from o365desk.storage.vault import Vault  # noqa: E402
from o365desk.ui.main_controller import MainController  # noqa: E402
from o365desk.ui.main_window import MainWindow  # noqa: E402
from tests.fakes.identity import FakeIdentity  # noqa: E402
from tests.fakes.memory_keyring import MemoryKeyring  # noqa: E402


def dark_palette() -> QPalette:
    p = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#202020"),
                         (QPalette.ColorRole.WindowText, "#f0f0f0"),
                         (QPalette.ColorRole.Base, "#141414"),
                         (QPalette.ColorRole.AlternateBase, "#262626"),
                         (QPalette.ColorRole.Text, "#f0f0f0"),
                         (QPalette.ColorRole.Button, "#2d2d2d"),
                         (QPalette.ColorRole.ButtonText, "#f0f0f0"),
                         (QPalette.ColorRole.Highlight, "#3d7bd9"),
                         (QPalette.ColorRole.HighlightedText, "#ffffff"),
                         (QPalette.ColorRole.PlaceholderText, "#a0a0a0"),
                         (QPalette.ColorRole.ToolTipBase, "#2d2d2d"),
                         (QPalette.ColorRole.ToolTipText, "#f0f0f0")):
        p.setColor(role, QColor(colour))
    return p


async def main(out: Path) -> None:
    if "dark" in sys.argv[2:]:
        app = QApplication.instance()
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(dark_palette())
    with FakeIdentity() as fake:
        os.environ["O365DESK_EXTRA_CA_CERTS"] = fake.ca_pem_path
        keyring = MemoryKeyring()
        services = Services(ConnectionStore(_HOME / "config" / "connections.json"),
                            vault_factory=lambda: Vault(keyring))
        await asyncio.to_thread(sign_in, services, fake, "Payroll", ("User.Read",))
        await asyncio.to_thread(sign_in, services, fake, "Mail robot", ("Mail.Send",))
        window = MainWindow()
        controller = MainController(window, services)
        window.resize(1180, 760)
        controller.load()
        window.show()
        controller.start_keychain_check()
        await wait_until(lambda: controller.keychain is not None and not controller.runner.busy)

        def choose(nickname: str) -> None:
            for row in range(controller.proxy.rowCount()):
                if controller.proxy.index(row, 0).data() == nickname:
                    window.table.selectRow(row)

        choose("Payroll")
        await shoot(window, out, "edit-01-details")
        window.act_edit.trigger()
        dialog = controller.edits.edit_dialog
        await wait_until(lambda: dialog.isVisible())
        dialog.description.setText("For the payroll team")
        dialog.permissions.set_scopes(["User.Read", "Mail.Send"])
        await shoot(dialog, out, "edit-02-dialog-added")
        dialog.paste.setText("Mail.Sendd, Calendars.Read")
        dialog._on_paste()
        await shoot(dialog, out, "edit-03-dialog-paste-problem")
        dialog.paste.setText("Calendars.Read, https://graph.microsoft.com/Files.Read")
        dialog._on_paste()
        dialog.save_button.click()
        await wait_until(lambda: controller.actions.dialog is not None)
        controller.actions.dialog.reject()
        await wait_until(lambda: not controller.actions.dialog.isVisible())
        choose("Payroll")
        await shoot(window, out, "edit-04-waiting-for-approval")
        choose("Mail robot")
        window.act_test.trigger()
        await wait_until(lambda: window.result_bar.isVisible() and not controller.runner.busy)
        await shoot(window, out, "edit-05-test-needs-a-permission")
        window.close()


def run(out: Path) -> int:
    from shot_runner import run_async_tool  # beside this script

    return run_async_tool(main, out)


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    sys.exit(run(Path(sys.argv[1])))
