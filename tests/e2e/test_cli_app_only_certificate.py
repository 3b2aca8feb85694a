"""App-only connections with a certificate from the command line, through the real MSAL
against the fake's client credentials grant over HTTPS (it checks the client assertion's
signature against the app's registered certificate), with the real Secret Service as the
keychain."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes

from o365desk.storage.vault import CERTIFICATE, CERTIFICATE_KEY, CLIENT_SECRET, MSAL_CACHE
from tests.e2e.certificates import cert_text, certificate, key_pem, pem_file, pfx_file, rsa_key
from tests.e2e.test_cli_app_only import (  # noqa: F401 (a fixture)
    APP_ID,
    SECRET,
    TENANT,
    _entries,
    _no_secret_in_files,
    cli_env,
    o365desk,
    show,
)

PASSWORD = "Pfx-Pa55word!"
ROLES = ("User.Read.All", "Organization.Read.All")


@pytest.fixture(scope="module")
def key():
    return rsa_key()


@pytest.fixture(scope="module")
def other_key():
    return rsa_key()


def add_cert(fake, env, path, *extra: str, stdin: str | None = None, nickname="Daemon"):
    return o365desk(env, "add", nickname, "--app-only", "--tenant", TENANT, "--client-id",
                    APP_ID, "--certificate", str(path), "--scopes", " ".join(ROLES),
                    "--authority", fake.authority(TENANT), "--graph-endpoint",
                    fake.graph_url, *extra, stdin=stdin)


def _jwt_header(assertion: str) -> dict:
    head = assertion.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _stored(vault, connection_id: str) -> str:
    """Every value of the connection's keychain entries, as the Secret Service holds them."""
    return "\n".join(vault.backend.get_password("o365desk", k) or ""
                     for k in _entries(vault, connection_id))


