"""App-only connections: create one with its client secret or certificate, give it a
new one (of either kind).

A secret goes to the keychain (vault name CLIENT_SECRET) and nowhere else; a certificate's
private key and certificate chain go there under CERTIFICATE_KEY and CERTIFICATE. Both are
registered with the redactor the moment they are received (auth.credentials does that),
so no log line can show them. connections.json keeps only the credential's non-secret
facts (its type and expiry; for a certificate its thumbprints, subject and end of
validity). A new credential replaces the old one: the old one's entries, and the tokens
it got, leave the keychain.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from o365desk.core.connection import Connection, Credential, CredentialType, Kind
from o365desk.services import Services
from o365desk.storage.vault import CERTIFICATE, CERTIFICATE_KEY, CLIENT_SECRET, MSAL_CACHE

if TYPE_CHECKING:
    from o365desk.auth.credentials import CertificateCredential

log = logging.getLogger(__name__)

def checked_secret(raw: str) -> str:
    """The secret as kept (auth.credentials.check_client_secret: registered with the
    redactor, no spaces around it); CredentialError (a ValueError) saying what is wrong."""
    from o365desk.auth.credentials import check_client_secret

    return check_client_secret(raw)


def create_app_only(services: Services, draft: Connection, secret: str,
                    expires_at: datetime | None = None) -> Connection:
    """Save a new app-only connection and its client secret; both or neither.

    The secret is checked first, then the connection saved, then the secret put in the
    keychain; when that fails, the connection just added is removed again.
    """
    value = checked_secret(secret)
    return _create(services, draft, Credential(CredentialType.SECRET, expires_at=expires_at),
                   {CLIENT_SECRET: value})


def create_app_only_certificate(services: Services, draft: Connection,
                                certificate: CertificateCredential) -> Connection:
    """Save a new app-only connection that signs in with a certificate (as parsed and
    checked by auth.credentials.load_certificate); the connection and its key, or neither."""
    return _create(services, draft, certificate_facts(certificate),
                   certificate_values(certificate))


def certificate_facts(certificate: CertificateCredential) -> Credential:
    """The certificate's non-secret facts for connections.json; it expires when it ends."""
    return Credential(CredentialType.CERTIFICATE, expires_at=certificate.not_after,
                      sha1=certificate.sha1_thumbprint, sha256=certificate.sha256_thumbprint,
                      subject=certificate.subject, not_after=certificate.not_after)


def certificate_values(certificate: CertificateCredential) -> dict[str, str]:
    """What the keychain keeps of a certificate: the private key and the chain."""
    return {CERTIFICATE_KEY: certificate.private_key_pem, CERTIFICATE: certificate.chain_pem}


def _create(services: Services, draft: Connection, facts: Credential,
            values: dict[str, str]) -> Connection:
    connection = draft.replace(kind=Kind.APP_ONLY, account=None, credential=facts)
    from o365desk.usecases.connections import create

    added = create(services, connection)
    try:
        vault = services.vault()
        for name, value in values.items():
            vault.set(added.id, name, value)
    except BaseException:
        try:
            services.store.delete(added.id)  # nothing half-saved
        except Exception:
            log.warning("could not remove the half-saved connection %s", added.id,
                        exc_info=True)
        try:
            services.vault().delete_connection(added.id)
        except Exception:
            log.warning("could not remove the half-saved credential of %s", added.id,
                        exc_info=True)
        raise
    return added


def replace_secret(services: Services, connection: Connection, secret: str,
                   expires_at: datetime | None = None) -> Connection:
    """Give an app-only connection a new client secret; the old credential (a secret or a
    certificate) leaves the keychain, and so do the tokens it got (the next token comes
    with the new secret)."""
    _check_replaceable(connection)
    value = checked_secret(secret)
    return _replace(services, connection,
                    Credential(CredentialType.SECRET, expires_at=expires_at),
                    {CLIENT_SECRET: value})


def replace_with_certificate(services: Services, connection: Connection,
                             certificate: CertificateCredential) -> Connection:
    """Give an app-only connection a certificate (parsed and checked by
    auth.credentials.load_certificate) in place of its secret or its old certificate."""
    _check_replaceable(connection)
    return _replace(services, connection, certificate_facts(certificate),
                    certificate_values(certificate))


def _check_replaceable(connection: Connection) -> None:
    if connection.kind != Kind.APP_ONLY:
        raise ValueError(f'"{connection.nickname}" signs in as a person, so it has no app '
                         f'credential to replace. Sign in with: o365desk login '
                         f'"{connection.nickname}"')
    from o365desk.core import connection_rules

    if connection.damage:  # changed only by deleting it: its file entry stays as read
        raise ValueError(connection_rules.message(connection))


def _replace(services: Services, connection: Connection, facts: Credential,
             values: dict[str, str]) -> Connection:
    vault = services.vault()
    for name, value in values.items():
        vault.set(connection.id, name, value)  # an old value of the name is overwritten
    for name in (CLIENT_SECRET, CERTIFICATE_KEY, CERTIFICATE, MSAL_CACHE):
        if name not in values:  # the old credential's entries, and the tokens it got
            vault.delete(connection.id, name)
    services.drop_session(connection.id)
    return services.store.patch(connection.id, credential=facts)
