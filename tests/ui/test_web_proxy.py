"""The embedded sign-in page is given the proxy MSAL and Graph use (auth/proxy.py): the
environment's when it names one (NO_PROXY honoured for the sign-in host), else the
system's proxy settings."""

from __future__ import annotations

import pytest
from PySide6.QtNetwork import QNetworkProxy, QNetworkProxyFactory

from o365desk.ui.signin.web_proxy import apply_for

LOGIN = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize"
VARS = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy",
        "NO_PROXY", "no_proxy")


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    for name in VARS:
        monkeypatch.delenv(name, raising=False)
    yield
    QNetworkProxyFactory.setUseSystemConfiguration(False)
    QNetworkProxy.setApplicationProxy(QNetworkProxy(QNetworkProxy.ProxyType.DefaultProxy))


def test_the_environments_proxy_is_the_web_engines(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://ann:pa%3Ass@proxy.example.com:3128")
    assert apply_for(LOGIN).key == "proxy.example.com:3128"
    assert not QNetworkProxyFactory.usesSystemConfiguration()
    chosen = QNetworkProxy.applicationProxy()
    assert chosen.type() == QNetworkProxy.ProxyType.HttpProxy
    assert (chosen.hostName(), chosen.port()) == ("proxy.example.com", 3128)
    assert (chosen.user(), chosen.password()) == ("ann", "pa:ss")


def test_no_proxy_for_the_sign_in_host_goes_direct(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.com:3128")
    monkeypatch.setenv("NO_PROXY", ".microsoftonline.com")
    assert apply_for(LOGIN) is None
    assert QNetworkProxy.applicationProxy().type() == QNetworkProxy.ProxyType.NoProxy


def test_without_a_proxy_in_the_environment_the_systems_settings_apply():
    assert apply_for(LOGIN) is None
    assert QNetworkProxyFactory.usesSystemConfiguration()


def test_a_malformed_setting_leaves_the_system_settings(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.com:99999")
    assert apply_for(LOGIN) is None
    assert QNetworkProxyFactory.usesSystemConfiguration()


class _Factory(QNetworkProxyFactory):
    def queryProxy(self, query):  # noqa: N802 (Qt's name)
        return [QNetworkProxy(QNetworkProxy.ProxyType.HttpProxy, "factory.example", 3128)]


_KEPT: list[_Factory] = []  # Qt keeps a bare pointer: never let Python free one


def test_without_the_environment_qts_own_factory_is_kept(monkeypatch):
    """The web view follows Qt's configuration as MSAL and Graph do in the window
    (ui/system_proxy.py): an application's factory is not replaced; a proxy apply_for set
    from the environment earlier is undone."""
    factory = _Factory()
    _KEPT.append(factory)
    QNetworkProxyFactory.setApplicationProxyFactory(factory)
    assert apply_for(LOGIN) is None
    assert QNetworkProxy.applicationProxy().hostName() == "factory.example"
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.com:3128")
    apply_for(LOGIN)
    assert QNetworkProxy.applicationProxy().hostName() == "proxy.example.com"
    monkeypatch.delenv("HTTPS_PROXY")
    assert apply_for(LOGIN) is None
    assert QNetworkProxyFactory.usesSystemConfiguration()
