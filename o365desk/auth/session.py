"""One connection's MSAL PublicClientApplication and token cache, kept in the keychain vault.

Every method blocks (network, keychain): callers run them off the GUI thread. Failures
raise SignInError with a plain Explanation; keychain failures raise the vault's
VaultError as they do everywhere else. A failed operation saves nothing.

Every token answer is checked before it is used: its shape before MSAL takes it
(auth/answers.py), its size while it is read (auth/http.py), its ID token's issuer,
audience, expiry, start and nonce once MSAL hands it over (auth/id_token.py). MSAL itself
checks only the nonce. Then the new cache is saved, before anything else.
"""

from __future__ import annotations

import logging
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from o365desk.auth.answers import CheckedClient
from o365desk.auth.http import DEFAULT_TIMEOUT
from o365desk.auth.id_token import IdTokenRefused, checked_claims
from o365desk.auth.redact import (
    install_redaction,
    redact,
    register_secrets_in,
    set_msal_log_level,
)
from o365desk.auth.results import (
    AuthCodeStart,
    DeviceCodeStart,
    SignInError,
    SignInResult,
    account_from,
    browser_timeout,
    build_result,
    cancelled,
    error_from_exception,
    error_from_oauth,
    error_from_result,
    host_allowed,
    msal_scopes,
    no_browser,
    not_signed_in,
    scope_names,
    state_mismatch,
)
from o365desk.auth.session_http import SessionHttp
from o365desk.auth.token_cache import read_cache, write_cache
from o365desk.core import connection_rules
from o365desk.core.connection import Account, Connection
from o365desk.core.signin_errors import explain_id_token
from o365desk.storage.vault import MSAL_CACHE, Vault, VaultError, VaultTooLarge

__all__ = ["DEFAULT_REDIRECT_URI", "AuthCodeStart", "ConnectionSession", "DeviceCodeStart",
           "SignInError", "SignInResult", "host_allowed"]

DEFAULT_REDIRECT_URI = "http://localhost"
_DEVICE_ERRORS = ("expired_token", "authorization_declined", "bad_verification_code")
log = logging.getLogger(__name__)

_logging_ready = False
_logging_lock = threading.Lock()


def _prepare_logging() -> None:
    """Once per process: every record redacted, MSAL no chattier than INFO."""
    global _logging_ready
    with _logging_lock:
        if _logging_ready:
            return
        install_redaction()
        set_msal_log_level()
        # The embedded view needs the code in the redirect's query: it catches that
        # navigation before any request leaves, which is what form_post protects against.
        warnings.filterwarnings("ignore", message="response_mode='form_post' is recommended")
        _logging_ready = True


def _expected_errors() -> tuple[type[BaseException], ...]:
    import msal
    import requests

    # RuntimeError: MSAL's refusal of an ID token whose nonce is not the flow's (the
    # other checks are o365desk's own: see auth/id_token.py).
    return (msal.exceptions.MsalError, requests.RequestException, ValueError, OSError,
            RuntimeError)


