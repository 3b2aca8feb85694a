"""`o365desk export` and `o365desk import`: connections to and from a template file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from o365desk.cli import output
from o365desk.cli.errors import UsageError
from o365desk.core import template as tpl
from o365desk.core.connection import Kind
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
    imp.add_argument("file", metavar="FILE", nargs="?", default=None,
                     help="the template file; with --from-policy, the name of one of the "
                          "IT policy's templates")
    imp.add_argument("--from-policy", action="store_true",
                     help="from the templates the IT policy offers: without a name, list "
                          "them; with one, create that connection")
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

    if args.from_policy:
        if args.file is None:
            return _list_it_templates()
        source: tpl.Template | Path = _it_template(args.file)
    elif args.file is None:
        raise UsageError("name the template file to import (or add --from-policy to use "
                         "one of the templates your IT team offers).")
    else:
        source = Path(args.file)
    result = preview(services, source, args.nickname)
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
    print(plural(len(saved), "Created ", "Created {count} connections: ") + names + ".")
    people = [c for c in saved if c.kind != Kind.APP_ONLY]
    apps = [c for c in saved if c.kind == Kind.APP_ONLY]
    if people:
        login = f'"{output.printable(people[0].nickname)}"' if len(people) == 1 else "NICK"
        print(f"Not signed in yet; to sign in, run: o365desk login {login}")
    if apps:  # an app signs in as itself: it needs its credential, never a login
        name = f'"{output.printable(apps[0].nickname)}"' if len(apps) == 1 else "NICK"
        print(f"An app-only connection needs its credential before it works: o365desk "
              f"credential {name} (--secret-stdin | --certificate FILE)")
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



def _list_it_templates() -> int:
    """`import --from-policy`: the IT policy's templates, one line each; 1 when none can be
    used (or they can't be read)."""
    from o365desk.usecases.it_templates import list_it_templates

    found = list_it_templates()
    if not found.configured or found.problem:
        print(f"o365desk: {output.printable(found.summary())}", file=sys.stderr)
        return 1
    print(output.printable(found.summary()))
    for offered in found.usable:
        about = " ".join(offered.description.split())
        print(f'  "{output.printable(offered.name)}"'
              + (f": {output.printable(about[:200])}" if about else "")
              + f" (from {output.printable(offered.source)})")
    for offered in found.refused:
        print(f"  can't be used: {output.printable(offered.source)}: "
              f"{output.printable(' '.join(offered.refusal.split()))}")
    if found.usable:
        print('To create one, run: o365desk import --from-policy "NAME"')
    return 0 if found.usable else 1


def _it_template(name: str) -> tpl.Template:
    """The IT policy's template connection called `name` (ignoring case), as a template of
    that one connection; ValueError saying which there are when none is."""
    from o365desk.core import nickname as nick
    from o365desk.usecases.it_templates import list_it_templates

    found = list_it_templates()
    if not found.configured or found.problem:
        raise ValueError(found.summary())
    matches = [o for o in found.usable if nick.fold(o.name) == nick.fold(name)]
    if not matches:
        names = ", ".join(f'"{o.name}"' for o in found.usable) or "none that can be used"
        raise ValueError(f'Your IT team offers no template called "{name}"; it offers '
                         f"{names}. Run o365desk import --from-policy to see them.")
    return tpl.Template((matches[0].entry,))
