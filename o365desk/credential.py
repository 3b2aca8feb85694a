"""A saved connection as a credential for the Microsoft Graph SDK and the Azure SDKs.

    from o365desk.credential import ConnectionCredential
    from msgraph import GraphServiceClient

    with ConnectionCredential("Contoso admin") as credential:
        client = GraphServiceClient(credential)

`ConnectionCredential` satisfies azure-core's TokenCredential (`get_token`) and
SupportsTokenInfo (`get_token_info`) protocols. The token comes from the connection's
saved sign-in (or, app only, its credential in the keychain) the way `o365desk token` gets
it: no prompt, no copy of a secret in the script. It is a token for the connection's
Microsoft Graph only, with the permissions the connection has.

Every failure is a `ConnectionCredentialError` with a plain message saying what to do: an
azure-core `ClientAuthenticationError` when azure-core is installed (as azure-identity's
credentials raise), else an Exception. azure-core is optional: without it the tokens are
this module's own `AccessToken` and `AccessTokenInfo`, with the same fields.

Each token handed out is noted in o365desk's log file (which connection, this process,
"as credential"); the token itself never is, nor anywhere else.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from o365desk.core.connection import Connection, Kind
from o365desk.core.text import visible

if TYPE_CHECKING:
    from o365desk.services import Services
    from o365desk.usecases.token_handout import HandedOut

__all__ = ["AccessToken", "AccessTokenInfo", "ConnectionCredential",  # noqa: F822
           "ConnectionCredentialError"]  # made on first use: see __getattr__

FORM = "credential"
_HANDOUT_LOGGER = "o365desk.usecases.token_handout"


class AccessToken(NamedTuple):
    """azure-core's AccessToken, for when azure-core is not installed."""

    token: str
    expires_on: int  # Unix seconds

    def __repr__(self) -> str:  # the token stays out of reprs, tracebacks and logs
        return f"AccessToken(token='[REDACTED]', expires_on={self.expires_on})"


class AccessTokenInfo:
    """azure-core's AccessTokenInfo, for when azure-core is not installed."""

    __slots__ = ("expires_on", "refresh_on", "token", "token_type")

    def __init__(self, token: str, expires_on: int, *, token_type: str = "Bearer",
                 refresh_on: int | None = None) -> None:
        self.token = token
        self.expires_on = expires_on
        self.token_type = token_type
        self.refresh_on = refresh_on

    def __repr__(self) -> str:
        return (f"AccessTokenInfo(token='[REDACTED]', expires_on={self.expires_on}, "
                f"token_type='{self.token_type}', refresh_on={self.refresh_on})")


@functools.cache
def _token_types() -> tuple[type, type]:
    """azure-core's AccessToken and AccessTokenInfo when it is installed, else ours."""
    try:
        from azure.core.credentials import AccessToken as Core
        from azure.core.credentials import AccessTokenInfo as CoreInfo
    except ImportError:
        return AccessToken, AccessTokenInfo
    return Core, CoreInfo


@functools.cache
def _error_class() -> type[Exception]:
    try:
        from azure.core.exceptions import ClientAuthenticationError as base
    except ImportError:
        base = Exception

    class ConnectionCredentialError(base):  # type: ignore[valid-type, misc]
        """A token the connection can't give; str() says what happened and what to do."""

        def __init__(self, message: str) -> None:
            if base is Exception:
                super().__init__(message)
            else:
                super().__init__(message=message)

    ConnectionCredentialError.__module__ = __name__
    ConnectionCredentialError.__qualname__ = "ConnectionCredentialError"
    return ConnectionCredentialError


def __getattr__(name: str) -> Any:
    # Made on first use, so that importing this module never imports azure-core.
    if name == "ConnectionCredentialError":
        return _error_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _refused(message: str) -> Exception:
    return _error_class()(" ".join(message.split()))


