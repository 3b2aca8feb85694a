"""App-only connections from the command line, through the real MSAL against the fake's
client credentials grant over HTTPS, with the real Secret Service as the keychain."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from o365desk.auth.claims import decode_claims
from o365desk.storage.vault import CLIENT_SECRET, MSAL_CACHE
from tests.e2e.test_no_secrets_on_disk import debug_logging, temp_home  # noqa: F401 (fixtures)
from tests.fakes.identity import DEFAULT_TENANT_ID

APP_ID = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
SECRET = "Fk8Q~app.secret-ONE_zY4xW3vU2tS1rQ0pO9nM8lK7"
NEW_SECRET = "Xy7P~app.secret-TWO_aB1cD2eF3gH4iJ5kL6mN7oP8"
TENANT = "contoso.onmicrosoft.com"


@pytest.fixture
def cli_env(fake_identity, config_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    env = os.environ.copy()
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    env["HOME"] = str(tmp_path / "home")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    return env


def o365desk(env, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "o365desk", *args], capture_output=True,
                          text=True, timeout=120, env=env, input=stdin)


def add_app(fake, env, nickname="Daemon", scopes="User.Read.All Organization.Read.All",
            secret=SECRET, *extra: str) -> subprocess.CompletedProcess:
    return o365desk(env, "add", nickname, "--app-only", "--tenant", TENANT, "--client-id",
                    APP_ID, "--secret-stdin", "--scopes", scopes, "--authority",
                    fake.authority(TENANT), "--graph-endpoint", fake.graph_url, *extra,
                    stdin=secret + "\n")


def show(env, nickname="Daemon") -> dict:
    shown = o365desk(env, "show", nickname, "--json")
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)["connection"]


def test_create_token_test_replace_delete(fake_identity, cli_env, secret_service_vault,
                                          config_dir, tmp_path):
    fake_identity.register_app(APP_ID, SECRET, roles=("User.Read.All", "Organization.Read.All"))
    added = add_app(fake_identity, cli_env, "Daemon", "User.Read.All Organization.Read.All",
                    SECRET, "--secret-expires",
                    (datetime.now(UTC) + timedelta(days=12, hours=12)).strftime("%Y-%m-%d"))
    assert added.returncode == 0, added.stderr
    connection = show(cli_env)
    assert connection["kind"] == "app-only" and connection["status"] == "ready"
    assert connection["credential"]["type"] == "secret"
    assert connection["credential"]["expires_at"].endswith("Z")
    assert secret_service_vault.get(connection["id"], CLIENT_SECRET) == SECRET

    text = o365desk(cli_env, "show", "Daemon")
    assert "App only" in text.stdout and "secret expires in 12 days (" in text.stdout
    assert "Warning:" in text.stdout and 'o365desk credential "Daemon"' in text.stdout
    listed = o365desk(cli_env, "list")
    assert "App only (secret expires in 12 days)" in listed.stdout
    assert "ready" in listed.stdout and "Warning:" in listed.stdout

    token = o365desk(cli_env, "token", "Daemon")
    assert token.returncode == 0, token.stderr
    access_token = token.stdout.strip()
    claims = decode_claims(access_token)
    assert claims.tenant_id == DEFAULT_TENANT_ID
    assert set(claims.scopes) == {"User.Read.All", "Organization.Read.All"}
    sent = fake_identity.requests_to("/oauth2/v2.0/token", "POST")
    assert sent and sent[-1].form["grant_type"] == "client_credentials"
    assert sent[-1].form["scope"] == f"{fake_identity.graph_url}/.default"
    assert secret_service_vault.get(connection["id"], MSAL_CACHE) is not None

    tested = o365desk(cli_env, "test", "Daemon", "--json")
    assert tested.returncode == 0, tested.stderr
    assert json.loads(tested.stdout)["organisation"] == "Contoso (fake)"

    login = o365desk(cli_env, "login", "Daemon")
    assert login.returncode == 0 and "needs no login" in login.stdout

    # A new secret: the old one leaves the keychain, and the old tokens with it.
    fake_identity.set_app_secrets(APP_ID, NEW_SECRET)
    replaced = o365desk(cli_env, "credential", "Daemon", "--secret-stdin", "--expires",
                        "2030-01-31", stdin=NEW_SECRET)
    assert replaced.returncode == 0, replaced.stderr
    assert secret_service_vault.get(connection["id"], CLIENT_SECRET) == NEW_SECRET
    assert secret_service_vault.get(connection["id"], MSAL_CACHE) is None
    entries = _entries(secret_service_vault, connection["id"])
    assert entries and all(
        SECRET not in (secret_service_vault.backend.get_password("o365desk", key) or "")
        for key in entries)
    assert show(cli_env)["credential"]["expires_at"] == "2030-01-31T00:00:00Z"
    assert show(cli_env)["id"] == connection["id"]
    again = o365desk(cli_env, "test", "Daemon")
    assert again.returncode == 0, again.stderr

    secrets = {SECRET, NEW_SECRET, access_token}
    _no_secret_in_files(secrets, tmp_path)

    deleted = o365desk(cli_env, "delete", "Daemon", "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert 'Deleted the connection "Daemon" and its client secret' in deleted.stdout
    assert _entries(secret_service_vault, connection["id"]) == set()
    from o365desk.storage.keychain import open_vault

    assert connection["id"] not in open_vault().connection_ids()


def test_a_missing_role_is_named(fake_identity, cli_env, secret_service_vault):
    fake_identity.register_app(APP_ID, SECRET, roles=("Organization.Read.All",))
    assert add_app(fake_identity, cli_env).returncode == 0
    tested = o365desk(cli_env, "test", "Daemon")
    assert tested.returncode == 1
    assert "User.Read.All" in tested.stderr and "grant admin consent" in tested.stderr
    assert 'o365desk consent "Daemon"' in tested.stderr
    assert "Organization.Read.All" not in tested.stderr
    as_json = json.loads(o365desk(cli_env, "test", "Daemon", "--json").stdout)
    assert as_json["ok"] is False and as_json["error"]["code"] == "roles-missing"
    assert o365desk(cli_env, "delete", "Daemon", "--yes").returncode == 0


def test_a_wrong_secret_says_what_to_do(fake_identity, cli_env, secret_service_vault):
    fake_identity.register_app(APP_ID, "the-right-secret-value-0123456789")
    assert add_app(fake_identity, cli_env).returncode == 0
    token = o365desk(cli_env, "token", "Daemon")
    assert token.returncode == 1 and token.stdout == ""
    assert "didn't accept the client secret" in token.stderr
    assert 'o365desk credential "Daemon" --secret-stdin' in token.stderr
    assert SECRET not in token.stderr and "Traceback" not in token.stderr
    assert o365desk(cli_env, "delete", "Daemon", "--yes").returncode == 0


def test_a_secret_as_an_argument_is_refused(fake_identity, cli_env, config_dir):
    refused = o365desk(cli_env, "add", "Daemon", "--app-only", "--tenant", TENANT,
                       "--client-id", APP_ID, "--secret", SECRET, "--scopes", "User.Read.All")
    assert refused.returncode == 2
    assert "never given on the command line" in refused.stderr and SECRET not in refused.stderr
    assert not (config_dir / "connections.json").exists()
    for argv in (("credential", "Daemon", "--secret", SECRET),
                 ("credential", "Daemon", f"--secret={SECRET}"),
                 ("add", "Person", f"--secret={SECRET}")):
        refused = o365desk(cli_env, *argv)
        assert refused.returncode == 2, argv
        assert "never given on the command line" in refused.stderr
        assert SECRET not in refused.stderr


@pytest.mark.parametrize("tenant", ["organizations", "common"])
def test_an_app_needs_a_specific_organisation(cli_env, config_dir, tenant):
    refused = o365desk(cli_env, "add", "Daemon", "--app-only", "--tenant", tenant,
                       "--client-id", APP_ID, "--secret-stdin", "--scopes", "User.Read.All",
                       stdin=SECRET)
    assert refused.returncode == 2 and "one organisation" in refused.stderr
    assert not (config_dir / "connections.json").exists()


def test_client_id_and_application_permissions_are_required(cli_env, config_dir):
    no_id = o365desk(cli_env, "add", "Daemon", "--app-only", "--tenant", TENANT,
                     "--secret-stdin", "--scopes", "User.Read.All", stdin=SECRET)
    assert no_id.returncode == 2 and "--client-id" in no_id.stderr
    delegated = o365desk(cli_env, "add", "Daemon", "--app-only", "--tenant", TENANT,
                         "--client-id", APP_ID, "--secret-stdin", "--scopes",
                         "offline_access", stdin=SECRET)
    assert delegated.returncode == 1 and "no application variant" in delegated.stderr


def test_an_expired_secret_is_a_status_that_says_what_to_do(fake_identity, cli_env,
                                                            secret_service_vault, config_dir):
    fake_identity.register_app(APP_ID, SECRET, roles=("User.Read.All",))
    past = add_app(fake_identity, cli_env, "Daemon", "User.Read.All", SECRET,
                   "--secret-expires", "2020-01-01")
    assert past.returncode == 2 and "already past" in past.stderr
    assert add_app(fake_identity, cli_env, "Daemon", "User.Read.All", SECRET,
                   "--secret-expires", "2099-01-01").returncode == 0
    # The day comes: as if the file said so (o365desk itself takes no past date).
    path = config_dir / "connections.json"
    path.write_text(path.read_text(encoding="utf-8").replace("2099-01-01", "2020-01-01"),
                    encoding="utf-8")
    assert show(cli_env)["status"] == "credential expired"
    listed = o365desk(cli_env, "list")
    assert "credential expired" in listed.stdout
    assert "secret expired on 2020-01-01" in listed.stdout
    assert 'o365desk credential "Daemon" --secret-stdin' in listed.stdout
    assert o365desk(cli_env, "delete", "Daemon", "--yes").returncode == 0


def _entries(_vault, connection_id: str) -> set[str]:
    """The connection's entries as the vault's own listing (the Secret Service's items)
    finds them."""
    from o365desk.storage.keychain import open_vault

    listing = open_vault()
    assert listing.can_list
    return {key for key in listing.backend.usernames("o365desk")
            if key.startswith(f"{connection_id}/")}


def _no_secret_in_files(secrets: set[str], root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in data, f"{secret[:6]}... found in {path}"


def test_no_app_secret_reaches_any_file_or_log_line(
        fake_identity, temp_home, debug_logging, monkeypatch, capfd):  # noqa: F811
    """Create, token, test, a new secret, delete, in process with debug logging: neither
    secret nor any token is in a file under the home, config and data folders, in the log
    or on the terminal; a log line naming the secret bare shows it masked."""
    from o365desk.core.connection import Connection, Kind
    from o365desk.services import Services
    from o365desk.storage.vault import Vault
    from o365desk.usecases import test as test_connection
    from o365desk.usecases.app_only import create_app_only, replace_secret
    from tests.fakes.memory_keyring import MemoryKeyring

    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    fake_identity.register_app(APP_ID, SECRET, roles=("User.Read.All", "Organization.Read.All"))
    keyring = MemoryKeyring()
    vault = Vault(keyring)
    services = Services(vault_factory=lambda: vault)
    draft = Connection("Daemon", tenant=TENANT, client_id=APP_ID, kind=Kind.APP_ONLY,
                       authority=fake_identity.authority(TENANT),
                       graph_endpoint=fake_identity.graph_url,
                       scopes=("User.Read.All", "Organization.Read.All"))
    connection = create_app_only(services, draft, SECRET)
    first = services.session_for(connection).acquire_silent()
    assert test_connection(services, connection).result.ok
    fake_identity.set_app_secrets(APP_ID, NEW_SECRET)
    connection = replace_secret(services, services.store.find("Daemon"), NEW_SECRET)
    assert vault.get(connection.id, CLIENT_SECRET) == NEW_SECRET
    second = services.session_for(connection).acquire_silent()
    assert second.access_token != first.access_token
    assert services.delete_connection(connection) > 0
    assert not keyring.entries

    secrets = {SECRET, NEW_SECRET, *fake_identity.access_tokens}
    sent = {r.form.get("client_secret") for r in fake_identity.requests_to("/token")}
    assert {SECRET, NEW_SECRET} <= sent
    logging.getLogger("o365desk.test").debug("every secret seen, bare: %s",
                                             " ".join(sorted(secrets)))
    for handler in logging.getLogger().handlers:
        handler.flush()
    log_text = debug_logging.read_text(encoding="utf-8")
    assert "app-only token" in log_text and "every secret seen" in log_text
    files = [p for p in temp_home.rglob("*") if p.is_file()]
    assert debug_logging in files and any(p.name == "connections.json" for p in files)
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"a secret is in {path}"
    out, err = capfd.readouterr()
    for secret in secrets:
        assert secret not in out and secret not in err


def test_secret_from_a_file_edit_and_sign_out(fake_identity, cli_env, secret_service_vault,
                                              tmp_path):
    fake_identity.register_app(APP_ID, SECRET, roles=("User.Read.All",))
    folder = tmp_path / "a-folder"
    folder.mkdir()
    common = ("add", "Daemon", "--app-only", "--tenant", TENANT, "--client-id", APP_ID,
              "--scopes", "User.Read.All", "--authority", fake_identity.authority(TENANT),
              "--graph-endpoint", fake_identity.graph_url)
    refused = o365desk(cli_env, *common, "--secret-file", str(folder))
    assert refused.returncode == 1 and "a folder" in refused.stderr
    both = o365desk(cli_env, *common, "--secret-file", str(folder), "--secret-stdin",
                    stdin=SECRET)
    assert both.returncode == 2 and "one of them" in both.stderr
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET + "\n", encoding="utf-8")
    added = o365desk(cli_env, *common, "--secret-file", str(secret_file))
    assert added.returncode == 0, added.stderr
    connection = show(cli_env)
    assert secret_service_vault.get(connection["id"], CLIENT_SECRET) == SECRET

    delegated = o365desk(cli_env, "edit", "Daemon", "--add-scopes", "offline_access")
    assert delegated.returncode == 1 and "no application variant" in delegated.stderr
    assert o365desk(cli_env, "edit", "Daemon", "--add-scopes", "Mail.Send").returncode == 0
    assert show(cli_env)["scopes"] == ["User.Read.All", "Mail.Send"]

    assert o365desk(cli_env, "token", "Daemon").returncode == 0
    signed_out = o365desk(cli_env, "sign-out", "Daemon")
    assert signed_out.returncode == 0 and "is app only" in signed_out.stdout
    assert secret_service_vault.get(connection["id"], CLIENT_SECRET) == SECRET
    scoped = o365desk(cli_env, "token", "Daemon", "--scope", "Mail.Send")
    assert scoped.returncode == 2 and "--scope does not apply" in scoped.stderr
    assert o365desk(cli_env, "delete", "Daemon", "--yes").returncode == 0
    assert secret_service_vault.get(connection["id"], CLIENT_SECRET) is None


def test_an_app_that_may_not_read_the_organisation_still_tests_ok(fake_identity, cli_env,
                                                                  secret_service_vault):
    fake_identity.register_app(APP_ID, SECRET, roles=("Mail.Send",))
    assert add_app(fake_identity, cli_env, "Daemon", "Mail.Send").returncode == 0
    tested = o365desk(cli_env, "test", "Daemon")
    assert tested.returncode == 0, tested.stderr
    assert f'"Daemon" works: connected to {TENANT}' in tested.stdout
    assert fake_identity.requests_to("/graph/v1.0/organization")
    assert o365desk(cli_env, "delete", "Daemon", "--yes").returncode == 0


def test_test_names_the_application_permissions_its_token_carries(fake_identity, cli_env,
                                                                   secret_service_vault):
    """As the window's result bar does: "Its token carries ..."; `test --json` the list."""
    fake_identity.register_app(APP_ID, SECRET, roles=("User.Read.All", "Organization.Read.All"))
    assert add_app(fake_identity, cli_env, "Daemon", "User.Read.All").returncode == 0
    tested = o365desk(cli_env, "test", "Daemon")
    assert tested.returncode == 0, tested.stderr
    assert tested.stdout.startswith('"Daemon" works: connected to Contoso (fake) in ')
    # In the order Microsoft sent them (the fake sends them sorted).
    assert tested.stdout.endswith(" ms. Its token carries the application permissions "
                                  "Organization.Read.All, User.Read.All.\n")
    as_json = o365desk(cli_env, "test", "Daemon", "--json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["roles"] == ["Organization.Read.All", "User.Read.All"]
    fake_identity.register_app(APP_ID, SECRET, roles=("User.Read.All",))
    assert o365desk(cli_env, "credential", "Daemon", "--secret-stdin",
                    stdin=SECRET).returncode == 0  # a new token: the one role
    one = o365desk(cli_env, "test", "Daemon")
    assert one.stdout.endswith(" ms. Its token carries the application permission "
                               "User.Read.All.\n"), one.stdout + one.stderr
    assert o365desk(cli_env, "delete", "Daemon", "--yes").returncode == 0
