"""The CLI commands; each returns an exit code and explains any error in one line."""

from __future__ import annotations

import argparse
import os
import sys
import uuid

from o365desk.cli import output
from o365desk.cli.scopes import cmd_scope, cmd_scopes
from o365desk.cli.signin import cmd_login, cmd_token
from o365desk.core import settings as app_settings
from o365desk.core.clouds import Cloud
from o365desk.core.connection import Connection
from o365desk.core.nickname import NicknameError
from o365desk.core.tenant import (
    TenantError,
    normalize_authority,
    normalize_graph_endpoint,
    normalize_tenant,
)
from o365desk.core.words import plural
from o365desk.services import Services
from o365desk.storage.store import StoreError
from o365desk.storage.vault import VaultError


class UsageError(Exception):
    """The command can't run as typed; exit code 2."""


def run(args: argparse.Namespace, services: Services | None = None) -> int:
    services = services or Services()
    try:
        # The permission catalog needs no connections: a damaged store must not block it.
        if args.command not in _CATALOG_COMMANDS:
            services.store.load()
            for notice in services.store.notices:
                print(f"o365desk: note: {notice}", file=sys.stderr)
        return _COMMANDS[args.command](args, services)
    except UsageError as exc:
        print(f"o365desk: {exc}", file=sys.stderr)
        return 2
    except (StoreError, NicknameError, TenantError, VaultError, ValueError) as exc:
        print(f"o365desk: {_one_line(str(exc))}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `o365desk scopes --json | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error
        return 0
    except OSError as exc:  # a folder or file the command needs can't be read or written
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"o365desk: {exc.strerror or exc}{where}. Check that the folder exists and "
              "that you may write to it, then try again.", file=sys.stderr)
        return 1


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _client_id(raw: str | None) -> str:
    if raw is None or not raw.strip():
        return app_settings.load().client_id
    try:
        return str(uuid.UUID(raw.strip()))
    except ValueError:
        raise ValueError(
            f'"{raw}" is not a client ID. A client ID is a GUID like '
            "14d82eec-204b-4c2f-b7e8-296a70dab67e, shown on the app registration's Overview page."
        ) from None


def _scopes(raw: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(raw.split()))


def cmd_add(args: argparse.Namespace, services: Services) -> int:
    connection = Connection(
        nickname=args.nickname,
        description=args.description.strip(),
        tenant=normalize_tenant(args.tenant),
        cloud=Cloud.parse(args.cloud),
        client_id=_client_id(args.client_id),
        authority=normalize_authority(args.authority),
        graph_endpoint=normalize_graph_endpoint(args.graph_endpoint),
        scopes=_scopes(args.scopes),
    )
    saved = services.store.add(connection)
    print(f'Saved "{saved.nickname}". It is not signed in yet.')
    return 0


def cmd_list(args: argparse.Namespace, services: Services) -> int:
    connections = services.store.connections
    print(output.list_json(connections) if args.json else output.list_text(connections))
    return 0


def cmd_show(args: argparse.Namespace, services: Services) -> int:
    connection = services.store.find(args.nickname)
    print(output.show_json(connection) if args.json else output.show_text(connection))
    return 0


def cmd_rename(args: argparse.Namespace, services: Services) -> int:
    connection = services.store.find(args.old)
    renamed = services.store.rename(connection.id, args.new)
    print(f'Renamed "{connection.nickname}" to "{renamed.nickname}".')
    return 0


def cmd_delete(args: argparse.Namespace, services: Services) -> int:
    connection = services.store.find(args.nickname)
    what = f'the connection "{connection.nickname}"'
    if connection.account:
        what += f" and its saved sign-in for {connection.account.username}"
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
    removed = services.delete_connection(connection)
    print(f"Deleted {what} "
          + plural(removed, "(1 keychain entry removed).", "({count} keychain entries removed)."))
    return 0


def cmd_doctor(args: argparse.Namespace, services: Services) -> int:
    from o365desk.cli.doctor import doctor

    return doctor(services)


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
    "login": cmd_login,
    "token": cmd_token,
}
