"""MSAL's token cache of one connection, read from and written to the keychain vault.

Both kinds of session (auth/session.py for a signed-in person, auth/app_session.py for an
app) keep their cache the same way, under the connection's ID and MSAL_CACHE."""

from __future__ import annotations

import logging
from typing import Any

from o365desk.auth.redact import register_secrets_in_json
from o365desk.core.held_signals import signals_held
from o365desk.storage.vault import MSAL_CACHE, Vault, VaultCorrupt

log = logging.getLogger(__name__)


def read_cache(vault: Vault, connection_id: str) -> Any:
    """The saved cache, its tokens registered with the redactor; empty when there is none
    or it can't be read (so the next sign-in or token replaces it)."""
    import msal

    cache = msal.SerializableTokenCache()
    try:
        text = vault.get(connection_id, MSAL_CACHE)
        cache.deserialize(text)
        register_secrets_in_json(text)  # its tokens, masked in every log line
    except VaultCorrupt:
        log.warning("saved tokens of connection %s are damaged; ignoring them", connection_id)
    except ValueError:
        log.warning("saved tokens of connection %s are not readable; ignoring them",
                    connection_id)
    return cache


def write_cache(vault: Vault, connection_id: str, cache: Any) -> None:
    """Write the cache back, only when it changed; Ctrl+C waits until it is written. A
    write that fails leaves the cache marked changed, so a later save tries again."""
    if cache is None or not cache.has_state_changed:
        return
    text = cache.serialize()  # resets has_state_changed
    with signals_held():
        try:
            vault.set(connection_id, MSAL_CACHE, text)
        except BaseException:
            cache.has_state_changed = True
            raise
