"""A proxy that asks for a user name and password (HTTP 407): asked once, kept in the keychain.

When a request through the proxy is refused with 407, auth/http.py (TimeoutSession)
asks the installed LoginSource for a login: first the one kept in the keychain for that
proxy (service PROXY_SERVICE, an entry per proxy host:port, not tied to any connection),
then the person (a terminal prompt in the CLI, a dialog in the window). A login the proxy then
accepts is kept in the keychain; one it refuses says so and is asked for again, at most
ATTEMPTS times. The password is registered with the redactor the moment it is given and
never written anywhere but the keychain.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

from o365desk.auth import proxy as proxies
from o365desk.auth.redact import register_secret
from o365desk.storage.vault import PROXY_LOGIN

log = logging.getLogger(__name__)

PROXY_SERVICE = "o365desk-proxy"  # not "o365desk": these are not connections' entries
ATTEMPTS = 3
PROXY_LOGIN_NAME = PROXY_LOGIN
_NAMESPACE = uuid.UUID("6f0e3c1a-2b4d-4e8f-9a71-5c3d2e1f0a9b")
_MAX_FIELD = 1024

# ask(proxy, wrong) -> (user name, password), or None when the person declined (or can't
# be asked). `wrong`: the last login given was refused by the proxy.
Ask = Callable[[proxies.Proxy, bool], "tuple[str, str] | None"]


def entry_id(proxy: proxies.Proxy) -> str:
    """The keychain entry's id for this proxy (a UUID made from host:port)."""
    return str(uuid.uuid5(_NAMESPACE, proxy.key.lower()))


class LoginSource:
    """The keychain, then the person: where a proxy login comes from."""

    def __init__(self, vault_factory: Callable[[], Any] | None, ask: Ask | None) -> None:
        self._vault_factory, self._ask = vault_factory, ask
        self._lock = threading.Lock()  # one question at a time, whichever thread asks
        self._tried_saved: set[str] = set()
        self._asked: set[str] = set()

    def login_for(self, proxy: proxies.Proxy, refused: bool) -> tuple[str, str] | None:
        """A login to try for `proxy`; `refused`: the one it has now was refused."""
        with self._lock:
            # Another request may have been given a login while this one waited.
            now = proxies.login_for(proxies.Proxy(proxy.scheme, proxy.host, proxy.port))
            if now.username and (now.username, now.password) != (proxy.username,
                                                                   proxy.password):
                return now.username, now.password
            if proxy.key not in self._tried_saved:
                self._tried_saved.add(proxy.key)
                saved = self._saved(proxy)
                if saved is not None and saved != (proxy.username, proxy.password):
                    return saved
            if self._ask is None:
                return None
            given = self._ask(proxy, refused)
            if given is None:
                return None
            username, password = given
            register_secret(password)
            self._asked.add(proxy.key)
            return username, password

    def given(self, proxy: proxies.Proxy) -> None:
        """`proxy`'s login was just given elsewhere (the web view's question): keep it
        once the proxy accepts it."""
        register_secret(proxy.password)
        with self._lock:
            self._asked.add(proxy.key)

    def accepted(self, proxy: proxies.Proxy) -> None:
        """The proxy took `proxy`'s login: keep it when it was just asked for."""
        with self._lock:
            if proxy.key not in self._asked:
                return
            self._asked.discard(proxy.key)
        vault = self._vault()
        if vault is None:
            return
        value = json.dumps({"username": proxy.username, "password": proxy.password})
        try:
            vault.set(entry_id(proxy), PROXY_LOGIN_NAME, value)
        except Exception as exc:  # o365desk works on; the question comes again next time
            log.warning("the proxy login for %s could not be kept in the keychain: %s",
                        proxy.key, type(exc).__name__)

    def _saved(self, proxy: proxies.Proxy) -> tuple[str, str] | None:
        vault = self._vault()
        if vault is None:
            return None
        try:
            raw = vault.get(entry_id(proxy), PROXY_LOGIN_NAME)
        except Exception as exc:
            log.warning("the keychain's proxy login for %s could not be read: %s",
                        proxy.key, type(exc).__name__)
            return None
        return _checked(raw)

    def _vault(self):
        if self._vault_factory is None:
            return None
        try:
            return self._vault_factory()
        except Exception as exc:
            log.warning("no keychain for proxy logins: %s", type(exc).__name__)
            return None


def _checked(raw: str | None) -> tuple[str, str] | None:
    """A kept login, checked as outside input; None when there is none or it is damaged."""
    if not raw or len(raw) > 4 * _MAX_FIELD:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or not password:
        return None
    register_secret(password)
    return username[:_MAX_FIELD], password[:_MAX_FIELD]


_source: LoginSource | None = None


def install(source: LoginSource | None) -> None:
    """Where proxy logins come from in this process (the CLI and the window install one)."""
    global _source
    _source = source


def installed() -> LoginSource | None:
    return _source


def proxy_vault(connection_vault: Any) -> Any:
    """A Vault over the same keychain as `connection_vault`, under PROXY_SERVICE."""
    from o365desk.storage.vault import Vault

    return Vault(connection_vault.backend, service=PROXY_SERVICE,
                 lock_path=connection_vault.lock_path, backend_name=connection_vault.backend_name,
                 call_timeout=connection_vault.call_timeout)
