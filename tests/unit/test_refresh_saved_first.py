"""A refresh's new tokens are saved before anything else is done with the answer, and
Ctrl+C waits for that write: stopping o365desk then can't lose the sign-in even where
the server has used up the old refresh token. Real MSAL against the fake."""

from __future__ import annotations

import os
import signal

import pytest

from o365desk.auth import session as session_module
from o365desk.core.held_signals import signals_held
from o365desk.core.signin_errors import Action
from o365desk.services import Services
from o365desk.storage.store import ConnectionStore
from o365desk.storage.vault import MSAL_CACHE
from o365desk.usecases.signin import access_token
from tests.unit.session_kit import make_connection, sign_in

pytest_plugins = ["tests.unit.session_fixtures"]
pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


class Stopped(BaseException):
    """The process stopped right there (a kill the app can't handle)."""


def test_a_refresh_is_saved_before_its_answer_is_used(fake_identity, session, signed_in,
                                                      vault, keyring, monkeypatch):
    fake_identity.rotate_refresh_tokens = True  # the old refresh token works only once
    events: list[str] = []
    real_set = vault.set

    def recording_set(*args, **kwargs):
        real_set(*args, **kwargs)
        events.append("saved")

    def stop_here(*_args, **_kwargs):
        events.append("answer used")
        raise Stopped  # o365desk killed the moment it starts using the answer

    monkeypatch.setattr(vault, "set", recording_set)
    monkeypatch.setattr(session_module, "build_result", stop_here)
    with pytest.raises(Stopped):
        session.acquire_silent(force_refresh=True)
    assert events == ["saved", "answer used"]
    monkeypatch.undo()

    # A new start of o365desk finds the new refresh token, which the server still takes.
    fresh = session_module.ConnectionSession(session.connection.replace(
        account=signed_in.account), vault, extra_ca_files=[fake_identity.ca_pem_path])
    try:
        assert fresh.acquire_silent(force_refresh=True).access_token
    finally:
        fresh.close()


def test_a_sign_in_is_saved_before_its_answer_is_used(fake_identity, session, vault,
                                                      monkeypatch):
    events: list[str] = []
    real_set = vault.set
    monkeypatch.setattr(vault, "set", lambda *a, **k: (real_set(*a, **k),
                                                       events.append("saved")))
    real_build = session_module.build_result
    monkeypatch.setattr(session_module, "build_result", lambda *a, **k: (
        events.append("answer used"), real_build(*a, **k))[1])
    sign_in(fake_identity, session)
    assert events == ["saved", "answer used"]


@pytest.fixture
def services(tmp_path, vault, trust_fake):
    svc = Services(ConnectionStore(tmp_path / "connections.json"), vault_factory=lambda: vault)
    yield svc
    for connection in svc.store.connections:
        svc.drop_session(connection.id)


@pytest.fixture
def short_lived(fake_identity, services):
    """A saved, signed-in connection whose access tokens MSAL always finds expired."""
    connection = services.store.add(make_connection(fake_identity))
    fake_identity.access_token_lifetime = 60  # under MSAL's 5 minutes: every use refreshes
    return services.record_sign_in(
        connection, sign_in(fake_identity, services.session_for(connection)))


def test_last_used_is_noted_after_the_refresh_is_saved(services, short_lived, vault,
                                                       monkeypatch):
    events: list[str] = []
    real_set, real_touch = vault.set, services.store.touch
    monkeypatch.setattr(vault, "set", lambda *a, **k: (real_set(*a, **k),
                                                       events.append("saved")))
    monkeypatch.setattr(services.store, "touch", lambda *a, **k: (
        events.append("last used"), real_touch(*a, **k))[1])
    access_token(services, short_lived)
    assert events == ["saved", "last used"]


def test_a_refused_refresh_token_keeps_the_connection_and_says_sign_in_again(
        fake_identity, services, short_lived, vault):
    fake_identity.revoke_refresh_tokens()
    with pytest.raises(session_module.SignInError) as caught:
        access_token(services, short_lived)
    assert caught.value.needs_sign_in
    assert caught.value.explanation.actions[0] is Action.SIGN_IN_AGAIN
    assert str(caught.value).endswith("Sign in again.")
    kept = services.store.find(short_lived.id)
    assert kept.account == short_lived.account  # the connection and who it was for stay
    assert vault.get(short_lived.id, MSAL_CACHE)  # and what was saved, for a retry


# --- Ctrl+C waits for the write ------------------------------------------------------------


def test_ctrl_c_during_the_write_waits_until_the_tokens_are_saved(
        fake_identity, session, signed_in, vault, keyring, monkeypatch):
    real_set = keyring.set_password
    sent = []

    def interrupted_set(service, username, password):
        if not sent:
            sent.append(True)
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl+C in the middle of the write
        real_set(service, username, password)

    monkeypatch.setattr(keyring, "set_password", interrupted_set)
    before = vault.get(session.connection.id, MSAL_CACHE)
    with pytest.raises(KeyboardInterrupt):
        session.acquire_silent(force_refresh=True)
    assert sent
    saved = vault.get(session.connection.id, MSAL_CACHE)
    assert saved != before
    assert fake_identity.refresh_tokens  # the new refresh token is the saved one
    newest = list(fake_identity.refresh_tokens)[-1]
    assert newest in saved
    writes = keyring.writes
    session.acquire_silent()  # saved, so nothing is left to write again
    assert keyring.writes == writes


def test_held_signals_come_after_and_the_old_handlers_are_back():
    seen: list[int] = []
    old = signal.signal(signal.SIGTERM, lambda signum, _frame: seen.append(signum))
    try:
        with signals_held():
            os.kill(os.getpid(), signal.SIGTERM)
            assert seen == []  # not yet
        assert seen == [signal.SIGTERM]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGTERM, old)
