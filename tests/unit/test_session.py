"""ConnectionSession against the real MSAL and the fake identity platform over HTTPS."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from o365desk.auth.session import (
    DEFAULT_REDIRECT_URI,
    SignInError,
    host_allowed,
)
from o365desk.core.clouds import Cloud
from o365desk.core.connection import Account, Connection
from o365desk.core.endpoints import normalize_graph_endpoint
from o365desk.core.signin_errors import Action
from o365desk.core.tenant import TenantError
from o365desk.services import Services
from o365desk.storage.store import ConnectionStore
from o365desk.storage.vault import MSAL_CACHE, SERVICE
from tests.fakes.identity import (
    DEFAULT_TENANT_ID,
    DEFAULT_USERNAME,
    ISSUE_CODES,
    MEMBER_USERNAME,
    decode_jwt,
)
from tests.unit.session_kit import make_connection, redirect_url, sign_in

pytest_plugins = ["tests.unit.session_fixtures"]
pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


def token_requests(fake, grant: str | None = None):
    return [r for r in fake.requests_to("/oauth2/v2.0/token")
            if grant is None or r.form.get("grant_type") == grant]


def vault_keys(keyring, connection_id: str) -> set[str]:
    return {u for u in keyring.usernames(SERVICE) if u.startswith(connection_id)}


# --- the embedded (authorization code) sign-in ------------------------------------------


def test_auth_code_sign_in_gives_account_expiry_scopes_and_claims(fake_identity, session,
                                                                  vault):
    start = session.start_auth_code()
    assert start.redirect_uri == DEFAULT_REDIRECT_URI
    query = parse_qs(urlsplit(start.auth_uri).query)
    assert query["code_challenge_method"] == ["S256"] and query["prompt"] == ["select_account"]
    # Graph names go out with the resource prefix, MSAL adds the OIDC scopes itself.
    assert set(query["scope"][0].split()) == {
        "https://graph.microsoft.com/User.Read", "https://graph.microsoft.com/Mail.Send",
        "openid", "profile", "offline_access"}
    assert "code_verifier" not in repr(start) and "flow" not in repr(start)

    result = session.finish_auth_code(
        start, redirect_url(start, fake_identity.sign_in_with_http(start.auth_uri)))
    assert result.account.username == DEFAULT_USERNAME
    assert result.account.tenant_id == DEFAULT_TENANT_ID
    oid = fake_identity.users[DEFAULT_USERNAME].oid
    assert result.account.home_account_id == f"{oid}.{DEFAULT_TENANT_ID}"
    assert result.access_token in fake_identity.access_tokens
    assert result.access_token not in repr(result)
    expected = datetime.now(UTC) + timedelta(seconds=3600)
    assert abs((result.expires_at - expected).total_seconds()) < 10
    assert result.expires_at.tzinfo is not None
    assert set(result.granted) == {"User.Read", "Mail.Send"}
    assert result.requested == ("User.Read", "Mail.Send")
    assert result.claims is not None and result.claims.tenant_id == DEFAULT_TENANT_ID
    assert vault.get(session.connection.id, MSAL_CACHE) is not None


def test_oidc_scopes_are_dropped_and_user_read_is_the_default(fake_identity, sessions):
    odd = sessions(make_connection(fake_identity, scopes=("openid", "offline_access",
                                                          "https://graph.microsoft.com/Mail.Send")))
    assert odd.start_auth_code().requested == ("Mail.Send",)
    empty = sessions(make_connection(fake_identity, scopes=()))
    result = sign_in(fake_identity, empty)
    assert result.requested == ("User.Read",) and result.granted == ("User.Read",)


def test_allowed_hosts_are_the_authoritys_and_the_clouds(fake_identity, session):
    hosts = session.start_auth_code().allowed_hosts
    assert f"127.0.0.1:{fake_identity.port}" in hosts
    assert {"login.microsoftonline.com", "login.live.com", "aadcdn.msauth.net"} <= hosts
    assert host_allowed(f"127.0.0.1:{fake_identity.port}", hosts)
    assert host_allowed("aadcdn.msftauth.net", hosts)
    assert host_allowed("anything.msauth.net", hosts)
    assert host_allowed("LOGIN.microsoftonline.com", hosts)
    for evil in ("evil.example", "msauth.net.evil.example", "127.0.0.1:1", "msauth.net"):
        assert not host_allowed(evil, hosts), evil


def test_cache_is_written_only_when_it_changed(fake_identity, session, signed_in, keyring):
    after_sign_in = keyring.writes
    assert after_sign_in > 0
    cached = session.acquire_silent()  # a cache hit changes nothing
    assert cached.access_token == signed_in.access_token
    assert keyring.writes == after_sign_in
    session.acquire_silent(force_refresh=True)
    assert keyring.writes > after_sign_in


def test_a_new_session_signs_in_silently_from_the_vault(fake_identity, sessions, session,
                                                        signed_in):
    before = len(token_requests(fake_identity))
    fresh = sessions(session.connection.replace(account=signed_in.account))
    again = fresh.acquire_silent()
    assert again.access_token == signed_in.access_token
    assert again.account == signed_in.account
    assert len(token_requests(fake_identity)) == before  # straight from the saved cache
    assert fresh.cached_account() == signed_in.account


def test_force_refresh_uses_the_refresh_token(fake_identity, session, signed_in):
    refreshed = session.acquire_silent(force_refresh=True)
    assert refreshed.access_token != signed_in.access_token
    assert decode_jwt(refreshed.access_token)["upn"] == DEFAULT_USERNAME
    assert len(token_requests(fake_identity, "refresh_token")) == 1


def test_not_signed_in_asks_to_sign_in(session):
    with pytest.raises(SignInError) as caught:
        session.acquire_silent()
    assert caught.value.explanation.code == "not_signed_in"
    assert Action.SIGN_IN_AGAIN in caught.value.explanation.actions
    assert str(caught.value) == caught.value.explanation.message


def test_revoked_refresh_token_means_sign_in_again(fake_identity, session, signed_in):
    fake_identity.revoke_refresh_tokens()
    with pytest.raises(SignInError) as caught:
        session.acquire_silent(force_refresh=True)
    assert caught.value.explanation.code == "AADSTS50173"
    assert Action.SIGN_IN_AGAIN in caught.value.explanation.actions


def test_forged_state_is_refused_with_a_plain_message(fake_identity, session, keyring):
    start = session.start_auth_code()
    params = fake_identity.sign_in_with_http(start.auth_uri)
    with pytest.raises(SignInError) as caught:
        session.finish_auth_code(start, redirect_url(start, {**params, "state": "forged"}))
    assert caught.value.explanation.code == "state_mismatch"
    assert "refused" in str(caught.value)
    assert not token_requests(fake_identity)
    assert keyring.writes == 0


def test_error_redirect_is_refused(fake_identity, session, keyring):
    start = session.start_auth_code()
    params = fake_identity.sign_in_with_http(start.auth_uri, consent=False)
    assert params["error"] == "access_denied"
    with pytest.raises(SignInError) as caught:
        session.finish_auth_code(start, redirect_url(start, params))
    assert caught.value.explanation.code == "AADSTS65004"
    assert "access_denied" in caught.value.explanation.raw
    assert keyring.writes == 0 and not token_requests(fake_identity)


def test_scopes_not_granted_are_missing_from_the_result(fake_identity, session):
    fake_identity.not_granted = {"Mail.Send"}
    result = sign_in(fake_identity, session)
    assert result.granted == ("User.Read",)
    assert result.requested == ("User.Read", "Mail.Send")


def test_reauthorize_with_an_added_scope(fake_identity, session, signed_in):
    wider = session.connection.replace(scopes=(*session.connection.scopes, "User.Read.All"))
    session.rebind(wider)
    with pytest.raises(SignInError) as caught:  # not consented yet: interactive needed
        session.acquire_silent()
    assert caught.value.explanation.code == "AADSTS65001"
    result = sign_in(fake_identity, session)
    assert "User.Read.All" in result.granted
    assert "User.Read.All" in session.acquire_silent(force_refresh=True).granted


# --- every error of issue 4, each at its natural place -----------------------------------


def _trigger(code: int, fake, sessions, keyring):
    """Make `code` happen where it happens for real; return the SignInError."""
    with pytest.raises(SignInError) as caught:
        if code == 65001:  # a refresh asking for a permission never approved
            session = sessions()
            sign_in(fake, session)
            session.acquire_silent(["Directory.Read.All"])
        elif code == 90094:  # a member asking for an admin permission
            session = sessions(make_connection(fake, scopes=("Directory.Read.All",)))
            sign_in(fake, session, username=MEMBER_USERNAME)
        elif code in (90008, 50076, 50079, 53003):  # redirect with the error after sign-in
            fake.fail_authorize(code)
            sign_in(fake, sessions())
        elif code == 50011:  # the token endpoint doesn't know the redirect URI
            fake.fail_token(code, grant="authorization_code")
            sign_in(fake, sessions())
        elif code == 700016:  # an app registration the organisation doesn't have
            session = sessions(make_connection(
                fake, client_id="00000000-1111-2222-3333-444444444444"))
            session.start_device_code()
        elif code == 90002:  # an organisation that doesn't exist
            fake.missing_tenants.add("nosuch.example")
            sessions(make_connection(fake, tenant="nosuch.example")).start_auth_code()
        elif code in (700082, 50173):  # the saved refresh token expired or was revoked
            session = sessions()
            sign_in(fake, session)
            if code == 700082:
                fake.expire_refresh_tokens()
            else:
                fake.revoke_refresh_tokens()
            session.acquire_silent(force_refresh=True)
        elif code == 54005:  # the same code redeemed twice (a reload)
            first = sessions()
            start = first.start_auth_code()
            url = redirect_url(start, fake.sign_in_with_http(start.auth_uri))
            first.finish_auth_code(start, url)
            sessions().finish_auth_code(start, url)
    return caught.value


@pytest.mark.parametrize("code", ISSUE_CODES)
def test_each_aadsts_code_is_explained(fake_identity, sessions, keyring, code):
    error = _trigger(code, fake_identity, sessions, keyring)
    assert error.explanation.code == f"AADSTS{code}"
    assert error.explanation.actions
    if code in (700082, 50173):
        assert Action.SIGN_IN_AGAIN in error.explanation.actions
    if code in (65001, 90094, 90008):
        assert error.explanation.admin_consent_url.startswith(
            f"{fake_identity.base_url}/organizations/v2.0/adminconsent?client_id=")


@pytest.mark.parametrize("error", ["access_denied", "consent_required",
                                   "interaction_required", "invalid_grant"])
def test_each_oauth_error_is_explained(fake_identity, session, keyring, error):
    start = session.start_auth_code()
    # An identity provider that sends the bare OAuth error (no AADSTS code).
    url = f"{start.redirect_uri}?" + urlencode({"error": error, "state": start.flow["state"]})
    with pytest.raises(SignInError) as caught:
        session.finish_auth_code(start, url)
    assert caught.value.explanation.code == error
    assert keyring.writes == 0


@pytest.mark.parametrize("error", ["interaction_required", "invalid_grant"])
def test_oauth_errors_at_refresh_ask_to_sign_in_again(fake_identity, session, signed_in,
                                                      error):
    fake_identity.fail_token(error, grant="refresh_token")
    with pytest.raises(SignInError) as caught:
        session.acquire_silent(force_refresh=True)
    assert Action.SIGN_IN_AGAIN in caught.value.explanation.actions


# --- transport failures: a retry, and nothing saved --------------------------------------


@pytest.mark.parametrize("fault, kind", [(500, "server-error"), (503, "server-error"),
                                         ("malformed", "bad-response"),
                                         ("html", "bad-response"), ("drop", "network")])
def test_token_endpoint_faults_save_nothing(fake_identity, session, keyring, fault, kind):
    start = session.start_auth_code()
    params = fake_identity.sign_in_with_http(start.auth_uri)
    fake_identity.fail_transport(fault)
    with pytest.raises(SignInError) as caught:
        session.finish_auth_code(start, redirect_url(start, params))
    assert caught.value.explanation.code == kind
    assert Action.RETRY in caught.value.explanation.actions
    assert keyring.writes == 0 and not keyring.entries


@pytest.mark.parametrize("fault", [503, "malformed", "drop"])
def test_refresh_faults_keep_the_saved_sign_in(fake_identity, session, signed_in, keyring,
                                               fault):
    saved = dict(keyring.entries)
    fake_identity.fail_transport(fault)
    with pytest.raises(SignInError) as caught:
        session.acquire_silent(force_refresh=True)
    assert Action.RETRY in caught.value.explanation.actions
    assert keyring.entries == saved
    assert session.acquire_silent(["User.Read"], force_refresh=True).access_token


def test_discovery_failure_is_a_retry(fake_identity, session):
    fake_identity.fail_transport(503, endpoint="discovery")
    with pytest.raises(SignInError) as caught:
        session.start_auth_code()
    assert Action.RETRY in caught.value.explanation.actions
    assert session.start_auth_code().auth_uri  # a retry works


def test_tls_failure_without_the_extra_ca(fake_identity, sessions, monkeypatch, keyring):
    monkeypatch.delenv("O365DESK_EXTRA_CA_CERTS")
    # The machine's REQUESTS_CA_BUNDLE must not silently decide what is trusted.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", fake_identity.ca_pem_path)
    with pytest.raises(SignInError) as caught:
        sessions().start_auth_code()
    assert caught.value.explanation.code == "tls"
    assert Action.CHECK_TRUSTED_CERTIFICATES in caught.value.explanation.actions
    assert "O365DESK_EXTRA_CA_CERTS" in str(caught.value)
    assert keyring.writes == 0


def test_timeout_is_a_retry_and_saves_nothing(fake_identity, sessions, keyring):
    session = sessions(timeout=(2.0, 0.3))
    start = session.start_auth_code()
    params = fake_identity.sign_in_with_http(start.auth_uri)
    fake_identity.token_delay = 1.0
    began = time.monotonic()
    with pytest.raises(SignInError) as caught:
        session.finish_auth_code(start, redirect_url(start, params))
    assert time.monotonic() - began < 0.9
    assert caught.value.explanation.code == "timeout"
    assert Action.RETRY in caught.value.explanation.actions
    assert keyring.writes == 0


# --- device code (the system browser: test_browser_sign_in.py) -----------------------------


def test_device_code_sign_in(fake_identity, session, vault):
    start = session.start_device_code()
    assert start.user_code in start.message
    assert start.verification_uri == f"{fake_identity.base_url}/devicelogin"
    assert start.expires_at > datetime.now(UTC)
    threading.Timer(0.2, fake_identity.approve_device_code).start()
    result = session.finish_device_code(start)
    assert result.account.username == DEFAULT_USERNAME
    assert set(result.granted) == {"User.Read", "Mail.Send"}
    assert vault.get(session.connection.id, MSAL_CACHE)


def test_device_code_stops_when_asked_or_expired(fake_identity, session, keyring):
    start = session.start_device_code()
    began = time.monotonic()
    with pytest.raises(SignInError) as caught:
        session.finish_device_code(start, should_stop=lambda: time.monotonic() - began > 0.2)
    assert caught.value.explanation.code == "cancelled"
    start = session.start_device_code()
    fake_identity.expire_device_code(start.user_code)
    with pytest.raises(SignInError) as caught:
        session.finish_device_code(start)
    assert caught.value.explanation.code == "expired_token"
    assert keyring.writes == 0


# --- sign-out, consent link ---------------------------------------------------------------


def test_sign_out_removes_the_vault_entries(fake_identity, session, signed_in, keyring):
    assert vault_keys(keyring, session.connection.id)
    session.sign_out()
    assert not vault_keys(keyring, session.connection.id)
    with pytest.raises(SignInError) as caught:
        session.acquire_silent()
    assert caught.value.explanation.code == "not_signed_in"


def test_consent_url_uses_the_authority_host(fake_identity, session):
    url = session.consent_url()
    assert url.startswith(f"{fake_identity.base_url}/organizations/v2.0/adminconsent?")
    assert "redirect_uri=http%3A%2F%2Flocalhost&" in url and "&state=" in url
    assert f"client_id={session.connection.client_id}" in url


# --- the services around sessions ---------------------------------------------------------


@pytest.fixture
def services(tmp_path, vault, trust_fake):
    svc = Services(ConnectionStore(tmp_path / "connections.json"), vault_factory=lambda: vault)
    yield svc
    for connection in svc.store.connections:
        svc.drop_session(connection.id)


def test_services_keep_one_session_per_connection(fake_identity, services):
    saved = services.store.add(make_connection(fake_identity))
    first = services.session_for(saved)
    assert services.session_for(saved) is first
    renamed = services.store.rename(saved.id, "Contoso 2")
    assert services.session_for(renamed) is first and first.connection.nickname == "Contoso 2"
    moved = services.store.update(renamed.replace(authority=fake_identity.authority(
        DEFAULT_TENANT_ID)))
    assert services.session_for(moved) is not first


def test_services_record_sign_in_sign_out_and_delete(fake_identity, services, keyring):
    saved = services.store.add(make_connection(fake_identity))
    result = sign_in(fake_identity, services.session_for(saved))
    recorded = services.record_sign_in(saved, result)
    assert recorded.account == result.account and recorded.expires_at == result.expires_at
    assert recorded.last_used_at is not None and recorded.scopes == saved.scopes
    assert services.store.find(saved.id).account == result.account
    assert services.session_for(recorded).acquire_silent().access_token == result.access_token

    signed_out = services.sign_out(recorded)
    assert signed_out.account is None and signed_out.expires_at is None
    assert not vault_keys(keyring, saved.id)

    result = sign_in(fake_identity, services.session_for(signed_out))
    recorded = services.record_sign_in(signed_out, result)
    first = services.session_for(recorded)
    assert services.delete_connection(recorded) > 0
    assert not vault_keys(keyring, saved.id)
    assert services.store.connections == []
    assert services.session_for(recorded) is not first  # the cached one was dropped


def test_sign_in_and_sign_out_keep_what_another_window_changed_meanwhile(fake_identity,
                                                                        services, tmp_path):
    saved = services.store.add(make_connection(fake_identity))
    result = sign_in(fake_identity, services.session_for(saved))
    # Meanwhile the command line (another store on the same file) renames and describes it.
    other = ConnectionStore(tmp_path / "connections.json")
    other.patch(saved.id, nickname="Contoso Production", description="ask Ana first")
    recorded = services.record_sign_in(saved, result)  # holds the copy from before
    assert (recorded.nickname, recorded.description) == ("Contoso Production", "ask Ana first")
    assert recorded.account == result.account
    other.patch(saved.id, description="ask Ben now")
    signed_out = services.sign_out(saved)
    assert signed_out.account is None
    on_disk = ConnectionStore(tmp_path / "connections.json").find(saved.id)
    assert (on_disk.nickname, on_disk.description) == ("Contoso Production", "ask Ben now")


def test_record_sign_in_saves_a_connection_the_wizard_has_not_saved_yet(fake_identity,
                                                                        services):
    draft = make_connection(fake_identity)
    result = sign_in(fake_identity, services.session_for(draft))
    saved = services.record_sign_in(draft, result, add_if_missing=True)
    assert services.store.find(draft.id) == saved
    assert isinstance(saved.account, Account)


# --- the Graph endpoint field -------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    (None, None), ("  ", None), ("https://graph.microsoft.us/", "https://graph.microsoft.us"),
    ("https://graph.example.test/v1.0", "https://graph.example.test"),
    ("https://127.0.0.1:8443/graph/beta/", "https://127.0.0.1:8443/graph"),
])
def test_graph_endpoint_is_normalised(raw, expected):
    assert normalize_graph_endpoint(raw) == expected


@pytest.mark.parametrize("raw", ["http://graph.microsoft.com", "graph.microsoft.com",
                                 "https://graph.microsoft.com/?x=1", "https://user@host"])
def test_graph_endpoint_must_be_plain_https(raw):
    with pytest.raises(TenantError):
        normalize_graph_endpoint(raw)


def test_graph_endpoint_round_trips_and_defaults_to_the_clouds(fake_identity):
    conn = make_connection(fake_identity)
    assert Connection.from_dict(conn.to_dict()) == conn
    assert conn.to_dict()["graph_endpoint"] == fake_identity.graph_url
    legacy = {k: v for k, v in conn.to_dict().items() if k != "graph_endpoint"}
    assert Connection.from_dict(legacy).graph_endpoint is None
    plain = Connection("x", cloud=Cloud.USGOV)
    assert plain.effective_graph_endpoint() == "https://graph.microsoft.us"


def test_an_unusable_extra_ca_file_is_a_plain_refusal(fake_identity, sessions, monkeypatch,
                                                     keyring, tmp_path):
    junk = tmp_path / "corp-ca.pem"
    junk.write_text("not a certificate\n")
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", str(junk))
    with pytest.raises(SignInError) as caught:
        sessions().start_auth_code()
    assert caught.value.explanation.code == "trusted-certificates"
    assert caught.value.explanation.title == "Trusted certificates can't be used"
    assert Action.CHECK_TRUSTED_CERTIFICATES in caught.value.explanation.actions
    assert keyring.writes == 0
