"""A US Government (and DoD, and China) connection signed in through the CLI (device
code), then `token` and `test`, with no authority or Graph override: the cloud's own hosts
(core/clouds.py), resolved to the fake identity platform, which answers as that cloud.
A global connection beside a US Government one keeps to its own cloud too: no token of
one cloud reaches the other's Graph.

The CLI runs as a process of its own through tests.fakes.identity.cloud_hosts, which
resolves the clouds' host names to the fake for that process only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from o365desk.core.clouds import Cloud
from tests.e2e.test_cli_signin import device_code_login
from tests.fakes.identity import DEFAULT_USERNAME
from tests.fakes.identity.tokens import decode_jwt

pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")

TENANT = "contoso.onmicrosoft.com"
US_LOGIN, US_GRAPH = "login.microsoftonline.us", "graph.microsoft.us"
COM_LOGIN, COM_GRAPH = "login.microsoftonline.com", "graph.microsoft.com"


@pytest.fixture
def cli_env(fake_identity, config_dir, monkeypatch):
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    env = os.environ.copy()
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY",
                 "http_proxy", "ALL_PROXY", "all_proxy"):
        env.pop(name, None)
    return env


def as_cloud(fake, env, *args: str) -> subprocess.CompletedProcess:
    """o365desk ARGS with the clouds' hosts resolving to the fake."""
    return subprocess.run(
        [sys.executable, "-m", "tests.fakes.identity.cloud_hosts", str(fake.port), *args],
        capture_output=True, text=True, timeout=120, env=env)


def add(fake, env, nickname: str, cloud: str) -> dict:
    added = as_cloud(fake, env, "add", nickname, "--cloud", cloud, "--tenant", TENANT,
                     "--scopes", "User.Read Mail.Send")
    assert added.returncode == 0, added.stderr
    shown = as_cloud(fake, env, "show", nickname, "--json")
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)["connection"]


def login_with_device_code(fake, env, nickname: str) -> tuple[int, str, str]:
    return device_code_login(fake, env, [sys.executable, "-m", "tests.fakes.identity.cloud_hosts",
                                         str(fake.port)], nickname)


def bearer(request) -> str:
    return request.header("Authorization").removeprefix("Bearer ").strip()


def sign_in_token_test(fake, env, nickname: str) -> str:
    """Device-code sign-in, `token` and `test` of one connection; its access token."""
    code, out, err = login_with_device_code(fake, env, nickname)
    assert code == 0, err
    assert out.strip() == f"Signed in as {DEFAULT_USERNAME}"
    token = as_cloud(fake, env, "token", nickname)
    assert token.returncode == 0, token.stderr
    tested = as_cloud(fake, env, "test", nickname)
    assert tested.returncode == 0, tested.stderr
    assert f'"{nickname}" works' in tested.stdout
    return token.stdout.strip()


@pytest.mark.parametrize("cloud", [Cloud.USGOV, Cloud.USGOVDOD, Cloud.CHINA])
def test_a_national_cloud_sign_in_token_and_test_use_only_the_clouds_own_hosts(
        fake_identity, cli_env, secret_service_vault, cloud):
    login, graph = cloud.login_host, urlsplit(cloud.graph_endpoint).hostname
    connection = add(fake_identity, cli_env, "Gov", cloud.value)
    assert connection["authority"] is None and connection["graph_endpoint"] is None
    assert connection["effective_authority"] == f"https://{login}/{TENANT}"
    assert connection["effective_graph_endpoint"] == f"https://{graph}"
    consent = urlsplit(connection["admin_consent_url"])
    assert consent.hostname == login and consent.path == f"/{TENANT}/v2.0/adminconsent"
    assert f"scope=https%3A%2F%2F{graph}%2FUser.Read%20https%3A%2F%2F{graph}%2FMail.Send" \
        in consent.query

    code, out, err = login_with_device_code(fake_identity, cli_env, "Gov")
    assert code == 0, err
    assert out.strip() == f"Signed in as {DEFAULT_USERNAME}"
    # The fake answered as the cloud: its device login page is on the cloud's host.
    assert f"https://{login}/devicelogin" in err

    sign_in = [r for r in fake_identity.requests if r.host != graph]
    assert sign_in and {r.host for r in sign_in} == {login}
    assert all(r.path.startswith(("/contoso.onmicrosoft.com/", f"/{fake_identity.tenant_id}/"))
               for r in sign_in)
    (device,) = fake_identity.requests_to("/oauth2/v2.0/devicecode", "POST")
    asked = device.form["scope"].split()
    assert f"https://{graph}/User.Read" in asked
    assert f"https://{graph}/Mail.Send" in asked
    assert {s for s in asked if "://" in s} == {f"https://{graph}/User.Read",
                                                 f"https://{graph}/Mail.Send"}

    token = as_cloud(fake_identity, cli_env, "token", "Gov")
    assert token.returncode == 0, token.stderr
    access_token = token.stdout.strip()
    assert decode_jwt(access_token)["aud"] == f"https://{graph}"
    assert fake_identity.access_tokens[access_token].issued_by == f"https://{login}"

    before = len(fake_identity.requests)
    tested = as_cloud(fake_identity, cli_env, "test", "Gov", "--json")
    assert tested.returncode == 0, tested.stderr
    assert json.loads(tested.stdout)["ok"] is True
    graph_calls = [r for r in fake_identity.requests[before:] if r.host == graph]
    assert graph_calls, "`test` made no Graph call to the cloud's Graph"
    assert all(r.path.startswith("/v1.0/") for r in graph_calls)  # Graph's own paths
    assert {bearer(r) for r in graph_calls} <= {
        t for t, g in fake_identity.access_tokens.items() if g.audience == f"https://{graph}"}
    assert {r.host for r in fake_identity.requests} == {login, graph}