@pytest.mark.parametrize("form", ["pem", "pfx"])
def test_create_token_test_replace_delete(fake_identity, cli_env, secret_service_vault,  # noqa: F811
                                          tmp_path, key, other_key, form):
    cert = certificate(key, days=20)
    fake_identity.register_app_certificate(APP_ID, cert, roles=ROLES)
    if form == "pem":
        added = add_cert(fake_identity, cli_env, pem_file(tmp_path, key, cert))
    else:
        added = add_cert(fake_identity, cli_env,
                         pfx_file(tmp_path, key, cert, PASSWORD.encode()), "--password-stdin",
                         stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert "its certificate (thumbprint" in added.stdout
    connection = show(cli_env)
    facts = connection["credential"]
    assert connection["kind"] == "app-only" and connection["status"] == "ready"
    assert facts["type"] == "certificate"
    assert facts["sha1"] == cert.fingerprint(hashes.SHA1()).hex().upper()
    assert facts["sha256"] == cert.fingerprint(hashes.SHA256()).hex().upper()
    assert facts["subject"] == "CN=o365desk daemon"
    assert facts["not_after"] == facts["expires_at"]
    assert facts["not_after"].startswith(f"{cert.not_valid_after_utc:%Y-%m-%dT%H:%M}")
    assert secret_service_vault.get(connection["id"], CERTIFICATE) == cert_text(cert)
    assert "PRIVATE KEY" in secret_service_vault.get(connection["id"], CERTIFICATE_KEY)
    assert secret_service_vault.get(connection["id"], CLIENT_SECRET) is None

    text = o365desk(cli_env, "show", "Daemon").stdout
    assert "certificate expires in 19 days (" in text
    assert f"CN=o365desk daemon, SHA-1 thumbprint {facts['sha1']}" in text
    assert "Warning:" in text and 'o365desk credential "Daemon" --certificate FILE' in text
    assert "App only (certificate expires in 19 days)" in o365desk(cli_env, "list").stdout

    token = o365desk(cli_env, "token", "Daemon")
    assert token.returncode == 0, token.stderr
    (sent,) = [r for r in fake_identity.requests_to("/oauth2/v2.0/token", "POST")]
    assert "client_secret" not in sent.form
    header = _jwt_header(sent.form["client_assertion"])
    assert header["alg"] == "PS256"
    assert header["x5t#S256"].rstrip("=") == _b64url(cert.fingerprint(hashes.SHA256()))
    assert len(header["x5c"]) == 1
    assert fake_identity.assertion_refusals == []
    assert secret_service_vault.get(connection["id"], MSAL_CACHE) is not None
    tested = o365desk(cli_env, "test", "Daemon", "--json")
    assert tested.returncode == 0, tested.stderr

    # A new certificate: the old one's entries leave the keychain, and its tokens.
    new_cert = certificate(other_key, days=400)
    fake_identity.register_app_certificate(APP_ID, new_cert)
    old_key = secret_service_vault.get(connection["id"], CERTIFICATE_KEY)
    replaced = o365desk(cli_env, "credential", "Daemon", "--certificate",
                        str(pem_file(tmp_path, other_key, new_cert, "new.pem")))
    assert replaced.returncode == 0, replaced.stderr
    assert secret_service_vault.get(connection["id"], CERTIFICATE) == cert_text(new_cert)
    assert secret_service_vault.get(connection["id"], MSAL_CACHE) is None
    stored = _stored(secret_service_vault, connection["id"])
    assert old_key.splitlines()[1] not in stored and cert_text(cert) not in stored
    assert show(cli_env)["credential"]["sha1"] == \
        new_cert.fingerprint(hashes.SHA1()).hex().upper()
    assert show(cli_env)["id"] == connection["id"]
    assert o365desk(cli_env, "test", "Daemon").returncode == 0

    # To a secret and back: each swap removes the other kind's entries.
    fake_identity.register_app(APP_ID, SECRET, roles=ROLES)
    to_secret = o365desk(cli_env, "credential", "Daemon", "--secret-stdin", stdin=SECRET)
    assert to_secret.returncode == 0, to_secret.stderr
    names = {k.split("/")[1] for k in _entries(secret_service_vault, connection["id"])}
    assert names == {CLIENT_SECRET}
    assert show(cli_env)["credential"]["type"] == "secret"
    assert o365desk(cli_env, "test", "Daemon").returncode == 0
    fake_identity.register_app_certificate(APP_ID, new_cert)
    fake_identity.set_app_secrets(APP_ID)
    back = o365desk(cli_env, "credential", "Daemon", "--certificate",
                    str(tmp_path / "new.pem"))
    assert back.returncode == 0, back.stderr
    names = {k.split("/")[1] for k in _entries(secret_service_vault, connection["id"])}
    assert names == {CERTIFICATE_KEY, CERTIFICATE}
    assert o365desk(cli_env, "test", "Daemon").returncode == 0

    _no_secret_in_files({SECRET, PASSWORD, old_key.splitlines()[1],
                         key_pem(other_key).decode().splitlines()[1]}, tmp_path / "config")
    deleted = o365desk(cli_env, "delete", "Daemon", "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert "and its certificate" in deleted.stdout
    assert _entries(secret_service_vault, connection["id"]) == set()


def test_an_unregistered_certificate_is_refused_in_plain_words(fake_identity, cli_env,  # noqa: F811
                                                               secret_service_vault,
                                                               tmp_path, key, other_key):
    fake_identity.register_app_certificate(APP_ID, certificate(other_key), roles=ROLES)
    assert add_cert(fake_identity, cli_env,
                    pem_file(tmp_path, key, certificate(key))).returncode == 0
    token = o365desk(cli_env, "token", "Daemon")
    assert token.returncode == 1 and token.stdout == ""
    assert fake_identity.assertion_refusals == ["x5t#S256 names no registered certificate"]
    assert "didn't accept the certificate" in token.stderr
    assert 'o365desk credential "Daemon" --certificate FILE' in token.stderr
    assert "Traceback" not in token.stderr
    assert o365desk(cli_env, "delete", "Daemon", "--yes").returncode == 0


@pytest.mark.parametrize("case", ["wrong password", "no password", "expired", "not yet valid",
                                  "mismatched key", "not a certificate", "50 MB",
                                  "a folder", "password as an argument", "secret and cert"])
def test_a_bad_certificate_is_refused_through_the_cli_and_nothing_is_saved(
        cli_env, config_dir, tmp_path, key, other_key, case):  # noqa: F811
    good = certificate(key)
    argv, stdin, words = (), None, ""
    if case == "wrong password":
        path, argv, stdin = pfx_file(tmp_path, key, good, b"right-password"), \
            ("--password-stdin",), "wrong-password\n"
        words = "That password is not the right one"
    elif case == "no password":
        path = pfx_file(tmp_path, key, good, b"right-password")
        words = "protected by a password"
    elif case == "expired":
        path = pem_file(tmp_path, key, certificate(key, start_days=-400, days=-3))
        words = "This certificate expired on"
    elif case == "not yet valid":
        path = pem_file(tmp_path, key, certificate(key, start_days=30, days=400))
        words = "This certificate is valid only from"
    elif case == "mismatched key":
        path = tmp_path / "mixed.pem"
        path.write_bytes(key_pem(other_key) + good.public_bytes(
            __import__("cryptography.hazmat.primitives.serialization",
                       fromlist=["Encoding"]).Encoding.PEM))
        words = "does not belong to its certificate"
    elif case == "not a certificate":
        path = tmp_path / "photo.png"
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
        words = "This file is not a certificate or a private key"
    elif case == "50 MB":
        path = tmp_path / "huge.pfx"
        with path.open("wb") as out:
            out.truncate(50 * 1024 * 1024)
        words = "larger than 1 MB"
    elif case == "a folder":
        path = tmp_path / "a-folder"
        path.mkdir()
        words = "There is a folder at"
    elif case == "password as an argument":
        path, argv = pem_file(tmp_path, key, good), ("--password", PASSWORD)
        words = "never given on the command line"
    else:
        path, argv, stdin = pem_file(tmp_path, key, good), ("--secret-stdin",), SECRET
        words = "not both"
    refused = o365desk(cli_env, "add", "Daemon", "--app-only", "--tenant", TENANT,
                       "--client-id", APP_ID, "--certificate", str(path), "--scopes",
                       "User.Read.All", *argv, stdin=stdin)
    assert refused.returncode in (1, 2), refused.stderr
    assert words in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr and PASSWORD not in refused.stderr
    assert len(refused.stderr.splitlines()) <= 2
    assert not (config_dir / "connections.json").exists()


def test_an_expired_certificate_is_a_status_that_says_what_to_do(
        fake_identity, cli_env, secret_service_vault, config_dir, tmp_path, key):  # noqa: F811
    assert add_cert(fake_identity, cli_env,
                    pem_file(tmp_path, key, certificate(key))).returncode == 0
    # The day comes: as if the file said so (o365desk itself takes no expired certificate).
    path = config_dir / "connections.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    for entry in entries["connections"]:
        entry["credential"]["expires_at"] = entry["credential"]["not_after"] = \
            "2020-01-01T00:00:00Z"
    path.write_text(json.dumps(entries), encoding="utf-8")
    assert show(cli_env)["status"] == "credential expired"
    listed = o365desk(cli_env, "list")
    assert "certificate expired on 2020-01-01" in listed.stdout
    assert "Make a new certificate (upload its public part to the app registration)" \
        in listed.stdout
    assert 'o365desk credential "Daemon" --certificate FILE' in listed.stdout
    assert o365desk(cli_env, "delete", "Daemon", "--yes").returncode == 0
