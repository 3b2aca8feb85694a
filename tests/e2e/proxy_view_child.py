"""Run by test_proxy_view.py in a process of its own: the national-cloud wizard sign-in of
national_cloud_view_child.py in the real embedded view, with HTTPS_PROXY naming a real
proxy.py on loopback and nothing else resolving the cloud's hosts: only through the proxy
(which resolves them to the fake identity platform) can the view, MSAL and Graph get there.

QtWebEngine reads the proxy when it starts, hence a process of its own. With
``--proxy-password USER:PASSWORD`` the proxy asks for that login (407) and the answer to
the window's question is typed in. With ``--system-proxy`` HTTPS_PROXY is not set: Qt's
application proxy factory names the proxy (as the desktop's settings would) and MSAL and
Graph follow it as the window makes them (ui/system_proxy.py). Prints one JSON line: what
the proxy let through, who signed in, whether the connection test worked, who asked for
the proxy's password, the fake's own errors.

Usage: python -m tests.e2e.proxy_view_child [--proxy-password USER:PASSWORD] [--system-proxy]
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
    system = "--system-proxy" in argv
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
            if not system:
                os.environ["HTTPS_PROXY"] = proxy.url
            os.environ["O365DESK_EXTRA_CA_CERTS"] = fake.ca_pem_path
            report.update(_run(home, fake, report, login, proxy.port if system else 0))
            report["connects"] = proxy.connects()
            report["proxy_url"] = proxy.url
        finally:
            proxy.stop()
    print(json.dumps(report), flush=True)
    return 0


def _run(home: Path, fake, report: dict, login: str | None, system_port: int) -> dict:
    import qasync
    from PySide6.QtCore import QCoreApplication, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from o365desk import usecases
    from o365desk.auth.proxy_login import PROXY_SERVICE
    from o365desk.services import Services
    from o365desk.storage.store import ConnectionStore
    from o365desk.storage.vault import Vault
    from o365desk.ui.proxy_auth_dialog import install_for_window
    from o365desk.ui.wizard.new_connection import NewConnectionWizard
    from tests.e2e.national_cloud_view_child import _drive
    from tests.fakes.memory_keyring import MemoryKeyring

    backend = MemoryKeyring()
    services = Services(ConnectionStore(home / "config" / "connections.json"),
                        vault_factory=lambda: Vault(backend))
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    factory = _system_proxy(system_port) if system_port else None
    asking: list[str] = []
    _note_who_asks(asking)
    wizard = NewConnectionWizard(services)
    asker = install_for_window(services, wizard)  # as the app does
    asked: list[bool] = []
    answering = QTimer()
    answering.timeout.connect(lambda: _answer_dialog(login, asked))
    answering.start(100)
    wizard.show()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(_drive(wizard, fake, report))
    wizard.signin_page.stop()
    answering.stop()
    (connection,) = services.store.load()
    outcome = usecases.test(services, connection)
    kept = [value for (service, _), value in backend.entries.items() if service == PROXY_SERVICE]
    password = login.split(":", 1)[1] if login else None
    del asker
    if factory is not None:  # Qt deletes it now, not at exit after Python freed it
        from PySide6.QtNetwork import QNetworkProxyFactory

        QNetworkProxyFactory.setUseSystemConfiguration(True)
    return {"test_ok": outcome.result.ok, "fake_errors": list(fake.server_errors),
            "hosts": sorted({r.host for r in fake.requests}), "asked": asked,
            "asking": asking, "kept_under": _kept_under(backend, PROXY_SERVICE, password),
            "kept": bool(password) and any(password in value for value in kept)}


def _system_proxy(port: int):
    """Qt's application proxy factory names the proxy; the window's system lookup on."""
    from PySide6.QtNetwork import QNetworkProxy, QNetworkProxyFactory

    from o365desk.ui import system_proxy

    class OneProxy(QNetworkProxyFactory):
        def queryProxy(self, query):  # noqa: N802 (Qt's name)
            return [QNetworkProxy(QNetworkProxy.ProxyType.HttpProxy, "127.0.0.1", port)]

    factory = OneProxy()
    QNetworkProxyFactory.setApplicationProxyFactory(factory)
    system_proxy.install()
    return factory


def _note_who_asks(asking: list[str]) -> None:
    """Note "web view" or "msal" each time the proxy's question is put to the person."""
    from o365desk.ui import proxy_auth_dialog

    shown = proxy_auth_dialog.ask_in_dialog
    answer = proxy_auth_dialog.answer_web_engine
    inside: list[bool] = []

    def ask(*args, **kwargs):
        asking.append("web view" if inside else "msal")
        return shown(*args, **kwargs)

    def answer_web(*args, **kwargs):
        inside.append(True)
        try:
            return answer(*args, **kwargs)
        finally:
            inside.pop()

    proxy_auth_dialog.ask_in_dialog = ask
    proxy_auth_dialog.answer_web_engine = answer_web


def _kept_under(backend, service: str, password: str | None) -> list[str]:
    """The proxy entries (entry_id of host:port) whose kept login holds `password`."""
    return sorted({name.split("/", 1)[0] for (svc, name), value in backend.entries.items()
                   if svc == service and password and password in value})


def _answer_dialog(login: str | None, asked: list[bool]) -> None:
    """Answer the proxy's question by typing, as a person does: a wrong password first."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from o365desk.ui.proxy_auth_dialog import ProxyAuthDialog

    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, ProxyAuthDialog) or not dialog.isVisible() or not login:
        return
    if getattr(dialog, "answered", False):
        return
    dialog.answered = True
    user, password = login.split(":", 1)
    asked.append(dialog.problem.isVisible())  # told the last answer was refused?
    if not dialog.username.text():
        QTest.keyClicks(dialog.username, user)
    QTest.keyClick(dialog.username, Qt.Key.Key_Tab)
    QTest.keyClicks(dialog.password, "wrong-" + password if len(asked) == 1 else password)
    QTest.keyClick(dialog.password, Qt.Key.Key_Return)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
