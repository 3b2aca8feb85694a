"""Token answers o365desk can't use (too large, the wrong shape) are refused with a plain
message before MSAL takes them, and nothing is saved: real MSAL against the fake."""

from __future__ import annotations

import json

import pytest

from o365desk.auth.session import SignInError
from o365desk.core.signin_errors import Action
from tests.unit.session_kit import redirect_url

pytest_plugins = ["tests.unit.session_fixtures"]
pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")

GOOD = {"token_type": "Bearer", "access_token": "eyJ0.eyJ0.sig", "expires_in": 3600,
        "scope": "https://graph.microsoft.com/User.Read openid profile"}

# JSON an attacker's (or a broken) sign-in server answers with, all HTTP 200.
SHAPES = {
    "list": [],
    "list-of-objects": [GOOD],
    "string": "access_token",
    "number": 42,
    "null": None,
    "scope-list": {**GOOD, "scope": ["User.Read"]},
    "scope-number": {**GOOD, "scope": 7},
    "access-token-object": {**GOOD, "access_token": {"a": 1}},
    "access-token-number": {**GOOD, "access_token": 12},
    "expires-in-list": {**GOOD, "expires_in": [3600]},
    "expires-in-words": {**GOOD, "expires_in": "soon"},
    "refresh-token-list": {**GOOD, "refresh_token": ["x"]},
    "id-token-number": {**GOOD, "id_token": 5},
    "client-info-object": {**GOOD, "client_info": {"uid": "x"}},
    "token-type-list": {**GOOD, "token_type": ["Bearer"]},
    "error-list": {"error": ["invalid_grant"], "error_description": "x"},
    "error-codes-strings": {"error": "invalid_grant", "error_codes": "70000"},
    "deeply-nested": "[" * 100_000,  # sent as is: JSON too deep to parse
}


def body(shape: str) -> str:
    value = SHAPES[shape]
    return value if shape == "deeply-nested" else json.dumps(value)


def assert_unusable(caught) -> None:
    explanation = caught.value.explanation
    assert explanation.code == "bad-response"
    assert "couldn't be read" in explanation.message
    assert "Nothing was saved" in explanation.message
    assert Action.RETRY in explanation.actions


@pytest.mark.parametrize("shape", SHAPES)
def test_a_sign_in_answer_of_the_wrong_shape_is_refused(fake_identity, session, keyring,
                                                         shape):
    start = session.start_auth_code()
    params = fake_identity.sign_in_with_http(start.auth_uri)
    fake_identity.fail_transport("shape:" + body(shape))
    with pytest.raises(SignInError) as caught:
        session.finish_auth_code(start, redirect_url(start, params))
    assert_unusable(caught)
    assert keyring.writes == 0 and session.cached_account() is None


@pytest.mark.parametrize("shape", SHAPES)
def test_a_refresh_answer_of_the_wrong_shape_keeps_the_saved_sign_in(
        fake_identity, session, signed_in, keyring, shape):
    saved = dict(keyring.entries)
    fake_identity.fail_transport("shape:" + body(shape))
    with pytest.raises(SignInError) as caught:
        session.acquire_silent(force_refresh=True)
    assert_unusable(caught)
    assert keyring.entries == saved
    assert session.acquire_silent().access_token == signed_in.access_token


@pytest.mark.parametrize("shape", ["list", "scope-list", "expires-in-words", "null"])
def test_a_device_code_answer_of_the_wrong_shape_is_refused(fake_identity, session,
                                                            keyring, shape):
    start = session.start_device_code()
    fake_identity.approve_device_code(start.user_code)
    fake_identity.fail_transport("shape:" + body(shape))
    with pytest.raises(SignInError) as caught:
        session.finish_device_code(start)
    assert_unusable(caught)
    assert keyring.writes == 0


@pytest.mark.parametrize("shape", ["list", "string", "scope-list", "deeply-nested"])
def test_a_device_code_start_of_the_wrong_shape_is_refused(fake_identity, session, shape):
    fake_identity.fail_transport("shape:" + body(shape), endpoint="devicecode")
    with pytest.raises(SignInError) as caught:
        session.start_device_code()
    assert_unusable(caught)


# --- too large ------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["oversized", "oversized-unsized"])
def test_a_60_mb_refresh_answer_is_refused_and_nothing_written(fake_identity, session,
                                                               signed_in, keyring, fault):
    saved, writes = dict(keyring.entries), keyring.writes
    fake_identity.fail_transport(fault)
    with pytest.raises(SignInError) as caught:
        session.acquire_silent(force_refresh=True)
    explanation = caught.value.explanation
    assert explanation.code == "answer-too-large"
    assert "over 4 MB" in explanation.message and "Nothing was saved" in explanation.message
    assert keyring.writes == writes and keyring.entries == saved
    assert session.acquire_silent().access_token == signed_in.access_token


def test_a_60_mb_sign_in_answer_is_refused_and_nothing_written(fake_identity, session,
                                                               keyring):
    start = session.start_auth_code()
    params = fake_identity.sign_in_with_http(start.auth_uri)
    fake_identity.fail_transport("oversized")
    with pytest.raises(SignInError) as caught:
        session.finish_auth_code(start, redirect_url(start, params))
    assert caught.value.explanation.code == "answer-too-large"
    assert keyring.writes == 0 and not keyring.entries
