"""An app-only connection's credential, checked before anything is saved: a certificate
file (PEM or PFX) parsed into the key and certificate MSAL needs, or a client secret.

Every refusal is a CredentialError whose text tells staff what happened and what to do.
Every secret (the private key, the file's password, the client secret) is registered with
the redactor the moment it is received, so no log can show it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from o365desk.auth.redact import register_secret
from o365desk.core import safe_read
from o365desk.core.text import visible

if TYPE_CHECKING:  # cryptography is imported only when a credential is read
    from cryptography import x509

MAX_FILE = 1 << 20  # a certificate file is a few KB; a PFX with a long chain tens of KB
MAX_SECRET = 1024  # Entra's client secrets are 40 characters
MIN_RSA_BITS = 2048  # the smallest key Entra accepts for an app's certificate
# The first MSAL that signs with the SHA-256 thumbprint (PS256) when it is given the
# certificate and no thumbprint; before it only the SHA-1 thumbprint (RS256) was used.
_MSAL_SHA256_FROM = (1, 35)

_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----")
_KEY_LABELS = {b"PRIVATE KEY", b"RSA PRIVATE KEY", b"ENCRYPTED PRIVATE KEY",
               b"EC PRIVATE KEY", b"DSA PRIVATE KEY"}
_CERT_LABELS = {b"CERTIFICATE", b"X509 CERTIFICATE", b"TRUSTED CERTIFICATE"}
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# White space and invisible characters a copy from a web page brings along at the ends.
_EDGES = " \t\r\n\v\f\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008" \
    "\u2009\u200a\u200b\u200e\u200f\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"

_NEW_CERTIFICATE = ("Make a new certificate, upload its public part to the app registration "
                    "in Microsoft Entra, and choose the new file here.")
_RSA_ONLY = ("Microsoft Entra accepts only RSA keys of 2048 bits or more for an app's "
             "certificate. Make a new certificate with an RSA key of 2048 bits or more, "
             "upload it to the app registration, and choose the new file here.")


class CredentialError(ValueError):
    """A credential o365desk won't use; str(error) says what happened and what to do."""


@dataclass(frozen=True)
class CertificateCredential:
    """A certificate and its private key, checked: they belong together, the key is one
    Entra takes, and the certificate is valid now."""

    private_key_pem: str = field(repr=False)  # PKCS#8, unencrypted: a secret
    certificate_pem: str  # the certificate of the key (the leaf), sent as x5c
    chain_pem: str  # the leaf first, then every other certificate the file holds
    sha1_thumbprint: str  # upper-case hex, as Entra shows it
    sha256_thumbprint: str
    subject: str  # RFC 4514
    not_before: datetime  # aware, UTC
    not_after: datetime

    def msal_client_credential(self) -> dict[str, str]:
        """The client_credential for msal.ConfidentialClientApplication.

        With an MSAL that can (1.35 and later), the assertion is signed with PS256 and names
        the certificate by its SHA-256 thumbprint; an older one gets the SHA-1 thumbprint
        (RS256). The certificate itself goes along either way (the x5c header), which
        subject-name/issuer authentication needs and other apps ignore.
        """
        credential = {"private_key": self.private_key_pem,
                      "public_certificate": self.certificate_pem}
        if not msal_signs_with_sha256():
            credential["thumbprint"] = self.sha1_thumbprint
        return credential


def msal_signs_with_sha256() -> bool:
    """Whether the installed MSAL uses the SHA-256 thumbprint (PS256) when it is given the
    certificate and no thumbprint. (MSAL 1.39 has no separate SHA-256 thumbprint field.)"""
    import msal

    numbers = re.findall(r"\d+", msal.__version__)[:2]
    return tuple(int(n) for n in numbers) >= _MSAL_SHA256_FROM


# --- reading the file --------------------------------------------------------------------

