"""Render the coloured states in a light, a dark and a high-contrast palette, as PNGs.

Usage: python tools/palette_screenshots.py OUTPUT_DIR

The main window with a message bar of each level, the wizard's nickname problem and its
summary with a permission not granted (signed in for real at the tests' fake identity
platform), its sign-in problem and stopped cards, and the permission browser with retired
and deprecated permissions. The palette
is switched while the windows are open, as a theme change does, so the pictures also show
that everything repaints.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.*
# E402: after the path is set; wizard_screenshots points HOME and Qt at temporary,
# offscreen places before anything else of Qt is used.
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget  # noqa: E402, TID251
from wizard_screenshots import (  # noqa: E402 (beside this script)
    _HOME,
    new_wizard,
    shoot,
    sign_in,
    to_signin,
    wait_until,
)

from o365desk.core.signin_errors import (  # noqa: E402
    Explanation,
    TransportKind,
    explain_transport,
)
from o365desk.services import Services  # noqa: E402
from o365desk.storage.store import ConnectionStore  # noqa: E402
from o365desk.storage.vault import Vault  # noqa: E402
from o365desk.ui.main_controller import MainController  # noqa: E402
from o365desk.ui.main_window import MainWindow  # noqa: E402
from o365desk.ui.message_bar import Level  # noqa: E402
from o365desk.ui.scopes import open_scope_browser  # noqa: E402
from o365desk.ui.wizard.new_connection import PageId  # noqa: E402
from o365desk.ui.wizard.signin_panels import ErrorPanel  # noqa: E402
from tests.fakes.identity import FakeIdentity  # noqa: E402
from tests.fakes.memory_keyring import MemoryKeyring  # noqa: E402
from tests.ui.palettes import PALETTES, make_palette  # noqa: E402


async def settle(seconds: float = 0.15) -> None:
    await asyncio.sleep(seconds)
    QApplication.processEvents()


async def each_palette(widgets, out: Path, name: str) -> None:
    app = QApplication.instance()
    for palette in PALETTES:
        app.setPalette(make_palette(app, palette))
        await settle()
        for suffix, widget in widgets:
            shoot(widget, out, f"{name}{suffix}-{palette}")


def main_window() -> MainWindow:
    from screenshots import five_connections  # beside this script

    store = ConnectionStore(_HOME / "config" / "connections.json")
    for conn in five_connections():
        store.add(conn)
    backend = MemoryKeyring()
    window = MainWindow()
    services = Services(store, vault_factory=lambda: Vault(backend))
    window.controller = MainController(window, services)
    window.controller.load()
    window.resize(1180, 700)
    window.show()
    window.notice_bar.show_message("connections.json was damaged. It was moved aside; "
                                   "the list starts empty.", Level.INFO)
    window.keychain_bar.show_message("The keychain is locked. Unlock it, then press Retry.",
                                     Level.WARNING)
    window.error_bar.show_message("The connection could not be saved: the disk is full. "
                                  "Free some space and try again.", Level.ERROR)
    window.table.selectRow(0)
    return window


async def main(out: Path) -> None:
    window = main_window()
    await each_palette([("", window)], out, "01-main-window-bars")
    window.close()

    browser = open_scope_browser()
    browser.resize(1280, 760)
    browser.controller.selection.apply_preset("okta-o365-admin")
    browser.controller.select_permission("ProgramControl.ReadWrite.All")
    await settle(0.3)
    await each_palette([("", browser)], out, "02-browser-retired")
    browser.tabs.setCurrentWidget(browser.selection)
    browser.selection.only_flagged_button.click()  # the retired and deprecated ones
    await each_palette([("", browser)], out, "03-browser-selection")
    browser.close()

    cards = QWidget()
    layout = QVBoxLayout(cards)
    for explanation in (explain_transport(TransportKind.NETWORK),
                        Explanation("cancelled", "Sign-in stopped",
                                    "You stopped the sign-in. Nothing was saved.", (), None, "")):
        panel = ErrorPanel(cards)
        panel.show_explanation(explanation)
        layout.addWidget(panel)
    cards.resize(760, 460)
    cards.show()
    await each_palette([("", cards)], out, "06-sign-in-problem-and-stopped")
    cards.close()

    app = QApplication.instance()
    app.setPalette(make_palette(app, "light"))
    with FakeIdentity() as fake:
        os.environ["O365DESK_EXTRA_CA_CERTS"] = fake.ca_pem_path
        wizard = new_wizard(fake)
        wizard.nickname_page.nickname.setText("Payroll")
        wizard.nickname_page.nickname.setText("")  # typed, then emptied: a problem
        await each_palette([("", wizard)], out, "04-wizard-nickname-problem")
        wizard.reject()

        fake.not_granted = {"User.Read.All"}
        wizard = new_wizard(fake)
        await to_signin(wizard, fake)
        await sign_in(wizard)
        await wait_until(lambda: wizard.currentId() == PageId.SUMMARY)
        await each_palette([("", wizard)], out, "05-wizard-summary-not-granted")
        wizard.reject()
        await asyncio.sleep(0.5)  # let the cancelled wizard remove what it saved


if __name__ == "__main__":
    from shot_runner import run_async_tool  # beside this script

    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(run_async_tool(main, Path(sys.argv[1]), quit_on_last_window_closed=False))
