"""The fake Microsoft identity platform, driven by the real MSAL (and requests as a browser)."""

from __future__ import annotations

import json
import threading
import time
from urllib.parse import parse_qs, urlsplit

import msal
import pytest
import requests

from tests.fakes.identity import (
    DEFAULT_CLIENT_ID,
    DEFAULT_TENANT_ID,
    DEFAULT_USERNAME,
    GRAPH_APP_ID,
    ISSUE_CODES,
    MEMBER_USERNAME,
    decode_jwt,
    lookup,
)

pytest_plugins = ["tests.fakes.identity.pytest_plugin"]
pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")

SCOPES = ["User.Read", "Mail.Send"]
REDIRECT = "http://localhost"


def _sign_in(fake, app, scopes=SCOPES, **kwargs):
    flow = app.initiate_auth_code_flow(scopes, redirect_uri=REDIRECT)
    response = fake.sign_in_with_http(flow["auth_uri"], **kwargs)
    return flow, response, app.acquire_token_by_auth_code_flow(flow, response)


@pytest.fixture
def signed_in(fake_identity, fake_msal_app):
    """(app, account, first token result) after an interactive sign-in."""
    app = fake_msal_app()
    _, _, result = _sign_in(fake_identity, app)
    assert "access_token" in result, result
    return app, app.get_accounts()[0], result


def _refresh(app, account, scopes=SCOPES):
    return app.acquire_token_silent_with_error(scopes, account, force_refresh=True)


# --- discovery and the happy paths ------------------------------------------------------


@pytest.mark.parametrize("tenant", ["organizations", DEFAULT_TENANT_ID, "contoso.example"])
def test_discovery_points_at_the_fake_for_any_tenant(fake_identity, fake_identity_http,
                                                     tenant):
    url = f"{fake_identity.authority(tenant)}/v2.0/.well-known/openid-configuration"
    doc = fake_identity_http.get(url).json()
    for key in ("authorization_endpoint", "token_endpoint", "device_authorization_endpoint",
                "jwks_uri", "issuer", "end_session_endpoint"):
        assert doc[key].startswith(fake_identity.base_url + "/"), key
    assert fake_identity_http.get(doc["jwks_uri"]).json() == {"keys": []}
    expected_tenant = "organizations" if tenant == "organizations" else DEFAULT_TENANT_ID
    assert doc["token_endpoint"].endswith(f"/{expected_tenant}/oauth2/v2.0/token")


def test_auth_code_flow_with_real_msal(fake_identity, fake_msal_app):
    app = fake_msal_app()
    flow, response, result = _sign_in(fake_identity, app)
    assert set(response) >= {"code", "state", "client_info"}
    assert result["token_type"] == "Bearer"
    assert set(result["scope"].split()) >= {"User.Read", "Mail.Send"}
    assert result["id_token_claims"]["nonce"] == parse_qs(
        urlsplit(flow["auth_uri"]).query)["nonce"][0]
    claims = decode_jwt(result["access_token"])
    assert {"aud", "tid", "scp", "exp", "iat", "amr", "upn", "oid"} <= set(claims)
    assert claims["tid"] == DEFAULT_TENANT_ID and claims["upn"] == DEFAULT_USERNAME
    [account] = app.get_accounts()
    user = fake_identity.users[DEFAULT_USERNAME]
    assert account["home_account_id"] == f"{user.oid}.{DEFAULT_TENANT_ID}"
    assert account["username"] == DEFAULT_USERNAME
    # The PKCE verifier goes only to the token endpoint, the code only there and back.
    [authorize] = fake_identity.requests_to("/oauth2/v2.0/authorize")
    assert authorize.query["code_challenge_method"] == "S256"
    [token] = fake_identity.requests_to("/oauth2/v2.0/token")
    assert token.form["code_verifier"] == flow["code_verifier"]
    assert token.form["code"] == response["code"]
    assert not any(flow["code_verifier"] in str(r.query) for r in fake_identity.requests)


