"""The command line against a sign-in service that misbehaves: an ID token that isn't
valid, a token answer of the wrong shape or far too large. Each ends with a plain message,
exit code 1, no traceback, and nothing saved (no tokens, the connection unchanged)."""

from __future__ import annotations

import json
import time

import pytest

from o365desk.storage.vault import MSAL_CACHE
from tests.e2e import test_cli_signin as cli
from tests.e2e.test_cli_signin import add_fake_connection, login_with_device_code, o365desk
from tests.fakes.identity import DEFAULT_TENANT_ID

cli_env = cli.cli_env  # the same fixture: CLI processes that trust the fake
pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


def bad_id_tokens(fake) -> dict[str, dict]:
    now = int(time.time())
    return {
        "issuer": {"iss": f"https://evil.example/{DEFAULT_TENANT_ID}/v2.0"},
        "audience": {"aud": "00000000-0000-0000-0000-00000000beef"},
        "expired": {"exp": now - 3600},
        "not-yet-valid": {"nbf": now + 3600},
    }


def shown(env, nickname: str = "Fake") -> dict:
    return json.loads(o365desk(env, "show", nickname, "--json").stdout)["connection"]


@pytest.mark.parametrize("bad", ["issuer", "audience", "expired", "not-yet-valid"])
def test_login_refuses_a_bad_id_token_and_saves_nothing(fake_identity, cli_env,
                                                        secret_service_vault, bad):
    connection = add_fake_connection(fake_identity, cli_env)
    fake_identity.id_token_changes = bad_id_tokens(fake_identity)[bad]
    code, out, err = login_with_device_code(fake_identity, cli_env)
    assert code == 1 and out == ""
    assert "Traceback" not in err and "Nothing was saved" in err
    assert secret_service_vault.get(connection["id"], MSAL_CACHE) is None
    assert shown(cli_env) == connection  # not signed in, nothing about it changed


def test_a_refresh_with_a_bad_id_token_keeps_the_saved_sign_in(fake_identity, cli_env,
                                                               secret_service_vault):
    fake_identity.access_token_lifetime = 60  # so that `token` refreshes
    connection = add_fake_connection(fake_identity, cli_env)
    assert login_with_device_code(fake_identity, cli_env)[0] == 0
    saved, before = secret_service_vault.get(connection["id"], MSAL_CACHE), shown(cli_env)
    fake_identity.id_token_changes = bad_id_tokens(fake_identity)["audience"]
    token = o365desk(cli_env, "token", "Fake")
    assert token.returncode == 1 and token.stdout == ""
    assert "Traceback" not in token.stderr and "refused" in token.stderr
    assert secret_service_vault.get(connection["id"], MSAL_CACHE) == saved
    assert shown(cli_env) == before
    fake_identity.id_token_changes = {}
    assert o365desk(cli_env, "token", "Fake").returncode == 0  # the saved sign-in still works


@pytest.mark.parametrize("fault", ["shape:[]", 'shape:{"access_token": "x", "scope": ["a"]}',
                                   "oversized"])
def test_token_with_an_unusable_answer_says_so_without_a_traceback(
        fake_identity, cli_env, secret_service_vault, fault):
    fake_identity.access_token_lifetime = 60
    connection = add_fake_connection(fake_identity, cli_env)
    assert login_with_device_code(fake_identity, cli_env)[0] == 0
    saved = secret_service_vault.get(connection["id"], MSAL_CACHE)
    fake_identity.fail_transport(fault)
    token = o365desk(cli_env, "token", "Fake")
    assert token.returncode == 1 and token.stdout == ""
    assert token.stderr.startswith("o365desk: ") and "Traceback" not in token.stderr
    assert "Nothing was saved" in token.stderr
    assert secret_service_vault.get(connection["id"], MSAL_CACHE) == saved


def test_a_refused_refresh_token_says_sign_in_again_and_keeps_the_connection(
        fake_identity, cli_env, secret_service_vault):
    fake_identity.access_token_lifetime = 60
    connection = add_fake_connection(fake_identity, cli_env)
    assert login_with_device_code(fake_identity, cli_env)[0] == 0
    before = shown(cli_env)
    fake_identity.revoke_refresh_tokens()
    token = o365desk(cli_env, "token", "Fake")
    assert token.returncode == 1 and "Sign in again" in token.stderr
    assert 'o365desk login "Fake"' in token.stderr
    # The connection and its account stay; what the refusal revealed is recorded (token
    # health): the status now says a new sign-in is needed, and why.
    after = shown(cli_env)
    changed = ("refresh_failure", "status", "needs_attention", "reason", "action")
    assert after["needs_attention"] and "Sign in again" in after["action"]
    assert after["account"] == before["account"] and before["account"]
    assert after["refresh_failure"] == "AADSTS50173" and after["status"] == "sign-in needed"
    assert {k: v for k, v in after.items() if k not in changed} == \
        {k: v for k, v in before.items() if k not in changed}
    assert secret_service_vault.get(connection["id"], MSAL_CACHE)
