"""App-only connections in connections.json: the credential's facts round-trip, and a
wrong type or bad value damages that connection only; the status tells an expired one."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from o365desk.core.connection import Connection, Credential, CredentialType, Kind, Status
from o365desk.storage.store import ConnectionStore

SHA1 = "A" * 40
SHA256 = "0123456789abcdef" * 4


def app_entry(nickname: str = "Daemon", **changes) -> dict:
    return Connection(nickname=nickname, tenant="contoso.com", kind=Kind.APP_ONLY,
                      scopes=("User.Read.All",),
                      credential=Credential(CredentialType.SECRET)).to_dict() | changes


def place(path: Path, *entries: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"schema_version": 1, "connections": list(entries)}),
                    encoding="utf-8")


def test_the_credential_round_trips(store_path: Path):
    expires = datetime(2027, 6, 30, tzinfo=UTC)
    certificate = Credential(CredentialType.CERTIFICATE, expires_at=expires, sha1=SHA1,
                             sha256=SHA256, subject="CN=daemon", not_after=expires)
    place(store_path, app_entry("Secret"), app_entry("Cert", credential=certificate.to_dict()))
    secret, cert = ConnectionStore(store_path).load()
    assert not secret.damage and secret.credential == Credential(CredentialType.SECRET)
    assert not cert.damage and cert.credential == certificate
    assert cert.to_dict()["credential"] == {
        "type": "certificate", "expires_at": "2027-06-30T00:00:00Z", "sha1": SHA1,
        "sha256": SHA256, "subject": "CN=daemon", "not_after": "2027-06-30T00:00:00Z"}
    assert secret.status() is Status.READY


BAD = [
    pytest.param({"credential": {"type": "password"}}, "password", id="type-unknown"),
    pytest.param({"credential": {"type": 1}}, "can't be read", id="type-number"),
    pytest.param({"credential": "secret"}, "not an object", id="not-an-object"),
    pytest.param({"credential": {"type": "secret", "expires_at": "soon"}}, "expires_at",
                 id="expiry-unreadable"),
    pytest.param({"tenant": "organizations"}, "specific organisation", id="no-tenant"),
    pytest.param({"tenant": "common"}, "specific organisation", id="common"),
    pytest.param({"credential": {"type": "certificate", "sha1": "xyz", "sha256": SHA256,
                                 "not_after": "2027-01-01T00:00:00Z"}}, "thumbprints",
                 id="thumbprint-not-hex"),
    pytest.param({"credential": {"type": "certificate", "sha1": SHA1, "sha256": SHA256,
                                 "subject": "S" * 2000, "not_after": "2027-01-01T00:00:00Z"}},
                 "subject", id="subject-too-long"),
    pytest.param({"credential": {"type": "certificate", "sha1": SHA1, "sha256": SHA256}},
                 "end of validity", id="no-not-after"),
    pytest.param({"credential": {"type": "secret", "sha1": SHA1}}, "certificate's details",
                 id="secret-with-thumbprint"),
    pytest.param({"kind": "delegated"}, "delegated connection but lists an app credential",
                 id="delegated-with-credential"),
]


@pytest.mark.parametrize(("changes", "said"), BAD)
def test_a_bad_credential_damages_that_connection_only(store_path: Path, changes, said):
    good = app_entry("Good")
    place(store_path, good, app_entry("Bad") | changes)
    store = ConnectionStore(store_path)
    ok, damaged = store.load()
    assert store.notices == [] and not store.read_only
    assert ok.status() is Status.READY and not ok.damage
    assert damaged.status() is Status.DAMAGED and said in damaged.damage


def test_an_expired_credential_is_a_status_of_its_own():
    now = datetime.now(UTC)
    soon = Credential(CredentialType.SECRET, expires_at=now + timedelta(days=12, hours=1))
    gone = Credential(CredentialType.SECRET, expires_at=now - timedelta(days=1))
    app = Connection.from_dict(app_entry())
    assert app.replace(credential=soon).status() is Status.READY
    assert soon.expiring_soon() and soon.days_left() == 12
    assert app.replace(credential=gone).status() is Status.CREDENTIAL_EXPIRED
    assert app.status(keychain_ok=False) is Status.KEYCHAIN_UNAVAILABLE


def test_the_stored_secret_is_msals_client_credential(store_path: Path):
    from o365desk.auth.app_session import client_credential
    from o365desk.auth.results import SignInError
    from o365desk.storage.vault import CLIENT_SECRET, Vault
    from tests.fakes.memory_keyring import MemoryKeyring

    vault = Vault(MemoryKeyring())
    app = Connection.from_dict(app_entry())
    with pytest.raises(SignInError, match="not in this computer's keychain"):
        client_credential(app, vault)
    vault.set(app.id, CLIENT_SECRET, "s3cret-value-of-the-app-0123456789")
    assert client_credential(app, vault) == "s3cret-value-of-the-app-0123456789"
    cert = app.replace(credential=Credential(CredentialType.CERTIFICATE))
    with pytest.raises(SignInError, match="The certificate of .* is not in this computer's "
                                          "keychain.*--certificate FILE"):
        client_credential(cert, vault)  # a certificate connection reads its key, not a secret
    # No credential facts at all (a hand-made entry): not damaged, so `credential` can
    # give it one; until then a token is refused with that advice.
    place(store_path, app_entry("Bare", credential=None))
    (bare,) = ConnectionStore(store_path).load()
    assert not bare.damage and bare.credential is None
    with pytest.raises(SignInError, match='o365desk credential "Bare" --secret-stdin'):
        client_credential(bare, vault)


def test_the_expiry_warning_starts_30_days_before():
    from o365desk.cli.app_only import credential_warning, credential_words

    now = datetime.now(UTC)
    app = Connection.from_dict(app_entry())

    def expiring(delta: timedelta) -> Connection:
        return app.replace(credential=Credential(CredentialType.SECRET, expires_at=now + delta))

    assert credential_warning(expiring(timedelta(days=40))) == ""
    assert credential_words(expiring(timedelta(days=40, hours=2))) == "secret expires in 40 days"
    soon = credential_warning(expiring(timedelta(days=29, hours=2)))
    assert "secret expires in 29 days" in soon
    assert 'o365desk credential "Daemon" --secret-stdin' in soon
    gone = credential_warning(expiring(-timedelta(days=3)))
    assert "secret expired on" in gone and "can't get tokens" in gone
    assert credential_warning(app) == ""  # no expiry known: nothing to warn of


def test_a_damaged_connection_keeps_its_secret(store_path: Path, services):
    from o365desk.storage.vault import CLIENT_SECRET
    from o365desk.usecases.app_only import replace_secret

    place(store_path, app_entry("Bad", tenant="common"))
    (damaged,) = services.store.load()
    vault = services.vault()
    vault.set(damaged.id, CLIENT_SECRET, "the-old-secret-value-0123456789")
    with pytest.raises(ValueError, match="can't be used"):
        replace_secret(services, damaged, "a-new-secret-value-0123456789")
    assert vault.get(damaged.id, CLIENT_SECRET) == "the-old-secret-value-0123456789"


@pytest.mark.parametrize("method", ["start_auth_code", "start_device_code",
                                    "sign_in_with_browser"])
def test_an_interactive_sign_in_is_refused_in_words(services, method):
    from o365desk.auth.results import SignInError

    app = services.store.add(Connection.from_dict(app_entry()))
    with pytest.raises(SignInError, match="no person signs in"):
        getattr(services.session_for(app), method)()