def test_not_granted_scopes_are_missing_from_the_grant(fake_identity, fake_msal_app):
    fake_identity.not_granted = {"Mail.Send"}
    _, _, result = _sign_in(fake_identity, fake_msal_app())
    assert "Mail.Send" not in result["scope"].split()
    assert "User.Read" in result["scope"].split()
    assert "Mail.Send" not in decode_jwt(result["access_token"])["scp"].split()


def test_silent_force_refresh_uses_the_refresh_token(fake_identity, signed_in):
    app, account, first = signed_in
    result = _refresh(app, account)
    assert "access_token" in result and result["access_token"] != first["access_token"]
    [refresh] = [r for r in fake_identity.requests_to("/token")
                 if r.form["grant_type"] == "refresh_token"]
    assert refresh.form["refresh_token"] == first["refresh_token"]


def test_refresh_asking_for_an_unconsented_scope_needs_consent(fake_identity, signed_in):
    app, account, _ = signed_in
    result = _refresh(app, account, ["Directory.Read.All"])
    assert result["error"] == "invalid_grant" and result["suberror"] == "consent_required"
    assert result["error_codes"] == [65001]


def test_revoked_refresh_token_gives_invalid_grant(fake_identity, signed_in):
    app, account, _ = signed_in
    assert fake_identity.revoke_refresh_tokens() == 1
    result = _refresh(app, account)
    assert result["error"] == "invalid_grant" and 50173 in result["error_codes"]


def test_expired_refresh_token_gives_700082(fake_identity, signed_in):
    app, account, _ = signed_in
    fake_identity.expire_refresh_tokens()
    assert _refresh(app, account)["error_codes"] == [700082]


def test_device_code_flow_approved_by_the_fake(fake_identity, fake_msal_app):
    app = fake_msal_app()
    flow = app.initiate_device_flow(scopes=SCOPES)
    assert flow["verification_uri"] == f"{fake_identity.base_url}/devicelogin"
    assert flow["user_code"] in flow["message"]
    pending = app.acquire_token_by_device_flow(dict(flow), exit_condition=lambda f: True)
    assert pending["error"] == "authorization_pending"
    fake_identity.approve_device_code()  # None: the newest pending code, i.e. this one
    result = app.acquire_token_by_device_flow(flow)
    assert "access_token" in result and app.get_accounts()


def test_device_code_flow_through_the_devicelogin_page(fake_identity, fake_msal_app):
    app = fake_msal_app()
    flow = app.initiate_device_flow(scopes=SCOPES)
    done = fake_identity.sign_in_with_http(flow["verification_uri"],
                                           user_code=flow["user_code"])
    assert done == {"done": "1"}
    assert "access_token" in app.acquire_token_by_device_flow(flow)


@pytest.mark.parametrize("how, error", [("deny", "authorization_declined"),
                                        ("expire", "expired_token")])
def test_device_code_declined_or_expired(fake_identity, fake_msal_app, how, error):
    app = fake_msal_app()
    flow = app.initiate_device_flow(scopes=SCOPES)
    getattr(fake_identity, f"{how}_device_code")(flow["user_code"])
    assert app.acquire_token_by_device_flow(flow)["error"] == error


# --- security properties MSAL must keep -------------------------------------------------


def test_forged_state_is_refused_by_msal(fake_identity, fake_msal_app):
    app = fake_msal_app()
    flow = app.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT)
    response = fake_identity.sign_in_with_http(flow["auth_uri"])
    with pytest.raises(ValueError, match="state mismatch"):
        app.acquire_token_by_auth_code_flow(flow, {**response, "state": "forged"})
    assert not fake_identity.requests_to("/token")


def test_cancelled_consent_is_an_access_denied_redirect(fake_identity, fake_msal_app):
    app = fake_msal_app()
    _, response, result = _sign_in(fake_identity, app, consent=False)
    assert response["error"] == "access_denied" and response["error_subcode"] == "cancel"
    assert result["error"] == "access_denied"
    assert result["error_description"].startswith("AADSTS65004")
    assert app.get_accounts() == []


