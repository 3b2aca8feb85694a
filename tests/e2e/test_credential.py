"""o365desk.credential.ConnectionCredential in the real azure-core pipeline
(BearerTokenCredentialPolicy over RequestsTransport) against the fake Graph over HTTPS,
delegated (signed in at the fake) and app only (a client secret); its refusals; and a
process without azure-core, which still gets a token."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import textwrap

import pytest
from azure.core.credentials import AccessToken, AccessTokenInfo, SupportsTokenInfo, TokenCredential
from azure.core.exceptions import ClientAuthenticationError
from azure.core.pipeline import Pipeline
from azure.core.pipeline.policies import BearerTokenCredentialPolicy
from azure.core.pipeline.transport import RequestsTransport
from azure.core.rest import HttpRequest

from o365desk.core.connection import Connection, Kind
from o365desk.credential import ConnectionCredential, ConnectionCredentialError
from o365desk.storage.store import ConnectionStore
from tests.e2e.test_cli_signin import add_fake_connection, cli_env, login_with_device_code  # noqa: F401
from tests.fakes.identity import DEFAULT_TENANT_ID
from tests.unit.test_damaged_connections import entry, place

pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")

GRAPH = "https://graph.microsoft.com/.default"
APP_ID = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
SECRET = "Fk8Q~app.secret-ONE_zY4xW3vU2tS1rQ0pO9nM8lK7"
HANDOUT = re.compile(r'token handed out: connection "(?P<nick>[^"]+)" \((?P<id>[0-9a-f-]+), '
                     r"(?P<kind>delegated|app only)\), to process (?P<pid>\d+) \(Python "
                     r"credential in (?P<program>[^,]+), started by process \d+\), as "
                     r"credential, expires \S+$")


@pytest.fixture(autouse=True)
def handout_logger_restored():
    """The credential adds its log file to this logger: each test's file is its own."""
    logger = logging.getLogger("o365desk.usecases.token_handout")
    handlers, level = list(logger.handlers), logger.level
    yield
    for handler in logger.handlers:
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level)


def graph_get(credential, fake, path: str):
    """GET `path` on the fake Graph through azure-core's own pipeline and auth policy."""
    pipeline = Pipeline(RequestsTransport(connection_verify=fake.ca_pem_path),
                        policies=[BearerTokenCredentialPolicy(credential, GRAPH)])
    with pipeline:
        response = pipeline.run(HttpRequest("GET", f"{fake.graph_url}{path}")).http_response
        response.read()
    return response


def sent_authorization(fake, path: str) -> str:
    return fake.requests_to(f"/graph{path}", "GET")[-1].header("Authorization")


def handout_lines(config_dir) -> list[re.Match]:
    path = config_dir / "data" / "logs" / "o365desk.log"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [m for m in map(HANDOUT.search, lines) if m]


def no_token_in_any_file(tmp_path, tokens) -> None:
    files = [p for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink()]
    assert files
    for path in files:
        data = path.read_bytes()
        for value in tokens:
            assert value.encode() not in data, f"a token is in {path}"


def test_delegated_graph_call_through_the_azure_core_pipeline(
        fake_identity, services, signed_in, config_dir, tmp_path):
    connection = signed_in(("User.Read", "Mail.Send"))
    with ConnectionCredential("contoso ADMIN", services=services) as credential:
        assert isinstance(credential, TokenCredential)
        assert isinstance(credential, SupportsTokenInfo)
        response = graph_get(credential, fake_identity, "/v1.0/me")
        assert response.status_code == 200, response.text()
        assert response.json()["userPrincipalName"]
        token = services.session_for(connection).acquire_silent().access_token
        assert sent_authorization(fake_identity, "/v1.0/me") == f"Bearer {token}"

        info = credential.get_token_info(GRAPH)
        assert type(info) is AccessTokenInfo
        assert info.token == token and info.token_type == "Bearer"
        assert abs(info.expires_on - connection.expires_at.timestamp()) <= 5
        plain = credential.get_token("User.Read", "https://graph.microsoft.com/Mail.Send",
                                     "offline_access", tenant_id=DEFAULT_TENANT_ID)
        assert type(plain) is AccessToken and plain.token == token

    (first, *rest) = handout_lines(config_dir)
    assert first["nick"] == "Contoso admin" and first["id"] == connection.id
    assert first["kind"] == "delegated" and int(first["pid"]) > 0
    assert first["program"] and len(rest) == 2
    no_token_in_any_file(tmp_path, fake_identity.access_tokens)


