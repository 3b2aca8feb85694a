"""One app-only connection's MSAL ConfidentialClientApplication: tokens by client credentials.

An app-only connection signs in as its app registration, with no person: MSAL's client
credentials grant, asking for `{the connection's Graph endpoint}/.default` (every
application permission an administrator granted the app). Its credential (a client
secret, or a certificate's private key and certificate) is in the keychain vault under
CLIENT_SECRET (CERTIFICATE_KEY and CERTIFICATE), its token cache under MSAL_CACHE like
a delegated connection's. The secret is registered with the redactor as soon as it is read.

It offers what the Graph client and the use cases need of a session (`connection`,
`http_client`, `acquire_silent`, `sign_out`, `close`), so Test connection and `token` work
for it unchanged. Every method blocks (keychain, network): callers run them off the GUI
thread. Failures raise SignInError with a plain Explanation; the keychain's raise VaultError.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from o365desk.auth.answers import CheckedClient
from o365desk.auth.http import DEFAULT_TIMEOUT
from o365desk.auth.redact import (
    install_redaction,
    register_secret,
    register_secrets_in,
    set_msal_log_level,
)
from o365desk.auth.results import (
    SignInError,
    SignInResult,
    build_result,
    error_from_exception,
    error_from_result,
)
from o365desk.auth.session_http import SessionHttp
from o365desk.auth.token_cache import read_cache, write_cache
from o365desk.core import connection_rules
from o365desk.core.connection import Account, Connection, CredentialType
from o365desk.core.signin_errors import Action, Explanation
from o365desk.storage.vault import (
    CERTIFICATE,
    CERTIFICATE_KEY,
    CLIENT_SECRET,
    MSAL_CACHE,
    Vault,
)

log = logging.getLogger(__name__)


def app_scopes(connection: Connection) -> list[str]:
    """What an app-only token asks for: every granted application permission of the app."""
    return [f"{connection.effective_graph_endpoint()}/.default"]


def client_credential(connection: Connection, vault: Vault) -> Any:
    """The connection's stored credential as MSAL's `client_credential`.

    A client secret is the string kept in the keychain. A certificate is its private key
    and certificate from the keychain, given to MSAL as auth.credentials does (PS256 and
    the SHA-256 thumbprint, the certificate as x5c). Raises SignInError (no credential,
    none in the keychain) or VaultError.
    """
    credential = connection.credential
    if credential is not None and credential.type == CredentialType.CERTIFICATE:
        return _certificate_credential(connection, vault)
    if credential is None or credential.type != CredentialType.SECRET:
        raise SignInError(Explanation(
            "credential-unusable", "Credential can't be used",
            f'"{connection.nickname}" has no client secret or certificate this version of '
            "o365desk can use. Give it one with: o365desk credential "
            f'"{connection.nickname}" --secret-stdin (or --certificate FILE)',
            (Action.CONTACT_ADMIN,), None,
            f"credential type {credential.type if credential else None}"))
    secret = vault.get(connection.id, CLIENT_SECRET)
    if not secret:
        raise SignInError(missing_secret(connection))
    register_secret(secret)
    return secret


def _certificate_credential(connection: Connection, vault: Vault) -> dict[str, str]:
    key = vault.get(connection.id, CERTIFICATE_KEY)
    if key:
        register_secrets_in_pem(key)
    chain = vault.get(connection.id, CERTIFICATE)
    leaf = _PEM_CERTIFICATE.search(chain or "")
    if not key or leaf is None:
        raise SignInError(missing_certificate(connection))
    from o365desk.auth.credentials import msal_signs_with_sha256

    given = {"private_key": key, "public_certificate": leaf.group(0) + "\n"}
    if not msal_signs_with_sha256():
        given["thumbprint"] = connection.credential.sha1
    return given


_PEM_CERTIFICATE = re.compile(
    r"-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----")


def register_secrets_in_pem(pem: str) -> None:
    """The private key as a log line could hold it: whole, with its line breaks written as
    \\n, its base64 body as one run, and each of its lines."""
    register_secret(pem)
    register_secret(pem.replace("\n", "\\n"))
    lines = [line.strip() for line in pem.splitlines()
             if line.strip() and not line.startswith("-----")]
    register_secret("".join(lines))
    for line in lines:
        register_secret(line)


def missing_certificate(connection: Connection) -> Explanation:
    return Explanation(
        "credential-missing", "Certificate missing",
        f'The certificate of "{connection.nickname}" is not in this computer\'s keychain '
        "(it was removed, or the connection was copied from another computer). Give it the "
        f'certificate file again with: o365desk credential "{connection.nickname}" '
        "--certificate FILE",
        (Action.CONTACT_ADMIN,), None, "no certificate in the keychain")


def missing_secret(connection: Connection) -> Explanation:
    return Explanation(
        "credential-missing", "Client secret missing",
        f'The client secret of "{connection.nickname}" is not in this computer\'s keychain '
        "(it was removed, or the connection was copied from another computer). Give it the "
        f'secret again with: o365desk credential "{connection.nickname}" --secret-stdin',
        (Action.CONTACT_ADMIN,), None, "no client secret in the keychain")


class AppSession:
    """One app-only connection's ConfidentialClientApplication and token cache."""

    def __init__(
        self, connection: Connection, vault: Vault, *, http_client: Any = None,
        extra_ca_files: Iterable[Path | str] = (), timeout: Any = DEFAULT_TIMEOUT,
    ) -> None:
        install_redaction()
        set_msal_log_level()
        self.connection = connection
        self.vault = vault
        self.timeout = timeout
        self._http = SessionHttp(http_client, extra_ca_files, timeout)
        self._lock = threading.RLock()
        self._app: Any = None
        self._cache: Any = None

    def __repr__(self) -> str:
        return f"AppSession({self.connection.nickname!r}, id={self.connection.id})"

    @property
    def http_client(self) -> Any:
        return self._http.get()

    def rebind(self, connection: Connection) -> None:
        if connection.id != self.connection.id:
            raise ValueError("a session belongs to one connection")
        with self._lock:
            if connection.credential != self.connection.credential:
                self._app = None  # a new credential: a new app reads it
            self.connection = connection

    def _token_cache(self) -> Any:
        with self._lock:
            if self._cache is None:
                self._cache = read_cache(self.vault, self.connection.id)
            return self._cache

    def _msal_app(self) -> Any:
        import msal

        with self._lock:
            if self._app is not None:
                return self._app
            conn = self.connection
            refused = connection_rules.refusal(conn)
            if refused is not None:
                raise SignInError(refused)
            credential = client_credential(conn, self.vault)
            kwargs: dict[str, Any] = {
                "authority": conn.effective_authority(), "token_cache": self._token_cache(),
                "http_client": _AppClient(self.http_client),
            }
            if conn.authority:
                kwargs["instance_discovery"] = False
            try:
                self._app = msal.ConfidentialClientApplication(
                    conn.client_id, client_credential=credential, **kwargs)
            except _expected_errors() as exc:
                raise error_from_exception(exc, conn) from exc
            return self._app

    def acquire_silent(self, scopes: Sequence[str] | None = None, *,
                       force_refresh: bool = False) -> SignInResult:
        """An app-only access token: the cached one while it lasts, else a new one from
        the client credentials grant. `scopes` are not used: an app's token carries every
        application permission granted to it."""
        import msal

        with self._lock:
            app = self._msal_app()
            cache = self._token_cache()
            if force_refresh:
                for token in list(cache.search(msal.TokenCache.CredentialType.ACCESS_TOKEN)):
                    cache.remove_at(token)
            try:
                result = app.acquire_token_for_client(app_scopes(self.connection))
            except _expected_errors() as exc:
                raise error_from_exception(exc, self.connection) from exc
            register_secrets_in(result)
            if not isinstance(result, dict) or "access_token" not in result:
                # MSAL keeps an HTTP 400 answer for 60 seconds and gives it again to the
                # same request without asking Microsoft: a fresh app next time, so Try
                # again (after the consent was granted, the clock put right) really asks.
                self._app = None
                raise self._refused(result if isinstance(result, dict) else {})
            self._save()
            signed = build_result(result, self._account(result), tuple(self.connection.scopes),
                                  self.connection)
            log.info("connection %s: app-only token from %s", self.connection.id,
                     result.get("token_source", "msal"))
            return signed

    def _refused(self, result: dict) -> SignInError:
        """Microsoft's refusal in plain words (core.app_only_errors for an app's codes)."""
        if not result:
            return SignInError(Explanation(
                "no-token", "No token", "Microsoft answered without a token. Try again "
                "later.", (Action.RETRY,), None, "empty answer"))
        return error_from_result(result, self.connection)

    def _account(self, result: dict) -> Account:
        from o365desk.auth.claims import ClaimsError, decode_claims

        try:
            claims = decode_claims(result["access_token"])
            tenant = claims.tenant_id or ""
        except ClaimsError:
            tenant = ""
        return Account(username=f"app {self.connection.client_id}", home_account_id="",
                       tenant_id=tenant)

    def _save(self) -> None:
        with self._lock:
            write_cache(self.vault, self.connection.id, self._cache)

    def sign_out(self) -> None:
        """Remove the saved tokens, not the credential (deleting the connection removes
        that): the next token is a new one, got with the credential."""
        with self._lock:
            self.vault.delete(self.connection.id, MSAL_CACHE)
            self._app = None
            self._cache = None

    def _no_person(self, *_args: Any, **_kwargs: Any) -> Any:
        """Any interactive sign-in: an app-only connection has none; say so plainly."""
        nick = self.connection.nickname
        raise SignInError(Explanation(
            "app-only-no-sign-in", "No sign-in needed",
            f'"{nick}" is app only: it signs in as its app with its credential whenever '
            "a token is needed, so no person signs in. Use Test connection to check it.",
            (), None, "interactive sign-in asked of an app-only connection"))

    start_auth_code = finish_auth_code = start_device_code = finish_device_code = _no_person
    sign_in_with_browser = _no_person

    def cached_account(self) -> Account | None:
        return None  # an app has no account

    def consent_url(self) -> str:
        """The v2.0 admin-consent link for this connection's app, `.default` on its cloud."""
        from o365desk.auth.admin_consent import shareable_link

        return shareable_link(self.connection)

    def allowed_hosts(self) -> frozenset[str]:
        netloc = urlsplit(self.connection.effective_authority()).netloc.lower()
        return frozenset({netloc, *self.connection.cloud.sign_in_hosts})

    def abandon(self) -> None:
        pass  # nothing interactive to abandon

    def close(self) -> None:
        with self._lock:
            if self._http.close():
                self._app = None  # it holds the closed session


class _AppClient(CheckedClient):
    """The HTTP client MSAL gets for an app: the credential it sends (a client secret, or
    the client assertion it signed with the certificate, good for minutes) is registered
    with the redactor before it leaves, so no log line can show it."""

    def post(self, *args: Any, **kwargs: Any) -> Any:
        data = kwargs.get("data")
        if isinstance(data, dict):
            for name in ("client_assertion", "client_secret"):
                value = data.get(name)
                if isinstance(value, bytes):  # MSAL's signed assertion comes as bytes
                    value = value.decode("ascii", errors="replace")
                if isinstance(value, str):
                    register_secret(value, value.rpartition(".")[2])  # and its signature
        return super().post(*args, **kwargs)


def _expected_errors() -> tuple[type[BaseException], ...]:
    import msal
    import requests

    return (msal.exceptions.MsalError, requests.RequestException, ValueError, OSError,
            RuntimeError)
