"""App-only credentials: certificate files (PEM, PFX) parsed and checked with real
certificates made here, client secrets and their expiry dates checked; every refusal a
plain message, every secret registered with the redactor."""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from o365desk.auth import credentials, redact
from o365desk.auth.credentials import (
    CredentialError,
    check_client_secret,
    load_certificate,
    parse_secret_expiry,
    read_credential_file,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
PEM = serialization.Encoding.PEM
DER = serialization.Encoding.DER
PKCS8 = serialization.PrivateFormat.PKCS8
TRADITIONAL = serialization.PrivateFormat.TraditionalOpenSSL
PLAIN = serialization.NoEncryption()
# Words a message for staff must not hold: a traceback, or a library's jargon unexplained.
JARGON = re.compile(r"traceback|asn\.1|pkcs|\bder\b|deserializ|cryptography|openssl|x\.?509"
                    r"|exception|malformed|errno|\bnone\b|valueerror|typeerror|unsupported"
                    r"|\bbio\b|\bmac\b|\bb'", re.I)


# --- certificates made for the tests -------------------------------------------------------

@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def other_rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def big_rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=4096)


@pytest.fixture(autouse=True)
def _fresh_registry():
    redact.forget_registered_secrets()
    yield
    redact.forget_registered_secrets()


def name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Contoso, Ltd")])


def certificate(key, *, start=NOW - timedelta(days=30), end=NOW + timedelta(days=365),
                subject="o365desk app", issuer=None, issuer_key=None) -> x509.Certificate:
    return (x509.CertificateBuilder()
            .subject_name(name(subject))
            .issuer_name(name(issuer or subject))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .sign(issuer_key or key, None if isinstance(key, ed25519.Ed25519PrivateKey)
                  else hashes.SHA256()))


def key_pem(key, password: bytes | None = None, fmt=PKCS8) -> bytes:
    encryption = serialization.BestAvailableEncryption(password) if password else PLAIN
    return key.private_bytes(PEM, fmt, encryption)


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(PEM)


def pfx(key, cert, password: bytes | None, cas=None) -> bytes:
    encryption = serialization.BestAvailableEncryption(password) if password else PLAIN
    return pkcs12.serialize_key_and_certificates(b"o365desk", key, cert, cas, encryption)


def refusal(data: bytes, password: bytes | None = None, **kwargs) -> str:
    with pytest.raises(CredentialError) as caught:
        load_certificate(data, password, now=kwargs.pop("now", NOW), **kwargs)
    return plain(str(caught.value))


def plain(message: str) -> str:
    """The message, checked to read as one for staff: a sentence, no jargon or trace."""
    assert message[:1].isupper() or message[:1].isdigit() or message[:1] == '"' \
        or message.startswith("o365desk "), message
    assert message.endswith((".", ")")), message
    assert "\n" not in message, message
    assert not JARGON.search(message), message
    return message


# --- what a good file gives ---------------------------------------------------------------

def test_a_pem_with_key_and_certificate_gives_what_msal_and_entra_need(rsa_key):
    cert = certificate(rsa_key)
    loaded = load_certificate(key_pem(rsa_key) + cert_pem(cert), now=NOW)

    assert loaded.sha1_thumbprint == cert.fingerprint(hashes.SHA1()).hex().upper()
    assert loaded.sha256_thumbprint == cert.fingerprint(hashes.SHA256()).hex().upper()
    assert len(loaded.sha1_thumbprint) == 40 and len(loaded.sha256_thumbprint) == 64
    assert loaded.subject == "O=Contoso\\, Ltd,CN=o365desk app"  # RFC 4514, escaped
    assert loaded.not_before == cert.not_valid_before_utc
    assert loaded.not_after == cert.not_valid_after_utc
    assert loaded.not_after.utcoffset() == timedelta(0)
    assert loaded.certificate_pem.encode() == cert_pem(cert)
    assert loaded.chain_pem == loaded.certificate_pem
    assert loaded.private_key_pem.startswith("-----BEGIN PRIVATE KEY-----\n")
    back = serialization.load_pem_private_key(loaded.private_key_pem.encode(), None)
    assert back.private_numbers() == rsa_key.private_numbers()


def test_the_credential_is_frozen_and_its_repr_hides_the_key(rsa_key):
    loaded = load_certificate(key_pem(rsa_key) + cert_pem(certificate(rsa_key)), now=NOW)
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.subject = "CN=other"  # type: ignore[misc]
    body = loaded.private_key_pem.splitlines()[1]
    assert body not in repr(loaded) and "PRIVATE" not in repr(loaded)
    assert loaded.sha256_thumbprint in repr(loaded)