def read_credential_file(path: str | Path) -> bytes:
    """The bytes of a certificate file: a regular file only, at most MAX_FILE."""
    path = Path(path)
    shown = visible(str(path))
    try:
        return safe_read.read_capped(path, MAX_FILE)
    except FileNotFoundError:
        raise CredentialError(
            f"There is no file at {shown}. Check the name and the folder, then choose the "
            "certificate file again.") from None
    except safe_read.TooLarge:
        raise CredentialError(_too_large(path.name)) from None
    except safe_read.NotAFile as exc:
        raise CredentialError(
            f"There is {exc.kind} at {shown}, not a file. Choose the certificate file "
            "itself (usually a .pfx or .pem file).") from None
    except PermissionError:
        raise CredentialError(
            f"o365desk is not allowed to read {shown}. Copy the file into one of your own "
            "folders, or ask IT to let you read it, then choose it again.") from None
    except OSError as exc:
        reason = visible(exc.strerror or "it could not be opened").lower()
        raise CredentialError(
            f"o365desk could not read {shown} ({reason}). Check the file and choose it "
            "again.") from None


def _too_large(name: str = "") -> str:
    which = f"The file {visible(name)}" if name else "The file"
    return (f"{which} is larger than 1 MB, far larger than any certificate file (they are "
            "a few KB). Choose the certificate file itself (usually a .pfx or .pem file).")


# --- parsing it --------------------------------------------------------------------------

def load_certificate(data: bytes, password: bytes | str | None = None, *,
                     now: datetime | None = None) -> CertificateCredential:
    """The credential in a PEM file (the private key and its certificate, the key maybe
    encrypted with `password`, maybe a chain) or a PFX/PKCS#12 file with its `password`.

    Raises CredentialError for a file that is not one, a wrong or missing password, a key
    and certificate that don't belong together, a key Entra refuses, or a certificate that
    has expired or is not valid yet (at `now`, by default the current time).
    """
    if isinstance(password, str):
        password = password.encode("utf-8")
    if password is not None:
        register_secret(password.decode("utf-8", errors="replace"))
    if len(data) > MAX_FILE:
        raise CredentialError(_too_large())
    if not data.strip():
        raise CredentialError(
            "The file is empty: it holds no certificate or key. Choose the certificate file "
            "for the app (usually a .pfx or .pem file).")
    if _PEM_BLOCK.search(data):
        key, certificates = _from_pem(data, password or None)
    else:
        key, certificates = _from_pfx(data, password)
    return _checked(key, certificates, now or datetime.now(UTC))


def _from_pem(data: bytes, password: bytes | None):
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    labels = [m.group(1) for m in _PEM_BLOCK.finditer(data)]
    keys = [label for label in labels if label in _KEY_LABELS]
    has_certificate = any(label in _CERT_LABELS for label in labels)
    if not keys and not has_certificate:
        raise CredentialError(_not_a_certificate())
    if not keys:
        raise CredentialError(
            "This file holds the certificate but not its private key, which o365desk "
            "needs to sign in as the app. Choose the file that has both: a .pfx file, or "
            "a .pem file with the private key in it.")
    if len(keys) > 1:
        raise CredentialError(
            "This file holds more than one private key, so o365desk can't tell which one "
            "is the app's. Choose a file with just the app's key and its certificate.")
    if not has_certificate:
        raise CredentialError(_key_without_certificate())
    encrypted = keys[0] == b"ENCRYPTED PRIVATE KEY" or b"Proc-Type: 4,ENCRYPTED" in data
    if encrypted and password is None:
        raise CredentialError(
            "The private key in this file is protected by a passphrase. Type the "
            "passphrase you were given with the file and try again.")
    try:
        key = load_pem_private_key(data, password if encrypted else None)
    except ValueError:
        # An encrypted key's cipher has no check of its own: a wrong passphrase gives
        # garbage that fails its padding ("bad decrypt") or, now and then (about 1 in 256
        # with a traditional key), its parse; either way it can't be told from damage.
        if encrypted:
            raise CredentialError(
                "That passphrase is not the right one for the private key in this file "
                "(or the file is damaged). Check it (capital letters count) and type it "
                "again, or ask whoever made the file for it.") from None
        raise CredentialError(_damaged("private key")) from None
    except TypeError:  # the file says encrypted and the key is not, or the other way
        raise CredentialError(_damaged("private key")) from None
    except Exception:  # cryptography reports an unsupported key as UnsupportedAlgorithm
        raise CredentialError(f"This private key is of a kind o365desk can't use. {_RSA_ONLY}"
                              ) from None
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise CredentialError(_damaged("certificate")) from None
    return key, certificates


