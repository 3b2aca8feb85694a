"""`o365desk export` and `o365desk import`: connections to and from a template file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from o365desk.cli import output
from o365desk.cli.errors import UsageError
from o365desk.core import template as tpl
from o365desk.core.words import plural
from o365desk.services import Services


def add_template_parsers(sub) -> None:
    export = sub.add_parser(
        "export", help="write connections to a template file (no secret, key or sign-in)")
    export.add_argument("nicknames", metavar="NICK", nargs="+")
    export.add_argument("-o", "--output", required=True, metavar="FILE",
                        help=f"the template file to write (name it *{tpl.EXTENSION}); "
                             "- writes it to standard output")
    export.add_argument("--lock", default=None, metavar='"F G"',
                        help="fields staff may not change, separated by spaces or commas: "
                             f"{', '.join(tpl.LOCKABLE)}")
    export.add_argument("--force", action="store_true",
                        help="replace FILE if it exists")

    imp = sub.add_parser("import", help="create connections from a template file "
                                        "(not signed in yet)")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    imp.add_argument("--nickname", default=None, metavar="N",
                     help="save a one-connection template's connection under this nickname")


def cmd_export(args: argparse.Namespace, services: Services) -> int:
    from o365desk.usecases.templates import export

    locked = frozenset(f for f in (args.lock or "").replace(",", " ").split())
    text = export(services, args.nicknames, locked)
    count = text.count('"nickname":')
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    target = Path(args.output)
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give a file name, such as "
                         f"payroll{tpl.EXTENSION}.")
    if not target.absolute().parent.is_dir():
        raise UsageError(f"the folder {target.absolute().parent} does not exist; create it "
                         "or choose another place for the file.")
    if not args.force and (target.exists() or target.is_symlink()):
        raise UsageError(f"{target} already exists; add --force to replace it, or choose "
                         "another file name.")
    from o365desk.storage import atomic

    atomic.write(target.absolute(), text.encode("utf-8"), target.name)
    print(plural(count, "Wrote 1 connection", "Wrote {count} connections")
          + f" to {output.printable(str(target))}, with no secret, key or sign-in in it.")
    return 0


def cmd_import(args: argparse.Namespace, services: Services) -> int:
    from o365desk.usecases.templates import import_template, preview

    result = preview(services, Path(args.file), args.nickname)
    print(preview_text(result))
    if not result.to_create:
        taken = any("already exists" in item.refusal for item in result.items)
        hint = "" if not taken else (
            " Rename the saved connection, or import with --nickname N."
            if len(result.items) == 1 else " Rename the saved connections first.")
        print(f"o365desk: nothing was created.{hint}", file=sys.stderr)
        return 1
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError(plural(len(result.to_create), "to create this connection",
                                    "to create these connections")
                             + " without a question, add --yes.")
        try:
            answer = input(plural(len(result.to_create), "Create this connection? [y/N] ",
                                  "Create these {count} connections? [y/N] "))
        except (EOFError, KeyboardInterrupt):
            answer = ""
            print()
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was created.")
            return 0
    saved = import_template(services, result)
    names = ", ".join(f'"{output.printable(c.nickname)}"' for c in saved)
    login = names if len(saved) == 1 else "NICK"
    print(plural(len(saved), "Created ", "Created {count} connections: ") + names
          + f". Not signed in yet; to sign in, run: o365desk login {login}")
    return 0


def preview_text(result) -> str:
    """The preview as lines for a terminal: what will be created, what is refused, why."""
    lines = []
    for item in result.items:
        entry = item.entry
        name = output.printable(item.nickname)
        where = "chosen at sign-in" if entry.tenant in ("organizations", "common") \
            else entry.tenant
        lines.append(("Will create" if item.created else "Refused") + f' "{name}": '
                     f"{entry.kind.value}, organisation {where}, {entry.cloud.label} cloud, "
                     f"client ID {entry.client_id}, "
                     + plural(len(entry.scopes), "1 permission", "{count} permissions")
                     + f" ({output.printable(' '.join(entry.scopes[:6]))}"
                     + (" ..." if len(entry.scopes) > 6 else "") + ")")
        if entry.locked:
            lines.append(f"    locked by your IT team: {', '.join(sorted(entry.locked))}")
        if entry.certificate_thumbprints:
            lines.append("    certificate expected: thumbprint "
                         + ", ".join(entry.certificate_thumbprints)
                         + f'; add it with: o365desk credential "{name}" --certificate FILE')
        elif entry.kind.value == "app-only":
            lines.append(f'    needs its client secret: o365desk credential "{name}" '
                         "--secret-stdin")
        if item.refusal:
            lines.append(f"    why: {output.printable(item.refusal)}")
    return "\n".join(lines)

