"""Sign-in (embedded and in the system browser), refresh, reauthorize, sign-out and delete
leave no secret in any file written.

Everything runs under a temporary HOME, XDG dirs, TMPDIR and O365DESK_CONFIG_DIR with the
app log at DEBUG (MSAL as low as the app lets it go). Tokens live in the keychain only,
here an in-memory one, so the files written must not hold the access, refresh or ID
token, the authorization code or the PKCE verifier.
"""

from __future__ import annotations

import json
import logging
import tempfile
from urllib.parse import urlencode

import pytest

from o365desk.auth import redact
from o365desk.auth.session import ConnectionSession
from o365desk.core.connection import Connection
from o365desk.graph import client
from o365desk.services import Services
from o365desk.storage.vault import MSAL_CACHE, Vault
from tests.fakes.browser import signing_in, stand_in_browser
from tests.fakes.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


@pytest.fixture
def temp_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    for var, sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                     ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")):
        (home / sub).mkdir(parents=True)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setenv("O365DESK_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path


@pytest.fixture
def debug_logging(temp_home):
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", "o365desk", "msal")}
    handlers = list(root.handlers)
    path = redact.setup_logging(level=logging.DEBUG)
    assert str(path).startswith(str(temp_home))
    logging.getLogger("o365desk").setLevel(logging.DEBUG)
    logging.getLogger("msal").setLevel(logging.DEBUG)
    redact.set_msal_log_level(logging.DEBUG)  # the app keeps MSAL at INFO whatever is asked
    assert logging.getLogger("msal").getEffectiveLevel() == logging.INFO
    yield path
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def _cache_secrets(vault: Vault, connection_id: str) -> set[str]:
    text = vault.get(connection_id, MSAL_CACHE)
    found = set()
    for section in ("AccessToken", "RefreshToken", "IdToken"):
        for entry in json.loads(text).get(section, {}).values():
            found.add(entry["secret"])
    return found


def _sign_in(fake, session: ConnectionSession, codes: set[str]):
    start = session.start_auth_code()
    params = fake.sign_in_with_http(start.auth_uri)
    codes.add(params["code"])
    return session.finish_auth_code(start, f"{start.redirect_uri}?{urlencode(params)}")


def test_no_secret_reaches_any_file(fake_identity, temp_home, debug_logging, monkeypatch,
                                    capfd):
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    keyring = MemoryKeyring()
    vault = Vault(keyring)
    services = Services(vault_factory=lambda: vault)
    connection = services.store.add(Connection(
        "Contoso", authority=fake_identity.authority(), graph_endpoint=fake_identity.graph_url,
        scopes=("User.Read", "Mail.Send")))
    secrets: set[str] = set()

    # Sign in, refresh, test the connection.
    session = services.session_for(connection)
    first = _sign_in(fake_identity, session, secrets)
    connection = services.record_sign_in(connection, first)
    refreshed = services.session_for(connection).acquire_silent(force_refresh=True)
    assert client.test_connection(services.session_for(connection)).ok
    secrets |= {first.access_token, refreshed.access_token}
    secrets |= _cache_secrets(vault, connection.id)

    # Reauthorize with an added scope.
    connection = services.store.update(connection.replace(
        scopes=(*connection.scopes, "User.Read.All")))
    again = _sign_in(fake_identity, services.session_for(connection), secrets)
    assert "User.Read.All" in again.granted
    connection = services.record_sign_in(connection, again)
    secrets |= {again.access_token} | _cache_secrets(vault, connection.id)

    # Sign out, sign in once more in the system browser (MSAL's loopback listener), delete.
    connection = services.sign_out(connection)
    stand_in_browser(monkeypatch, signing_in(fake_identity))
    fourth = services.session_for(connection).sign_in_with_browser(timeout=30)
    connection = services.record_sign_in(connection, fourth)
    secrets |= {fourth.access_token} | _cache_secrets(vault, connection.id)
    assert services.delete_connection(connection) > 0
    assert not keyring.entries

    # Everything the fake was sent: codes, PKCE verifiers, refresh tokens.
    for request in fake_identity.requests_to("/oauth2/v2.0/token"):
        secrets |= {request.form[k] for k in ("code", "code_verifier", "refresh_token")
                    if request.form.get(k)}
    secrets |= set(fake_identity.access_tokens) | set(fake_identity.refresh_tokens)
    assert len({s for s in secrets if s.startswith("FAKE-CODE.")}) == 3
    assert len([r for r in fake_identity.requests_to("/token")
                if r.form.get("code_verifier")]) == 3
    secrets = {s for s in secrets if len(s) >= 16}

    logging.getLogger("o365desk.test").debug("a record with a token %s", first.access_token)
    # Bare, with no name beside them and mostly of no known shape (FAKE-CODE..., 0.FAKE-RT...,
    # the PKCE verifiers): masked because the process registered each as it saw it.
    logging.getLogger("o365desk.test").debug("every secret seen, bare: %s",
                                             " ".join(sorted(secrets)))
    for handler in logging.getLogger().handlers:
        handler.flush()
    log_text = debug_logging.read_text(encoding="utf-8")
    assert "signed in" in log_text and "signed out" in log_text  # the log was written

    files = [p for p in temp_home.rglob("*") if p.is_file()]
    assert debug_logging in files and any(p.name == "connections.json" for p in files)
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"a secret is in {path}"
    out, err = capfd.readouterr()
    for secret in secrets:
        assert secret not in out and secret not in err