@pytest.mark.parametrize("layout", ["cert first", "traditional rsa key", "windows lines",
                                    "text around", "byte order mark"])
def test_pem_files_in_the_shapes_tools_write_them(rsa_key, layout):
    cert = certificate(rsa_key)
    data = {
        "cert first": cert_pem(cert) + key_pem(rsa_key),
        "traditional rsa key": key_pem(rsa_key, fmt=TRADITIONAL) + cert_pem(cert),
        "windows lines": (key_pem(rsa_key) + cert_pem(cert)).replace(b"\n", b"\r\n"),
        "byte order mark": b"\xef\xbb\xbf" + key_pem(rsa_key) + cert_pem(cert),
        "text around": b"Bag Attributes\n    friendlyName: app\n" + key_pem(rsa_key)
                       + b"subject=CN = o365desk app\n" + cert_pem(cert),
    }[layout]
    loaded = load_certificate(data, now=NOW)
    assert loaded.certificate_pem.encode() == cert_pem(cert)


def test_in_a_chain_the_leaf_is_the_certificate_of_the_key(rsa_key, other_rsa_key):
    ca = certificate(other_rsa_key, subject="Contoso CA")
    leaf = certificate(rsa_key, issuer="Contoso CA", issuer_key=other_rsa_key)
    loaded = load_certificate(cert_pem(ca) + key_pem(rsa_key) + cert_pem(leaf), now=NOW)

    assert loaded.certificate_pem.encode() == cert_pem(leaf)
    assert loaded.sha1_thumbprint == leaf.fingerprint(hashes.SHA1()).hex().upper()
    assert loaded.chain_pem.encode() == cert_pem(leaf) + cert_pem(ca)
    assert loaded.subject.endswith("CN=o365desk app")


@pytest.mark.parametrize("fmt", [PKCS8, TRADITIONAL])
def test_an_encrypted_key_opens_with_its_passphrase_and_comes_out_unencrypted(rsa_key, fmt):
    data = key_pem(rsa_key, b"correct horse", fmt) + cert_pem(certificate(rsa_key))
    loaded = load_certificate(data, b"correct horse", now=NOW)
    back = serialization.load_pem_private_key(loaded.private_key_pem.encode(), None)
    assert back.private_numbers() == rsa_key.private_numbers()
    assert load_certificate(data, "correct horse", now=NOW) == loaded  # typed text too


def test_a_passphrase_typed_for_an_unencrypted_key_does_no_harm(rsa_key):
    data = key_pem(rsa_key) + cert_pem(certificate(rsa_key))
    assert load_certificate(data, b"not needed", now=NOW).subject.endswith("o365desk app")


def test_a_pfx_of_several_kb_with_its_password(big_rsa_key, rsa_key, other_rsa_key):
    root = certificate(other_rsa_key, subject="Contoso Root")
    issuing = certificate(rsa_key, subject="Contoso Issuing", issuer="Contoso Root",
                          issuer_key=other_rsa_key)
    leaf = certificate(big_rsa_key, issuer="Contoso Issuing", issuer_key=rsa_key)
    data = pfx(big_rsa_key, leaf, b"Pfx-Pa55word!", [issuing, root])
    assert len(data) > 5000

    loaded = load_certificate(data, b"Pfx-Pa55word!", now=NOW)
    assert loaded.certificate_pem.encode() == cert_pem(leaf)
    assert loaded.chain_pem.encode() == cert_pem(leaf) + cert_pem(issuing) + cert_pem(root)
    assert loaded.sha256_thumbprint == leaf.fingerprint(hashes.SHA256()).hex().upper()
    assert len(loaded.private_key_pem) > 3000  # the 4096-bit key, for the chunked vault
    back = serialization.load_pem_private_key(loaded.private_key_pem.encode(), None)
    assert back.private_numbers() == big_rsa_key.private_numbers()


def test_a_pfx_whose_key_is_only_among_the_extra_certificates(rsa_key, other_rsa_key):
    ca = certificate(other_rsa_key, subject="Contoso CA")
    leaf = certificate(rsa_key, issuer="Contoso CA", issuer_key=other_rsa_key)
    data = pkcs12.serialize_key_and_certificates(
        b"app", rsa_key, None, [ca, leaf], serialization.BestAvailableEncryption(b"pw-pw-pw"))
    assert load_certificate(data, b"pw-pw-pw", now=NOW).certificate_pem.encode() == \
        cert_pem(leaf)


