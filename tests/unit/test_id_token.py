"""ID tokens are checked (issuer, audience, expiry, start, nonce) in every flow, against
the real MSAL and the fake identity platform; a refused one saves nothing."""

from __future__ import annotations

import threading
import time

import pytest

from o365desk.auth.id_token import SKEW_SECONDS, IdTokenRefused, checked_claims, expected_issuer
from o365desk.auth.session import SignInError
from o365desk.core.signin_errors import Action
from o365desk.storage.vault import MSAL_CACHE
from tests.fakes.browser import signing_in, stand_in_browser
from tests.fakes.identity import DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, DEFAULT_USERNAME
from tests.fakes.identity.tokens import make_jwt
from tests.unit.session_kit import make_connection, redirect_url, sign_in

pytest_plugins = ["tests.unit.session_fixtures"]
pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")

OTHER_TENANT = "0b7e2f7c-1111-4222-8333-944455556666"


def bad_claims(fake) -> dict[str, dict]:
    """What a misbehaving server puts in the ID token, by the check that must refuse it."""
    now = int(time.time())
    return {
        "issuer": {"iss": f"https://evil.example/{DEFAULT_TENANT_ID}/v2.0"},
        "issuer-other-tenant": {"iss": f"{fake.base_url}/{OTHER_TENANT}/v2.0"},
        "audience": {"aud": "00000000-0000-0000-0000-00000000beef"},
        "expired": {"exp": now - SKEW_SECONDS - 600, "nbf": now - 7200, "iat": now - 7200},
        "not-yet-valid": {"nbf": now + SKEW_SECONDS + 600, "iat": now + 1200},
    }


BAD = ("issuer", "issuer-other-tenant", "audience", "expired", "not-yet-valid")
REASON = {"issuer-other-tenant": "issuer"}


def assert_refused(caught, bad: str) -> None:
    explanation = caught.value.explanation
    assert explanation.code == "id-token-refused"
    assert f"({REASON.get(bad, bad)})" in explanation.raw
    assert "Nothing was saved" in explanation.message
    assert Action.SIGN_IN_AGAIN in explanation.actions
    if bad in ("expired", "not-yet-valid"):
        assert Action.CHECK_CLOCK in explanation.actions
        assert "date, time or time zone" in explanation.message


def sign_in_by_device_code(fake, session):
    start = session.start_device_code()
    threading.Timer(0.2, fake.approve_device_code, (start.user_code,)).start()
    return session.finish_device_code(start)


def sign_in_in_browser(fake, session, monkeypatch):
    stand_in_browser(monkeypatch, signing_in(fake))
    return session.sign_in_with_browser(timeout=30)


@pytest.mark.parametrize("bad", BAD)
def test_embedded_sign_in_refuses_a_bad_id_token(fake_identity, session, keyring, bad):
    fake_identity.id_token_changes = bad_claims(fake_identity)[bad]
    with pytest.raises(SignInError) as caught:
        sign_in(fake_identity, session)
    assert_refused(caught, bad)
    assert keyring.writes == 0
    assert session.cached_account() is None  # nothing of it kept in memory either


@pytest.mark.parametrize("bad", BAD)
def test_device_code_sign_in_refuses_a_bad_id_token(fake_identity, session, keyring, bad):
    fake_identity.id_token_changes = bad_claims(fake_identity)[bad]
    with pytest.raises(SignInError) as caught:
        sign_in_by_device_code(fake_identity, session)
    assert_refused(caught, bad)
    assert keyring.writes == 0
    assert session.cached_account() is None


@pytest.mark.parametrize("bad", BAD)
def test_browser_sign_in_refuses_a_bad_id_token(fake_identity, session, keyring,
                                                monkeypatch, bad):
    fake_identity.id_token_changes = bad_claims(fake_identity)[bad]
    with pytest.raises(SignInError) as caught:
        sign_in_in_browser(fake_identity, session, monkeypatch)
    assert_refused(caught, bad)
    assert keyring.writes == 0
    assert session.cached_account() is None


@pytest.mark.parametrize("bad", BAD)
def test_refresh_refuses_a_bad_id_token_and_keeps_the_saved_sign_in(
        fake_identity, session, signed_in, keyring, vault, bad):
    saved, writes = vault.get(session.connection.id, MSAL_CACHE), keyring.writes
    fake_identity.id_token_changes = bad_claims(fake_identity)[bad]
    with pytest.raises(SignInError) as caught:
        session.acquire_silent(force_refresh=True)
    assert_refused(caught, bad)
    assert keyring.writes == writes
    assert vault.get(session.connection.id, MSAL_CACHE) == saved
    # The refused answer's tokens are gone from memory too: the saved ones still serve.
    again = session.acquire_silent()
    assert again.access_token == signed_in.access_token


@pytest.mark.parametrize("flow", ["embedded", "browser"])
def test_a_wrong_nonce_is_refused(fake_identity, session, keyring, monkeypatch, flow):
    fake_identity.id_token_changes = {"nonce": "not-this-sign-ins-nonce"}
    with pytest.raises(SignInError) as caught:
        if flow == "embedded":
            sign_in(fake_identity, session)
        else:
            sign_in_in_browser(fake_identity, session, monkeypatch)
    # MSAL refuses a wrong nonce in its auth code flow itself; o365desk checks it again.
    assert caught.value.explanation.code in ("state_mismatch", "id-token-refused")
    assert "Nothing was saved" in str(caught.value)
    assert keyring.writes == 0


