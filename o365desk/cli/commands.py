"""The CLI commands; each returns an exit code and explains any error in one line."""

from __future__ import annotations

import argparse
import os
import sys

from o365desk import usecases
from o365desk.cli import output
from o365desk.cli.app_only import cmd_credential
from o365desk.cli.client_ids import client_id_or_default
from o365desk.cli.consent import cmd_consent
from o365desk.cli.errors import UsageError
from o365desk.cli.health import cmd_health, cmd_keep_alive
from o365desk.cli.scopes import cmd_scope, cmd_scopes
from o365desk.cli.signin import cmd_login, cmd_token
from o365desk.cli.templates import cmd_export, cmd_import
from o365desk.core.clouds import Cloud
from o365desk.core.connection import DEFAULT_SCOPES, Connection
from o365desk.core.endpoints import normalize_authority, normalize_graph_endpoint
from o365desk.core.nickname import NicknameError
from o365desk.core.tenant import (
    DEFAULT_TENANT,
    TenantError,
    parse_tenant,
)
from o365desk.core.words import plural
from o365desk.services import Services
from o365desk.storage.store import StoreError
from o365desk.storage.vault import VaultError


def run(args: argparse.Namespace, services: Services | None = None) -> int:
    services = services or Services()
    from o365desk.cli import proxy_prompt

    proxy_prompt.install(services)  # a proxy that asks for a password: keychain, terminal
    try:
        # The permission catalog needs no connections: a damaged store must not block it.
        if args.command not in _CATALOG_COMMANDS:
            services.store.load()
            for notice in services.store.notices:
                print(f"o365desk: note: {_one_line(notice)}", file=sys.stderr)
        return _COMMANDS[args.command](args, services)
    except UsageError as exc:
        print(f"o365desk: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except (StoreError, NicknameError, TenantError, VaultError, ValueError) as exc:
        print(f"o365desk: {_one_line(str(exc))}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `o365desk scopes --json | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error
        return 0
    except OSError as exc:  # a folder or file the command needs can't be read or written
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"o365desk: {_one_line(f'{exc.strerror or exc}{where}')}. Check that the "
              "folder exists and that you may write to it, then try again.", file=sys.stderr)
        return 1


def _one_line(text: str) -> str:
    """A message on one line, anything from outside in it (a nickname from the file, a
    value as typed, a server's words) with its control characters as escapes."""
    return output.printable(" ".join(text.split()))


def _tenant(raw: str | None) -> str:
    if raw is None:
        return DEFAULT_TENANT
    try:
        return parse_tenant(raw)
    except TenantError as exc:
        raise TenantError(f"{exc} Or leave --tenant out to choose the organisation when "
                          "you sign in.") from None


def _scopes(raw: str | None) -> tuple[str, ...]:
    if raw is None:
        return DEFAULT_SCOPES
    from o365desk.catalog.scope_input import check_scopes, parse_scope_list

    names = parse_scope_list(raw)
    if not names:
        default = " ".join(DEFAULT_SCOPES)
        raise ValueError('--scopes needs at least one permission, for example --scopes '
                         f'"User.Read Mail.Send"; without --scopes it is {default}.')
    return check_scopes(names)


def cmd_add(args: argparse.Namespace, services: Services) -> int:
    from o365desk.cli.app_only import NO_SECRET_ARGUMENT, cmd_add_app_only

    if args.secret_argument is not None:
        raise UsageError(NO_SECRET_ARGUMENT)
    if args.app_only:
        return cmd_add_app_only(args, services)
    if args.secret_stdin or args.secret_file or args.secret_expires:
        raise UsageError("a client secret is only for an app-only connection: add "
                         "--app-only, or leave the secret out to sign in as a person.")
    if args.certificate or args.password_stdin or args.password_argument is not None:
        raise UsageError("a certificate is only for an app-only connection: add "
                         "--app-only, or leave the certificate out to sign in as a person.")
    tenant = _tenant(args.tenant)
    cloud = Cloud.parse(args.cloud)
    connection = Connection(
        nickname=args.nickname,
        description=args.description.strip(),
        tenant=tenant,
        cloud=cloud,
        client_id=client_id_or_default(args.client_id),
        authority=normalize_authority(args.authority, cloud),
        graph_endpoint=normalize_graph_endpoint(args.graph_endpoint, cloud),
        scopes=_scopes(args.scopes),
    )
    saved = usecases.create(services, connection)
    where = ("you choose the organisation when you sign in" if tenant == DEFAULT_TENANT
             else f"it signs in to {tenant}")
    scopes = saved.scopes
    asking = " ".join(scopes) if len(scopes) <= 4 else f"{len(scopes)} permissions"
    print(f'Saved "{saved.nickname}": {where}, asking for {asking}. It is not signed in yet; '
          f'to sign in, run: o365desk login "{saved.nickname}"')
    return 0


def cmd_list(args: argparse.Namespace, services: Services) -> int:
    connections = services.store.connections
    if args.json:
        print(output.list_json(connections))  # health from the file: no keychain
    elif not connections and services.store.read_only:
        # Not "add one": changes are off until the file's problem (noted above) is fixed.
        print("No connections to show, and changes are turned off (see the note above).")
    else:
        print(output.list_text(connections))
    return 0


def cmd_show(args: argparse.Namespace, services: Services) -> int:
    connection = services.store.find(args.nickname)
    print(output.show_json(connection) if args.json else output.show_text(connection))
    return 0


def cmd_rename(args: argparse.Namespace, services: Services) -> int:
    connection = services.store.find(args.old)
    renamed = usecases.rename(services, connection.id, args.new)
    print(_one_line(f'Renamed "{connection.nickname}" to "{renamed.nickname}".'))
    return 0


def cmd_delete(args: argparse.Namespace, services: Services) -> int:
    connection = services.store.find(args.nickname)
    what = f'the connection "{output.printable(connection.nickname)}"'
    if connection.account:
        what += f" and its saved sign-in for {output.printable(connection.account.username)}"
    elif connection.credential is not None:
        what += " and its client secret" if connection.credential.type.value == "secret" \
            else " and its certificate"
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError(f"to delete {what} without a question, add --yes.")
        try:
            answer = input(f"Delete {what}? Nothing changes in the organisation itself. "
                           "[y/N] ")
        except (EOFError, KeyboardInterrupt):  # Ctrl+D or Ctrl+C at the question: a no
            answer = ""
            print()
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was deleted.")
            return 0
    removed = usecases.delete(services, connection)
    print(f"Deleted {what} "
          + plural(removed, "(1 keychain entry removed).", "({count} keychain entries removed)."))
    return 0


def cmd_edit(args: argparse.Namespace, services: Services) -> int:
    connection = services.store.find(args.nickname)
    scopes = _edited_scopes(connection.scopes, args)
    if scopes is not None and connection.kind.value == "app-only":
        from o365desk.cli.app_only import require_application

        scopes = require_application(scopes)  # an app's permissions are application ones
    if args.description is None and scopes is None:
        raise UsageError("say what to change: --description, --scopes, --add-scopes or "
                         "--remove-scopes.")
    result = usecases.edit(services, connection.id, description=args.description,
                           scopes=scopes)
    saved = result.connection
    changes = []
    if saved.description != connection.description:
        changes.append("description")
    if saved.scopes != connection.scopes:
        changes.append("permissions: " + " ".join(saved.scopes))
    if not changes:
        already = ([] if args.description is None else ["has that description"]) + \
            ([] if scopes is None else ["asks for " + " ".join(saved.scopes)])
        print(_one_line(f'Nothing changed: "{saved.nickname}" already '
                        f'{" and ".join(already)}.'))
    else:
        print(_one_line(f'Changed "{saved.nickname}" ({"; ".join(changes)}).'))
    if result.needs_approval:
        added = result.needs_approval
        print(_one_line(plural(len(added), "1 permission added since the last sign-in "
                               "({names}) works only once approved.", "{count} permissions "
                               "added since the last sign-in ({names}) work only once "
                               "approved.", names=" ".join(added))
                        + f' Sign in again: o365desk login "{saved.nickname}"'))
    return 0


def _edited_scopes(current: tuple[str, ...], args: argparse.Namespace) -> tuple[str, ...] | None:
    """The permissions after --scopes, --add-scopes and --remove-scopes; None: unchanged."""
    from o365desk.catalog.scope_input import check_scopes, parse_scope_list

    if args.scopes is None and args.add_scopes is None and args.remove_scopes is None:
        return None
    names = list(check_scopes(parse_scope_list(args.scopes))) if args.scopes is not None \
        else list(current)
    if args.add_scopes is not None:
        names += check_scopes(parse_scope_list(args.add_scopes))
    if args.remove_scopes is not None:
        # Removing needs no catalog check: a name that is not there is simply not there.
        typed = parse_scope_list(args.remove_scopes)
        gone = {n.lower() for n in typed}
        asked = {n.lower() for n in names}
        missing = list(dict.fromkeys(n for n in typed if n.lower() not in asked))  # as typed
        if missing and args.scopes is not None:
            raise ValueError(f"--scopes does not include {', '.join(missing)}, so "
                             "--remove-scopes has nothing to remove there. Give the "
                             "permissions to keep with --scopes alone.")
        if missing:
            raise ValueError(f"The connection does not ask for {', '.join(missing)}, so "
                             "there is nothing to remove. Its permissions are: "
                             f"{' '.join(current) or 'none'}.")
        names = [n for n in names if n.lower() not in gone]
    return tuple(dict.fromkeys(names))


def cmd_test(args: argparse.Namespace, services: Services) -> int:
    connection = services.store.find(args.nickname)
    outcome = usecases.test(services, connection)
    if args.json:
        print(output.dumps({"version": output.JSON_VERSION, "nickname": connection.nickname,
                            **outcome.to_dict()}))
    result = outcome.result
    if result.ok:
        if not args.json:
            # The organisation's name is Microsoft Graph's answer: never raw on a terminal.
            print(_one_line(f'"{connection.nickname}" works: connected to '
                            f"{result.summary or connection.tenant} in "
                            f"{round(result.latency_ms or 0)} ms."
                            f"{output.roles_words(outcome.roles)}"))
        return 0
    from o365desk.core.signin_errors import Action

    explanation = result.explanation
    # As the window says it: the title a sentence of its own, no capital after a colon.
    reason = f"{explanation.title}. {explanation.message}" if explanation else "It failed."
    nick = connection.nickname
    if explanation is not None and Action.CHECK_PERMISSIONS in explanation.actions \
            and explanation.scopes:
        reason += (f' Run: o365desk edit "{nick}" --add-scopes "{" ".join(explanation.scopes)}"'
                   f', then o365desk login "{nick}"')
    elif explanation is not None and Action.REPLACE_CREDENTIAL in explanation.actions:
        from o365desk.cli.app_only import credential_fix

        reason += f" Run: {credential_fix(connection)}"
    elif explanation is not None and Action.SIGN_IN_AGAIN in explanation.actions:
        reason += f' Run: o365desk login "{nick}"'
    print(_one_line(f'o365desk: "{connection.nickname}" didn\'t work. {reason}'),
          file=sys.stderr)
    return 1


def cmd_sign_out(args: argparse.Namespace, services: Services) -> int:
    connection = services.store.find(args.nickname)
    if connection.kind.value == "app-only":
        nick = connection.nickname
        print(_one_line(f'"{nick}" is app only: no person signs in, so there is no sign-in '
                        "to remove. Its client secret stays in the keychain until you delete "
                        f'the connection: o365desk delete "{nick}"'))
        return 0
    if connection.account is None:
        print(_one_line(f'"{connection.nickname}" is not signed in; nothing to remove.'))
        return 0
    usecases.sign_out(services, connection)
    print(_one_line(f'Signed out of "{connection.nickname}": its saved sign-in for '
                    f"{connection.account.username} was removed from the keychain. "
                    f'Sign in again with: o365desk login "{connection.nickname}"'))
    return 0


def cmd_doctor(args: argparse.Namespace, services: Services) -> int:
    from o365desk.cli.doctor import doctor

    return doctor(services, remove_orphans=args.remove_orphans)


_CATALOG_COMMANDS = ("scopes", "scope")

_COMMANDS = {
    "scopes": cmd_scopes,
    "scope": cmd_scope,
    "add": cmd_add,
    "list": cmd_list,
    "show": cmd_show,
    "rename": cmd_rename,
    "delete": cmd_delete,
    "doctor": cmd_doctor,
    "edit": cmd_edit,
    "sign-out": cmd_sign_out,
    "test": cmd_test,
    "login": cmd_login,
    "token": cmd_token,
    "credential": cmd_credential,
    "consent": cmd_consent,
    "export": cmd_export,
    "import": cmd_import,
    "health": cmd_health,
    "keep-alive": cmd_keep_alive,
}
