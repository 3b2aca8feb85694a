"""MSAL's token requests and the Graph calls go through the proxy the environment names
(a real proxy.py on loopback), NO_PROXY's hosts go direct, and a malformed proxy setting
is a plain message."""

from __future__ import annotations

import pytest

from o365desk.auth.proxy import ProxySettingError, parse, proxy_for
from o365desk.services import Services
from o365desk.storage.vault import Vault
from o365desk.usecases import test as test_connection
from o365desk.usecases.app_only import create_app_only
from tests.e2e.proxy_kit import APP_ID, GRAPH, LOGIN, SECRET, app_only_draft
from tests.e2e.test_no_secrets_on_disk import debug_logging, temp_home  # noqa: F401  (fixtures)
from tests.fakes.identity.cloud_hosts import resolving_to_fake
from tests.fakes.memory_keyring import MemoryKeyring


@pytest.fixture
def app_only(fake_identity, no_proxy_env):
    no_proxy_env.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    fake_identity.register_app(APP_ID, SECRET, roles=("Organization.Read.All",))
    vault = Vault(MemoryKeyring())
    services = Services(vault_factory=lambda: vault)
    return services, create_app_only(services, app_only_draft(), SECRET)


def test_token_and_graph_go_through_the_proxy(app_only, loopback_proxy, monkeypatch):
    services, connection = app_only
    proxy = loopback_proxy()
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    # No name resolution to the fake in this process: only the proxy can reach the hosts.
    token = services.session_for(connection).acquire_silent()
    assert token.access_token
    assert proxy.wait_for_connect(LOGIN), proxy.connects()
    outcome = test_connection(services, connection)
    assert outcome.result.ok, outcome.result.explanation
    assert proxy.wait_for_connect(GRAPH), proxy.connects()


def test_no_proxy_hosts_go_direct(app_only, loopback_proxy, monkeypatch, fake_identity):
    services, connection = app_only
    proxy = loopback_proxy()
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "example.invalid, graph.microsoft.us")
    with resolving_to_fake(fake_identity.port):
        assert services.session_for(connection).acquire_silent().access_token
        assert test_connection(services, connection).result.ok
    assert proxy.wait_for_connect(LOGIN)
    assert GRAPH not in proxy.connects()
    assert fake_identity.requests_to("/organization")


@pytest.mark.parametrize(("value", "words"), [
    ("http://proxy.example.com:80x80", "its port isn't a number from 1 to 65535"),
    ("socks5://proxy.example.com:1080", "not socks5://"),
    ("http://:8080", "it has no host name"),
])
def test_a_malformed_proxy_setting_is_a_plain_message(app_only, monkeypatch, value, words):
    services, connection = app_only
    monkeypatch.setenv("HTTPS_PROXY", value)
    outcome = test_connection(services, connection)
    assert not outcome.result.ok
    explanation = outcome.result.explanation
    assert explanation.title == "Proxy setting can't be used"
    assert explanation.message.startswith("The proxy setting HTTPS_PROXY (\"")
    assert words in explanation.message and "Traceback" not in explanation.message


def test_a_password_in_the_proxy_setting_is_never_shown(no_proxy_env):
    no_proxy_env.setenv("HTTPS_PROXY", "http://ann:s3cret-Proxy-pass@proxy.example.com:80x")
    with pytest.raises(ProxySettingError) as caught:
        proxy_for("https://login.microsoftonline.com/")
    assert "s3cret" not in str(caught.value) and "ann:***@proxy.example.com" in str(caught.value)
    found = parse("proxy.example.com:3128")
    assert (found.scheme, found.host, found.port) == ("http", "proxy.example.com", 3128)


def test_a_proxy_password_is_asked_once_kept_and_never_logged(
        fake_identity, loopback_proxy, no_proxy_env, request):
    """In process, with debug logging: a 407 asks the installed source once (the wrong
    password first, then the right one), the token and Graph calls get through, the
    login is kept in the keychain under its own service, a second session asks nothing,
    and no file under the home, config or temp folders holds the password."""
    from o365desk.auth import proxy_login
    from o365desk.auth.proxy import forget_login

    log_path = request.getfixturevalue("debug_logging")
    home = request.getfixturevalue("temp_home")
    no_proxy_env.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    user, password = "ann.proxy", "Proxy-Pass-in-process-7c1d"
    proxy = loopback_proxy(basic_auth=f"{user}:{password}")
    no_proxy_env.setenv("HTTPS_PROXY", proxy.url)
    fake_identity.register_app(APP_ID, SECRET, roles=("Organization.Read.All",))
    keyring = MemoryKeyring()
    services = Services(vault_factory=lambda: Vault(keyring))
    asked: list[bool] = []

    def ask(where, refused):
        asked.append(refused)
        return (user, "wrong-" + password) if len(asked) == 1 else (user, password)

    proxy_login.install(proxy_login.LoginSource(
        lambda: proxy_login.proxy_vault(services.vault()), ask))
    try:
        connection = create_app_only(services, app_only_draft(), SECRET)
        assert services.session_for(connection).acquire_silent().access_token
        assert test_connection(services, connection).result.ok
        assert asked == [False, True]
        kept = {k: v for k, v in keyring.entries.items()
                if k[0] == proxy_login.PROXY_SERVICE}
        assert kept and any(password in v for v in kept.values())

        forget_login(parse(proxy.url))  # as a new run: only the keychain knows it
        proxy_login.install(proxy_login.LoginSource(
            lambda: proxy_login.proxy_vault(services.vault()), ask))
        fresh = Services(vault_factory=lambda: Vault(keyring))
        assert fresh.session_for(fresh.store.find("Daemon")).acquire_silent(
            force_refresh=True).access_token
        assert asked == [False, True]  # nothing asked again
    finally:
        proxy_login.install(None)
        forget_login(parse(proxy.url))
    assert proxy.wait_for_connect(LOGIN) and proxy.wait_for_connect(GRAPH)
    import logging

    logging.getLogger("o365desk.test").debug("the proxy password, bare: %s", password)
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "the proxy password, bare" in log_path.read_text(encoding="utf-8")
    for path in home.rglob("*"):
        if path.is_file():
            assert password.encode() not in path.read_bytes(), path
