"""`o365desk health`, `list --json`'s health fields and `o365desk keep-alive`, in processes,
with connections signed in through the fake identity platform (over HTTPS, the real
keychain under `make test`) and times crafted in connections.json."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.test_cli_signin import (
    add_fake_connection,
    cli_env,  # noqa: F401  (a fixture)
    login_with_device_code,
    o365desk,
)

pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def iso(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@pytest.fixture
def signed_in(fake_identity, cli_env, secret_service_vault):  # noqa: F811
    add_fake_connection(fake_identity, cli_env, "Payroll")
    code, _out, err = login_with_device_code(fake_identity, cli_env, "Payroll")
    assert code == 0, err
    return cli_env


def craft(config_dir, nickname: str, **fields) -> None:
    """Change fields of a saved connection in connections.json, as a hand edit would."""
    path = config_dir / "connections.json"
    doc = json.loads(path.read_text())
    for entry in doc["connections"]:
        if entry["nickname"] == nickname:
            entry.update(fields)
    path.write_text(json.dumps(doc))


def health_json(env) -> tuple[int, dict]:
    done = o365desk(env, "health", "--json")
    return done.returncode, json.loads(done.stdout)


def test_a_fresh_sign_in_is_healthy_and_list_json_carries_its_health(signed_in):
    done = o365desk(signed_in, "health")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Payroll: signed in, OK. The saved sign-in lapses in ")
    (entry,) = json.loads(o365desk(signed_in, "list", "--json").stdout)["connections"]
    now = datetime.now(UTC)
    assert entry["needs_attention"] is False and entry["action"] is None
    assert entry["reason"].startswith("The saved sign-in lapses in ")
    assert abs(when(entry["last_refreshed_at"]) - now) < timedelta(minutes=10)
    assert when(entry["refresh_lapses_at"]) - when(entry["last_refreshed_at"]) == \
        timedelta(days=90)
    assert now < when(entry["access_token_expires_at"]) < now + timedelta(hours=2)
    code, doc = health_json(signed_in)
    assert code == 0 and doc["needs_attention"] is False
    (one,) = doc["connections"]
    assert set(one) == {"id", "nickname", "status", "needs_attention", "reason", "action",
                        "access_token_expires_at", "last_refreshed_at", "refresh_lapses_at",
                        "credential_expires_at"}
    assert one["status"] == "signed in" and one["id"] == entry["id"]


def test_a_refresh_85_days_ago_needs_attention_and_exits_1(signed_in, config_dir):
    craft(config_dir, "Payroll",
          last_refreshed_at=iso(datetime.now(UTC) - timedelta(days=85, minutes=1)))
    done = o365desk(signed_in, "health")
    assert done.returncode == 1
    assert done.stdout == ("Payroll: signed in, needs attention. The saved sign-in lapses "
                           "in 4 days if not used. Sign in again, or use the connection, "
                           "to keep it.\n")
    code, doc = health_json(signed_in)
    assert code == 1 and doc["needs_attention"] is True
    assert doc["connections"][0]["needs_attention"] is True
    (entry,) = json.loads(o365desk(signed_in, "list", "--json").stdout)["connections"]
    assert entry["needs_attention"] is True and "4 days" in entry["reason"]


def test_keep_alive_refreshes_what_is_due_and_a_revoked_sign_in_says_sign_in_again(
        fake_identity, signed_in, config_dir):
    craft(config_dir, "Payroll",
          last_refreshed_at=iso(datetime.now(UTC) - timedelta(days=30)))
    off = o365desk(signed_in, "keep-alive")
    assert off.returncode == 0 and off.stdout.startswith("Keep-alive is off")
    (config_dir / "settings.json").write_text('{"keep_alive_days": 40}')
    quiet = o365desk(signed_in, "keep-alive")
    assert quiet.returncode == 0 and quiet.stdout.startswith("No sign-in needed a refresh")
    (config_dir / "settings.json").write_text('{"keep_alive_days": 20}')
    before = len(fake_identity.requests_to("/token"))
    done = o365desk(signed_in, "keep-alive")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Payroll: Its sign-in was refreshed.\n"
    assert len(fake_identity.requests_to("/token")) == before + 1
    (entry,) = json.loads(o365desk(signed_in, "list", "--json").stdout)["connections"]
    assert abs(when(entry["last_refreshed_at"]) - datetime.now(UTC)) < timedelta(minutes=10)

    fake_identity.revoke_refresh_tokens()
    failed = o365desk(signed_in, "keep-alive", "--days", "1", "--json")
    assert failed.returncode == 0, failed.stdout  # refreshed just now: not due
    craft(config_dir, "Payroll",
          last_refreshed_at=iso(datetime.now(UTC) - timedelta(days=2)))
    failed = o365desk(signed_in, "keep-alive", "--days", "1", "--json")
    assert failed.returncode == 1
    (outcome,) = json.loads(failed.stdout)["refreshed"]
    assert outcome["ok"] is False and outcome["nickname"] == "Payroll"
    health = o365desk(signed_in, "health")
    assert health.returncode == 1
    assert health.stdout.startswith("Payroll: sign-in needed, needs attention. Its last "
                                    "refresh failed. The saved sign-in for this connection "
                                    "was cancelled")
    assert health.stdout.endswith("Sign in again.\n")


def test_a_wrong_keep_alive_setting_is_noted_and_keep_alive_stays_off(config_dir):
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "settings.json").write_text('{"keep_alive_days": 90}')
    done = o365desk({**_plain_env()}, "keep-alive")
    assert done.returncode == 0 and done.stdout.startswith("Keep-alive is off")
    assert "keep_alive_days must be a whole number of days from 1 to 89" in done.stderr


@pytest.mark.parametrize("args", [("health", "extra"), ("keep-alive", "--days", "90"),
                                  ("keep-alive", "--days", "soon")])
def test_wrong_usage_exits_2(config_dir, args):
    done = o365desk(_plain_env(), *args)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_a_damaged_entry_and_a_signed_out_one_need_attention(config_dir):
    env = _plain_env()
    assert o365desk(env, "add", "Fresh").returncode == 0
    assert o365desk(env, "add", "Broken").returncode == 0
    craft(config_dir, "Broken", last_refreshed_at="last Tuesday")
    done = o365desk(env, "health")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0] == "Fresh: not signed in, needs attention. Nobody is signed in with " \
        "this connection. Sign in."
    assert lines[1].startswith("Broken: damaged, needs attention. This connection's saved "
                               "details can't be used.")
    assert "last_refreshed_at" in lines[1]


def _plain_env() -> dict[str, str]:
    import os

    return os.environ.copy()


def test_an_app_secret_expiring_soon_needs_attention_with_the_command_to_fix_it(config_dir):
    env = _plain_env()
    assert o365desk(env, "add", "Fresh").returncode == 0
    craft(config_dir, "Fresh", kind="app-only",
          client_id="7d3f0b6a-1c2e-4d5f-8a9b-0c1d2e3f4a5b", tenant="contoso.com",
          credential={"type": "secret",
                      "expires_at": iso(datetime.now(UTC) + timedelta(days=12, hours=2))})
    done = o365desk(env, "health")
    assert done.returncode == 1, done.stderr
    assert done.stdout == (
        'Fresh: ready, needs attention. Secret expires in 12 days. Make a new secret in the '
        'app registration before then, and run: o365desk credential "Fresh" '
        "--secret-stdin.\n")


NO_KEYCHAIN = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def test_list_and_show_json_give_the_health_from_the_file_without_the_keychain(
        signed_in, config_dir):
    """`list --json` never touches the keychain: with none to be had, the access token's
    expiry (as the sign-in recorded it) and the lapse come from connections.json, exit 0;
    `show --json` carries the same worked-out fields."""
    locked = {**signed_in, **NO_KEYCHAIN}
    done = o365desk(locked, "list", "--json")
    assert done.returncode == 0, done.stderr
    (entry,) = json.loads(done.stdout)["connections"]
    now = datetime.now(UTC)
    assert entry["needs_attention"] is False and entry["action"] is None
    assert entry["reason"].startswith("The saved sign-in lapses in ")
    assert "keychain" not in entry["reason"]
    assert entry["access_token_expires_at"] == entry["expires_at"]
    assert now < when(entry["access_token_expires_at"]) < now + timedelta(hours=2)
    assert when(entry["refresh_lapses_at"]) - when(entry["last_refreshed_at"]) == \
        timedelta(days=90)
    shown = o365desk(locked, "show", "Payroll", "--json")
    assert shown.returncode == 0, shown.stderr
    one = json.loads(shown.stdout)["connection"]
    assert one == entry
    # `health` is asked for health: it reads the keychain, and says when it can't.
    health = o365desk(locked, "health")
    assert health.returncode == 1 and "can't reach the keychain" in health.stdout


def test_a_refresh_records_the_new_access_tokens_expiry_for_list_json(signed_in,
                                                                      config_dir):
    old = datetime.now(UTC) - timedelta(days=2)
    craft(config_dir, "Payroll", last_refreshed_at=iso(old), expires_at=iso(old))
    (before,) = json.loads(o365desk({**signed_in, **NO_KEYCHAIN}, "list",
                                    "--json").stdout)["connections"]
    assert before["access_token_expires_at"] == iso(old)
    done = o365desk(signed_in, "keep-alive", "--days", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    listed = o365desk({**signed_in, **NO_KEYCHAIN}, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    (entry,) = json.loads(listed.stdout)["connections"]
    now = datetime.now(UTC)
    assert now < when(entry["access_token_expires_at"]) < now + timedelta(hours=2)
    assert abs(when(entry["last_refreshed_at"]) - now) < timedelta(minutes=10)
