"""App-only connections: create one with its client secret, give it a new secret.

The secret goes to the keychain (vault name CLIENT_SECRET) and nowhere else; it is
registered with the redactor the moment it is received, so no log line can show it.
connections.json keeps only the credential's non-secret facts (its type and expiry).
"""

from __future__ import annotations

import logging
from datetime import datetime

from o365desk.core.connection import Connection, Credential, CredentialType, Kind
from o365desk.services import Services
from o365desk.storage.vault import CLIENT_SECRET, MSAL_CACHE

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
    connection = draft.replace(kind=Kind.APP_ONLY, account=None, credential=Credential(
        CredentialType.SECRET, expires_at=expires_at))
    from o365desk.usecases.connections import create

    added = create(services, connection)
    try:
        services.vault().set(added.id, CLIENT_SECRET, value)
    except BaseException:
        try:
            services.store.delete(added.id)  # nothing half-saved
        except Exception:
            log.warning("could not remove the half-saved connection %s", added.id,
                        exc_info=True)
        raise
    return added


def replace_secret(services: Services, connection: Connection, secret: str,
                   expires_at: datetime | None = None) -> Connection:
    """Give an app-only connection a new client secret; the old one leaves the keychain,
    and so do the tokens it got (the next token comes with the new secret)."""
    if connection.kind != Kind.APP_ONLY:
        raise ValueError(f'"{connection.nickname}" signs in as a person, so it has no app '
                         f'credential to replace. Sign in with: o365desk login '
                         f'"{connection.nickname}"')
    from o365desk.core import connection_rules

    if connection.damage:  # changed only by deleting it: its file entry stays as read
        raise ValueError(connection_rules.message(connection))
    value = checked_secret(secret)
    vault = services.vault()
    vault.set(connection.id, CLIENT_SECRET, value)  # the old value is overwritten
    vault.delete(connection.id, MSAL_CACHE)
    services.drop_session(connection.id)
    return services.store.patch(connection.id, credential=Credential(
        CredentialType.SECRET, expires_at=expires_at))