@pytest.mark.parametrize("typed", [None, b"", b"typed anyway"])
def test_a_pfx_without_a_password_opens_whatever_is_typed(rsa_key, typed):
    data = pfx(rsa_key, certificate(rsa_key), None)
    assert load_certificate(data, typed, now=NOW).subject.endswith("o365desk app")


# --- every refusal, in plain words ----------------------------------------------------------

def test_a_pfx_with_a_wrong_password(rsa_key):
    message = refusal(pfx(rsa_key, certificate(rsa_key), b"right one"), b"wrong one")
    assert "password is not the right one" in message and "type it again" in message


def test_a_pfx_with_a_password_and_none_given(rsa_key):
    message = refusal(pfx(rsa_key, certificate(rsa_key), b"right one"), None)
    assert "protected by a password" in message and "Type the password" in message


@pytest.mark.parametrize("fmt", [PKCS8, TRADITIONAL])
def test_an_encrypted_pem_with_a_wrong_passphrase(rsa_key, fmt):
    data = key_pem(rsa_key, b"right one", fmt) + cert_pem(certificate(rsa_key))
    message = refusal(data, b"wrong one")
    assert "passphrase is not the right one" in message


@pytest.mark.parametrize("typed", [None, b""])
def test_an_encrypted_pem_with_no_passphrase(rsa_key, typed):
    data = key_pem(rsa_key, b"right one") + cert_pem(certificate(rsa_key))
    message = refusal(data, typed)
    assert "protected by a passphrase" in message and "Type the" in message


def test_an_expired_certificate_says_when_it_expired(rsa_key):
    cert = certificate(rsa_key, start=datetime(2024, 3, 3, tzinfo=UTC),
                       end=datetime(2025, 3, 3, 9, 30, tzinfo=UTC))
    for data in (key_pem(rsa_key) + cert_pem(cert), pfx(rsa_key, cert, b"pw")):
        message = refusal(data, b"pw")
        assert "expired on 3 March 2025" in message and "Make a new certificate" in message


def test_a_certificate_not_valid_yet_says_from_when(rsa_key):
    cert = certificate(rsa_key, start=datetime(2027, 1, 5, 14, 0, tzinfo=UTC),
                       end=datetime(2028, 1, 5, tzinfo=UTC))
    message = refusal(key_pem(rsa_key) + cert_pem(cert))
    assert "valid only from 5 January 2027 at 14:00 UTC" in message
    assert "date and time are right" in message


def test_validity_is_checked_against_the_current_time_by_default(rsa_key):
    cert = certificate(rsa_key, start=datetime(2020, 1, 1, tzinfo=UTC),
                       end=datetime.now(UTC) - timedelta(minutes=5))
    with pytest.raises(CredentialError, match="expired on"):
        load_certificate(key_pem(rsa_key) + cert_pem(cert))


def test_a_key_that_does_not_belong_to_the_certificate(rsa_key, other_rsa_key):
    message = refusal(key_pem(rsa_key) + cert_pem(certificate(other_rsa_key)))
    assert "does not belong to its certificate" in message


def test_a_pfx_whose_key_does_not_belong_to_its_certificates(rsa_key, other_rsa_key):
    data = pkcs12.serialize_key_and_certificates(
        b"app", rsa_key, None, [certificate(other_rsa_key)],
        serialization.BestAvailableEncryption(b"pw-pw-pw"))
    assert "does not belong to its certificate" in refusal(data, b"pw-pw-pw")


JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + os.urandom(3000)


@pytest.mark.parametrize("data", [
    b"Dear team,\nhere is the certificate you asked for.\nRegards\n",
    JPEG,
    os.urandom(4096),
    b'{"thumbprint": "A1B2C3"}',
    b"-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n"
    b"-----END PUBLIC KEY-----\n",
], ids=["text", "jpeg", "random bytes", "json", "public key only"])
def test_a_file_that_is_not_a_certificate_at_all(data):
    for password in (None, b"some password"):
        message = refusal(data, password)
        assert "not a certificate or a private key" in message


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t"], ids=["empty", "blank"])
def test_an_empty_file(data):
    assert "The file is empty" in refusal(data)


