"""Every admin-consent link o365desk copies or prints is the v2.0 one on the connection's
own cloud: the link a failure's explanation carries, the sessions' consent_url() and the
CLI's "Admin-consent link:" line."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from o365desk.auth.admin_consent import shareable_link, with_consent_link
from o365desk.auth.app_session import AppSession
from o365desk.auth.results import error_from_oauth, error_from_result
from o365desk.auth.session import ConnectionSession
from o365desk.core.clouds import Cloud
from o365desk.core.connection import Connection, Credential, CredentialType, Kind
from o365desk.core.signin_errors import Action, explain
from tests.fakes.identity.errors import token_error_body

pytest_plugins = ["tests.unit.session_fixtures"]

CLIENT = "0b6a8f5e-5d7c-4c1e-9f0a-1e2d3c4b5a69"
CLOUDS = [(Cloud.GLOBAL, "login.microsoftonline.com", "https://graph.microsoft.com"),
          (Cloud.USGOV, "login.microsoftonline.us", "https://graph.microsoft.us")]


def _app_only(cloud: Cloud) -> Connection:
    return Connection("Payroll", tenant="contoso.onmicrosoft.com", cloud=cloud,
                      client_id=CLIENT, kind=Kind.APP_ONLY, scopes=("User.Read.All",),
                      credential=Credential(CredentialType.SECRET))


def _delegated(cloud: Cloud) -> Connection:
    return Connection("Mail", tenant="contoso.onmicrosoft.com", cloud=cloud,
                      client_id=CLIENT, scopes=("Mail.Send",))


def _parts(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query, strict_parsing=True).items()}
    return f"{parts.scheme}://{parts.netloc}{parts.path}", query


def _answer(code: int) -> dict:
    return token_error_body(code)


@pytest.mark.parametrize(("cloud", "host", "graph"), CLOUDS)
def test_an_app_only_failure_carries_the_v2_link_on_its_cloud(cloud, host, graph):
    explanation = error_from_result(_answer(65001), _app_only(cloud)).explanation
    assert Action.COPY_ADMIN_CONSENT_LINK in explanation.actions
    where, query = _parts(explanation.admin_consent_url)
    assert where == f"https://{host}/contoso.onmicrosoft.com/v2.0/adminconsent"
    assert query["client_id"] == CLIENT and query["scope"] == f"{graph}/.default"
    assert query["redirect_uri"] == "http://localhost" and len(query["state"]) >= 20


@pytest.mark.parametrize(("cloud", "host", "graph"), CLOUDS)
def test_a_delegated_failure_carries_the_v2_link_for_its_own_permissions(cloud, host, graph):
    for error in (error_from_result(_answer(65001), _delegated(cloud)),
                  error_from_oauth("consent_required", _delegated(cloud))):
        where, query = _parts(error.explanation.admin_consent_url)
        assert where == f"https://{host}/contoso.onmicrosoft.com/v2.0/adminconsent"
        assert query["scope"] == f"{graph}/Mail.Send"


def test_a_failure_that_needs_no_consent_carries_no_link():
    explanation = error_from_result(_answer(7000215), _app_only(Cloud.USGOV)).explanation
    assert Action.COPY_ADMIN_CONSENT_LINK not in explanation.actions
    assert explanation.admin_consent_url is None


def test_no_client_id_means_no_copy_button():
    bare = explain("consent_required", None, None, tenant="contoso.com", cloud="global",
                   client_id="x")
    explanation = with_consent_link(bare, _delegated(Cloud.GLOBAL).replace(client_id=""))
    assert Action.COPY_ADMIN_CONSENT_LINK not in explanation.actions
    assert explanation.admin_consent_url is None


@pytest.mark.parametrize(("cloud", "host", "graph"), CLOUDS)
def test_the_sessions_consent_url_is_the_v2_link(vault, cloud, host, graph):
    for session, scope in ((AppSession(_app_only(cloud), vault), f"{graph}/.default"),
                           (ConnectionSession(_delegated(cloud), vault), f"{graph}/Mail.Send")):
        where, query = _parts(session.consent_url())
        assert where == f"https://{host}/contoso.onmicrosoft.com/v2.0/adminconsent"
        assert query["scope"] == scope and query["redirect_uri"] == "http://localhost"
        session.close()


def test_each_shared_link_has_its_own_state_unless_one_is_given():
    conn = _app_only(Cloud.USGOV)
    assert _parts(shareable_link(conn))[1]["state"] != _parts(shareable_link(conn))[1]["state"]
    assert _parts(shareable_link(conn, "fixed"))[1]["state"] == "fixed"
