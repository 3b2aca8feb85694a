"""The exact secrets the process has seen are masked in any shape and context, registered
the moment they are received: from the HTTP answer, the redirect, the flow, the vault."""

from __future__ import annotations

import json
import logging
import string
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from o365desk.auth import redact as redaction
from o365desk.auth.http import http_session
from o365desk.auth.redact import (
    MASK,
    forget_registered_secrets,
    install_redaction,
    is_secret_name,
    redact,
    register_secret,
    register_secrets_in,
    uninstall_redaction,
)
from tests.fakes.identity import DEFAULT_CLIENT_ID
from tests.unit.session_kit import redirect_url

pytest_plugins = ["tests.unit.session_fixtures"]
pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


@pytest.fixture(autouse=True)
def _fresh_registry():
    forget_registered_secrets()
    yield
    forget_registered_secrets()


def _masked(value: str) -> bool:
    """Whether `value` is masked written alone, among words no pattern knows."""
    out = redact(f"opaque thing {value} seen, and as foo={value}")
    return value not in out


# Values of no known shape (the shapes have their own patterns), and text around them.
_OPAQUE = st.text(alphabet=string.ascii_letters + string.digits + "-_.~+/=!*$",
                  min_size=8, max_size=120)


@given(_OPAQUE, st.text(max_size=40), st.text(max_size=40))
def test_a_registered_secret_is_masked_in_any_text_and_encoding(value, before, after):
    assume(value not in MASK)
    register_secret(value)
    for written in (value, quote(value, safe=""), quote_plus(value, safe=""),
                    value.replace("/", "\\/"), json.dumps({"unknown": value})):
        assume(written not in before + after)
        out = redact(before + written + after)
        assert written not in out
        assert redact(out) == out


def test_short_values_and_the_mask_itself_are_not_registered():
    register_secret("short", MASK, "REDACTED", None, 12345, "")
    assert redaction._held == {}
    assert redact("a short note") == "a short note"


def test_the_registry_keeps_the_newest_and_stays_bounded():
    values = [f"secret-number-{n:04d}-xyz" for n in range(redaction._MAX_HELD * 2)]
    for value in values:
        register_secret(value)
    assert len(redaction._held) <= redaction._MAX_HELD
    assert _masked(values[-1]) and _masked(values[-10])


@pytest.mark.parametrize("name", ["refresh_token", "refreshToken", "Refresh-Token",
                                  "DEVICE_CODE", "code_verifier", "codeVerifier", "state",
                                  "nonce", "client_info", "secret", "id_token", "code",
                                  "x-ms-refresh-token", "session_state"])
def test_secret_names_in_any_spelling(name):
    assert is_secret_name(name)


@pytest.mark.parametrize("name", ["user_code", "scope", "token_type", "expires_in",
                                  "Authorization", "username", "redirect_uri", None, 3])
def test_other_names_are_not_registered(name):
    assert not is_secret_name(name)


def test_nested_answers_register_their_secret_fields():
    register_secrets_in({"outer": [{"refreshToken": "nested-rt-value-1"}],
                         "pairs": [("code_verifier", "pair-verifier-1")],
                         "user_code": "SHOWNCODE", "scope": "User.Read openid profile",
                         "code": ["listed-code-value"]})
    assert all(_masked(v) for v in ("nested-rt-value-1", "pair-verifier-1",
                                    "listed-code-value"))
    # What the person is shown and what is not secret stay readable.
    assert "SHOWNCODE" in redact("enter SHOWNCODE") and "User.Read openid profile" in \
        redact("User.Read openid profile")


def test_the_http_session_registers_what_a_token_request_sends_and_receives(
    fake_identity, trust_fake, fake_redirect_listener
):
    msal = pytest.importorskip("msal")
    client = http_session()
    try:
        app = msal.PublicClientApplication(
            DEFAULT_CLIENT_ID, authority=fake_identity.authority(), http_client=client,
            instance_discovery=False)
        flow = app.initiate_auth_code_flow(["User.Read"], redirect_uri=fake_redirect_listener.uri)
        params = fake_identity.sign_in_with_http(flow["auth_uri"])
        assert not _masked(params["code"])  # nothing has seen it yet
        result = app.acquire_token_by_auth_code_flow(flow, params)
    finally:
        client.close()
    assert "refresh_token" in result, result
    # Only the HTTP hook ran (no ConnectionSession): the code and verifier it sent, the
    # tokens it received, whatever their shape.
    for value in (params["code"], flow["code_verifier"], result["refresh_token"],
                  result["access_token"], result["id_token"], result["client_info"]):
        assert _masked(value), value
    assert result["refresh_token"].startswith("0.FAKE-RT.")  # a shape no pattern knows


def test_a_session_registers_the_flow_the_redirect_and_the_tokens(
    fake_identity, session, caplog
):
    start = session.start_auth_code()
    flow = start.flow
    for value in (flow["state"], flow["nonce"], flow["code_verifier"]):
        assert _masked(value)  # registered as the flow is made, before anything is sent
    params = fake_identity.sign_in_with_http(start.auth_uri)
    install_redaction()
    try:
        with caplog.at_level(logging.DEBUG, logger="o365desk"):
            session.finish_auth_code(start, redirect_url(start, params))
            logging.getLogger("o365desk.test").warning(
                "everything at once: %s %s", params, list(fake_identity.refresh_tokens))
    finally:
        uninstall_redaction()
    assert "everything at once" in caplog.text
    for value in (params["code"], *fake_identity.refresh_tokens, *fake_identity.access_tokens):
        assert value not in caplog.text


def test_tokens_loaded_from_the_vault_are_registered(fake_identity, sessions, connection,
                                                     signed_in):
    [refresh_token] = fake_identity.refresh_tokens
    forget_registered_secrets()  # a new process: it has seen nothing yet
    assert not _masked(refresh_token)
    later = sessions(connection)
    assert later.cached_account() is not None  # reads the cache from the vault
    assert _masked(refresh_token)


def test_the_device_code_is_registered_and_the_user_code_stays_readable(session):
    start = session.start_device_code()
    assert _masked(start.flow["device_code"])
    assert start.user_code in redact(f"enter {start.user_code}")
