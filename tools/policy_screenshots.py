"""Render the IT policy's views offscreen, light and dark: the damaged-policy message bar,
Help > Managed settings, and the wizard's organisation page with managed fields.

Usage: python tools/policy_screenshots.py OUTPUT_DIR [dark]

A policy file in a temporary folder (named by O365DESK_POLICY_FILE), an in-memory
keychain and temporary HOME and config dirs: nothing real is touched.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.fakes
from shot_runner import (  # noqa: E402 (beside this script)
    dark_if_asked,
    isolated_home,
    memory_services,
    open_main_window,
    run_async_tool,
    shoot,
)

_HOME = isolated_home()

import PySide6.QtWebEngineWidgets  # noqa: E402, F401, TID251  (before the QApplication)

from o365desk.core import policy_sources  # noqa: E402
from o365desk.core.clouds import Cloud  # noqa: E402
from o365desk.core.connection import Connection  # noqa: E402

POLICY = {
    "allowed_clouds": ["global"],
    "allowed_organisations": ["contoso.com"],
    "client_id": "3f1c3b52-8d6e-4f0a-9b7c-2d5e6f708192",
    "embedded_sign_in": False,
    "extra_ca_certs": ["/etc/ssl/certs/contoso-proxy-ca.pem"],
    "templates": "https://intranet.contoso.com/o365desk/templates",
    "colour": "blue",
}


async def main(out: Path) -> None:
    suffix = "-dark" if dark_if_asked(sys.argv) else ""
    policy = _HOME / "policy.json"
    os.environ[policy_sources.POLICY_ENV] = str(policy)
    services = memory_services(_HOME)
    services.store.add(Connection(nickname="Contoso admin", tenant="contoso.com",
                                  client_id=POLICY["client_id"]))
    services.store.add(Connection(nickname="Old China tenant", tenant="contoso.cn",
                                  cloud=Cloud.CHINA))

    # A damaged policy: the bar for IT, New connection off.
    policy.write_text(json.dumps({"allowed_clouds": "mars", "keep_alive_days": 400}))
    window, controller = await open_main_window(services, 1180, 660)
    await shoot(window, out, f"policy-01-damaged-bar{suffix}")
    controller.policy.show_dialog()
    await shoot(controller.policy.dialog, out, f"policy-02-damaged-dialog{suffix}")
    controller.policy.dialog.close()

    # A sound policy: Help > Managed settings.
    policy.write_text(json.dumps(POLICY))
    controller.policy.show_dialog()
    await shoot(controller.policy.dialog, out, f"policy-03-managed-settings{suffix}")
    controller.policy.dialog.close()

    # The wizard: the organisation page with the managed cloud and client ID.
    from o365desk.ui.wizard.new_connection import NewConnectionWizard

    wizard = NewConnectionWizard(services, window)
    wizard.show()
    wizard.nickname_page.nickname.setText("Contoso helpdesk")
    wizard.next()
    wizard.organisation_page.tenant.setText("fabrikam.com")
    wizard.organisation_page.show_advanced()
    wizard.next()  # refused: the organisation is not allowed
    await shoot(wizard, out, f"policy-04-wizard-managed{suffix}")
    wizard.signin_page.stop()
    window.close()


if __name__ == "__main__":
    sys.exit(run_async_tool(main, Path(sys.argv[1]), quit_on_last_window_closed=False))
