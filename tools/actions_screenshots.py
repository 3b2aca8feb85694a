"""Render the main window's sign-in actions offscreen: details, test results, sign-out text.

Usage: python tools/actions_screenshots.py OUTPUT_DIR

Signs in for real (MSAL) against the fake identity platform of the tests, with an
in-memory keychain and temporary HOME and config dirs: nothing real is touched.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.fakes
from shot_runner import isolated_home  # noqa: E402 (beside this script)

_HOME = isolated_home()

# E402: after the environment is set. TID251: this tool is part of the GUI's tooling.
import PySide6.QtWebEngineWidgets  # noqa: E402, F401, TID251  (before the QApplication)
from PySide6.QtWidgets import QLabel  # noqa: E402, TID251

from o365desk.core.connection import Connection  # noqa: E402
from o365desk.services import Services  # noqa: E402
from o365desk.storage.store import ConnectionStore  # noqa: E402
from o365desk.storage.vault import Vault  # noqa: E402
from o365desk.ui import dialogs  # noqa: E402
from o365desk.ui.main_controller import MainController  # noqa: E402
from o365desk.ui.main_window import MainWindow  # noqa: E402
from tests.fakes.identity import FakeIdentity  # noqa: E402
from tests.fakes.memory_keyring import MemoryKeyring  # noqa: E402

TENANT = "contoso.onmicrosoft.com"


async def wait_until(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        await asyncio.sleep(0.05)


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


async def shoot(window, out: Path, name: str) -> None:
    await asyncio.sleep(0.2)
    window.grab().save(str(out / f"{name}.png"))
    print(out / f"{name}.png")


async def main(out: Path) -> None:
    with FakeIdentity() as fake:
        os.environ["O365DESK_EXTRA_CA_CERTS"] = fake.ca_pem_path
        fake.org_name = "Contoso Ltd"
        fake.not_granted = {"AuditLog.Read.All"}
        keyring = MemoryKeyring()
        services = Services(ConnectionStore(_HOME / "config" / "connections.json"),
                            vault_factory=lambda: Vault(keyring))
        await asyncio.to_thread(sign_in, services, fake, "Contoso helpdesk",
                                ("User.Read", "User.Read.All", "AuditLog.Read.All"))
        fake.not_granted = set()
        await asyncio.to_thread(sign_in, services, fake, "Contoso reports", ("User.Read",))
        services.store.add(Connection(nickname="Fabrikam", tenant="fabrikam.com"))
        window = MainWindow()
        controller = MainController(window, services)
        window.resize(1180, 760)  # after the controller: restoring clamps it to the screen
        controller.load()
        window.show()
        controller.start_keychain_check()
        await wait_until(lambda: controller.keychain is not None and not controller.runner.busy)
        await wait_until(lambda: controller.model.state_of(
            controller.model.connections()[0].id) is not None)

        def choose(nickname: str) -> None:
            for row in range(controller.proxy.rowCount()):
                if controller.proxy.index(row, 0).data() == nickname:
                    window.table.selectRow(row)

        choose("Contoso helpdesk")
        await shoot(window, out, "01-consent-missing-details")
        choose("Contoso reports")
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
        choose("Fabrikam")
        await shoot(window, out, "06-not-signed-in")
        window.close()


def run(out: Path) -> int:
    from shot_runner import run_async_tool  # beside this script

    return run_async_tool(main, out)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(run(Path(sys.argv[1])))