def test_a_pem_with_a_certificate_and_no_key(rsa_key, other_rsa_key):
    for data in (cert_pem(certificate(rsa_key)),
                 cert_pem(certificate(rsa_key)) + cert_pem(certificate(other_rsa_key))):
        message = refusal(data)
        assert "holds the certificate but not its private key" in message


def test_a_certificate_alone_as_a_binary_cer_file(rsa_key):
    message = refusal(certificate(rsa_key).public_bytes(DER))
    assert "only a certificate" in message and "not its private key" in message


def test_a_pfx_with_a_certificate_and_no_key(rsa_key):
    data = pkcs12.serialize_key_and_certificates(
        b"app", None, certificate(rsa_key), None, serialization.BestAvailableEncryption(b"pw"))
    assert "not its private key" in refusal(data, b"pw")


@pytest.mark.parametrize("shape", ["pem", "encrypted pem", "binary", "pfx"])
def test_a_key_with_no_certificate(rsa_key, shape):
    data = {
        "pem": key_pem(rsa_key),
        "encrypted pem": key_pem(rsa_key, b"right one"),
        "binary": rsa_key.private_bytes(DER, PKCS8, PLAIN),
        "pfx": pfx(rsa_key, None, b"right one"),
    }[shape]
    message = refusal(data, b"right one")
    assert "holds a private key but not its certificate" in message


def test_a_pem_with_two_keys(rsa_key, other_rsa_key):
    data = key_pem(rsa_key) + key_pem(other_rsa_key) + cert_pem(certificate(rsa_key))
    assert "more than one private key" in refusal(data)


@pytest.mark.parametrize("make, kind", [
    (lambda: ec.generate_private_key(ec.SECP256R1()), "elliptic-curve (EC) key"),
    (ed25519.Ed25519PrivateKey.generate, "Edwards-curve (EdDSA) key"),
    (lambda: dsa.generate_private_key(2048), "a DSA key"),
])
def test_a_key_type_entra_does_not_take(make, kind):
    key = make()
    for data in (key_pem(key) + cert_pem(certificate(key)),
                 pfx(key, certificate(key), b"pw")):
        message = refusal(data, b"pw")
        assert kind in message
        assert "accepts only RSA keys of 2048 bits or more" in message


def test_an_rsa_key_shorter_than_2048_bits():
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    message = refusal(key_pem(key) + cert_pem(certificate(key)))
    assert "only 1024 bits long" in message and "2048 bits or more" in message


def test_data_over_the_size_cap_is_refused_at_once(rsa_key):
    data = key_pem(rsa_key) + cert_pem(certificate(rsa_key))
    message = refusal(data + b" " * credentials.MAX_FILE)
    assert "larger than 1 MB" in message


def test_a_damaged_key_says_so(rsa_key):
    good = key_pem(rsa_key).decode()
    lines = good.splitlines()
    lines[5] = lines[5][::-1]  # one line of the key garbled
    data = ("\n".join(lines) + "\n").encode() + cert_pem(certificate(rsa_key))
    assert "can't be read" in refusal(data)


