"""Token health of the saved connections (core/health.py decides), read without the network."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from o365desk.core.connection import Connection, Kind, utcnow
from o365desk.core.health import Health, assess
from o365desk.services import Services
from o365desk.storage.vault import VaultError, VaultUnavailable


def token_health(services: Services, connections: Iterable[Connection] | None = None,
           now: datetime | None = None) -> list[tuple[Connection, Health]]:
    """Each connection (default: all saved) with its health; blocks (keychain), never online.

    The access token's expiry comes from the saved MSAL cache in the keychain; when the
    keychain can't be reached, a connection that keeps its sign-in or credential there
    says so (and needs attention).
    """
    from o365desk.auth.token_state import read_token_state

    listed = list(services.store.connections if connections is None else connections)
    vault = None
    keychain_ok = True
    found: list[tuple[Connection, Health]] = []
    for connection in listed:
        expires = cached = None
        uses_keychain = not connection.damage and (
            connection.kind == Kind.APP_ONLY or connection.account is not None)
        if uses_keychain and keychain_ok:
            try:
                if vault is None:
                    vault = services.vault()
                    vault.check()
                if connection.kind == Kind.DELEGATED:
                    state = read_token_state(vault, connection)
                    if state is not None:
                        expires, cached = state.expires_at, state.cached_at
            except VaultUnavailable:
                keychain_ok = False
            except VaultError:  # this one's saved cache can't be read: its times from the file
                pass
        found.append((connection, assess(connection, now, token_expires_at=expires,
                                         cached_at=cached,
                                         keychain_ok=keychain_ok or not uses_keychain)))
    return found


def needs_attention(found: Iterable[tuple[Connection, Health]]) -> bool:
    return any(h.needs_attention for _c, h in found)


@dataclasses.dataclass(frozen=True)
class KeepAliveOutcome:
    """One connection's keep-alive refresh: whether it worked, in a sentence either way."""

    connection: Connection
    ok: bool
    message: str
    # A refusal that only a new sign-in mends (its code, e.g. "invalid_grant"; "" when the
    # refresh worked or failed for another reason, such as the network).
    failure: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.connection.id, "nickname": self.connection.nickname,
                "ok": self.ok, "message": self.message}


def due_for_keep_alive(connection: Connection, days: int, now: datetime) -> bool:
    """A signed-in (delegated, sound) connection whose sign-in was not refreshed for `days`.

    One whose last refresh failed is left alone: only a new sign-in mends it."""
    if connection.damage or connection.kind != Kind.DELEGATED or connection.account is None \
            or connection.refresh_failure:
        return False
    last = connection.last_refreshed_at
    return last is None or now - last >= timedelta(days=days)


def keep_alive(services: Services, now: datetime | None = None,
               days: int | None = None) -> list[KeepAliveOutcome]:
    """Refresh the sign-ins not refreshed for `days` (default: the keep-alive setting; none
    when it is off), so Entra's 90-day inactivity lapse starts again; blocks (network).

    Each refresh goes through the connection's session, which records it (or the failure
    that needs a new sign-in) in connections.json.
    """
    from o365desk.auth.results import SignInError
    from o365desk.core.settings import keep_alive_days
    from o365desk.storage.store import StoreError

    days = days if days is not None else keep_alive_days()
    if days is None:
        return []
    now = now or utcnow()
    outcomes: list[KeepAliveOutcome] = []
    unavailable = ""  # once the keychain can't be reached, the rest aren't tried
    for connection in services.store.connections:
        if not due_for_keep_alive(connection, days, now):
            continue
        if unavailable:
            outcomes.append(KeepAliveOutcome(connection, False, unavailable))
            continue
        try:
            services.session_for(connection).acquire_silent(force_refresh=True)
        except SignInError as exc:
            outcomes.append(KeepAliveOutcome(connection, False, exc.explanation.message,
                                             (exc.code or "sign-in-needed")
                                             if exc.needs_sign_in else ""))
            continue
        except VaultUnavailable as exc:
            unavailable = str(exc)
            outcomes.append(KeepAliveOutcome(connection, False, unavailable))
            continue
        except (VaultError, StoreError) as exc:
            outcomes.append(KeepAliveOutcome(connection, False, str(exc)))
            continue
        outcomes.append(KeepAliveOutcome(connection, True, "Its sign-in was refreshed."))
    return outcomes