class ConnectionSession:
    """One connection's MSAL PublicClientApplication and token cache.

    Every method BLOCKS (network, keychain): callers run them off the GUI thread.
    """

    def __init__(
        self, connection: Connection, vault: Vault, *, http_client: Any = None,
        redirect_uri: str = DEFAULT_REDIRECT_URI, extra_ca_files: Iterable[Path | str] = (),
        timeout: Any = DEFAULT_TIMEOUT,
    ) -> None:
        _prepare_logging()
        self.connection = connection
        self.vault = vault
        self.redirect_uri = redirect_uri
        self.timeout = timeout  # (connect, read) seconds for every HTTP call
        self._http = SessionHttp(http_client, extra_ca_files, timeout)
        self._lock = threading.RLock()
        # One token operation at a time: a failing one discards unsaved cache changes,
        # which must not be another one's tokens not yet saved.
        self._operation = threading.RLock()
        self._abandoned = False  # see abandon()
        self._app: Any = None
        self._cache: Any = None
        self._home_account_id = connection.account.home_account_id if connection.account \
            else None
        # Told of every refresh from Microsoft: on_refresh(connection_id, failure, expires),
        # failure "" when it worked (expires: the new access token's expiry), else the
        # explanation code of one that needs a new sign-in (expires None). services.py
        # records it; the saved sign-in's health counts from it.
        self.on_refresh: Callable[[str, str, datetime | None], None] | None = None

    def __repr__(self) -> str:
        return f"ConnectionSession({self.connection.nickname!r}, id={self.connection.id})"

    @property
    def http_client(self) -> Any:
        """The requests session MSAL and Graph calls share (created on first use)."""
        return self._http.get()

    def rebind(self, connection: Connection) -> None:
        """Take a newer copy of the same connection (scopes, nickname, account changed)."""
        if connection.id != self.connection.id:
            raise ValueError("a session belongs to one connection")
        self.connection = connection
        if connection.account is not None:
            self._home_account_id = connection.account.home_account_id

    def _token_cache(self) -> Any:
        with self._lock:
            if self._cache is None:
                self._cache = read_cache(self.vault, self.connection.id)
            return self._cache

    def _msal_app(self) -> Any:
        """The MSAL app, created on first use (its constructor fetches OpenID metadata)."""
        import msal

        with self._lock:
            if self._app is not None:
                return self._app
            conn = self.connection
            refused = connection_rules.refusal(conn)
            if refused is not None:  # a damaged connection is never signed in with
                raise SignInError(refused)
            cache = self._token_cache()
            kwargs: dict[str, Any] = {
                "authority": conn.effective_authority(), "token_cache": cache,
                # Answers of the wrong shape are refused before MSAL takes them.
                "http_client": CheckedClient(self.http_client),
            }
            if conn.authority:  # a custom or test authority: no instance discovery
                kwargs["instance_discovery"] = False
            try:
                self._app = msal.PublicClientApplication(conn.client_id, **kwargs)
            except _expected_errors() as exc:
                raise error_from_exception(exc, conn) from exc
            return self._app

    def _call(self, fn: Callable[[Any], Any]) -> Any:
        """Run fn(app), alone among this session's token operations; on any failure discard
        unsaved cache changes and raise SignInError (a keychain failure: VaultError)."""
        with self._operation:
            app = self._msal_app()
            try:
                return fn(app)
            except SignInError:
                self._discard()
                raise
            except VaultTooLarge:
                self._discard()  # never kept, so never used: the saved sign-in stays
                raise
            except VaultError:
                raise  # the tokens stay in memory, to be saved once the keychain answers
            except _expected_errors() as exc:
                # What MSAL raises (a wrong nonce among it, after caching the tokens), the
                # network, an answer refused (auth/answers.py, the 4 MiB cap): nothing of
                # it may be saved later. o365desk's own ID token checks raise SignInError.
                self._discard()
                raise self._as_sign_in_error(exc) from exc
            except Exception:
                # A bug or a surprise: discard too, and let it be seen (with its traceback)
                # as the unexpected failure it is.
                self._discard()
                log.error("connection %s: a token operation failed unexpectedly",
                          self.connection.id, exc_info=True)
                raise

    def _as_sign_in_error(self, exc: Exception) -> SignInError:
        error = error_from_exception(exc, self.connection)
        log.info("connection %s: %s (%s)", self.connection.id, error.code, type(exc).__name__)
        return error

    def abandon(self) -> None:
        """Save nothing from now on: the sign-in this session is for was cancelled. An
        operation still running keeps its tokens in memory only. Returns at once (no lock,
        no keychain), so a window can call it as it closes; sign_out() then removes what
        was saved before."""
        self._abandoned = True

    def _save(self) -> None:
        """Write the cache back to the vault, only when it changed. Done first after a
        token answer (once its ID token is checked), before the answer is used."""
        with self._lock:
            if not self._abandoned:
                write_cache(self.vault, self.connection.id, self._cache)

    def _discard(self) -> None:
        """Forget in-memory cache changes of a failed operation (the vault keeps the last
        good state), so nothing half-done is saved later."""
        with self._lock:
            if self._cache is not None and self._cache.has_state_changed:
                self._cache.deserialize(self.vault.get(self.connection.id, MSAL_CACHE))

    def _checked_id_token(self, app: Any, result: dict, *, nonce: str | None = None,
                          required: bool = True) -> dict | None:
        """The answer's ID token claims once issuer, audience, times (and nonce) are
        checked; SignInError otherwise (the caller's _call then discards the answer)."""
        try:
            return checked_claims(
                result, client_id=self.connection.client_id,
                issuer=getattr(getattr(app, "authority", None), "_issuer", None),
                nonce=nonce, required=required)
        except IdTokenRefused as refused:
            log.warning("connection %s: ID token refused (%s)", self.connection.id,
                        refused.reason)
            raise SignInError(explain_id_token(refused.reason, redact(str(refused)))) from None

    def _finish(self, app: Any, result: Any, requested: Sequence[str], *,
                nonce: str | None = None) -> SignInResult:
        """Turn MSAL's answer to an interactive flow into a saved SignInResult: its ID
        token checked, then the cache saved before anything else is done with it."""
        register_secrets_in(result)
        if not isinstance(result, dict) or "access_token" not in result:
            if isinstance(result, dict) and result.get("error"):
                raise error_from_result(result, self.connection)
            raise not_signed_in(self.connection)
        claims = self._checked_id_token(app, result, nonce=nonce) or {}
        account = self._account_for(app, claims)
        if account is None:
            raise not_signed_in(self.connection)
        self._save()
        signed = build_result(result, account_from(account, claims), requested, self.connection)
        self._home_account_id = signed.account.home_account_id
        log.info("connection %s signed in; granted: %s", self.connection.id,
                 " ".join(signed.granted))
        return signed

    @staticmethod
    def _account_for(app: Any, claims: dict) -> dict | None:
        accounts = app.get_accounts()
        oid, tid = claims.get("oid"), claims.get("tid")
        for account in accounts:
            home = account.get("home_account_id") or ""
            if oid and tid and home == f"{oid}.{tid}":
                return account
        for account in accounts:
            if oid and account.get("local_account_id") == oid:
                return account
        return accounts[0] if len(accounts) == 1 else None

    # --- authorization code (the embedded view) -------------------------------------------

    def start_auth_code(
        self, scopes: Sequence[str] | None = None, *, login_hint: str | None = None,
        prompt: str | None = "select_account",
    ) -> AuthCodeStart:
        names = scope_names(scopes, self.connection)

        def start(app: Any) -> dict:
            return app.initiate_auth_code_flow(
                msal_scopes(names, self.connection), redirect_uri=self.redirect_uri,
                prompt=prompt, login_hint=login_hint)

        flow = self._call(start)
        register_secrets_in(flow)  # the PKCE verifier, state and nonce
        return AuthCodeStart(flow["auth_uri"], self.redirect_uri, self.allowed_hosts(), flow,
                             names)

    def finish_auth_code(self, start: AuthCodeStart, redirected_url: str) -> SignInResult:
        """Redeem the code in the redirect URL (query or fragment); MSAL checks the state."""
        parts = urlsplit(redirected_url)
        response = dict(parse_qsl(parts.query or parts.fragment, keep_blank_values=True))
        register_secrets_in(response)  # the code (and client_info) before anything logs
        if not response:
            raise error_from_oauth("invalid_request", self.connection,
                                   "the redirect carried no answer")
        return self._call(lambda app: self._finish(
            app, app.acquire_token_by_auth_code_flow(dict(start.flow), response),
            start.requested or scope_names(None, self.connection),
            nonce=start.flow.get("nonce")))

    def allowed_hosts(self) -> frozenset[str]:
        """Hosts a sign-in view may show: the authority's (with its port) and the cloud's."""
        netloc = urlsplit(self.connection.effective_authority()).netloc.lower()
        return frozenset({netloc, *self.connection.cloud.sign_in_hosts})

    # --- silent -------------------------------------------------------------------------

    def acquire_silent(
        self, scopes: Sequence[str] | None = None, *, force_refresh: bool = False,
    ) -> SignInResult:
        """A valid access token from the cache, refreshed with the refresh token if needed."""
        names = scope_names(scopes, self.connection)

        def silent(app: Any) -> SignInResult:
            account = self._cached_account(app)
            if account is None:
                raise not_signed_in(self.connection)
            result = app.acquire_token_silent_with_error(
                msal_scopes(names, self.connection), account, force_refresh=force_refresh)
            register_secrets_in(result)
            if not result:
                raise not_signed_in(self.connection)
            if "access_token" not in result:
                raise error_from_result(result, self.connection)
            # A refresh may bring an ID token: checked like a sign-in's. Then the new cache
            # is saved before anything else: the server may have used up the old refresh
            # token, and only the saved new one keeps the sign-in.
            claims = self._checked_id_token(app, result, required=False)
            self._save()
            signed = build_result(result, account_from(account, claims), names,
                                  self.connection)
            log.debug("connection %s: token from %s, expires %s", self.connection.id,
                      result.get("token_source", "msal"), signed.expires_at.isoformat())
            if result.get("token_source") == "identity_provider":
                self._tell_refresh("", signed.expires_at)
            return signed

        try:
            return self._call(silent)
        except SignInError as exc:
            # An answer o365desk refused (its ID token failed the checks: a wrong clock, a
            # hostile answer) says nothing about the saved sign-in, which stays as it was.
            if exc.needs_sign_in and exc.code != "id-token-refused":
                self._tell_refresh(exc.code)
            raise

    def _tell_refresh(self, failure: str, expires_at: datetime | None = None) -> None:
        if self.on_refresh is not None:
            self.on_refresh(self.connection.id, failure, expires_at)

    def _cached_account(self, app: Any) -> dict | None:
        accounts = app.get_accounts()
        if self._home_account_id:
            return next((a for a in accounts if a.get("home_account_id")
                         == self._home_account_id), None)
        return accounts[0] if len(accounts) == 1 else None

    def cached_account(self) -> Account | None:
        """The account the saved cache holds, without the network (None if none)."""
        import msal

        cache = self._token_cache()
        found = cache.search(msal.TokenCache.CredentialType.ACCOUNT)
        for entry in found:
            if not self._home_account_id or entry.get("home_account_id") == \
                    self._home_account_id:
                return account_from(entry)
        return None

    # --- device code --------------------------------------------------------------------

    def start_device_code(self, scopes: Sequence[str] | None = None) -> DeviceCodeStart:
        names = scope_names(scopes, self.connection)
        flow = self._call(lambda app: app.initiate_device_flow(
            scopes=msal_scopes(names, self.connection)))
        register_secrets_in(flow)  # the device code (not the user code: it is shown)
        if "user_code" not in flow:
            raise error_from_result(flow, self.connection)
        expires = flow.get("expires_at") or time.time() + float(flow.get("expires_in", 900))
        return DeviceCodeStart(
            flow["user_code"], flow.get("verification_uri", ""), flow.get("message", ""),
            datetime.fromtimestamp(float(expires), UTC).replace(microsecond=0), flow, names)

    def finish_device_code(
        self, start: DeviceCodeStart, should_stop: Callable[[], bool] = lambda: False,
    ) -> SignInResult:
        """Poll until the code is used elsewhere, should_stop() says so, or it expires."""
        deadline = start.expires_at.timestamp()
        stopped = []

        def exit_condition(_flow: dict) -> bool:
            if should_stop():
                stopped.append(True)
                return True
            return time.time() >= deadline

        def poll(app: Any) -> SignInResult:
            result = app.acquire_token_by_device_flow(dict(start.flow),
                                                      exit_condition=exit_condition)
            if stopped:
                raise cancelled()
            error = result.get("error") if isinstance(result, dict) else None
            if error == "authorization_pending":  # our own deadline passed first
                raise error_from_oauth("expired_token", self.connection)
            if error in _DEVICE_ERRORS:  # the OAuth name says it better than its AADSTS code
                raise error_from_oauth(error, self.connection,
                                       raw=str(result.get("error_description") or ""))
            return self._finish(app, result, start.requested or scope_names(None,
                                                                            self.connection))

        return self._call(poll)

    # --- system browser -----------------------------------------------------------------

    def sign_in_with_browser(
        self, scopes: Sequence[str] | None = None, *, timeout: int = 300,
        prompt: str | None = "select_account", login_hint: str | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> SignInResult:
        """Sign in in the system browser, with MSAL's loopback listener on a free port.

        Waits for the browser until it answers, should_stop() turns true (within a second
        or so), no browser could be opened, or `timeout` seconds pass.
        """
        from o365desk.auth.loopback import BrowserWaitEnded, wait_in_browser

        names = scope_names(scopes, self.connection)
        app = self._msal_app()
        # The wait changes no tokens, so it holds no lock: a test of the same connection
        # meanwhile doesn't wait minutes for the browser.
        try:
            flow, answer = wait_in_browser(
                app, msal_scopes(names, self.connection), timeout=timeout, prompt=prompt,
                login_hint=login_hint, should_stop=should_stop)
        except BrowserWaitEnded as ended:
            if ended.reason == "forged-state":
                log.warning("connection %s: the browser's answer carried a forged state",
                            self.connection.id)
                raise state_mismatch("the loopback answer's state is not the flow's") \
                    from None
            raise {"stopped": cancelled, "no-browser": no_browser}.get(
                ended.reason, browser_timeout)() from None
        except SignInError:
            raise
        except _expected_errors() as exc:
            raise self._as_sign_in_error(exc) from exc
        register_secrets_in([flow, answer])
        return self._call(lambda app: self._finish(
            app, app.acquire_token_by_auth_code_flow(flow, answer), names,
            nonce=flow.get("nonce")))

    # --- housekeeping -------------------------------------------------------------------

    def sign_out(self) -> None:
        """Remove the accounts from MSAL and the saved cache from the vault (offline too)."""
        with self._lock:
            app = self._app
            if app is not None:
                for account in app.get_accounts():
                    app.remove_account(account)
            self.vault.delete_connection(self.connection.id)
            log.info("connection %s signed out", self.connection.id)
            self._app = None  # a fresh app and cache next time, nothing left in memory
            self._cache = None
            self._home_account_id = None

    def consent_url(self) -> str:
        """The admin-consent link for this connection's app (v2.0, on its authority's
        host), to copy or send to an administrator."""
        from o365desk.auth.admin_consent import shareable_link

        return shareable_link(self.connection)

    def close(self) -> None:
        """Close the HTTP session (only one this session made itself)."""
        with self._lock:
            if self._http.close():
                self._app = None  # it holds the closed session
