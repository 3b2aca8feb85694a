"""`login --device-code` and `token` as scripts use them, against the fake over HTTPS.

The CLI processes use the default keychain: under `make test` that is the throw-away
Secret Service of tools/with-secret-service.sh, which `secret_service_vault` also opens.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from o365desk.auth.claims import decode_claims
from o365desk.storage.vault import MSAL_CACHE
from tests.fakes.identity import DEFAULT_TENANT_ID, DEFAULT_USERNAME

pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


@pytest.fixture
def cli_env(fake_identity, config_dir, monkeypatch):
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    env = os.environ.copy()
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    return env


def o365desk(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "o365desk", *args], capture_output=True,
                          text=True, timeout=120, env=env)


def add_fake_connection(fake, env, nickname: str = "Fake") -> dict:
    added = o365desk(env, "add", nickname, "--authority", fake.authority("organizations"),
                     "--graph-endpoint", fake.graph_url, "--scopes", "User.Read Mail.Send")
    assert added.returncode == 0, added.stderr
    return json.loads(o365desk(env, "show", nickname, "--json").stdout)["connection"]


def login_with_device_code(fake, env, nickname: str = "Fake") -> tuple[int, str, str]:
    return device_code_login(fake, env, [sys.executable, "-m", "o365desk"], nickname)


def device_code_login(fake, env, program: list[str], nickname: str, *,
                      username: str | None = None, text: bool = True):
    """`PROGRAM login NICK --device-code`, approving its code at the fake as it is shown;
    (exit code, stdout, everything on stderr), as str or, with text=False, as bytes."""
    process = subprocess.Popen([*program, "login", nickname, "--device-code"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=text,
                               env=env)
    code_prefix = "Code: " if text else b"Code: "
    seen = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                break
            seen.append(line)
            if line.startswith(code_prefix):
                code = line[len(code_prefix):].strip()
                code = code if text else code.decode()
                if username is None:
                    fake.approve_device_code(code)
                else:
                    fake.approve_device_code(code, username)
                break
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, out, ("" if text else b"").join(seen) + err


def test_login_token_show_delete(fake_identity, cli_env, secret_service_vault, config_dir):
    connection = add_fake_connection(fake_identity, cli_env)
    assert connection["graph_endpoint"] == fake_identity.graph_url

    code, out, err = login_with_device_code(fake_identity, cli_env)
    assert code == 0, err
    assert f"{fake_identity.base_url}/devicelogin" in err
    assert out.strip() == f"Signed in as {DEFAULT_USERNAME}"
    assert secret_service_vault.get(connection["id"], MSAL_CACHE) is not None

    token = o365desk(cli_env, "token", "fake")
    assert token.returncode == 0, token.stderr
    access_token = token.stdout.strip()
    assert token.stdout.count("\n") == 1 and access_token in fake_identity.access_tokens
    claims = decode_claims(access_token)
    assert claims.tenant_id == DEFAULT_TENANT_ID and claims.username == DEFAULT_USERNAME
    assert "this is a secret; don't paste it anywhere public" in token.stderr
    assert access_token not in token.stderr

    # A newer o365desk's file opens read-only: "last used" can't be noted, the token still
    # comes.
    path = config_dir / "connections.json"
    saved = path.read_text(encoding="utf-8")
    path.write_text(saved.replace('"schema_version": 1', '"schema_version": 99'),
                    encoding="utf-8")
    read_only = o365desk(cli_env, "token", "fake")
    assert read_only.returncode == 0, read_only.stderr
    assert read_only.stdout.strip() in fake_identity.access_tokens
    path.write_text(saved, encoding="utf-8")

    shown = json.loads(o365desk(cli_env, "show", "Fake", "--json").stdout)["connection"]
    assert shown["account"]["username"] == DEFAULT_USERNAME
    assert shown["account"]["tenant_id"] == DEFAULT_TENANT_ID
    assert shown["status"] == "signed in" and shown["expires_at"].endswith("Z")

    deleted = o365desk(cli_env, "delete", "Fake", "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert secret_service_vault.get(connection["id"], MSAL_CACHE) is None
    assert o365desk(cli_env, "token", "Fake").returncode == 1


def test_token_without_sign_in_says_what_to_do(fake_identity, cli_env, secret_service_vault):
    add_fake_connection(fake_identity, cli_env, "Never")
    token = o365desk(cli_env, "token", "Never")
    assert token.returncode == 1 and token.stdout == ""
    assert token.stderr.startswith("o365desk: ")
    assert 'o365desk login "Never"' in token.stderr


def test_token_for_a_new_scope_after_revocation_asks_to_log_in(fake_identity, cli_env,
                                                     secret_service_vault):
    add_fake_connection(fake_identity, cli_env)
    assert login_with_device_code(fake_identity, cli_env)[0] == 0
    fake_identity.revoke_refresh_tokens()
    fake_identity.expire_access_tokens()  # the fake's Graph only; the CLI's cache is fresh
    token = o365desk(cli_env, "token", "Fake", "--scope", "Mail.Send", "--scope", "User.Read")
    assert token.returncode == 0  # a cached, still valid token needs no refresh
    wider = o365desk(cli_env, "token", "Fake", "--scope", "Directory.Read.All")
    assert wider.returncode == 1 and wider.stdout == ""
    assert 'o365desk login "Fake"' in wider.stderr
    assert o365desk(cli_env, "delete", "Fake", "--yes").returncode == 0


def test_graph_endpoint_must_be_https(cli_env):
    added = o365desk(cli_env, "add", "X", "--graph-endpoint", "http://graph.example")
    assert added.returncode == 1 and "https://" in added.stderr


def test_login_without_a_browser_says_so_and_offers_a_code(fake_identity, cli_env,
                                                           secret_service_vault):
    connection = add_fake_connection(fake_identity, cli_env)
    cli_env["BROWSER"] = "false"  # the "browser" exits at once with a failure
    began = time.monotonic()
    result = o365desk(cli_env, "login", "Fake", "--browser")
    assert result.returncode == 1, result.stderr
    assert time.monotonic() - began < 60  # not the listener's 300 s timeout
    assert "couldn't open a web browser" in result.stderr
    assert 'o365desk login "Fake" --device-code' in result.stderr
    assert secret_service_vault.get(connection["id"], MSAL_CACHE) is None
