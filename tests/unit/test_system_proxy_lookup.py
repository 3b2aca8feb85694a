"""auth/proxy.py's order: the environment's proxy (and NO_PROXY) first, then the system
lookup the window installs (asked once per host, with a deadline), then the OS settings
as requests reads them."""

from __future__ import annotations

import threading

import pytest

from o365desk.auth import proxy as proxies

LOGIN = "https://login.microsoftonline.com/contoso/oauth2/v2.0/token"
GRAPH = "https://graph.microsoft.com/v1.0/organization"


class Lookup:
    def __init__(self, answer: str | None = "http://system-proxy.example:8080") -> None:
        self.answer, self.asked = answer, []

    def __call__(self, url: str) -> str | None:
        self.asked.append(url)
        return self.answer


@pytest.fixture(autouse=True)
def clean(no_proxy_env):
    yield no_proxy_env
    proxies.set_system_lookup(None)


def test_the_system_lookup_is_asked_once_per_host():
    lookup = Lookup()
    proxies.set_system_lookup(lookup)
    first = proxies.proxy_for(LOGIN)
    assert (first.scheme, first.host, first.port) == ("http", "system-proxy.example", 8080)
    assert proxies.proxy_for(LOGIN + "?again=1").key == "system-proxy.example:8080"
    assert proxies.proxy_for(GRAPH).key == "system-proxy.example:8080"
    assert lookup.asked == [LOGIN, GRAPH]


def test_the_environment_wins_and_no_proxy_always_applies(clean):
    lookup = Lookup()
    proxies.set_system_lookup(lookup)
    clean.setenv("HTTPS_PROXY", "http://env-proxy.example:3128")
    assert proxies.proxy_for(LOGIN).key == "env-proxy.example:3128"
    clean.delenv("HTTPS_PROXY")
    clean.setenv("NO_PROXY", ".microsoftonline.com")
    assert proxies.proxy_for(LOGIN) is None
    assert lookup.asked == []
    assert proxies.proxy_for(GRAPH).key == "system-proxy.example:8080"


def test_direct_when_the_system_says_so():
    proxies.set_system_lookup(Lookup(None))
    assert proxies.proxy_for(LOGIN) is None


def test_a_login_given_in_this_run_goes_with_the_systems_proxy():
    proxies.set_system_lookup(Lookup())
    found = proxies.proxy_for(LOGIN)
    proxies.remember_login(found, "ann", "Sys-Proxy-Pass-1")
    try:
        again = proxies.proxy_for(GRAPH)
        assert (again.username, again.password) == ("ann", "Sys-Proxy-Pass-1")
    finally:
        proxies.forget_login(found)


def test_a_socks_system_proxy_is_refused_in_words():
    proxies.set_system_lookup(Lookup("socks5://socks.example:1080"))
    with pytest.raises(proxies.ProxySettingError) as caught:
        proxies.proxy_for(LOGIN)
    assert str(caught.value).startswith(
        "The system's proxy setting (\"socks5://socks.example:1080\") isn't a "
        "proxy address o365desk can use: o365desk can reach a proxy by http:// or "
        "https://, not socks5://.")


def test_a_slow_or_failing_lookup_falls_back_to_the_os_settings(monkeypatch):
    monkeypatch.setattr(proxies, "SYSTEM_LOOKUP_DEADLINE_S", 0.5)
    release = threading.Event()

    def slow(url):
        release.wait(30)
        return "http://slow.example:8080"

    proxies.set_system_lookup(slow)
    try:
        assert proxies.proxy_for(LOGIN) is None  # no OS settings here: direct
    finally:
        release.set()

    def broken(url):
        raise OSError("no answer")

    proxies.set_system_lookup(broken)
    assert proxies.proxy_for(LOGIN) is None
