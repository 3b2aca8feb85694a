"""`o365desk token --format az|json` as scripts read it, delegated and app only, through the
real MSAL against the fake over HTTPS, with the real Secret Service as the keychain; and the
log line each token handed out leaves (never the token)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from o365desk.auth.claims import decode_claims
from tests.e2e.test_cli_app_only import APP_ID, SECRET, add_app
from tests.e2e.test_cli_signin import add_fake_connection, login_with_device_code, o365desk
from tests.fakes.identity import DEFAULT_TENANT_ID

pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")

AZ_KEYS = {"accessToken", "expiresOn", "expires_on", "tenant", "tokenType"}
JSON_KEYS = {"version", "connection", "kind", "token_type", "access_token", "expires_at",
             "expires_on", "tenant_id", "scopes", "roles"}
# Far from UTC, with a half hour, so local time can't pass for UTC by chance.
ZONE = "Asia/Kolkata"


@pytest.fixture
def cli_env(fake_identity, config_dir, tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    env = os.environ.copy()
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    env["HOME"] = str(tmp_path / "home")
    env["TZ"] = ZONE
    return env


def token(env, nickname: str, form: str):
    done = o365desk(env, "token", nickname, "--format", form)
    assert done.returncode == 0, done.stderr
    assert "this is a secret; don't paste it anywhere public" in done.stderr
    return done


def log_text(config_dir) -> str:
    return (config_dir / "data" / "logs" / "o365desk.log").read_text(encoding="utf-8")


def no_token_in_any_file(tmp_path, tokens) -> None:
    files = [p for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink()]
    assert files
    for path in files:
        data = path.read_bytes()
        for value in tokens:
            assert value.encode() not in data, f"a token is in {path}"


def check_az(done, fake) -> dict:
    printed = json.loads(done.stdout)
    assert set(printed) == AZ_KEYS  # no "subscription": o365desk has none (az omits it too)
    # As az prints it: two-space indent, keys sorted, one object, one final newline.
    assert done.stdout == json.dumps(printed, indent=2, sort_keys=True) + "\n"
    assert printed["accessToken"] in fake.access_tokens
    assert printed["accessToken"] not in done.stderr
    assert printed["tokenType"] == "Bearer"
    assert printed["tenant"] == DEFAULT_TENANT_ID
    expires_on = printed["expires_on"]
    assert type(expires_on) is int
    claims = decode_claims(printed["accessToken"])
    assert abs(expires_on - claims.expires_at.timestamp()) < 120
    local = datetime.fromtimestamp(expires_on, ZoneInfo(ZONE))
    assert printed["expiresOn"] == local.strftime("%Y-%m-%d %H:%M:%S.%f")
    return printed


def check_json(done, fake, connection: dict) -> dict:
    printed = json.loads(done.stdout)
    assert set(printed) == JSON_KEYS
    assert printed["version"] == 1
    assert printed["connection"] == {"id": connection["id"],
                                     "nickname": connection["nickname"]}
    assert printed["kind"] == connection["kind"]
    assert printed["token_type"] == "Bearer"
    assert printed["access_token"] in fake.access_tokens
    assert printed["access_token"] not in done.stderr
    assert printed["tenant_id"] == DEFAULT_TENANT_ID
    assert type(printed["expires_on"]) is int
    assert printed["expires_at"].endswith("Z")
    at = datetime.fromisoformat(printed["expires_at"].replace("Z", "+00:00"))
    assert int(at.timestamp()) == printed["expires_on"]
    return printed


def test_delegated_token_as_az_and_json_and_each_handout_logged(
        fake_identity, cli_env, secret_service_vault, config_dir, tmp_path):
    connection = add_fake_connection(fake_identity, cli_env)
    assert login_with_device_code(fake_identity, cli_env)[0] == 0

    az = check_az(token(cli_env, "Fake", "az"), fake_identity)
    own = check_json(token(cli_env, "fake", "json"), fake_identity, connection)
    assert own["kind"] == "delegated" and own["roles"] == []
    assert {"User.Read", "Mail.Send"} <= set(own["scopes"])
    plain = token(cli_env, "Fake", "plain").stdout
    assert plain.count("\n") == 1 and plain.strip() in fake_identity.access_tokens
    assert plain.strip() == o365desk(cli_env, "token", "Fake").stdout.strip()  # the default

    lines = [line for line in log_text(config_dir).splitlines() if "token handed out" in line]
    handout = re.compile(
        rf'token handed out: connection "Fake" \({connection["id"]}, delegated\), to process '
        r"\d+ \(o365desk token, started by process \d+\), as (\w+), expires \S+$")
    assert [handout.search(line).group(1) for line in lines] == ["az", "json", "plain",
                                                                  "plain"]
    no_token_in_any_file(tmp_path, {az["accessToken"], own["access_token"],
                                    *fake_identity.access_tokens})


def test_app_only_token_as_az_and_json(fake_identity, cli_env, secret_service_vault,
                                       config_dir, tmp_path):
    fake_identity.register_app(APP_ID, SECRET, roles=("User.Read.All", "Organization.Read.All"))
    assert add_app(fake_identity, cli_env).returncode == 0
    connection = json.loads(o365desk(cli_env, "show", "Daemon", "--json").stdout)["connection"]

    az = check_az(token(cli_env, "Daemon", "az"), fake_identity)
    assert decode_claims(az["accessToken"]).app_only
    own = check_json(token(cli_env, "Daemon", "json"), fake_identity, connection)
    assert own["kind"] == "app-only" and own["scopes"] == []
    assert set(own["roles"]) == {"User.Read.All", "Organization.Read.All"}

    text = log_text(config_dir)
    assert f'connection "Daemon" ({connection["id"]}, app only), to process ' in text
    assert "), as az, " in text and "), as json, " in text
    no_token_in_any_file(tmp_path, {*fake_identity.access_tokens, SECRET})


def test_a_format_that_does_not_exist_is_refused(fake_identity, cli_env, config_dir):
    done = o365desk(cli_env, "token", "Anything", "--format", "yaml")
    assert done.returncode == 2 and done.stdout == ""
    assert "invalid choice: 'yaml'" in done.stderr and "Traceback" not in done.stderr


def test_a_token_that_cannot_be_had_is_not_logged_as_handed_out(
        fake_identity, cli_env, secret_service_vault, config_dir):
    add_fake_connection(fake_identity, cli_env, "Never")
    done = o365desk(cli_env, "token", "Never", "--format", "az")
    assert done.returncode == 1 and done.stdout == ""
    assert 'o365desk login "Never"' in done.stderr
    path = config_dir / "data" / "logs" / "o365desk.log"
    assert not path.exists() or "token handed out" not in path.read_text(encoding="utf-8")