def test_code_reuse_and_wrong_verifier_are_refused(fake_identity, fake_msal_app):
    app = fake_msal_app()
    flow = app.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT)
    response = fake_identity.sign_in_with_http(flow["auth_uri"])
    wrong = app.acquire_token_by_auth_code_flow({**flow, "code_verifier": "x" * 43},
                                                response)
    assert wrong["error_codes"] == [501481]
    assert "access_token" in app.acquire_token_by_auth_code_flow(flow, response)
    again = fake_msal_app().acquire_token_by_auth_code_flow(flow, response)
    assert again["error_codes"] == [54005]


def test_authorize_validates_the_request(fake_identity, fake_msal_app):
    app = fake_msal_app()
    flow = app.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT)
    no_pkce = flow["auth_uri"].replace("code_challenge_method=S256", "code_challenge_method=plain")
    assert "AADSTS9002325" in fake_identity.sign_in_with_http(no_pkce)["error_description"]
    bad_redirect = fake_msal_app().initiate_auth_code_flow(
        SCOPES, redirect_uri="https://evil.example/cb")["auth_uri"]
    assert fake_identity.sign_in_with_http(bad_redirect) == {"error_page": "AADSTS50011"}
    unknown = fake_msal_app(client_id="00000000-1111-2222-3333-444444444444")
    uri = unknown.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT)["auth_uri"]
    assert fake_identity.sign_in_with_http(uri) == {"error_page": "AADSTS700016"}
    loopback = app.initiate_auth_code_flow(SCOPES, redirect_uri="http://localhost:8765")
    assert "code" in fake_identity.sign_in_with_http(loopback["auth_uri"])


def test_unknown_tenant_fails_discovery_with_90002(fake_identity, fake_msal_app):
    fake_identity.missing_tenants.add("nosuch.example")
    with pytest.raises(ValueError, match="Unable to get authority configuration") as caught:
        fake_msal_app("nosuch.example")
    # MSAL's own message drops Entra's answer; it survives only as the chained exception.
    assert "AADSTS90002" in str(caught.value.__context__)


# --- the sign-in pages -----------------------------------------------------------------


def test_sign_in_page_ids_login_hint_and_wrong_password(fake_identity, fake_identity_http):
    app = fake_identity.msal_app(http_client=fake_identity_http)
    flow = app.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT,
                                       login_hint="someone@contoso.onmicrosoft.com")
    page = fake_identity_http.get(flow["auth_uri"]).text
    for element in ('id="username"', 'id="password"', 'id="submit"',
                    'value="someone@contoso.onmicrosoft.com"'):
        assert element in page
    bad = fake_identity.sign_in_with_http(flow["auth_uri"], password="wrong")
    assert bad == {"error_page": "AADSTS50126"}


def test_consent_page_lists_scopes_and_skip_consent(fake_identity, fake_identity_http):
    app = fake_identity.msal_app(http_client=fake_identity_http)
    flow = app.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT)
    page = fake_identity_http.get(flow["auth_uri"]).text
    flow_id = page.split('name="flow" id="flow" value="')[1].split('"')[0]
    consent = fake_identity_http.post(
        f"{fake_identity.base_url}/organizations/login", allow_redirects=False,
        data={"flow": flow_id, "username": DEFAULT_USERNAME,
              "password": fake_identity.users[DEFAULT_USERNAME].password}).text
    for element in ('id="accept"', 'id="cancel"', 'data-scope="User.Read"',
                    'data-scope="Mail.Send"'):
        assert element in consent
    fake_identity.reset()
    fake_identity.skip_consent = True
    fresh = fake_identity.http_session()
    flow = fake_identity.msal_app().initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT)
    page = fresh.get(flow["auth_uri"]).text
    flow_id = page.split('name="flow" id="flow" value="')[1].split('"')[0]
    answer = fresh.post(f"{fake_identity.base_url}/organizations/login",
                        allow_redirects=False,
                        data={"flow": flow_id, "username": DEFAULT_USERNAME,
                              "password": fake_identity.users[DEFAULT_USERNAME].password})
    assert answer.status_code == 302 and "code=" in answer.headers["Location"]


