"""Certificates and keys made for the tests of certificate credentials: PEM and PFX files
as tools write them (openssl, Windows' certificate export, Azure Key Vault)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PEM = serialization.Encoding.PEM


def rsa_key(bits: int = 2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def certificate(key, *, days: int = 365, start_days: int = -1,
                subject: str = "o365desk daemon") -> x509.Certificate:
    now = datetime.now(UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now + timedelta(days=start_days))
            .not_valid_after(now + timedelta(days=days))
            .sign(key, __import__("cryptography.hazmat.primitives.hashes",
                                  fromlist=["SHA256"]).SHA256()))


def key_pem(key, password: bytes | None = None) -> bytes:
    encryption = serialization.BestAvailableEncryption(password) if password \
        else serialization.NoEncryption()
    return key.private_bytes(PEM, serialization.PrivateFormat.PKCS8, encryption)


def pem_file(folder: Path, key, cert, name: str = "app.pem",
             password: bytes | None = None) -> Path:
    path = folder / name
    path.write_bytes(key_pem(key, password) + cert.public_bytes(PEM))
    return path


def pfx_file(folder: Path, key, cert, password: bytes, name: str = "app.pfx",
             cas=None) -> Path:
    path = folder / name
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"o365desk", key, cert, cas, serialization.BestAvailableEncryption(password)))
    return path


def cert_text(cert) -> str:
    return cert.public_bytes(PEM).decode()
