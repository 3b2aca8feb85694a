"""App-only connections on the command line: `add --app-only` and `credential`.

A client secret is read only from standard input or a file, never from the command line
(any user of the computer can see a process's arguments). It is registered with the
redactor as soon as it is read, and handed straight to the keychain. A certificate comes
from its file (`--certificate FILE`, read bounded and regular-only), its password from
standard input (`--password-stdin`, a hidden prompt on a terminal), never an argument.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from o365desk.cli.errors import UsageError
from o365desk.core.clouds import Cloud
from o365desk.core.connection import Connection, Kind
from o365desk.core.credential_words import (  # noqa: F401 (the CLI's names)
    cli_fix,
    credential_warning,
    credential_words,
    is_certificate,
)
from o365desk.core.endpoints import normalize_authority, normalize_graph_endpoint
from o365desk.core.tenant import TenantError, parse_tenant
from o365desk.core.text import visible
from o365desk.services import Services

_GENERIC_TENANTS = ("organizations", "common", "consumers")
_READ_LIMIT = 64 * 1024  # characters of stdin or a file read for one secret
NO_SECRET_ARGUMENT = (
    "a client secret is never given on the command line, where other programs on this "
    "computer can read it. Pipe it in with --secret-stdin (for example from your password "
    "manager), or name a file holding it with --secret-file.")


def add_secret_arguments(parser: argparse.ArgumentParser, expires_flag: str) -> None:
    """--secret-stdin, --secret-file and the expiry flag; --secret VALUE is taken only to
    be refused with the reason (argparse would otherwise suggest --secret-stdin for it)."""
    parser.add_argument("--secret-stdin", action="store_true",
                        help="read the app's client secret from standard input")
    parser.add_argument("--secret-file", default=None, metavar="PATH",
                        help="read the app's client secret from this file")
    parser.add_argument(expires_flag, dest="secret_expires", default=None,
                        metavar="YYYY-MM-DD", help="when the client secret expires")
    parser.add_argument("--secret", dest="secret_argument", default=None,
                        help=argparse.SUPPRESS)
    parser.add_argument("--certificate", default=None, metavar="FILE",
                        help="sign in with this certificate file instead of a secret (a "
                             ".pfx or .pem file holding the certificate and its private key)")
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the certificate file's password from standard input")
    parser.add_argument("--password", dest="password_argument", default=None,
                        help=argparse.SUPPRESS)


def add_credential_parser(sub) -> None:
    credential = sub.add_parser(
        "credential", help="give an app-only connection a new client secret or certificate")
    credential.add_argument("nickname", metavar="NICK")
    add_secret_arguments(credential, "--expires")


NO_PASSWORD_ARGUMENT = (
    "a certificate's password is never given on the command line, where other programs on "
    "this computer can read it. Use --password-stdin: type it at the prompt, or pipe it in "
    "(for example from your password manager).")


def wants_certificate(args: argparse.Namespace) -> bool:
    """Whether the command gives a certificate; UsageError when it mixes in a secret."""
    if args.password_argument is not None:
        raise UsageError(NO_PASSWORD_ARGUMENT)
    if args.certificate is None:
        if args.password_stdin:
            raise UsageError("--password-stdin is the password of a certificate file: give "
                             "the file with --certificate FILE.")
        return False
    if args.secret_stdin or args.secret_file is not None or args.secret_expires:
        raise UsageError("give either a client secret or a certificate, not both. A "
                         "certificate's expiry comes from the certificate itself.")
    return True


def read_certificate(args: argparse.Namespace):
    """The certificate named by --certificate, read and checked (auth.credentials):
    CredentialError (a ValueError) saying what is wrong with it."""
    from o365desk.auth.credentials import (
        CredentialError,
        load_certificate,
        read_credential_file,
    )

    data = read_credential_file(Path(args.certificate).expanduser())
    password = _read_password() if args.password_stdin else None
    try:
        return load_certificate(data, password)
    except CredentialError as exc:
        if password is None and "protected by a" in str(exc):
            raise CredentialError(f"{exc} On the command line, add --password-stdin to type "
                                  "it (or pipe it in).") from None
        raise


def _read_password() -> str:
    if sys.stdin is None:
        raise UsageError("--password-stdin needs a standard input to read from.")
    if sys.stdin.isatty():
        import getpass

        text = getpass.getpass("Certificate password (not shown): ")
    else:
        text = sys.stdin.readline(_READ_LIMIT)
    from o365desk.auth.redact import register_secret

    register_secret(text)
    return text.rstrip("\r\n")


def read_secret(args: argparse.Namespace) -> str:
    """The secret from stdin or the file named; UsageError when none or both are given."""
    if args.secret_argument is not None:
        raise UsageError(NO_SECRET_ARGUMENT)
    if args.secret_stdin == (args.secret_file is not None):
        raise UsageError("give the client secret with --secret-stdin or --secret-file "
                         "(one of them), or a certificate with --certificate FILE.")
    from o365desk.auth.redact import register_secret

    if args.secret_stdin:
        if sys.stdin is None:
            raise UsageError("--secret-stdin needs a standard input to read from.")
        if sys.stdin.isatty():
            import getpass

            text = getpass.getpass("Client secret (not shown): ")
        else:
            text = sys.stdin.read(_READ_LIMIT)
    else:
        from o365desk.core.safe_read import Unreadable, read_capped

        path = Path(args.secret_file).expanduser()
        try:
            raw = read_capped(path, _READ_LIMIT)
        except FileNotFoundError:
            raise ValueError(f"There is no file at {path}. Check the path given with "
                             "--secret-file.") from None
        except Unreadable as exc:
            raise ValueError(f"The secret file can't be used because {exc}.") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError(f"{path} is not a text file, so it holds no client secret."
                             ) from None
    register_secret(text.strip())
    return text


def expiry(raw: str | None, flag: str) -> datetime | None:
    """A YYYY-MM-DD date (auth.credentials.parse_secret_expiry: a past one is refused) as
    the moment the secret stops working: that day's start, UTC."""
    if raw is None:
        return None
    from o365desk.auth.credentials import CredentialError, parse_secret_expiry

    try:
        day = parse_secret_expiry(raw)
    except CredentialError as exc:
        raise UsageError(f"{flag}: {exc}") from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _app_tenant(raw: str | None) -> str:
    if raw is None or raw.strip().lower() in _GENERIC_TENANTS:
        given = "no --tenant" if raw is None else f'--tenant "{raw.strip()}"'
        raise UsageError(
            f"an app-only connection signs in to one organisation, and {given} names none. "
            "Give its domain (contoso.onmicrosoft.com) or tenant ID with --tenant.")
    try:
        return parse_tenant(raw)
    except TenantError as exc:
        raise TenantError(str(exc)) from None