def test_prompt_none_and_the_session_cookie(fake_identity, fake_identity_http):
    app = fake_identity.msal_app(http_client=fake_identity_http)
    silent = app.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT, prompt="none")
    assert fake_identity.sign_in_with_http(silent["auth_uri"])["error"] == "login_required"
    first = app.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT)
    fake_identity.sign_in_with_http(first["auth_uri"], session=fake_identity_http)
    again = app.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT, prompt="none")
    answer = fake_identity_http.get(again["auth_uri"], allow_redirects=False)
    assert answer.status_code == 302 and "code=" in answer.headers["Location"]
    more = app.initiate_auth_code_flow(["Directory.Read.All"], redirect_uri=REDIRECT,
                                       prompt="none")
    answer = fake_identity_http.get(more["auth_uri"], allow_redirects=False)
    assert "error=consent_required" in answer.headers["Location"]


def test_member_asking_for_admin_scope_needs_approval(fake_identity, fake_msal_app):
    app = fake_msal_app()
    flow = app.initiate_auth_code_flow(["Directory.Read.All"], redirect_uri=REDIRECT)
    response = fake_identity.sign_in_with_http(flow["auth_uri"], MEMBER_USERNAME)
    result = app.acquire_token_by_auth_code_flow(flow, response)
    assert result["error"] == "access_denied"
    assert result["error_description"].startswith("AADSTS90094")


# --- error switches ---------------------------------------------------------------------


@pytest.mark.parametrize("code", ISSUE_CODES)
def test_each_aadsts_switch_at_the_token_endpoint(fake_identity, signed_in, code):
    app, account, _ = signed_in
    fake_identity.fail_token(code)
    result = _refresh(app, account)
    assert result["error_codes"] == [code]
    assert result["error_description"].startswith(f"AADSTS{code}:")
    assert result["error"] == lookup(code).token_error
    assert result.get("suberror") == lookup(code).suberror
    # MSAL keeps an HTTP 400 for 60 s and answers an identical request from it: the
    # retry does not reach the fake (whose switch was for one request only).
    sent = len(fake_identity.requests_to("/token"))
    assert _refresh(app, account)["error_codes"] == [code]
    assert len(fake_identity.requests_to("/token")) == sent
    assert "access_token" in _refresh(app, account, ["User.Read"])  # a new request works


@pytest.mark.parametrize("code", ISSUE_CODES)
def test_each_aadsts_switch_at_authorize(fake_identity, fake_msal_app, code):
    app = fake_msal_app()
    fake_identity.fail_authorize(code)
    flow = app.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT)
    response = fake_identity.sign_in_with_http(flow["auth_uri"])
    if lookup(code).as_page:  # the redirect URI can't be trusted: Entra shows a page
        assert response == {"error_page": f"AADSTS{code}"}
        return
    assert response["state"] == flow["state"]
    result = app.acquire_token_by_auth_code_flow(flow, response)
    assert result["error"] == lookup(code).authorize_error
    assert result["error_description"].startswith(f"AADSTS{code}:")


@pytest.mark.parametrize("error, token_error, authorize_error", [
    ("access_denied", "access_denied", "access_denied"),
    ("consent_required", "invalid_grant", "consent_required"),  # + suberror, as Entra
    ("interaction_required", "interaction_required", "interaction_required"),
    ("invalid_grant", "invalid_grant", "invalid_grant"),
])
def test_oauth_error_switches(fake_identity, signed_in, fake_msal_app, error, token_error,
                              authorize_error):
    app, account, _ = signed_in
    fake_identity.fail_token(error)
    assert _refresh(app, account)["error"] == token_error
    fake_identity.fail_authorize(error)
    _, _, result = _sign_in(fake_identity, fake_msal_app())
    assert result["error"] == authorize_error


