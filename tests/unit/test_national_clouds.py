"""National clouds: the embedded view keeps to the connection's own cloud's sign-in hosts,
and the test-only resolver override (tests.fakes.identity.cloud_hosts) lasts only as long
as it is on. The sign-ins themselves are proved end to end in
tests/e2e/test_national_clouds_cli.py and test_national_clouds_view.py."""

from __future__ import annotations

import socket

import pytest

from o365desk.auth.results import host_allowed
from o365desk.auth.session import ConnectionSession
from o365desk.core.clouds import Cloud
from o365desk.core.connection import Connection
from tests.fakes.identity.cloud_hosts import chromium_rules, resolving_to_fake

GLOBAL_ONLY = ("login.microsoftonline.com", "login.live.com", "login.windows.net")


@pytest.mark.parametrize("cloud", [Cloud.USGOV, Cloud.USGOVDOD, Cloud.CHINA])
def test_a_national_clouds_view_may_show_its_own_sign_in_hosts_and_not_the_global_ones(
        cloud, keyring_backend):
    from o365desk.storage.vault import Vault

    connection = Connection("Gov", tenant="contoso.onmicrosoft.com", cloud=cloud)
    hosts = ConnectionSession(connection, Vault(keyring_backend)).allowed_hosts()
    assert host_allowed(cloud.login_host, hosts)
    for host in GLOBAL_ONLY:
        assert not host_allowed(host, hosts), host


def test_the_resolver_override_maps_the_clouds_hosts_on_443_only_while_on():
    original = socket.getaddrinfo
    with resolving_to_fake(4567):
        for host in ("login.microsoftonline.us", "GRAPH.microsoft.us.", "graph.microsoft.com"):
            (answer,) = socket.getaddrinfo(host, 443)
            assert answer[4] == ("127.0.0.1", 4567)
        assert socket.getaddrinfo("127.0.0.1", 80)[0][4][0] == "127.0.0.1"  # untouched
    assert socket.getaddrinfo is original


def test_chromium_rules_map_each_cloud_host_to_the_fakes_port():
    rules = chromium_rules(4567, ["login.microsoftonline.us", "graph.microsoft.us"])
    assert rules == ('--host-resolver-rules="MAP graph.microsoft.us 127.0.0.1:4567, '
                     'MAP login.microsoftonline.us 127.0.0.1:4567"')
