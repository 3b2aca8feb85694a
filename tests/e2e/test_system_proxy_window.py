"""In the window, MSAL's token request and the Graph calls follow Qt's proxy configuration,
as the web view does: with no HTTPS_PROXY in the environment, an application proxy
factory (what Qt's system configuration is, by default) names a real proxy.py on loopback;
Test connection (Ctrl+T) on an app-only US Government connection then reaches the fake
identity platform only through that proxy. Nothing in this process resolves the cloud's
host names: only the proxy (which resolves them to the fake) can reach them."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtNetwork import QNetworkProxy, QNetworkProxyFactory

from o365desk.auth import proxy as proxies
from o365desk.usecases.app_only import create_app_only
from tests.e2e.proxy_kit import APP_ID, GRAPH, LOGIN, SECRET, app_only_draft
from tests.ui.helpers import press_test, select


class OneProxyFactory(QNetworkProxyFactory):
    """Every query but loopback goes through `port` on 127.0.0.1; notes what it was asked."""

    def __init__(self, port: int) -> None:
        super().__init__()
        self.port = port
        self.asked: list[str] = []
        self.threads: set[str] = set()

    def queryProxy(self, query):  # noqa: N802 (Qt's name)
        self.asked.append(query.url().host())
        self.threads.add(threading.current_thread().name)
        return [QNetworkProxy(QNetworkProxy.ProxyType.HttpProxy, "127.0.0.1", self.port)]


_KEPT: list[OneProxyFactory] = []  # Qt holds a bare pointer: never let Python free one


@pytest.fixture
def qt_proxy_factory():
    """install(port) -> the factory, set as Qt's application proxy factory; Qt's system
    configuration and o365desk's system lookup are back afterwards."""
    def install(port: int) -> OneProxyFactory:
        factory = OneProxyFactory(port)
        _KEPT.append(factory)
        QNetworkProxyFactory.setApplicationProxyFactory(factory)
        return factory

    yield install
    proxies.set_system_lookup(None)
    QNetworkProxy.setApplicationProxy(QNetworkProxy(QNetworkProxy.ProxyType.DefaultProxy))
    QNetworkProxyFactory.setUseSystemConfiguration(True)


def test_test_connection_goes_through_qts_proxy(
        qtbot, qasync_loop, fake_identity, no_proxy_env, loopback_proxy, qt_proxy_factory,
        services, open_window):
    from o365desk.ui import system_proxy

    no_proxy_env.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    fake_identity.register_app(APP_ID, SECRET, roles=("Organization.Read.All",))
    create_app_only(services, app_only_draft(), SECRET)
    proxy = loopback_proxy()
    factory = qt_proxy_factory(proxy.port)
    window, controller = open_window()
    system_proxy.install()  # as the app does after the first paint

    select(window, controller, "Daemon")
    window.table.setFocus()
    press_test(qtbot, window, controller)  # Ctrl+T, as a person does
    text = window.result_bar.text()
    assert text.startswith("Connected to ") and "\u201cDaemon\u201d" in text, text
    assert proxy.wait_for_connect(LOGIN) and proxy.wait_for_connect(GRAPH), proxy.connects()
    assert {"login.microsoftonline.us", "graph.microsoft.us"} <= set(factory.asked)
    assert "MainThread" not in factory.threads  # asked off the GUI thread
    assert {r.host for r in fake_identity.requests} == {"login.microsoftonline.us",
                                                       "graph.microsoft.us"}


def test_the_environment_still_wins(
        qtbot, qasync_loop, fake_identity, no_proxy_env, loopback_proxy, qt_proxy_factory,
        services, open_window):
    """HTTPS_PROXY names one proxy, Qt's configuration another (a closed port): the
    environment's is used and Qt's is not even asked."""
    from o365desk.ui import system_proxy

    no_proxy_env.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    fake_identity.register_app(APP_ID, SECRET, roles=("Organization.Read.All",))
    create_app_only(services, app_only_draft(), SECRET)
    proxy = loopback_proxy()
    no_proxy_env.setenv("HTTPS_PROXY", proxy.url)
    factory = qt_proxy_factory(1)  # nothing listens there
    window, controller = open_window()
    system_proxy.install()

    select(window, controller, "Daemon")
    window.table.setFocus()
    press_test(qtbot, window, controller)
    assert window.result_bar.text().startswith("Connected to "), window.result_bar.text()
    assert proxy.wait_for_connect(LOGIN) and proxy.wait_for_connect(GRAPH)
    assert factory.asked == []


USER, PASSWORD = "ann.proxy", "Sys-Proxy-Pass-9b2c4d"


