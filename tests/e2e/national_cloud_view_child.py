"""Run by test_national_clouds_view.py in a process of its own: a US Government connection
made in the New connection wizard and signed in in its real embedded view (QtWebEngine),
with no authority or Graph override, then a silent token and a connection test.

The clouds' host names resolve to the fake identity platform: for QtWebEngine through
Chromium's --host-resolver-rules (QTWEBENGINE_CHROMIUM_FLAGS, set before QtWebEngine
starts, which is why this is a process of its own), for MSAL and Graph in this process
through tests.fakes.identity.cloud_hosts. Prints one JSON line: what the wizard showed,
what was saved, and every request the fake saw (method, host, path, scopes, and for a
Graph call who issued its token).

Usage: python -m tests.e2e.national_cloud_view_child
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path


async def _until(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the wizard did not get there in time")
        await asyncio.sleep(0.05)


async def _js(view, script: str):
    box: list = []
    view.run_javascript(script, box.append)
    await _until(lambda: bool(box), 10)
    return box[0]


async def _element(view, element_id: str) -> None:
    deadline = time.monotonic() + 60
    while await _js(view, f"!!document.getElementById({json.dumps(element_id)})") is not True:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the sign-in page never showed #{element_id}")
        await asyncio.sleep(0.1)


async def _drive(wizard, fake, report: dict) -> None:
    from o365desk.core.clouds import Cloud
    from o365desk.ui.wizard.new_connection import PageId
    from tests.fakes.identity import DEFAULT_PASSWORD, DEFAULT_USERNAME

    wizard.nickname_page.nickname.setText("Gov admin")
    wizard.next()
    org = wizard.organisation_page
    org.tenant.setText("contoso.onmicrosoft.com")
    org.cloud.setCurrentIndex(org.cloud.findData(Cloud.USGOV))
    wizard.next()
    wizard.permissions_page.set_scopes(("User.Read", "Mail.Send"))
    wizard.next()
    view = wizard.signin_page.view
    await _until(lambda: view.running)
    await _element(view, "username")
    report["sign_in_page_url"] = await _js(view, "location.href")
    await _js(view, f"document.getElementById('username').value = "
                    f"{json.dumps(DEFAULT_USERNAME)};"
                    f"document.getElementById('password').value = "
                    f"{json.dumps(DEFAULT_PASSWORD)};"
                    "document.getElementById('submit').click(); true")
    await _element(view, "accept")
    report["consent_page_url"] = await _js(view, "location.href")
    await _js(view, "document.getElementById('accept').click(); true")
    await _until(lambda: wizard.currentId() == PageId.SUMMARY)
    report["signed_in_as"] = wizard.summary_page.account.text()
    report["organisation"] = wizard.summary_page.organisation.text()
    saved = []
    wizard.saved.connect(saved.append)
    wizard.accept()
    await _until(lambda: bool(saved))
    report["saved"] = saved[0].to_dict()
    report["saved_effective"] = [saved[0].effective_authority(),
                                 saved[0].effective_graph_endpoint()]
    await asyncio.sleep(0.5)  # the wizard's own checks still running end first


def _requests(fake) -> list[dict]:
    issued_by = {t: (g.issued_by, g.audience) for t, g in fake.access_tokens.items()}
    out = []
    for r in fake.requests:
        bearer = r.header("Authorization").removeprefix("Bearer ").strip()
        out.append({"method": r.method, "host": r.host, "path": r.path,
                    "scope": r.form.get("scope") or r.query.get("scope") or "",
                    "token": list(issued_by.get(bearer, ("", ""))) if bearer else None})
    return out


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="o365desk-cloud-view-test-"))
    os.environ.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                      XDG_CACHE_HOME=str(home / ".cache"), XDG_DATA_HOME=str(home / ".local"),
                      O365DESK_CONFIG_DIR=str(home / "config"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from tests.fakes.identity import FakeIdentity
    from tests.fakes.identity.cloud_hosts import chromium_rules, resolving_to_fake

    report: dict = {}
    with FakeIdentity() as fake, resolving_to_fake(fake.port):
        os.environ["O365DESK_EXTRA_CA_CERTS"] = fake.ca_pem_path
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} {chromium_rules(fake.port)}"

        import qasync
        from PySide6.QtCore import QCoreApplication, Qt
        from PySide6.QtWidgets import QApplication

        from o365desk.services import Services
        from o365desk.storage.store import ConnectionStore
        from o365desk.storage.vault import Vault
        from o365desk.ui.wizard.new_connection import NewConnectionWizard
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

        from o365desk import usecases
        from tests.fakes.identity.tokens import decode_jwt

        (connection,) = services.store.load()
        before = len(fake.requests)
        token = services.session_for(connection).acquire_silent(force_refresh=True)
        report["token_aud"] = decode_jwt(token.access_token)["aud"]
        outcome = usecases.test(services, connection)
        report["test_ok"] = outcome.result.ok
        report["after_sign_in_from"] = before
        report["requests"] = _requests(fake)
        report["fake_errors"] = list(fake.server_errors)
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