def test_token_error_body_has_entras_shape(fake_identity, fake_identity_http):
    fake_identity.fail_token(65001, grant="refresh_token")
    answer = fake_identity_http.post(
        f"{fake_identity.authority()}/oauth2/v2.0/token",
        headers={"client-request-id": "corr-1"},
        data={"client_id": DEFAULT_CLIENT_ID, "grant_type": "refresh_token",
              "refresh_token": "whatever"})
    body = answer.json()
    assert answer.status_code == 400
    assert {"error", "error_description", "error_codes", "timestamp", "trace_id",
            "correlation_id", "suberror"} <= set(body)
    assert body["correlation_id"] == "corr-1" and body["suberror"] == "consent_required"


# --- transport faults -------------------------------------------------------------------


def test_token_delay_delays_but_the_fake_keeps_serving(fake_identity, signed_in,
                                                       fake_identity_http):
    app, account, _ = signed_in
    fake_identity.token_delay = 1.0
    done = {}

    def refresh():
        start = time.monotonic()
        done["result"] = _refresh(app, account)
        done["took"] = time.monotonic() - start

    worker = threading.Thread(target=refresh)
    worker.start()
    time.sleep(0.1)
    start = time.monotonic()
    fake_identity_http.get(f"{fake_identity.authority()}/v2.0/.well-known/openid-configuration")
    assert time.monotonic() - start < 0.5  # other endpoints answer meanwhile
    worker.join(5)
    assert "access_token" in done["result"] and done["took"] >= 0.95


@pytest.mark.parametrize("status", [500, 503])
def test_token_endpoint_5xx_raises_and_msal_throttles_the_retry(fake_identity, signed_in,
                                                                status):
    app, account, _ = signed_in
    fake_identity.fail_transport(status)
    before = len(fake_identity.requests_to("/token"))
    for _ in range(2):
        with pytest.raises(msal.exceptions.MsalServiceError, match=f"HTTP Error: {status}"):
            _refresh(app, account)
    # MSAL answers the identical retry from its own 5-second cache: one request only.
    assert len(fake_identity.requests_to("/token")) == before + 1


def test_retry_after_zero_lets_msal_retry_at_once(fake_identity, signed_in):
    app, account, _ = signed_in
    fake_identity.fail_transport(503, retry_after=0)
    with pytest.raises(msal.exceptions.MsalServiceError):
        _refresh(app, account)
    assert "access_token" in _refresh(app, account)


@pytest.mark.parametrize("kind, exception", [
    ("malformed", json.JSONDecodeError), ("html", json.JSONDecodeError),
    ("drop", requests.exceptions.ConnectionError)])
def test_malformed_and_dropped_token_answers_raise(fake_identity, signed_in, kind,
                                                   exception):
    app, account, _ = signed_in
    fake_identity.fail_transport(kind)
    with pytest.raises(exception):
        _refresh(app, account)


def test_untrusted_client_fails_the_tls_handshake(fake_identity):
    session = requests.Session()
    session.trust_env = False
    with pytest.raises(requests.exceptions.SSLError):
        session.get(fake_identity.authority() + "/v2.0/.well-known/openid-configuration")
    deadline = time.monotonic() + 2
    while not fake_identity.tls_failures and time.monotonic() < deadline:
        time.sleep(0.01)  # the server notices in its own thread
    assert fake_identity.tls_failures == 1


# --- fake Graph -------------------------------------------------------------------------


