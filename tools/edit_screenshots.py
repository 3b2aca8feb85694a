"""Render Edit connection and the statuses it leads to, offscreen, light and dark.

Usage: python tools/edit_screenshots.py OUTPUT_DIR [dark]

Signs in for real (MSAL) against the fake identity platform of the tests, with an
in-memory keychain and temporary HOME and config dirs: nothing real is touched.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.fakes
from shot_runner import (  # noqa: E402 (beside this script)
    choose,
    dark_if_asked,
    fake_identity,
    isolated_home,
    memory_services,
    open_main_window,
    shoot,
    wait_until,
)

_HOME = isolated_home()

import PySide6.QtWebEngineWidgets  # noqa: E402, F401, TID251  (before the QApplication)
from actions_screenshots import sign_in  # noqa: E402


async def main(out: Path) -> None:
    dark_if_asked(sys.argv)
    with fake_identity() as fake:
        services = memory_services(_HOME)
        await asyncio.to_thread(sign_in, services, fake, "Payroll", ("User.Read",))
        await asyncio.to_thread(sign_in, services, fake, "Mail robot", ("Mail.Send",))
        window, controller = await open_main_window(services, 1180, 760)
        choose(controller, window, "Payroll")
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
        await wait_until(lambda: controller.actions.dialog is None)  # closed, let go
        choose(controller, window, "Payroll")
        await shoot(window, out, "edit-04-waiting-for-approval")
        choose(controller, window, "Mail robot")
        window.act_test.trigger()
        await wait_until(lambda: window.result_bar.isVisible() and not controller.runner.busy)
        await shoot(window, out, "edit-05-test-needs-a-permission")
        window.close()


if __name__ == "__main__":
    from shot_runner import run_tool  # beside this script

    sys.exit(run_tool(main, __doc__, most_args=2))