def test_nothing_is_left_behind_for_a_refused_file(rsa_key, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    refusal(pfx(rsa_key, certificate(rsa_key), b"right one"), b"wrong one")
    refusal(key_pem(rsa_key) + cert_pem(certificate(rsa_key, end=NOW - timedelta(days=1))))
    assert list(tmp_path.iterdir()) == []


# --- reading the file -----------------------------------------------------------------------

def test_a_certificate_file_is_read_whole(rsa_key, tmp_path):
    data = pfx(rsa_key, certificate(rsa_key), b"pw")
    path = tmp_path / "app.pfx"
    path.write_bytes(data)
    assert read_credential_file(path) == data
    assert read_credential_file(str(path)) == data


def test_a_50_mb_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.pfx"
    with path.open("wb") as handle:  # sparse: 50 MB on paper, nothing on the disk
        handle.truncate(50 << 20)
    with pytest.raises(CredentialError) as caught:
        read_credential_file(path)
    message = plain(str(caught.value))
    assert "huge.pfx is larger than 1 MB" in message


def test_a_file_at_the_cap_is_read(tmp_path):
    path = tmp_path / "big.pem"
    path.write_bytes(b"x" * credentials.MAX_FILE)
    assert len(read_credential_file(path)) == credentials.MAX_FILE


@pytest.mark.parametrize("kind", ["folder", "named pipe", "device", "missing"])
def test_only_a_regular_file_is_read(tmp_path, kind):
    path = tmp_path / "app.pfx"
    if kind == "folder":
        path.mkdir()
    elif kind == "named pipe":
        os.mkfifo(path)  # would block a plain open() for ever
    elif kind == "device":
        path.symlink_to("/dev/zero")  # would never end
    with pytest.raises(CredentialError) as caught:
        read_credential_file(path)
    message = plain(str(caught.value))
    if kind == "missing":
        assert "There is no file at" in message
    else:
        assert f"There is a {kind} at " in message and "not a file" in message


def test_a_path_with_terminal_controls_is_shown_escaped(tmp_path):
    with pytest.raises(CredentialError) as caught:
        read_credential_file(tmp_path / "evil\x1b]0;title\x07.pfx")
    assert "\x1b" not in str(caught.value) and "\\x1b" in str(caught.value)


# --- secrets never reach a log ---------------------------------------------------------------

def test_the_key_and_the_password_are_registered_with_the_redactor(rsa_key):
    data = key_pem(rsa_key, b"pem passphrase") + cert_pem(certificate(rsa_key))
    loaded = load_certificate(data, b"pem passphrase", now=NOW)
    lines = [line for line in loaded.private_key_pem.splitlines() if "-----" not in line]
    log_line = (f"key={loaded.private_key_pem!r} line {lines[3]} "
                f"joined {''.join(lines)} typed pem passphrase")
    masked = redact.redact(log_line)
    assert "pem passphrase" not in masked
    assert all(line not in masked for line in lines if len(line) >= 8)
    assert redact.redact(loaded.sha1_thumbprint) == loaded.sha1_thumbprint  # not a secret
    as_json = json.dumps({"key": loaded.private_key_pem})
    assert lines[0] not in redact.redact(as_json)
    assert "[REDACTED]" in redact.redact(loaded.private_key_pem)


def test_a_wrong_password_is_registered_too(rsa_key):
    refusal(pfx(rsa_key, certificate(rsa_key), b"right one"), b"wrong password typed")
    assert "wrong password typed" not in redact.redact("tried wrong password typed")


# --- what MSAL makes of it -------------------------------------------------------------------

def _jwt_part(token: str, index: int) -> dict:
    part = token.split(".")[index]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _no_space(text: str) -> str:
    return "".join(text.split())


def _b64(cert: x509.Certificate) -> str:
    return base64.b64encode(cert.public_bytes(DER)).decode()


def _assertion_sent(fake_identity, credential: dict) -> str:
    import msal

    session = fake_identity.http_session()
    try:
        app = msal.ConfidentialClientApplication(
            "3f6b1a2c-4d5e-4f60-8a7b-9c0d1e2f3a4b", client_credential=credential,
            authority=fake_identity.authority("contoso.com"), instance_discovery=False,
            http_client=session)
        app.acquire_token_for_client(["https://graph.microsoft.com/.default"])
    finally:
        session.close()
    (request,) = [r for r in fake_identity.requests_to("/token", "POST")
                  if r.form.get("grant_type") == "client_credentials"]
    return request.form["client_assertion"]


def test_msal_signs_with_ps256_and_the_sha256_thumbprint(fake_identity, rsa_key):
    assert credentials.msal_signs_with_sha256()  # msal 1.39 is installed
    cert = certificate(rsa_key)
    loaded = load_certificate(key_pem(rsa_key, b"passphrase!") + cert_pem(cert),
                              b"passphrase!", now=NOW)
    credential = loaded.msal_client_credential()
    assert set(credential) == {"private_key", "public_certificate"}

    assertion = _assertion_sent(fake_identity, credential)
    header = _jwt_part(assertion, 0)
    assert header["alg"] == "PS256"
    assert header["x5t#S256"].rstrip("=") == _b64url(cert.fingerprint(hashes.SHA256()))
    assert [_no_space(c) for c in header["x5c"]] == [_b64(cert)]  # MSAL keeps PEM's lines
    assert _jwt_part(assertion, 1)["iss"] == "3f6b1a2c-4d5e-4f60-8a7b-9c0d1e2f3a4b"
    signed, _, signature = assertion.rpartition(".")
    cert.public_key().verify(  # raises if the key MSAL signed with is not the certificate's
        base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)), signed.encode(),
        padding.PSS(padding.MGF1(hashes.SHA256()), hashes.SHA256().digest_size),
        hashes.SHA256())