def _from_pfx(data: bytes, password: bytes | None):
    from cryptography.hazmat.primitives.serialization import pkcs12

    # A file made without a password may have been given an empty one, or none at all; a
    # password typed for a file that has none is no reason to refuse it.
    tries = dict.fromkeys([password, None, b""])  # in this order, each once
    for attempt in tries:
        try:
            loaded = pkcs12.load_pkcs12(data, attempt)
        except ValueError as exc:
            if "password" not in str(exc).lower():  # not a PFX file at all
                _refuse_other_formats(data)
            continue
        except Exception:  # UnsupportedAlgorithm: a cipher this build can't use
            raise CredentialError(
                "This certificate file is locked with a kind of encryption o365desk can't "
                "open (older tools made files like this). Ask whoever made it to export it "
                "again as a .pfx file with AES-256 encryption.") from None
        certificates = [c.certificate for c in
                        ([loaded.cert] if loaded.cert else []) + list(loaded.additional_certs)]
        if loaded.key is None and not certificates:
            raise CredentialError(_not_a_certificate())
        if loaded.key is None:
            raise CredentialError(
                "This file holds the certificate but not its private key, which o365desk "
                "needs to sign in as the app. Ask whoever made it for a .pfx file exported "
                "with the private key.")
        if not certificates:
            raise CredentialError(_key_without_certificate())
        return loaded.key, certificates
    if password is None:  # every try was refused for its password
        raise CredentialError(
            "This certificate file is protected by a password. Type the password you were "
            "given with the file and try again.")
    raise CredentialError(
        "That password is not the right one for this certificate file. Check it (capital "
        "letters count) and type it again, or ask whoever made the file for it.")


