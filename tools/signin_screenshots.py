"""Render the sign-in page's ways out offscreen, in a light and a dark palette, as PNGs.

Usage: python tools/signin_screenshots.py OUTPUT_DIR

The sign-in page with its one Cancel (and at Microsoft's consent step), Esc in the page,
the page's process killed, the device code, the "Discard this new connection?" question,
and, in a process of its own as root without QTWEBENGINE_DISABLE_SANDBOX, the page that
offers the other ways. Real QtWebEngine and MSAL against the tests' fake identity platform;
nothing real is touched (see wizard_screenshots.py).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

_ROOT_PART = "--root-part"
if _ROOT_PART in sys.argv:  # the child: as root, with Chromium's sandbox on
    os.environ.pop("QTWEBENGINE_DISABLE_SANDBOX", None)
    os.environ["O365DESK_SHOTS_KEEP_SANDBOX"] = "1"

import wizard_screenshots as ws  # noqa: E402 (beside this script; sets up a temp HOME)

if os.environ.get("O365DESK_SHOTS_KEEP_SANDBOX"):
    os.environ.pop("QTWEBENGINE_DISABLE_SANDBOX", None)  # isolated_home() set a default

from PySide6.QtCore import Qt  # noqa: E402, TID251  (a GUI tool)
from PySide6.QtGui import QColor, QPalette  # noqa: E402, TID251
from PySide6.QtTest import QTest  # noqa: E402, TID251
from PySide6.QtWidgets import QApplication  # noqa: E402, TID251

from o365desk.core.signin_errors import Action  # noqa: E402
from tests.fakes.identity import FakeIdentity  # noqa: E402


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Base, "#1f1f1f"), (QPalette.ColorRole.AlternateBase, "#2f2f2f"),
        (QPalette.ColorRole.Text, "#e6e6e6"), (QPalette.ColorRole.Button, "#3a3a3a"),
        (QPalette.ColorRole.ButtonText, "#e6e6e6"), (QPalette.ColorRole.ToolTipBase, "#3a3a3a"),
        (QPalette.ColorRole.ToolTipText, "#e6e6e6"), (QPalette.ColorRole.Highlight, "#3d7ab8"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"), (QPalette.ColorRole.Link, "#7fb2e5"),
        (QPalette.ColorRole.PlaceholderText, "#9a9a9a"),
    ):
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return palette


def palettes():
    app = QApplication.instance()
    app.setStyle("Fusion")
    yield "light", app.style().standardPalette()
    yield "dark", dark_palette()


async def settle() -> None:
    await asyncio.sleep(0.4)  # a grab right after a page loads is blank
    QApplication.processEvents()


async def shots(out: Path, fake: FakeIdentity, theme: str) -> None:
    def shoot(widget, name: str) -> None:
        ws.shoot(widget, out, f"{name}-{theme}")

    wizard = ws.new_wizard(fake)
    await ws.to_signin(wizard, fake)
    await ws.element(wizard, "username")
    await settle()
    shoot(wizard, "s1-signin-one-cancel")
    await ws.sign_in(wizard, consent=False)
    await ws.element(wizard, "accept")
    await settle()
    shoot(wizard, "s2-consent-one-cancel")
    # Esc with the keyboard in Microsoft's page: only the sign-in stops.
    page = wizard.signin_page
    proxy = page.view.view.focusProxy()
    proxy.setFocus()
    QTest.keyClick(proxy, Qt.Key.Key_Escape)
    await ws.error_state(wizard, Action.SIGN_IN_AGAIN)
    await settle()
    shoot(wizard, "s3-escape-stopped")
    # The page's process killed half-way (as by the out-of-memory killer).
    page.error_panel.buttons[Action.SIGN_IN_AGAIN].click()
    await ws.wait_until(lambda: page.view.running)
    await ws.sign_in(wizard, consent=False)
    await ws.element(wizard, "accept")
    os.kill(page.view.page.renderProcessPid(), signal.SIGKILL)
    await ws.wait_until(lambda: page.stack.currentWidget() is page.error_panel
                        and page.error_panel.explanation.code == "render_gone")
    await settle()
    shoot(wizard, "s4-page-process-killed")
    page.error_panel.buttons[Action.USE_DEVICE_CODE].click()
    await ws.wait_until(lambda: page.stack.currentWidget() is page.device_panel)
    await settle()
    shoot(wizard, "s5-device-code-one-cancel")
    # Cancel asks before losing what was entered.
    wizard.request_close()
    box = wizard.discard_question
    await settle()
    shoot(box, "s6-discard-question")
    shoot(wizard, "s6b-discard-question-over-wizard")
    box.keep_button.click()
    wizard.reject()
    await asyncio.sleep(0.5)
    # Microsoft's sign-in page answers 503: its status and the ways out, no endless wait.
    fake.fail_transport(503, endpoint="authorize")
    wizard = ws.new_wizard(fake)
    await ws.to_signin(wizard, fake)
    page = wizard.signin_page
    await ws.wait_until(lambda: page.stack.currentWidget() is page.error_panel
                        and page.error_panel.explanation.code == "http-error")
    await settle()
    shoot(wizard, "s8-sign-in-page-503")
    wizard.reject()
    await asyncio.sleep(0.5)


async def root_shots(out: Path, fake: FakeIdentity, theme: str) -> None:
    wizard = ws.new_wizard(fake)
    await ws.to_signin(wizard, fake, wait=False)
    page = wizard.signin_page
    await ws.wait_until(lambda: page.stack.currentWidget() is page.error_panel)
    await settle()
    ws.shoot(wizard, out, f"s7-root-no-sandbox-{theme}")
    page.error_panel.details_button.click()
    await settle()
    ws.shoot(wizard, out, f"s7b-root-no-sandbox-details-{theme}")
    wizard.reject()


async def main(out: Path) -> None:
    root_part = _ROOT_PART in sys.argv
    with FakeIdentity() as fake:
        os.environ["O365DESK_EXTRA_CA_CERTS"] = fake.ca_pem_path
        for theme, palette in palettes():
            QApplication.instance().setPalette(palette)
            fake.reset()
            await (root_shots if root_part else shots)(out, fake, theme)
    if not root_part:
        subprocess.run([sys.executable, __file__, str(out), _ROOT_PART], check=True)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != _ROOT_PART]
    if len(args) != 1:
        sys.exit(__doc__)
    from shot_runner import run_async_tool  # beside this script

    sys.exit(run_async_tool(main, Path(args[0]), quit_on_last_window_closed=False))
