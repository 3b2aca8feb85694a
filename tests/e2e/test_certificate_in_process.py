"""A certificate connection in process: a PFX-derived 4096-bit key and its chain through
the chunked vault on a keychain with Windows' 2,560-byte entry limit, and no key, password,
client assertion or token in any file or log line after creating, using, replacing and
deleting it (real MSAL against the fake over HTTPS, debug logging)."""

from __future__ import annotations

import logging

from o365desk.storage.vault import CERTIFICATE, CERTIFICATE_KEY, ENTRY_LIMIT_BYTES, Vault
from tests.e2e.certificates import certificate, key_pem, rsa_key
from tests.e2e.test_no_secrets_on_disk import debug_logging, temp_home  # noqa: F401 (fixtures)
from tests.fakes.memory_keyring import MemoryKeyring

APP_ID = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
TENANT = "contoso.onmicrosoft.com"
PASSWORD = "Pfx-Pa55word-for-the-leak-scan"


def _pfx(key, leaf, cas) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    return pkcs12.serialize_key_and_certificates(
        b"o365desk", key, leaf, cas, serialization.BestAvailableEncryption(PASSWORD.encode()))


def test_a_large_pfx_key_through_the_chunked_vault_and_no_secret_anywhere(
        fake_identity, temp_home, debug_logging, monkeypatch, capfd):  # noqa: F811
    from o365desk.auth.credentials import load_certificate
    from o365desk.core.connection import Connection, Kind
    from o365desk.services import Services
    from o365desk.usecases import test as test_connection
    from o365desk.usecases.app_only import create_app_only_certificate, replace_with_certificate

    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    big, ca_key, second = rsa_key(4096), rsa_key(), rsa_key()
    leaf, ca = certificate(big), certificate(ca_key, subject="Contoso CA")
    loaded = load_certificate(_pfx(big, leaf, [ca]), PASSWORD)
    assert len(loaded.private_key_pem) > 3000 and loaded.chain_pem.count("BEGIN") == 2
    fake_identity.register_app_certificate(APP_ID, leaf,
                                           roles=("User.Read.All", "Organization.Read.All"))
    keyring = MemoryKeyring()  # Windows' limit: an entry over 2,560 bytes is refused
    vault = Vault(keyring)
    services = Services(vault_factory=lambda: vault)
    draft = Connection("Daemon", tenant=TENANT, client_id=APP_ID, kind=Kind.APP_ONLY,
                       authority=fake_identity.authority(TENANT),
                       graph_endpoint=fake_identity.graph_url,
                       scopes=("User.Read.All", "Organization.Read.All"))
    connection = create_app_only_certificate(services, draft, loaded)
    key_chunks = [k for k in keyring.entries if f"/{CERTIFICATE_KEY}/" in str(k)]
    assert len(key_chunks) >= 3  # ~3.2 kB of PEM is ~6.4 kB as UTF-16
    assert all(len(v.encode("utf-16-le")) <= ENTRY_LIMIT_BYTES
               for v in keyring.entries.values())
    assert Vault(keyring).get(connection.id, CERTIFICATE_KEY) == loaded.private_key_pem
    assert Vault(keyring).get(connection.id, CERTIFICATE) == loaded.chain_pem

    first = services.session_for(connection).acquire_silent()
    assert test_connection(services, connection).result.ok
    new_leaf = certificate(second)
    fake_identity.register_app_certificate(APP_ID, new_leaf)
    replacement = load_certificate(key_pem(second) + new_leaf.public_bytes(
        __import__("cryptography.hazmat.primitives.serialization",
                   fromlist=["Encoding"]).Encoding.PEM))
    connection = replace_with_certificate(services, services.store.find("Daemon"), replacement)
    assert not set(key_chunks) & set(keyring.entries)  # the old key's chunks are gone
    second_token = services.session_for(connection).acquire_silent()
    assert second_token.access_token != first.access_token
    assert fake_identity.assertion_refusals == []
    assert services.delete_connection(connection) > 0
    assert not keyring.entries

    assertions = {r.form["client_assertion"] for r in fake_identity.requests_to("/token")
                  if "client_assertion" in r.form}
    assert len(assertions) == 2
    key_lines = {line for pem in (loaded.private_key_pem, replacement.private_key_pem)
                 for line in pem.splitlines()[1:-1]}
    signatures = {a.rpartition(".")[2] for a in assertions}  # not JWT-shaped on their own
    secrets = {PASSWORD, *assertions, *signatures, *fake_identity.access_tokens, *key_lines}
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
            assert secret.encode() not in data, f"a secret ({secret[:8]}...) is in {path}"
    out, err = capfd.readouterr()
    for secret in secrets:
        assert secret not in out and secret not in err