def _refuse_other_formats(data: bytes):
    """A binary file that is not a PFX: a lone certificate or key (DER), or anything else."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_der_private_key

    try:
        x509.load_der_x509_certificate(data)
    except ValueError:
        pass
    else:
        raise CredentialError(
            "This file holds only a certificate (the public part, as uploaded to Entra), "
            "not its private key, which o365desk needs to sign in as the app. Choose the "
            ".pfx file, or a .pem file with both the private key and the certificate.")
    try:
        load_der_private_key(data, None)
    except TypeError:  # an encrypted key: it is a key all the same
        pass
    except Exception:
        raise CredentialError(_not_a_certificate()) from None
    raise CredentialError(_key_without_certificate())


def _checked(key, certificates: list[x509.Certificate], now: datetime) -> CertificateCredential:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    own = key.public_key().public_bytes(*spki)
    leaf = next((c for c in certificates if c.public_key().public_bytes(*spki) == own), None)
    if leaf is None:
        raise CredentialError(
            "The private key in this file does not belong to its certificate, so Microsoft "
            "would refuse the sign-in. Choose the file made together with the certificate "
            "(or a .pfx file exported with its private key), or make a new certificate.")
    if not isinstance(key, rsa.RSAPrivateKey):
        raise CredentialError(f"This certificate has {_key_kind(key)}. {_RSA_ONLY}")
    if key.key_size < MIN_RSA_BITS:
        raise CredentialError(
            f"This certificate's RSA key is only {key.key_size} bits long. {_RSA_ONLY}")
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    not_before, not_after = leaf.not_valid_before_utc, leaf.not_valid_after_utc
    if now > not_after:
        raise CredentialError(
            f"This certificate expired on {_day(not_after)}, so Microsoft refuses it. "
            f"{_NEW_CERTIFICATE}")
    if now < not_before:
        raise CredentialError(
            f"This certificate is valid only from {_day(not_before)} at "
            f"{not_before:%H:%M} UTC. Check that this computer's date and time are right; "
            "otherwise wait until then, or use a certificate that is valid now.")
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode("ascii")
    _register_key(key_pem)
    pem = serialization.Encoding.PEM
    others = [c for c in certificates if c is not leaf]
    return CertificateCredential(
        private_key_pem=key_pem,
        certificate_pem=leaf.public_bytes(pem).decode("ascii"),
        chain_pem="".join(c.public_bytes(pem).decode("ascii") for c in [leaf, *others]),
        sha1_thumbprint=leaf.fingerprint(hashes.SHA1()).hex().upper(),  # noqa: S303
        sha256_thumbprint=leaf.fingerprint(hashes.SHA256()).hex().upper(),
        subject=leaf.subject.rfc4514_string(),
        not_before=not_before,
        not_after=not_after,
    )


def _register_key(key_pem: str) -> None:
    """Mask the key in every later log line: whole (also with its line breaks written as
    \\n, as in a repr or JSON), as one base64 run, and line by line."""
    lines = [line for line in key_pem.splitlines() if line and not line.startswith("-----")]
    register_secret(key_pem, key_pem.replace("\n", "\\n"), "".join(lines), *lines)


def _key_kind(key) -> str:
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519

    if isinstance(key, ec.EllipticCurvePrivateKey):
        return "an elliptic-curve (EC) key"
    if isinstance(key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey):
        return "an Edwards-curve (EdDSA) key"
    if isinstance(key, dsa.DSAPrivateKey):
        return "a DSA key"
    return "a key of a kind other than RSA"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _day(moment: date) -> str:
    """3 March 2025, whatever the locale (Qt sets the system's, and this text is English)."""
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"


def _not_a_certificate() -> str:
    return ("This file is not a certificate or a private key. Choose the app's certificate "
            "file (usually a .pfx, .p12 or .pem file), not a picture or a document.")


def _key_without_certificate() -> str:
    return ("This file holds a private key but not its certificate. Choose a file that has "
            "both: a .pfx file, or a .pem file with the certificate added after the key.")


def _damaged(what: str) -> str:
    return (f"The {what} in this file can't be read: the file may be damaged or cut short. "
            "Ask whoever made it for a fresh copy and choose that.")


# --- client secrets ----------------------------------------------------------------------

def check_client_secret(text: str) -> str:
    """A client secret as typed or pasted, without the spaces around it, or CredentialError."""
    secret = text.strip(_EDGES)
    register_secret(text, secret)
    if not secret:
        raise CredentialError(
            "Paste the client secret's value from the app registration in Microsoft Entra "
            "(Certificates & secrets, the Value column).")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in secret):
        raise CredentialError(
            "The client secret has a hidden character in it (such as a line break or a tab), "
            "so it would be refused. Copy just the secret's value from Entra and paste it "
            "again.")
    if len(secret) > MAX_SECRET:
        raise CredentialError(
            f"That is {len(secret)} characters, far longer than a client secret (Entra's "
            "are 40). Copy just the secret's value from Entra and paste it again.")
    if _GUID.match(secret):
        raise CredentialError(
            "That is the secret's ID, not the secret itself. In Entra, under Certificates & "
            "secrets, copy the Value column instead (it is shown only when the secret is "
            "made; if it is hidden now, make a new secret).")
    return secret


def parse_secret_expiry(text: str, *, today: date | None = None) -> date:
    """The expiry date Entra showed for a client secret, typed as YYYY-MM-DD."""
    typed = text.strip(_EDGES)
    example = "Type the date as year-month-day, for example 2027-06-30."
    if not _DATE.match(typed):
        raise CredentialError(
            f'"{visible(typed[:40])}" is not a date o365desk understands. {example}'
            if typed else f"The expiry date is empty. {example}")
    try:
        day = date.fromisoformat(typed)
    except ValueError:
        raise CredentialError(f"{typed} is not a day on the calendar. {example}") from None
    today = today or datetime.now(UTC).date()
    if day < today:
        raise CredentialError(
            f"{_day(day)} is already past, so the secret has expired and Microsoft refuses "
            "it. Make a new client secret in Entra (Certificates & secrets) and enter it "
            "with its expiry date.")
    return day
