"""A session's token operations: a refused answer keeps nothing, and one at a time.

Real MSAL against the HTTPS fake identity platform, the in-memory keychain.
"""

from __future__ import annotations

import threading

import pytest

from o365desk.auth.session import SignInError
from o365desk.storage.vault import MSAL_CACHE
from tests.unit.session_kit import redirect_url, sign_in

pytest_plugins = ["tests.unit.session_fixtures"]
pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


def test_an_id_token_for_another_sign_in_is_refused_and_nothing_kept(fake_identity, session,
                                                                      keyring):
    start = session.start_auth_code()
    params = fake_identity.sign_in_with_http(start.auth_uri)
    start.flow["nonce"] = "a-nonce-this-sign-in-never-sent"  # the ID token answers another
    with pytest.raises(SignInError) as caught:
        session.finish_auth_code(start, redirect_url(start, params))
    assert caught.value.explanation.code == "state_mismatch"
    assert keyring.writes == 0
    # MSAL had cached the tokens before it checked the nonce: they must be gone, not saved
    # by the next operation.
    with pytest.raises(SignInError) as caught:
        session.acquire_silent()
    assert caught.value.explanation.code == "not_signed_in"
    assert session.vault.get(session.connection.id, MSAL_CACHE) is None


def test_a_failure_elsewhere_never_discards_a_sign_in_not_yet_saved(fake_identity, session,
                                                                    monkeypatch):
    sign_in(fake_identity, session)  # signed in once: a refresh token to refresh with
    outcome: dict[str, object] = {}
    save = type(session)._save

    def save_after_a_concurrent_failure(self):
        if "B" not in outcome:
            # Sign-in A has its new tokens, not saved yet. Now a refresh on another thread
            # fails (Microsoft answers 503) and discards unsaved changes: it must wait.
            fake_identity.fail_transport(503, endpoint="token")

            def refresh():
                try:
                    session.acquire_silent(force_refresh=True)
                except SignInError as exc:
                    outcome["B"] = exc.explanation.code

            outcome["B"] = "running"
            thread = threading.Thread(target=refresh)
            thread.start()
            thread.join(1.0)
            outcome["B while A saves"] = outcome["B"]
            outcome["thread"] = thread
        save(self)

    monkeypatch.setattr(type(session), "_save", save_after_a_concurrent_failure)
    again = sign_in(fake_identity, session)
    outcome["thread"].join(30)
    assert outcome["B while A saves"] == "running"  # it waited for A
    assert outcome["B"] == "server-error"
    monkeypatch.setattr(type(session), "_save", save)
    # A's tokens were saved and are what the session now holds.
    assert session.vault.get(session.connection.id, MSAL_CACHE) is not None
    assert session.acquire_silent().access_token == again.access_token


def test_a_bug_in_a_token_operation_is_logged_with_its_traceback_and_raised(
        fake_identity, session, monkeypatch, caplog):
    import o365desk.auth.session as session_module

    sign_in(fake_identity, session)

    def broken(*args, **kwargs):
        raise AttributeError("a bug")

    monkeypatch.setattr(session_module, "build_result", broken)
    with pytest.raises(AttributeError):
        session.acquire_silent()
    failures = [r for r in caplog.records if "failed unexpectedly" in r.getMessage()]
    assert failures and failures[0].exc_info is not None
