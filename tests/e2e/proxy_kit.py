"""Fixtures for the proxy tests (a pytest plugin, see tests/conftest.py): a real proxy.py
on loopback, an app-only connection."""

from __future__ import annotations

import pytest

from o365desk.core.clouds import Cloud
from o365desk.core.connection import Connection, Kind
from tests.fakes.proxy_server import LoopbackProxy

APP_ID = "5c1e7a2b-3d4f-4a6b-8c9d-0e1f2a3b4c5d"
SECRET = "Pq9R~proxy.secret-ONE_aZ8yX7wV6uT5sR4qP3oN2m"
TENANT = "contoso.onmicrosoft.com"
CLOUD = Cloud.USGOV  # its own login and Graph hosts, two names the proxy must reach
LOGIN = f"{CLOUD.login_host}:443"
GRAPH = "graph.microsoft.us:443"
PROXY_VARS = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY",
              "all_proxy", "NO_PROXY", "no_proxy")


@pytest.fixture
def no_proxy_env(monkeypatch):
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def loopback_proxy(fake_identity, no_proxy_env):
    """start(**kw) -> a LoopbackProxy resolving the clouds' hosts to the fake; stopped
    at teardown."""
    started: list[LoopbackProxy] = []

    def start(**kwargs) -> LoopbackProxy:
        kwargs.setdefault("resolve_fake", fake_identity.port)
        started.append(LoopbackProxy.start(**kwargs))
        return started[-1]

    yield start
    for proxy in started:
        proxy.stop()


def app_only_draft() -> Connection:
    return Connection("Daemon", tenant=TENANT, client_id=APP_ID, kind=Kind.APP_ONLY,
                      cloud=CLOUD, scopes=("Organization.Read.All",))
