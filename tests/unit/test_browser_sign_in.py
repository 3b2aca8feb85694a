"""Sign-in in the system browser: MSAL's real loopback listener, the fake identity platform.

Only the step that opens a browser is replaced (tests/fakes/browser.py): the listener, the
flow, the HTTP answers and the token redemption are the real ones.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import msal
import pytest
import requests

from o365desk.auth.loopback import FAILURE_PAGE, FORGED_PAGE, SUCCESS_PAGE
from o365desk.auth.session import SignInError
from o365desk.core.signin_errors import Action
from tests.fakes.browser import redirect_of, signing_in, stand_in_browser
from tests.fakes.identity import DEFAULT_USERNAME

pytest_plugins = ["tests.unit.session_fixtures"]


def test_the_browser_tab_says_where_to_go_next(fake_identity, session, keyring, monkeypatch):
    pages: list[str] = []
    opened = stand_in_browser(monkeypatch, signing_in(fake_identity, pages))
    result = session.sign_in_with_browser(timeout=30)
    assert result.account.username == DEFAULT_USERNAME
    query = parse_qs(urlsplit(opened[0]).query)
    assert query["redirect_uri"][0].startswith("http://localhost:")
    assert query["response_mode"] == ["form_post"]
    assert query["code_challenge_method"] == ["S256"]  # PKCE
    assert pages == [SUCCESS_PAGE]
    assert keyring.writes > 0  # the sign-in was saved


def test_stopping_ends_the_wait_at_once_and_saves_nothing(session, keyring, monkeypatch):
    stand_in_browser(monkeypatch)  # a browser opens, and nobody signs in
    began = time.monotonic()

    def should_stop() -> bool:
        return time.monotonic() - began > 0.3

    with pytest.raises(SignInError) as caught:
        session.sign_in_with_browser(timeout=120, should_stop=should_stop)
    took = time.monotonic() - began
    assert caught.value.explanation.code == "cancelled"
    assert took < 10, f"waited {took:.1f} s after being stopped"  # not the 120 s timeout
    assert keyring.writes == 0


def test_a_late_answer_after_stopping_is_not_taken(fake_identity, session, keyring,
                                                   monkeypatch):
    answers = []

    def sign_in_late(uri):
        fields = fake_identity.sign_in_with_http(uri)
        time.sleep(2)  # the person was too slow: the listener is gone
        try:
            answers.append(requests.post(redirect_of(uri), data=fields, timeout=5).status_code)
        except requests.ConnectionError:
            answers.append("refused")

    stand_in_browser(monkeypatch, sign_in_late)
    with pytest.raises(SignInError) as caught:
        session.sign_in_with_browser(timeout=120, should_stop=lambda: True)
    assert caught.value.explanation.code == "cancelled"
    deadline = time.monotonic() + 10
    while not answers and time.monotonic() < deadline:
        time.sleep(0.05)
    assert answers == ["refused"]
    assert keyring.writes == 0


def test_no_browser_says_so_at_once_and_offers_a_code(session, keyring, monkeypatch):
    stand_in_browser(monkeypatch, opens=False)
    began = time.monotonic()
    with pytest.raises(SignInError) as caught:
        session.sign_in_with_browser(timeout=120)
    explanation = caught.value.explanation
    assert explanation.code == "no-browser"
    assert explanation.actions[0] is Action.USE_DEVICE_CODE
    assert "code on another device" in explanation.message
    assert time.monotonic() - began < 10
    assert keyring.writes == 0


def test_no_answer_in_time_is_explained(session, keyring, monkeypatch):
    stand_in_browser(monkeypatch)
    with pytest.raises(SignInError) as caught:
        session.sign_in_with_browser(timeout=1)
    assert caught.value.explanation.code == "browser-timeout"
    assert Action.USE_DEVICE_CODE in caught.value.explanation.actions
    assert keyring.writes == 0


def test_a_refusal_in_the_browser_is_explained(fake_identity, session, keyring, monkeypatch):
    pages = []

    def refuse(uri):
        query = parse_qs(urlsplit(uri).query)
        fields = {"error": "access_denied", "state": query["state"][0],
                  "error_description": "AADSTS65004: User declined to consent."}
        pages.append(requests.post(query["redirect_uri"][0], data=fields, timeout=10).text)

    stand_in_browser(monkeypatch, refuse)
    with pytest.raises(SignInError) as caught:
        session.sign_in_with_browser(timeout=30)
    assert caught.value.explanation.code == "AADSTS65004"
    assert pages and pages[0] == FAILURE_PAGE.replace("$error", "access_denied")
    assert keyring.writes == 0


def test_stopping_works_even_while_opening_the_browser_hangs(session, keyring, monkeypatch):
    # A $BROWSER command that takes its time, or never returns.
    monkeypatch.setattr(msal.oauth2cli.authcode, "_browse",
                        lambda uri, browser_name=None: time.sleep(6) or True)
    began = time.monotonic()
    with pytest.raises(SignInError) as caught:
        session.sign_in_with_browser(timeout=120,
                                     should_stop=lambda: time.monotonic() - began > 0.5)
    assert caught.value.explanation.code == "cancelled"
    assert time.monotonic() - began < 4
    assert keyring.writes == 0


def test_a_forged_state_ends_the_wait_at_once_and_saves_nothing(fake_identity, session,
                                                                keyring, monkeypatch):
    pages: list[str] = []

    def forge(uri):
        fields = {**fake_identity.sign_in_with_http(uri), "state": "forged"}
        pages.append(requests.post(redirect_of(uri), data=fields, timeout=10).text)

    stand_in_browser(monkeypatch, forge)
    began = time.monotonic()
    with pytest.raises(SignInError) as caught:
        session.sign_in_with_browser(timeout=120)
    took = time.monotonic() - began
    assert caught.value.explanation.code == "state_mismatch"
    assert "refused" in str(caught.value) and "Sign in again" in str(caught.value)
    assert took < 60, f"waited {took:.1f} s for an answer after the forged one"
    assert pages == [FORGED_PAGE]
    assert keyring.writes == 0
    assert not [r for r in fake_identity.requests_to("/oauth2/v2.0/token")
                if r.form.get("grant_type") == "authorization_code"]
