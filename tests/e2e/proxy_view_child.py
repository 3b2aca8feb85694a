"""Run by test_proxy_view.py in a process of its own: the national-cloud wizard sign-in of
national_cloud_view_child.py in the real embedded view, with HTTPS_PROXY naming a real
proxy.py on loopback and nothing else resolving the cloud's hosts: only through the proxy
(which resolves them to the fake identity platform) can the view, MSAL and Graph get there.

QtWebEngine reads the proxy when it starts, hence a process of its own. With
``--proxy-password USER:PASSWORD`` the proxy asks for that login (407) and the answer to
the window's question is typed in. Prints one JSON line: what the proxy let through, who
signed in, whether the connection test worked, the fake's own errors.

Usage: python -m tests.e2e.proxy_view_child [--proxy-password USER:PASSWORD]
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path


def main(argv: list[str]) -> int:
    login = argv[1] if argv[:1] == ["--proxy-password"] else None
    home = Path(tempfile.mkdtemp(prefix="o365desk-proxy-view-test-"))
    os.environ.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                      XDG_CACHE_HOME=str(home / ".cache"), XDG_DATA_HOME=str(home / ".local"),
                      O365DESK_CONFIG_DIR=str(home / "config"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for name in ("NO_PROXY", "no_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        os.environ.pop(name, None)

    from tests.fakes.identity import FakeIdentity
    from tests.fakes.proxy_server import LoopbackProxy

    report: dict = {}
    with FakeIdentity() as fake:
        proxy = LoopbackProxy.start(resolve_fake=fake.port, basic_auth=login)
        try:
            os.environ["HTTPS_PROXY"] = proxy.url
            os.environ["O365DESK_EXTRA_CA_CERTS"] = fake.ca_pem_path
            report.update(_run(home, fake, report))
            report["connects"] = proxy.connects()
        finally:
            proxy.stop()
    print(json.dumps(report), flush=True)
    return 0


def _run(home: Path, fake, report: dict) -> dict:
    import qasync
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    from o365desk import usecases
    from o365desk.services import Services
    from o365desk.storage.store import ConnectionStore
    from o365desk.storage.vault import Vault
    from o365desk.ui.wizard.new_connection import NewConnectionWizard
    from tests.e2e.national_cloud_view_child import _drive
    from tests.fakes.memory_keyring import MemoryKeyring

    backend = MemoryKeyring()
    services = Services(ConnectionStore(home / "config" / "connections.json"),
                        vault_factory=lambda: Vault(backend))
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    wizard = NewConnectionWizard(services)
    wizard.show()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(_drive(wizard, fake, report))
    wizard.signin_page.stop()
    (connection,) = services.store.load()
    outcome = usecases.test(services, connection)
    return {"test_ok": outcome.result.ok, "fake_errors": list(fake.server_errors),
            "hosts": sorted({r.host for r in fake.requests})}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