def test_a_token_of_one_cloud_never_reaches_the_other_clouds_graph(
        fake_identity, cli_env, secret_service_vault):
    add(fake_identity, cli_env, "Gov", "usgov")
    add(fake_identity, cli_env, "Com", "global")
    us_token = sign_in_token_test(fake_identity, cli_env, "Gov")
    com_token = sign_in_token_test(fake_identity, cli_env, "Com")
    assert decode_jwt(us_token)["aud"] == f"https://{US_GRAPH}"
    assert decode_jwt(com_token)["aud"] == f"https://{COM_GRAPH}"

    issued_by = {t: g.issued_by for t, g in fake_identity.access_tokens.items()}
    home = {US_GRAPH: f"https://{US_LOGIN}", COM_GRAPH: f"https://{COM_LOGIN}"}
    graph_calls = [r for r in fake_identity.requests if r.host in home]
    assert {r.host for r in graph_calls} == {US_GRAPH, COM_GRAPH}
    for request in graph_calls:
        assert issued_by.get(bearer(request)) == home[request.host], (
            f"a token issued by {issued_by.get(bearer(request))} was sent to {request.host}")
    # Sign-in of each went to its own cloud's login host only.
    for request in fake_identity.requests_to("/oauth2/v2.0/", "POST"):
        scopes = request.form.get("scope", "")
        if request.host == US_LOGIN:
            assert COM_GRAPH not in scopes
        else:
            assert request.host == COM_LOGIN and US_GRAPH not in scopes


APP_ID = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
APP_SECRET = "Fk8Q~app.secret-ONE_zY4xW3vU2tS1rQ0pO9nM8lK7"


@pytest.mark.parametrize("credential", ["secret", "certificate"])
def test_an_app_only_us_government_connection_uses_only_its_clouds_hosts(
        fake_identity, cli_env, secret_service_vault, tmp_path, credential):
    """Cloud.USGOV, no overrides, app only: the client credentials grant goes to
    login.microsoftonline.us for https://graph.microsoft.us/.default, and Graph calls to
    graph.microsoft.us."""
    from tests.e2e.certificates import certificate, pem_file, rsa_key

    roles = ("User.Read.All", "Organization.Read.All")
    if credential == "secret":
        fake_identity.register_app(APP_ID, APP_SECRET, roles=roles)
        (tmp_path / "secret.txt").write_text(APP_SECRET, encoding="utf-8")
        given = ("--secret-file", str(tmp_path / "secret.txt"))
    else:
        key = rsa_key()
        cert = certificate(key)
        fake_identity.register_app_certificate(APP_ID, cert, roles=roles)
        given = ("--certificate", str(pem_file(tmp_path, key, cert)))
    added = as_cloud(fake_identity, cli_env, "add", "GovApp", "--app-only", "--cloud",
                     "usgov", "--tenant", TENANT, "--client-id", APP_ID, *given,
                     "--scopes", " ".join(roles))
    assert added.returncode == 0, added.stderr
    shown = as_cloud(fake_identity, cli_env, "show", "GovApp", "--json")
    connection = json.loads(shown.stdout)["connection"]
    assert connection["authority"] is None and connection["graph_endpoint"] is None
    assert connection["effective_authority"] == f"https://{US_LOGIN}/{TENANT}"
    assert connection["effective_graph_endpoint"] == f"https://{US_GRAPH}"
    consent = urlsplit(connection["admin_consent_url"])
    assert consent.hostname == US_LOGIN and consent.path == f"/{TENANT}/v2.0/adminconsent"
    assert f"scope=https%3A%2F%2F{US_GRAPH}%2F.default" in consent.query
    assert f"client_id={APP_ID}" in consent.query

    token = as_cloud(fake_identity, cli_env, "token", "GovApp")
    assert token.returncode == 0, token.stderr
    assert decode_jwt(token.stdout.strip())["aud"] == f"https://{US_GRAPH}"
    (grant,) = [r for r in fake_identity.requests_to("/oauth2/v2.0/token", "POST")]
    assert grant.host == US_LOGIN and grant.form["grant_type"] == "client_credentials"
    assert grant.form["scope"] == f"https://{US_GRAPH}/.default"
    assert ("client_assertion" in grant.form) == (credential == "certificate")
    assert fake_identity.assertion_refusals == []

    before = len(fake_identity.requests)
    tested = as_cloud(fake_identity, cli_env, "test", "GovApp", "--json")
    assert tested.returncode == 0, tested.stderr
    graph_calls = [r for r in fake_identity.requests[before:] if r.host == US_GRAPH]
    assert graph_calls and all(r.path.startswith("/v1.0/") for r in graph_calls)
    assert {r.host for r in fake_identity.requests} == {US_LOGIN, US_GRAPH}
    assert as_cloud(fake_identity, cli_env, "delete", "GovApp", "--yes").returncode == 0
