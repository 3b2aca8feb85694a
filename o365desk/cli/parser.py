"""The CLI's commands and options; wrong usage exits with code 2 (argparse's own)."""

from __future__ import annotations

import argparse

from o365desk import __version__
from o365desk.cli.app_only import add_credential_parser, add_secret_arguments
from o365desk.cli.consent import add_consent_parser
from o365desk.cli.health import add_health_parsers
from o365desk.cli.scopes import add_scope_parsers
from o365desk.cli.signin import add_signin_parsers
from o365desk.cli.templates import add_template_parsers
from o365desk.core.clouds import Cloud
from o365desk.core.connection import DEFAULT_SCOPES

EPILOG = """\
Run without a command to open the window.
Exit codes: 0 success, 1 an error explained on stderr, 2 wrong usage.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="o365desk",
        description="Manage Microsoft 365 / Entra ID admin connections.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"o365desk {__version__}")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="open the window, exit right after it first paints, and print the "
        "milliseconds from process start to first paint on stderr",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    add = sub.add_parser("add", help="save a new connection (not signed in yet)")
    add.add_argument("nickname", metavar="NICK")
    add.add_argument("--tenant", default=None,
                     help="the organisation: its domain, an email address at it, or its "
                          "tenant ID (default: chosen when you sign in)")
    add.add_argument(
        "--cloud", default=Cloud.GLOBAL.value, choices=[c.value for c in Cloud]
    )
    add.add_argument("--client-id", default=None, help="app registration's client ID")
    add.add_argument("--authority", default=None,
                     help="authority override, https://host/tenant: the cloud's own sign-in "
                          "host or your organisation's (plain https, no user name, query or "
                          "fragment)")
    add.add_argument("--graph-endpoint", default=None, metavar="URL",
                     help="Graph endpoint override, e.g. https://graph.microsoft.us")
    add.add_argument("--scopes", default=None,
                     help='permissions, separated by spaces or commas, e.g. '
                          f'"User.Read Mail.Send" (default: {" ".join(DEFAULT_SCOPES)})')
    add.add_argument("--description", default="")
    add.add_argument("--app-only", action="store_true",
                     help="sign in as the app itself with a client secret or a "
                          "certificate, no person (needs --tenant, --client-id and "
                          "--secret-stdin, --secret-file or --certificate FILE;"
                          " --scopes are application permissions)")
    add_secret_arguments(add, "--secret-expires")

    lst = sub.add_parser("list", help="list saved connections")
    lst.add_argument("--json", action="store_true", help="print stable JSON (see README)")

    show = sub.add_parser("show", help="show one connection")
    show.add_argument("nickname", metavar="NICK")
    show.add_argument("--json", action="store_true", help="print stable JSON (see README)")

    rename = sub.add_parser("rename", help="give a connection a new nickname")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")

    edit = sub.add_parser("edit", help="change a connection's description or permissions")
    edit.add_argument("nickname", metavar="NICK")
    edit.add_argument("--description", default=None, metavar="D")
    edit.add_argument("--scopes", default=None, metavar='"A B"',
                      help="the permissions to ask for instead (commas or spaces between)")
    edit.add_argument("--add-scopes", default=None, metavar='"A B"',
                      help="permissions to ask for as well")
    edit.add_argument("--remove-scopes", default=None, metavar='"A B"',
                      help="permissions to stop asking for")

    test = sub.add_parser("test", help="check a connection works (one Microsoft Graph call)")
    test.add_argument("nickname", metavar="NICK")
    test.add_argument("--json", action="store_true", help="print stable JSON (see README)")

    sign_out = sub.add_parser(
        "sign-out", help="remove a connection's saved sign-in (the connection stays)")
    sign_out.add_argument("nickname", metavar="NICK")

    delete = sub.add_parser("delete", help="delete a connection and its saved sign-in")
    delete.add_argument("nickname", metavar="NICK")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    doctor = sub.add_parser(
        "doctor", help="check the keychain, QtWebEngine, config, TLS and network set-up")
    doctor.add_argument("--remove-orphans", action="store_true",
                        help="remove keychain entries of connections that no longer exist")
    add_signin_parsers(sub)
    add_credential_parser(sub)
    add_scope_parsers(sub)
    add_consent_parser(sub)
    add_template_parsers(sub)
    add_health_parsers(sub)
    return parser