class ConnectionCredential:
    """Tokens for Microsoft Graph from the saved o365desk connection `nickname` (or id).

    `services` is for embedding o365desk; by default the connections file and the keychain
    are the ones the app and the command line use.
    """

    def __init__(self, nickname: str, *, services: Services | None = None) -> None:
        if not isinstance(nickname, str) or not nickname.strip():
            raise _refused("Give the nickname of a saved o365desk connection (o365desk list "
                           "shows them).")
        self._services = services
        self._lock = threading.Lock()
        found = self._find(nickname)
        self._id, self._nickname = found.id, found.nickname

    # --- the protocols ------------------------------------------------------------------

    def get_token(self, *scopes: str, claims: str | None = None, tenant_id: str | None = None,
                  enable_cae: bool = False, **kwargs: Any) -> Any:
        """An AccessToken(token, expires_on) for the connection's Microsoft Graph."""
        handed = self._hand_out(scopes, claims, tenant_id)
        return _token_types()[0](handed.access_token, handed.expires_on)

    def get_token_info(self, *scopes: str, options: Mapping[str, Any] | None = None) -> Any:
        """An AccessTokenInfo(token, expires_on, token_type="Bearer", refresh_on=None).

        refresh_on stays None: the saved sign-in refreshes the token when it has less than
        five minutes left, which is when azure-core's policy asks again anyway.
        """
        options = options or {}
        handed = self._hand_out(scopes, options.get("claims"), options.get("tenant_id"))
        return _token_types()[1](handed.access_token, handed.expires_on,
                                 token_type="Bearer", refresh_on=None)

    def close(self) -> None:
        """Let go of the connection's sign-in session (a later token opens a new one)."""
        with self._lock:
            services = self._services
        if services is not None:
            services.drop_session(self._id)

    def __enter__(self) -> ConnectionCredential:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ConnectionCredential(id={self._id!r})"

    # --- the work -----------------------------------------------------------------------

    def _services_now(self) -> Services:
        with self._lock:
            if self._services is None:
                from o365desk.services import Services

                self._services = Services()
            return self._services

    def _find(self, key: str) -> Connection:
        """The connection as saved now (the file is read again: the window or the command
        line may have changed it since); a rename keeps it, it is followed by its id."""
        from o365desk.storage.store import NotFoundError, StoreError

        store = self._services_now().store
        try:
            store.load()
            return store.find(key)
        except NotFoundError:
            if getattr(self, "_id", None) == key:
                raise _refused(
                    f'The o365desk connection "{visible(self._nickname)}" was deleted after '
                    "this credential was made, so it gives no more tokens. Add it again, or "
                    "use another connection (o365desk list shows the saved ones).") from None
            raise _refused(f'No o365desk connection is called "{visible(key)}". o365desk '
                           "list shows the saved ones.") from None
        except StoreError as exc:
            raise _refused(str(exc)) from None

    def _hand_out(self, scopes: tuple[str, ...], claims: str | None,
                  tenant_id: str | None) -> HandedOut:
        from o365desk.auth.results import SignInError
        from o365desk.storage.vault import VaultError
        from o365desk.usecases.token_handout import hand_out, program_name

        connection = self._find(self._id)
        self._nickname = connection.nickname
        _check_scopes(connection, scopes)
        if claims:
            nick = visible(connection.nickname)
            raise _refused(
                f'Microsoft asked for a new sign-in before it gives "{nick}" a token'
                " (a claims challenge, for example after a password change or a new "
                f"policy). {_sign_in_hint(connection)}")
        _note_handouts_in_the_log_file()
        try:
            return hand_out(self._services_now(), connection, FORM,
                            program=f"Python credential in {program_name()}",
                            check=lambda handed: _check_tenant(handed, tenant_id))
        except SignInError as exc:
            raise _refused(_explained(exc, connection)) from None
        except (VaultError, ValueError, OSError) as exc:
            raise _refused(str(exc)) from None