def test_graph_me_and_organization_need_an_issued_token(fake_identity, signed_in,
                                                        fake_identity_http):
    _, _, result = signed_in
    me_url = f"{fake_identity.graph_url}/v1.0/me"
    auth = {"Authorization": f"Bearer {result['access_token']}"}
    me = fake_identity_http.get(me_url, headers=auth)
    assert me.status_code == 200 and me.json()["userPrincipalName"] == DEFAULT_USERNAME
    org = fake_identity_http.get(f"{fake_identity.graph_url}/v1.0/organization", headers=auth)
    assert org.json()["value"][0]["id"] == DEFAULT_TENANT_ID
    missing = fake_identity_http.get(me_url)
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "InvalidAuthenticationToken"
    forged = fake_identity_http.get(me_url, headers={"Authorization": "Bearer a.b.c"})
    assert forged.status_code == 401
    fake_identity.expire_access_tokens()
    assert fake_identity_http.get(me_url, headers=auth).status_code == 401


def test_graph_403_without_the_needed_scope(fake_identity, fake_msal_app,
                                            fake_identity_http):
    _, _, result = _sign_in(fake_identity, fake_msal_app(), ["Mail.Send"])
    answer = fake_identity_http.get(f"{fake_identity.graph_url}/v1.0/me",
                                    headers={"Authorization": f"Bearer {result['access_token']}"})
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "Authorization_RequestDenied"


def test_graph_service_principal(fake_identity, fake_msal_app, fake_identity_http):
    _, _, result = _sign_in(fake_identity, fake_msal_app(), ["Application.Read.All"])
    auth = {"Authorization": f"Bearer {result['access_token']}"}
    url = f"{fake_identity.graph_url}/v1.0/servicePrincipals(appId='{GRAPH_APP_ID}')"
    sp = fake_identity_http.get(url, headers=auth).json()
    values = {s["value"]: s["id"] for s in sp["oauth2PermissionScopes"]}
    assert values["User.Read"] == "e1fe6dd8-ba31-4d61-89e7-88639da4683d"
    assert {r["value"] for r in sp["appRoles"]} >= {"User.Read.All", "Directory.Read.All"}
    listed = fake_identity_http.get(
        f"{fake_identity.graph_url}/v1.0/servicePrincipals",
        params={"$filter": f"appId eq '{GRAPH_APP_ID}'"}, headers=auth)
    assert listed.json()["value"][0]["appId"] == sp["appId"]


def test_graph_faults_and_delay(fake_identity, signed_in, fake_identity_http):
    _, _, result = signed_in
    auth = {"Authorization": f"Bearer {result['access_token']}"}
    url = f"{fake_identity.graph_url}/v1.0/organization"
    fake_identity.fail_transport(503, endpoint="graph", retry_after=7)
    answer = fake_identity_http.get(url, headers=auth)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "7"
    fake_identity.graph_delay = 0.3
    start = time.monotonic()
    assert fake_identity_http.get(url, headers=auth).status_code == 200
    assert time.monotonic() - start >= 0.28


# --- records, quietness, reset ----------------------------------------------------------


def test_records_redirect_listener_and_quiet_output(fake_identity, fake_msal_app,
                                                    fake_redirect_listener, capfd):
    app = fake_msal_app()
    flow = app.initiate_auth_code_flow(SCOPES, redirect_uri=fake_redirect_listener.uri)
    response = fake_identity.sign_in_with_http(flow["auth_uri"])
    assert fake_redirect_listener.count == 0  # sign_in_with_http never follows it
    result = app.acquire_token_by_auth_code_flow(flow, response)
    assert fake_identity.was_sent(response["code"])
    assert fake_identity.was_sent(flow["code_verifier"])
    assert not fake_identity.was_sent("never-sent-value")
    requests.get(f"{fake_redirect_listener.uri.replace('localhost', '127.0.0.1')}/?x=1")
    assert fake_redirect_listener.count == 1
    out, err = capfd.readouterr()
    for secret in (response["code"], flow["code_verifier"], result["access_token"]):
        assert secret not in out and secret not in err


def test_reset_forgets_everything(fake_identity, signed_in):
    fake_identity.fail_token(65001, times=None)
    fake_identity.token_delay = 3
    fake_identity.reset()
    assert not fake_identity.requests and not fake_identity.refresh_tokens
    assert fake_identity.token_delay == 0 and not fake_identity.consents