def test_app_only_graph_call_through_the_azure_core_pipeline(
        fake_identity, services, config_dir, tmp_path, monkeypatch):
    from o365desk.usecases.app_only import create_app_only

    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    fake_identity.register_app(APP_ID, SECRET, roles=("Organization.Read.All",))
    connection = create_app_only(services, Connection(
        "Daemon", tenant="contoso.onmicrosoft.com", client_id=APP_ID, kind=Kind.APP_ONLY,
        authority=fake_identity.authority("contoso.onmicrosoft.com"),
        graph_endpoint=fake_identity.graph_url, scopes=("Organization.Read.All",)), SECRET)
    credential = ConnectionCredential("Daemon", services=services)
    response = graph_get(credential, fake_identity, "/v1.0/organization")
    assert response.status_code == 200, response.text()
    authorization = sent_authorization(fake_identity, "/v1.0/organization")
    token = authorization.removeprefix("Bearer ")
    assert fake_identity.access_tokens[token].roles == ("Organization.Read.All",)
    assert token == services.session_for(connection).acquire_silent().access_token
    # "https://graph.microsoft.com//.default", as SDKs that add "/.default" to a resource
    # ending in "/" ask for it, and Graph's app ID as the resource.
    assert credential.get_token("https://graph.microsoft.com//.default").token == token
    assert credential.get_token("00000003-0000-0000-c000-000000000000/.default").token == token
    credential.close()

    (line, *_) = handout_lines(config_dir)
    assert line["nick"] == "Daemon" and line["kind"] == "app only"
    no_token_in_any_file(tmp_path, {*fake_identity.access_tokens, SECRET})


@pytest.mark.parametrize(("scope", "words"), [
    ("https://management.azure.com/.default",
     "gives tokens for Microsoft Graph (https://graph.microsoft.com) only, not for "
     "https://management.azure.com"),
    ("https://graph.microsoft.us/.default",
     "is a connection to the Global cloud, whose Microsoft Graph is https://graph.microsoft.com;"
     " it gives no tokens for the Graph of the US Government (GCC High) cloud "
     "(https://graph.microsoft.us)."),
    ("https://graph.microsoft.com/Directory.Read.All",
     "doesn't have the permission \"Directory.Read.All\". Add it: o365desk edit "
     "\"Contoso admin\" --add-scopes Directory.Read.All"),
])
def test_a_token_for_something_else_is_refused_plainly(fake_identity, services, signed_in,
                                                       config_dir, scope, words):
    signed_in()
    credential = ConnectionCredential("Contoso admin", services=services)
    with pytest.raises(ClientAuthenticationError) as refused:
        credential.get_token(scope)
    assert isinstance(refused.value, ConnectionCredentialError)
    assert words in str(refused.value) and "Traceback" not in str(refused.value)
    assert not (config_dir / "data" / "logs").exists() or not handout_lines(config_dir)


def test_another_cloud_is_named(fake_identity, services, signed_in):
    signed_in()
    with pytest.raises(ClientAuthenticationError, match=r"the Graph of the China \(21Vianet\) "
                       r"cloud \(https://microsoftgraph\.chinacloudapi\.cn\)"):
        ConnectionCredential("Contoso admin", services=services).get_token(
            "https://microsoftgraph.chinacloudapi.cn/.default")