def test_an_older_msal_gets_the_sha1_thumbprint(fake_identity, rsa_key, monkeypatch):
    cert = certificate(rsa_key)
    loaded = load_certificate(key_pem(rsa_key) + cert_pem(cert), now=NOW)
    monkeypatch.setattr(credentials, "_MSAL_SHA256_FROM", (99, 0))
    credential = loaded.msal_client_credential()
    assert credential["thumbprint"] == loaded.sha1_thumbprint

    header = _jwt_part(_assertion_sent(fake_identity, credential), 0)
    assert header["alg"] == "RS256"
    assert header["x5t"].rstrip("=") == _b64url(cert.fingerprint(hashes.SHA1()))
    assert [_no_space(c) for c in header["x5c"]] == [_b64(cert)]  # MSAL keeps PEM's lines


# --- client secrets --------------------------------------------------------------------------

SECRET = "Abc8Q~x1y2z3W4v5u6T7s8R9q0P-o_N.mLkJiHgF"  # the shape Entra makes: 40 characters


def test_a_client_secret_is_trimmed_and_registered():
    assert len(SECRET) == 40
    assert check_client_secret(f"  \u200b{SECRET}\r\n") == SECRET
    assert SECRET not in redact.redact(f"sent {SECRET} to the token endpoint")
    assert check_client_secret("x" * credentials.MAX_SECRET) == "x" * 1024


@pytest.mark.parametrize("typed, words", [
    ("", "Paste the client secret"),
    ("   \t\n", "Paste the client secret"),
    (SECRET[:20] + "\n" + SECRET[20:], "hidden character"),
    (SECRET[:20] + "\t" + SECRET[20:], "hidden character"),
    (SECRET[:20] + "\u200b" + SECRET[20:], "hidden character"),
    (SECRET[:20] + "\x1b[2J" + SECRET[20:], "hidden character"),
    ("x" * 1025, "1025 characters, far longer than a client secret"),
    ("d5a1f7e2-3b4c-4d5e-8f90-a1b2c3d4e5f6", "the secret's ID, not the secret itself"),
])
def test_a_client_secret_refused_with_why(typed, words):
    with pytest.raises(CredentialError) as caught:
        check_client_secret(typed)
    message = plain(str(caught.value))
    assert words in message
    if len(typed.strip()) >= 8:
        assert typed.strip() not in message
        assert redact.redact(typed.strip()) != typed.strip()  # registered even if refused


def test_a_secret_expiry_date():
    assert parse_secret_expiry("2027-06-30", today=date(2026, 6, 1)) == date(2027, 6, 30)
    assert parse_secret_expiry(" 2026-06-01 ", today=date(2026, 6, 1)) == date(2026, 6, 1)
    assert parse_secret_expiry("2999-01-01") == date(2999, 1, 1)


@pytest.mark.parametrize("typed, words", [
    ("2026-05-31", "31 May 2026 is already past, so the secret has expired"),
    ("30/06/2027", '"30/06/2027" is not a date o365desk understands'),
    ("next year", "is not a date o365desk understands. Type the date as year-month-day"),
    ("2027-02-30", "2027-02-30 is not a day on the calendar"),
    ("", "The expiry date is empty"),
])
def test_a_secret_expiry_date_refused_with_why(typed, words):
    with pytest.raises(CredentialError) as caught:
        parse_secret_expiry(typed, today=date(2026, 6, 1))
    assert words in plain(str(caught.value))


def test_a_past_expiry_is_refused_against_today_by_default():
    yesterday = (datetime.now(UTC) - timedelta(days=2)).date()
    with pytest.raises(CredentialError, match="already past"):
        parse_secret_expiry(yesterday.isoformat())


@pytest.mark.parametrize("fmt", [PKCS8, TRADITIONAL])
def test_a_wrong_passphrase_that_decrypts_to_garbage_is_still_called_wrong(rsa_key, fmt):
    # A wrong passphrase gives garbage that, about 1 time in 300, gets past the padding
    # check and then fails to parse ("Could not deserialize key data", no word of a
    # password), as a damaged key would. Find such a passphrase, then check the words.
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    data = key_pem(rsa_key, b"right one", fmt) + cert_pem(certificate(rsa_key))
    for n in range(50_000):
        typed = f"wrong {n}".encode()
        try:
            load_pem_private_key(data, typed)
        except ValueError as exc:
            if "password" not in str(exc).lower():
                break
    else:
        pytest.fail("no wrong passphrase got past the padding check")
    message = refusal(data, typed)
    assert "passphrase is not the right one" in message, message
