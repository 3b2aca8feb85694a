"""Try again after an app-only failure asks Microsoft again: MSAL keeps an HTTP 400 answer
for 60 seconds and would otherwise give the same refusal to the same request, so an
administrator's consent (or a clock put right) just after it would go unseen."""

from __future__ import annotations

import pytest

from o365desk.auth.app_session import AppSession
from o365desk.auth.results import SignInError
from o365desk.core.connection import Connection, Credential, CredentialType, Kind
from o365desk.storage.vault import CLIENT_SECRET
from tests.fakes.identity import DEFAULT_DOMAIN

pytest_plugins = ["tests.unit.session_fixtures"]

APP = "7d3f0b6a-1c2e-4d5f-8a9b-0c1d2e3f4a5b"
SECRET = "fake-app-secret-value-0123456789"


@pytest.mark.parametrize("code", [65001, 700024, 7000112])
def test_the_next_try_after_a_refusal_reaches_microsoft(trust_fake, vault, code):
    fake = trust_fake
    fake.register_app(APP, SECRET, roles=("User.Read.All",))
    conn = Connection("Payroll", tenant=DEFAULT_DOMAIN, client_id=APP, kind=Kind.APP_ONLY,
                      authority=fake.authority(DEFAULT_DOMAIN), graph_endpoint=fake.graph_url,
                      scopes=("User.Read.All",), credential=Credential(CredentialType.SECRET))
    vault.set(conn.id, CLIENT_SECRET, SECRET)
    session = AppSession(conn, vault)
    try:
        fake.fail_token(code, grant="client_credentials")  # once: then Microsoft says yes
        with pytest.raises(SignInError) as refused:
            session.acquire_silent()
        assert refused.value.code == f"AADSTS{code}"
        token = session.acquire_silent()  # at once, well inside MSAL's 60 seconds
        assert token.claims.raw["roles"] == ["User.Read.All"]
        assert len(fake.requests_to("/oauth2/v2.0/token", "POST")) == 2
    finally:
        session.close()