def test_an_interactive_answer_without_id_token_is_refused(fake_identity, session, keyring):
    fake_identity.id_token_changes = {}
    start = session.start_auth_code()
    answer = fake_identity.sign_in_with_http(start.auth_uri)
    # Without an ID token nothing says who signed in: the flow must not take the account.
    original = session._msal_app().acquire_token_by_auth_code_flow

    def without_id_token(flow, response, **kwargs):
        result = original(flow, response, **kwargs)
        result.pop("id_token", None)
        return result

    session._msal_app().acquire_token_by_auth_code_flow = without_id_token
    with pytest.raises(SignInError) as caught:
        session.finish_auth_code(start, redirect_url(start, answer))
    assert caught.value.explanation.code == "id-token-refused"
    assert keyring.writes == 0


def test_a_named_tenant_checks_the_exact_issuer(fake_identity, sessions, keyring):
    session = sessions(make_connection(fake_identity, tenant=DEFAULT_TENANT_ID))
    assert sign_in(fake_identity, session).account.username == DEFAULT_USERNAME
    other = sessions(make_connection(fake_identity, tenant=DEFAULT_TENANT_ID))
    fake_identity.id_token_changes = {"tid": OTHER_TENANT,
                                      "iss": f"{fake_identity.base_url}/{OTHER_TENANT}/v2.0"}
    with pytest.raises(SignInError) as caught:
        sign_in(fake_identity, other)
    assert "(issuer)" in caught.value.explanation.raw


def test_a_small_clock_difference_is_allowed(fake_identity, session, keyring):
    now = int(time.time())
    fake_identity.id_token_changes = {"nbf": now + SKEW_SECONDS - 60,
                                      "exp": now + SKEW_SECONDS}
    assert sign_in(fake_identity, session).account.username == DEFAULT_USERNAME
    assert keyring.writes > 0


def test_the_account_name_comes_from_the_checked_id_token(fake_identity, session):
    fake_identity.id_token_changes = {"preferred_username": "shown@contoso.onmicrosoft.com"}
    assert sign_in(fake_identity, session).account.username == \
        "shown@contoso.onmicrosoft.com"


# --- the checks themselves ------------------------------------------------------------------

ISSUER = "https://login.microsoftonline.com/{tenantid}/v2.0"


def answer(**claims) -> dict:
    now = int(time.time())
    base = {"iss": f"https://login.microsoftonline.com/{DEFAULT_TENANT_ID}/v2.0",
            "aud": DEFAULT_CLIENT_ID, "tid": DEFAULT_TENANT_ID, "exp": now + 3600,
            "nbf": now, "iat": now}
    return {"id_token": make_jwt({k: v for k, v in {**base, **claims}.items()
                                  if v is not None})}


def check(result: dict, **kwargs):
    return checked_claims(result, client_id=DEFAULT_CLIENT_ID, issuer=ISSUER, **kwargs)


def test_a_good_id_token_passes():
    assert check(answer())["tid"] == DEFAULT_TENANT_ID
    assert check({}, required=False) is None


@pytest.mark.parametrize(("claims", "reason"), [
    ({"iss": None}, "issuer"), ({"iss": 7}, "issuer"), ({"tid": None}, "issuer"),
    ({"tid": "x/../evil"}, "issuer"), ({"iss": ISSUER}, "issuer"),
    ({"aud": None}, "audience"), ({"aud": [DEFAULT_CLIENT_ID, "other"]}, "audience"),
    ({"aud": DEFAULT_CLIENT_ID.upper()}, "audience"),
    ({"exp": None}, "unreadable"), ({"exp": "tomorrow"}, "unreadable"),
    ({"exp": True}, "unreadable"), ({"exp": float("inf")}, "unreadable"),
    ({"nbf": "now"}, "unreadable"),
])
def test_each_bad_claim_is_refused(claims, reason):
    with pytest.raises(IdTokenRefused) as caught:
        check(answer(**claims))
    assert caught.value.reason == reason


def test_several_audiences_need_ours_as_the_authorised_party():
    assert check(answer(aud=[DEFAULT_CLIENT_ID, "other"], azp=DEFAULT_CLIENT_ID))
    assert check(answer(aud=[DEFAULT_CLIENT_ID]))


@pytest.mark.parametrize("token", [None, "", "not-a-jwt", 42, "a.b.c"])
def test_a_missing_or_damaged_id_token_is_refused_when_required(token):
    with pytest.raises(IdTokenRefused) as caught:
        check({"id_token": token})
    assert caught.value.reason == "unreadable"


def test_no_issuer_in_the_metadata_refuses():
    with pytest.raises(IdTokenRefused) as caught:
        checked_claims(answer(), client_id=DEFAULT_CLIENT_ID, issuer=None)
    assert caught.value.reason == "issuer"


def test_expected_issuer_fills_in_the_tenant():
    assert expected_issuer(ISSUER, "abc") == "https://login.microsoftonline.com/abc/v2.0"
    assert expected_issuer("https://adfs.example/adfs", "abc") == "https://adfs.example/adfs"
    assert expected_issuer(ISSUER, None) is None