def application_scopes(raw: str | None) -> tuple[str, ...]:
    """Application permissions (app roles) checked against the catalog: a name with only
    a delegated variant is refused."""
    from o365desk.catalog import get_catalog
    from o365desk.catalog.scope_input import check_scopes, parse_scope_list

    if raw is None:
        raise UsageError('say which application permissions the app has, for example '
                         '--scopes "User.Read.All"; its test checks they were granted.')
    names = parse_scope_list(raw)
    if not names:
        raise UsageError('--scopes needs at least one application permission, for example '
                         '--scopes "User.Read.All".')
    return require_application(check_scopes(names, get_catalog(include_tenant=True)))


def require_application(checked: tuple[str, ...]) -> tuple[str, ...]:
    """The names, when each Graph permission among them has an application variant;
    ValueError naming those that have none."""
    from o365desk.catalog import get_catalog

    delegated_only = get_catalog(include_tenant=True).delegated_only(list(checked))
    if delegated_only:
        raise ValueError(
            f"{', '.join(delegated_only)} {'has' if len(delegated_only) == 1 else 'have'} no "
            "application variant: an app on its own can't be given "
            f"{'it' if len(delegated_only) == 1 else 'them'}. Search for application "
            "permissions with `o365desk scopes WORD`.")
    return checked


def cmd_add_app_only(args: argparse.Namespace, services: Services) -> int:
    if args.client_id is None or not args.client_id.strip():
        raise UsageError("an app-only connection needs its app registration's client ID: "
                         "add --client-id (shown on the app registration's Overview page).")
    from o365desk.cli.client_ids import client_id_or_default

    tenant = _app_tenant(args.tenant)
    certificate = read_certificate(args) if wants_certificate(args) else None
    secret = read_secret(args) if certificate is None else ""
    expires_at = expiry(args.secret_expires, "--secret-expires")
    cloud = Cloud.parse(args.cloud)
    draft = Connection(
        nickname=args.nickname, description=args.description.strip(), tenant=tenant,
        cloud=cloud, client_id=client_id_or_default(args.client_id),
        authority=normalize_authority(args.authority, cloud),
        graph_endpoint=normalize_graph_endpoint(args.graph_endpoint, cloud),
        kind=Kind.APP_ONLY, scopes=application_scopes(args.scopes))
    from o365desk.usecases.app_only import create_app_only, create_app_only_certificate

    if certificate is None:
        saved = create_app_only(services, draft, secret, expires_at)
        kept = "its client secret"
    else:
        saved = create_app_only_certificate(services, draft, certificate)
        kept = (f"its certificate (thumbprint {certificate.sha1_thumbprint}, valid until "
                f"{certificate.not_after:%Y-%m-%d}) and private key")
    print(visible(f'Saved "{saved.nickname}": app only, it signs in to {tenant} as the app '
                  f"{saved.client_id}, with {kept} kept in the keychain. Check "
                  f'it works with: o365desk test "{saved.nickname}"'))
    return 0


def cmd_credential(args: argparse.Namespace, services: Services) -> int:
    if args.secret_argument is not None:  # refused before anything else is looked at
        raise UsageError(NO_SECRET_ARGUMENT)
    if args.password_argument is not None:
        raise UsageError(NO_PASSWORD_ARGUMENT)
    connection = services.store.find(args.nickname)
    if connection.kind != Kind.APP_ONLY:
        raise UsageError(f'"{visible(connection.nickname)}" signs in as a person and has no '
                         f'app credential. Sign in with: o365desk login '
                         f'"{visible(connection.nickname)}"')
    if wants_certificate(args):
        from o365desk.usecases.app_only import replace_with_certificate

        saved = replace_with_certificate(services, connection, read_certificate(args))
        what = "certificate"
    else:
        secret = read_secret(args)
        expires_at = expiry(args.secret_expires, "--expires")
        from o365desk.usecases.app_only import replace_secret

        saved = replace_secret(services, connection, secret, expires_at)
        what = "client secret"
    print(visible(f'Gave "{saved.nickname}" its new {what}; the old credential was removed '
                  f'from the keychain. Check it works with: o365desk test "{saved.nickname}"'))
    return 0


def credential_fix(connection: Connection) -> str:
    """The command that gives the connection a new credential of the kind it has."""
    return cli_fix(connection).removeprefix("run: ")


def no_login_needed(connection: Connection) -> str:
    """What `login` says of an app-only connection: it needs none."""
    nick = visible(connection.nickname)
    what = "certificate" if is_certificate(connection) else "client secret"
    return (f'"{nick}" is app only: it signs in as its app with its {what} whenever '
            f'a token is needed, so it needs no login. Check it with: o365desk test "{nick}"')

