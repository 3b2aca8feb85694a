"""Render the main window's sign-in actions offscreen: details, test results, sign-out text.

Usage: python tools/actions_screenshots.py OUTPUT_DIR

Signs in for real (MSAL) against the fake identity platform of the tests, with an
in-memory keychain and temporary HOME and config dirs: nothing real is touched.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.fakes
from shot_runner import (  # noqa: E402 (beside this script)
    choose,
    fake_identity,
    isolated_home,
    memory_services,
    open_main_window,
    shoot,
    wait_until,
)

_HOME = isolated_home()

# E402: after the environment is set. TID251: this tool is part of the GUI's tooling.
import PySide6.QtWebEngineWidgets  # noqa: E402, F401, TID251  (before the QApplication)
from PySide6.QtWidgets import QLabel  # noqa: E402, TID251

from o365desk.core.connection import Connection  # noqa: E402
from o365desk.services import Services  # noqa: E402
from o365desk.ui import dialogs  # noqa: E402
from tests.fakes.identity import FakeIdentity  # noqa: E402

TENANT = "contoso.onmicrosoft.com"


def sign_in(services: Services, fake: FakeIdentity, nickname: str, scopes) -> Connection:
    conn = services.store.add(Connection(
        nickname=nickname, tenant=TENANT, authority=fake.authority(TENANT),
        graph_endpoint=fake.graph_url, scopes=tuple(scopes),
        description="Helpdesk admin connection"))
    session = services.session_for(conn)
    start = session.start_auth_code()
    answer = fake.sign_in_with_http(start.auth_uri)
    result = session.finish_auth_code(start, f"{start.redirect_uri}?{urlencode(answer)}")
    return services.record_sign_in(conn, result)


async def main(out: Path) -> None:
    with fake_identity() as fake:
        fake.org_name = "Contoso Ltd"
        fake.not_granted = {"AuditLog.Read.All"}
        services = memory_services(_HOME)
        await asyncio.to_thread(sign_in, services, fake, "Contoso helpdesk",
                                ("User.Read", "User.Read.All", "AuditLog.Read.All"))
        fake.not_granted = set()
        await asyncio.to_thread(sign_in, services, fake, "Contoso reports", ("User.Read",))
        services.store.add(Connection(nickname="Fabrikam", tenant="fabrikam.com"))
        window, controller = await open_main_window(services, 1180, 760)
        await wait_until(lambda: controller.model.state_of(
            controller.model.connections()[0].id) is not None)
        choose(controller, window, "Contoso helpdesk")
        await shoot(window, out, "01-consent-missing-details")
        choose(controller, window, "Contoso reports")
        await shoot(window, out, "02-signed-in-details")
        window.act_test.trigger()
        await wait_until(lambda: window.result_bar.isVisible() and not controller.runner.busy)
        await shoot(window, out, "03-test-ok")
        fake.expire_access_tokens()
        fake.revoke_refresh_tokens()
        window.act_test.trigger()
        await wait_until(lambda: not controller.runner.busy and "didn't" in
                         window.result_bar.text())
        await shoot(window, out, "04-test-failed")
        conn = controller.current()
        box = QLabel(dialogs.sign_out_text(conn, controller.keychain_status.backend))
        box.setWordWrap(True)
        box.setMargin(16)
        box.resize(560, 230)
        box.show()
        await shoot(box, out, "05-sign-out-text")
        choose(controller, window, "Fabrikam")
        await shoot(window, out, "06-not-signed-in")
        window.close()


if __name__ == "__main__":
    from shot_runner import run_tool  # beside this script

    sys.exit(run_tool(main, __doc__))