def test_another_tenant_a_claims_challenge_and_a_missing_connection_are_refused(
        fake_identity, services, signed_in):
    signed_in()
    credential = ConnectionCredential("Contoso admin", services=services)
    other = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    with pytest.raises(ClientAuthenticationError, match=f"not to {other}"):
        credential.get_token_info(GRAPH, options={"tenant_id": other})
    with pytest.raises(ClientAuthenticationError, match="claims challenge.*o365desk login"):
        credential.get_token(GRAPH, claims='{"access_token":{"nbf":{"essential":true}}}')
    with pytest.raises(ClientAuthenticationError, match='No o365desk connection is called "Nope"'):
        ConnectionCredential("Nope", services=services)
    # Renamed meanwhile (by another program: the file is read again): still the same one.
    other_store = ConnectionStore(services.store.path)
    other_store.rename(other_store.find("Contoso admin").id, "Renamed")
    assert credential.get_token(GRAPH).token in fake_identity.access_tokens
    ConnectionStore(services.store.path).delete(other_store.find("Renamed").id)
    with pytest.raises(ClientAuthenticationError,
                       match='connection "Renamed" was deleted after this credential was made'):
        credential.get_token(GRAPH)


def test_signed_out_expired_and_damaged_connections_say_what_to_do(
        fake_identity, services, signed_in, store_path):
    connection = signed_in()
    credential = ConnectionCredential("Contoso admin", services=services)
    services.sign_out(connection)
    with pytest.raises(ClientAuthenticationError) as signed_out:
        credential.get_token(GRAPH)
    assert "has no saved sign-in on this computer" in str(signed_out.value)
    assert str(signed_out.value).endswith('Run: o365desk login "Contoso admin"')

    fake_identity.access_token_lifetime = 60  # MSAL refreshes a token this short each time
    services.delete_connection(services.store.find("Contoso admin"))
    signed_in(nickname="Short")
    fake_identity.revoke_refresh_tokens()
    with pytest.raises(ClientAuthenticationError) as expired:
        ConnectionCredential("Short", services=services).get_token(GRAPH)
    assert "Sign in again" in str(expired.value) or "sign in again" in str(expired.value)
    assert 'o365desk login "Short"' in str(expired.value)

    place(store_path, entry("Bad", authority="https://login.microsoftonline.com@127.0.0.1/t"))
    services.store.load()
    with pytest.raises(ClientAuthenticationError, match="can't be used"):
        ConnectionCredential("Bad", services=services).get_token(GRAPH)


def test_without_azure_core_a_process_still_gets_a_token(fake_identity, cli_env,  # noqa: F811
                                                         secret_service_vault, config_dir):
    add_fake_connection(fake_identity, cli_env)
    assert login_with_device_code(fake_identity, cli_env)[0] == 0
    script = textwrap.dedent("""
        import json, sys
        sys.modules["azure"] = None  # azure-core can't be imported in this process
        from o365desk.credential import ConnectionCredential, ConnectionCredentialError
        credential = ConnectionCredential("Fake")
        token = credential.get_token("https://graph.microsoft.com/.default")
        info = credential.get_token_info("https://graph.microsoft.com/.default")
        try:
            credential.get_token("https://management.azure.com/.default")
        except ConnectionCredentialError as exc:
            refused = [type(exc).__mro__[1].__name__, str(exc)]
        credential.close()
        print(json.dumps({
            "token": token.token, "expires_on": token.expires_on,
            "token_type": type(token).__module__ + "." + type(token).__name__,
            "info": [info.token, info.expires_on, info.token_type, info.refresh_on,
                     type(info).__module__],
            "repr": repr(token) + repr(info), "refused": refused,
            "azure": [m for m in sys.modules if m.startswith("azure.")],
        }))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env=cli_env)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert got["token"] in fake_identity.access_tokens
    assert got["token_type"] == "o365desk.credential.AccessToken"
    assert got["info"] == [got["token"], got["expires_on"], "Bearer", None,
                           "o365desk.credential"]
    assert got["token"] not in got["repr"] and got["token"] not in done.stderr
    assert got["refused"][0] == "Exception" and "Microsoft Graph" in got["refused"][1]
    assert got["azure"] == []
    lines = handout_lines(config_dir)
    assert [m["program"] for m in lines] == ["-c", "-c"] and lines[0]["nick"] == "Fake"
    assert {int(m["pid"]) for m in lines} != {0}