def _check_scopes(connection: Connection, scopes: tuple[str, ...]) -> None:
    """Refuse a scope the connection's token can't carry: another resource, another
    cloud's Graph, or a Graph permission the connection doesn't have."""
    from o365desk.auth.claims import OIDC_SCOPES
    from o365desk.auth.results import graph_resource
    from o365desk.core.clouds import GRAPH_APP_ID, Cloud

    nick = visible(connection.nickname)
    own = graph_resource(connection)
    graphs = {own.lower(), connection.effective_graph_endpoint().rstrip("/").lower(),
              GRAPH_APP_ID}
    held = {s.lower() for s in connection.scopes}
    for raw in scopes:
        scope = raw.strip() if isinstance(raw, str) else ""
        if not scope or scope.lower() in OIDC_SCOPES:
            continue
        resource, _, name = scope.rpartition("/") if "/" in scope else ("", "", scope)
        resource = resource.rstrip("/")
        if resource and resource.lower() not in graphs:
            other = next((c for c in Cloud
                          if c.graph_endpoint.rstrip("/").lower() == resource.lower()), None)
            if other is not None:
                raise _refused(
                    f'"{nick}" is a connection to the {connection.cloud.label} cloud, whose '
                    f"Microsoft Graph is {own}; it gives no tokens for the Graph of the "
                    f"{other.label} cloud ({visible(resource)}). Use a connection made for "
                    "that cloud.")
            raise _refused(
                f'"{nick}" gives tokens for Microsoft Graph ({own}) only, not for '
                f"{visible(resource)}. Ask for {own}/.default, or use a credential made for "
                "that service.")
        if name in ("", ".default") or name.lower() in held:
            continue
        if connection.kind == Kind.APP_ONLY:
            # An app-only token carries every application permission granted to the app.
            raise _refused(
                f'"{nick}" is app only: ask for {own}/.default (its token carries every '
                f'application permission granted to the app), not for "{visible(name)}".')
        raise _refused(
            f'"{nick}" doesn\'t have the permission "{visible(name)}". Add it: o365desk edit '
            f'"{nick}" --add-scopes {visible(name)}, then sign in again: o365desk login '
            f'"{nick}". Or ask for {own}/.default.')


def _check_tenant(handed: HandedOut, tenant_id: str | None) -> None:
    if not tenant_id:
        return
    connection = handed.connection
    wanted = tenant_id.strip().lower()
    known = {connection.tenant.lower(), (handed.tenant_id or "").lower()}
    if wanted in known:
        return
    raise _refused(
        f'"{visible(connection.nickname)}" is signed in to the organisation '
        f"{handed.tenant_id or connection.tenant}, not to {visible(tenant_id)}, so it gives "
        "no token for that one. Use a connection made for that organisation.")


def _sign_in_hint(connection: Connection) -> str:
    from o365desk.core.credential_words import cli_fix

    if connection.kind == Kind.APP_ONLY:
        return f"Check the app's credential, or give it a new one ({cli_fix(connection)})."
    return f'Sign in again: o365desk login "{visible(connection.nickname)}".'


def _explained(exc: Exception, connection: Connection) -> str:
    """The sign-in's plain words, with the command that fixes it (as `o365desk token`)."""
    from o365desk.core.credential_words import cli_fix
    from o365desk.core.signin_actions import Action

    message = " ".join(str(exc).split())
    actions = getattr(getattr(exc, "explanation", None), "actions", ())
    nick = visible(connection.nickname)
    if connection.kind == Kind.APP_ONLY:
        if Action.REPLACE_CREDENTIAL in actions:
            message += f" Then {cli_fix(connection)}."
    elif Action.SIGN_IN_AGAIN in actions:
        message += f' Run: o365desk login "{nick}"'
    return message


_log_lock = threading.Lock()


def _note_handouts_in_the_log_file() -> None:
    """The handouts go to o365desk's own log file (redacted, owner-only, rotated), as the
    command line's do; the rest of this process's logging is left as it is."""
    from o365desk.auth.redact import default_log_file, set_msal_log_level

    set_msal_log_level()  # MSAL at DEBUG would log codes and verifiers
    with _log_lock:
        logger = logging.getLogger(_HANDOUT_LOGGER)
        try:
            path = str(default_log_file().absolute())
        except OSError:
            return
        for handler in (*logger.handlers, *logging.getLogger().handlers):
            if getattr(handler, "baseFilename", None) == path:
                return  # already written there (o365desk's own process: setup_logging)
        try:
            handler = _file_handler(default_log_file())
        except OSError:  # no writable data folder: the token still comes, unlogged
            return
        logger.addHandler(handler)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.INFO)


def _file_handler(path) -> logging.Handler:
    from o365desk.auth.logfile import PrivateRotatingFileHandler
    from o365desk.auth.redact import RedactingFilter, RedactingFormatter
    from o365desk.core import paths

    paths.make_private_dir(path.parent)
    handler = PrivateRotatingFileHandler(path, maxBytes=1_000_000, backupCount=3,
                                         encoding="utf-8")
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    return handler
