"""Test connection and the tenant's Graph service principal, against the fake Graph."""

from __future__ import annotations

import pytest

from o365desk.catalog.catalog import load_builtin
from o365desk.core.signin_errors import Action
from o365desk.graph import client
from tests.fakes.identity import DEFAULT_USERNAME, GRAPH_APP_ID
from tests.unit.session_kit import make_connection, sign_in

pytest_plugins = ["tests.unit.session_fixtures"]
pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


def test_connection_ok_names_the_organisation_and_times_the_call(fake_identity, session,
                                                                  signed_in):
    fake_identity.graph_delay = 0.2
    result = client.test_connection(session)
    assert result.ok and result.explanation is None
    assert result.summary == fake_identity.org_name
    assert 190 <= result.latency_ms < 5000
    [call] = fake_identity.requests_to("/graph/v1.0/organization")
    assert call.header("Authorization") == f"Bearer {signed_in.access_token}"


def test_forbidden_organisation_falls_back_to_me(fake_identity, session, signed_in):
    fake_identity.graph_required_scopes["/v1.0/organization"] = {"Organization.Read.All"}
    result = client.test_connection(session)
    assert result.ok and result.summary == DEFAULT_USERNAME
    assert fake_identity.requests_to("/graph/v1.0/me")


def test_forbidden_everywhere_explains_the_missing_permission(fake_identity, sessions):
    session = sessions(make_connection(fake_identity, scopes=("Mail.Send",)))
    sign_in(fake_identity, session)
    fake_identity.graph_required_scopes["/v1.0/organization"] = {"Organization.Read.All"}
    result = client.test_connection(session)
    assert not result.ok and result.explanation.code == "graph-403"
    assert Action.CHECK_PERMISSIONS in result.explanation.actions


def test_expired_access_token_is_refreshed_once(fake_identity, session, signed_in):
    fake_identity.expire_access_tokens()
    result = client.test_connection(session)
    assert result.ok
    assert len([r for r in fake_identity.requests_to("/token")
                if r.form["grant_type"] == "refresh_token"]) == 1


def test_expired_and_revoked_asks_to_sign_in_again(fake_identity, session, signed_in):
    fake_identity.expire_access_tokens()
    fake_identity.revoke_refresh_tokens()
    result = client.test_connection(session)
    assert not result.ok and result.latency_ms is None
    assert Action.SIGN_IN_AGAIN in result.explanation.actions


def test_graph_401_even_with_a_fresh_token(fake_identity, session, signed_in):
    fake_identity.fail_transport(401, endpoint="graph", times=2)
    result = client.test_connection(session)
    assert not result.ok and result.explanation.code == "graph-401"
    assert Action.SIGN_IN_AGAIN in result.explanation.actions
    assert signed_in.access_token not in result.explanation.raw


def test_not_signed_in_is_explained_without_a_graph_call(fake_identity, session):
    result = client.test_connection(session)
    assert not result.ok and result.explanation.code == "not_signed_in"
    assert not fake_identity.requests_to("/graph/")


@pytest.mark.parametrize("fault, code", [(503, "graph-503"), ("malformed", "graph-bad-response"),
                                         ("drop", "network")])
def test_graph_faults_offer_a_retry(fake_identity, session, signed_in, fault, code):
    fake_identity.fail_transport(fault, endpoint="graph")
    result = client.test_connection(session)
    assert not result.ok and result.explanation.code == code
    assert Action.RETRY in result.explanation.actions
    assert "sign-in service" not in result.explanation.message


def test_service_principal_and_catalog_refresh(fake_identity, sessions, tmp_path):
    session = sessions(make_connection(fake_identity, scopes=("Application.Read.All",)))
    sign_in(fake_identity, session)
    data = client.fetch_graph_service_principal(session)
    assert data["appId"] == GRAPH_APP_ID
    target = tmp_path / "tenant.json"
    tenant, diff = client.refresh_catalog_from_tenant(session, load_builtin(), target)
    assert target.exists() and "User.Read" in tenant.names()
    assert diff is not None


def test_service_principal_needs_its_permission(fake_identity, session, signed_in):
    with pytest.raises(client.GraphError) as caught:
        client.fetch_graph_service_principal(session)
    assert caught.value.explanation.code == "graph-403"