def test_a_login_typed_for_the_web_views_system_proxy_is_kept_and_used_by_msal(
        qtbot, fake_identity, no_proxy_env, loopback_proxy, qt_proxy_factory, services,
        keyring_backend):
    """The web view meets the 407 of the proxy Qt's configuration names (proxy.py
    --basic-auth): the dialog is typed into; MSAL and Graph then get through that proxy
    with the same login, asking nothing, and it is kept in the keychain under the proxy
    logins' own service and that proxy's entry. In a new run the web view is given the
    kept login without a question."""
    from PySide6.QtNetwork import QAuthenticator

    from o365desk.auth import proxy_login
    from o365desk.ui import system_proxy
    from o365desk.ui.proxy_auth_dialog import answer_web_engine, install_for_window
    from o365desk.usecases import test as test_connection
    from tests.ui.test_proxy_auth_dialog import _answer_next_dialog

    no_proxy_env.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    fake_identity.register_app(APP_ID, SECRET, roles=("Organization.Read.All",))
    connection = create_app_only(services, app_only_draft(), SECRET)
    proxy = loopback_proxy(basic_auth=f"{USER}:{PASSWORD}")
    qt_proxy_factory(proxy.port)
    system_proxy.install()
    asker = install_for_window(services)
    entry = proxy_login.entry_id(proxies.parse(proxy.url))
    sign_in_page = "https://login.microsoftonline.us/contoso.onmicrosoft.com/oauth2/v2.0/authorize"
    try:
        seen: list = []
        _answer_next_dialog(qtbot, USER, PASSWORD, seen)
        web = QAuthenticator()
        answer_web_engine(sign_in_page, web, "127.0.0.1", set())
        assert seen == [False]
        assert (web.user(), web.password()) == (USER, PASSWORD)
        assert not any(service == proxy_login.PROXY_SERVICE
                       for service, _ in keyring_backend.entries)  # not yet accepted

        outcome = test_connection(services, connection)  # MSAL, then Graph
        assert outcome.result.ok, outcome.result.explanation
        assert seen == [False]  # nothing asked again
        assert proxy.wait_for_connect(LOGIN) and proxy.wait_for_connect(GRAPH)
        kept = {name: value for (service, name), value in keyring_backend.entries.items()
                if service == proxy_login.PROXY_SERVICE}
        assert kept and all(name.startswith(entry) for name in kept), kept
        assert any(PASSWORD in value for value in kept.values())

        proxies.forget_login(proxies.parse(proxy.url))  # as a new run: only the keychain
        asker = install_for_window(services)
        unasked: list = []
        _cancel_any_dialog(qtbot, unasked)
        again = QAuthenticator()
        answer_web_engine(sign_in_page, again, "127.0.0.1", set())
        unasked.append("stop")
        assert unasked == ["stop"]
        assert (again.user(), again.password()) == (USER, PASSWORD)
    finally:
        del asker
        proxy_login.install(None)
        proxies.forget_login(proxies.parse(proxy.url))


def _cancel_any_dialog(qtbot, shown: list, tries: int = 40) -> None:
    """Escape on a proxy dialog that shows within `tries` looks (none should), until
    `shown` gets "stop" (the caller's question is over)."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from o365desk.ui.proxy_auth_dialog import ProxyAuthDialog

    def look(left: int) -> None:
        if "stop" in shown:
            return
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ProxyAuthDialog):
            shown.append(dialog)
            qtbot.keyClick(dialog.password, Qt.Key.Key_Escape)
        elif left:
            QTimer.singleShot(50, lambda: look(left - 1))

    QTimer.singleShot(50, lambda: look(tries))


def test_a_login_for_a_proxy_only_the_web_view_uses_is_kept_once_its_page_loads(
        qtbot, no_proxy_env, services, keyring_backend):
    """The web engine's proxy isn't one MSAL goes through (no proxy named for MSAL): the
    dialog's answer is kept in the keychain once the page loaded through that proxy, as
    the dialog says, and given to the web view from there in a new run."""
    from PySide6.QtNetwork import QAuthenticator

    from o365desk.auth import proxy_login
    from o365desk.ui.proxy_auth_dialog import answer_web_engine, install_for_window, keep_given
    from tests.ui.test_proxy_auth_dialog import _answer_next_dialog

    page = "https://login.microsoftonline.com/contoso/oauth2/v2.0/authorize"
    asker = install_for_window(services)
    only_web = proxies.Proxy("http", "webproxy.contoso.example", 0)
    try:
        seen: list = []
        given: dict = {}
        _answer_next_dialog(qtbot, USER, PASSWORD, seen)
        intro: list = []
        _note_intro(intro)
        first = QAuthenticator()
        answer_web_engine(page, first, "webproxy.contoso.example", set(), given)
        assert intro and "proxy (webproxy.contoso.example) asks" in intro[0], intro
        assert seen == [False] and (first.user(), first.password()) == (USER, PASSWORD)
        assert not any(s == proxy_login.PROXY_SERVICE for s, _ in keyring_backend.entries)
        keep_given(given).join(30)  # the page loaded through it
        kept = {name: value for (service, name), value in keyring_backend.entries.items()
                if service == proxy_login.PROXY_SERVICE}
        entry = proxy_login.entry_id(only_web)
        assert kept and all(name.startswith(entry) for name in kept), kept
        assert any(PASSWORD in value for value in kept.values())

        proxies.forget_login(only_web)  # a new run
        asker = install_for_window(services)
        unasked: list = []
        _cancel_any_dialog(qtbot, unasked)
        again = QAuthenticator()
        answer_web_engine(page, again, "webproxy.contoso.example", set(), {})
        unasked.append("stop")
        assert unasked == ["stop"] and (again.user(), again.password()) == (USER, PASSWORD)
    finally:
        del asker
        proxy_login.install(None)
        proxies.forget_login(only_web)


def _note_intro(into: list) -> None:
    """Note the words of the next proxy dialog that shows."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from o365desk.ui.proxy_auth_dialog import ProxyAuthDialog

    def look(left: int = 100) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ProxyAuthDialog):
            into.append(dialog.intro.text())
        elif left:
            QTimer.singleShot(20, lambda: look(left - 1))

    QTimer.singleShot(0, look)
