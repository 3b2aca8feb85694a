"""Render New connection from template offscreen: the preview with a refused connection,
and the wizard's pages with locked fields.

Usage: python tools/template_screenshots.py OUTPUT_DIR [dark]

An in-memory keychain and temporary HOME and config dirs: nothing real is touched.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.fakes
from shot_runner import (  # noqa: E402 (beside this script)
    dark_if_asked,
    isolated_home,
    memory_services,
    open_main_window,
    shoot,
    wait_until,
)

_HOME = isolated_home()

import PySide6.QtWebEngineWidgets  # noqa: E402, F401, TID251  (before the QApplication)

from o365desk.core.connection import Connection  # noqa: E402
from o365desk.ui.template_preview import TemplatePreviewDialog  # noqa: E402
from o365desk.ui.wizard.new_connection import NewConnectionWizard  # noqa: E402

PAYROLL = {"nickname": "Payroll", "description": "Payroll team, Contoso UK",
           "tenant": "contoso.com", "cloud": "global",
           "client_id": "0f6e9f9a-8a4e-4c8e-9d43-0f6b2f2c1e11",
           "scopes": ["User.Read", "Mail.Send", "Calendars.Read"],
           "locked": ["tenant", "cloud", "client_id", "scopes"]}


def template(*entries) -> dict:
    return {"format": "o365desk-template", "version": 1, "connections": list(entries)}


async def main(out: Path) -> None:
    dark_if_asked(sys.argv)
    services = memory_services(_HOME)
    services.store.add(Connection("Payroll", tenant="fabrikam.com", scopes=("User.Read",)))
    window, controller = await open_main_window(services, 1180, 760)

    several = _HOME / "team.o365template"
    several.write_text(json.dumps(template(
        PAYROLL, {**PAYROLL, "nickname": "Payroll EU", "tenant": "contoso.eu"},
        {"nickname": "Helpdesk", "tenant": "organizations", "scopes": ["User.Read.All"]})))
    controller.templates().open(several)
    await wait_until(lambda: window.findChild(TemplatePreviewDialog) is not None)
    dialog = window.findChild(TemplatePreviewDialog)
    await wait_until(dialog.isVisible)
    await shoot(dialog, out, "template-01-preview-refused")
    dialog.reject()

    one = _HOME / "payroll.o365template"
    one.write_text(json.dumps(template({**PAYROLL, "nickname": "Payroll (Contoso)"})))
    controller.templates().open(one)
    await wait_until(lambda: controller.templates().dialog is not None
                     and controller.templates().dialog.isVisible())
    await shoot(controller.templates().dialog, out, "template-02-preview-one")
    controller.templates().dialog.accept()
    await wait_until(lambda: isinstance(controller.wizards.window, NewConnectionWizard))
    wizard = controller.wizards.window
    await wait_until(wizard.isVisible)
    wizard.nickname_page.nickname.setText("Payroll UK")
    await shoot(wizard, out, "template-03-wizard-nickname")
    wizard.next()
    wizard.organisation_page.show_advanced()
    await shoot(wizard, out, "template-04-wizard-organisation-locked")
    wizard.next()
    await shoot(wizard, out, "template-05-wizard-permissions-locked")
    wizard.reject()
    window.close()


if __name__ == "__main__":
    from shot_runner import run_tool  # beside this script

    sys.exit(run_tool(main, __doc__, most_args=2))
