"""`login` and `token`: sign a connection in from a terminal, print a fresh access token."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from o365desk import usecases
from o365desk.core.text import visible
from o365desk.services import Services

log = logging.getLogger(__name__)
SECRET_NOTE = "note: this is a secret; don't paste it anywhere public"


def add_signin_parsers(sub) -> None:
    login = sub.add_parser(
        "login", help="sign a connection in (system browser or a code on another device)")
    login.add_argument("nickname", metavar="NICK")
    how = login.add_mutually_exclusive_group()
    how.add_argument("--browser", action="store_true",
                     help="sign in in the system browser (the default with a display)")
    how.add_argument("--device-code", action="store_true",
                     help="sign in on another device with a code (the default without a display)")

    token = sub.add_parser("token", help="print a fresh access token on stdout, for scripts")
    token.add_argument("nickname", metavar="NICK")
    token.add_argument("--scope", action="append", default=None, metavar="S",
                       help="a Graph permission to ask for (repeatable); default: the "
                       "connection's")
    token.add_argument("--format", choices=("plain", "az", "json"), default="plain",
                       help="plain: the token alone (the default); az: the JSON object "
                       "`az account get-access-token` prints; json: o365desk's own JSON "
                       "object (README.md)")


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _say(text: str) -> None:
    """One line on stderr; anything from outside in it (the file's nickname, the server's
    words) with its control characters as escapes."""
    print(visible(text), file=sys.stderr, flush=True)


def cmd_login(args: argparse.Namespace, services: Services) -> int:
    from o365desk.auth.session import SignInError

    connection = services.store.find(args.nickname)
    from o365desk.core.connection import Kind

    if connection.kind == Kind.APP_ONLY:
        from o365desk.cli.app_only import no_login_needed

        print(no_login_needed(connection))
        return 0
    session = services.session_for(connection)
    use_browser = args.browser or (not args.device_code and _has_display())
    try:
        if use_browser:
            _say(f'Signing in "{connection.nickname}" in your browser; finish there. '
                 "(Press Ctrl+C to stop.)")
            result = session.sign_in_with_browser()
        else:
            start = session.start_device_code()
            _say(start.message or f"Open {start.verification_uri} and enter the code "
                 f"{start.user_code}.")
            _say(f"URL: {start.verification_uri}")
            _say(f"Code: {start.user_code}")
            result = session.finish_device_code(start)
    except SignInError as exc:
        return _explain(exc, device_code=f'Or sign in with a code on another device: '
                                         f'o365desk login "{connection.nickname}" --device-code')
    except KeyboardInterrupt:
        _say("o365desk: sign-in stopped. Nothing was saved.")
        return 1
    usecases.record_sign_in(services, connection, result)
    print(f"Signed in as {visible(result.account.username)}")
    return 0


def cmd_token(args: argparse.Namespace, services: Services) -> int:
    from o365desk.auth.session import SignInError

    connection = services.store.find(args.nickname)
    from o365desk.cli.app_only import credential_fix
    from o365desk.core.connection import Kind

    app_only = connection.kind == Kind.APP_ONLY
    if app_only and args.scope:
        from o365desk.cli.errors import UsageError

        raise UsageError(f'"{visible(connection.nickname)}" is app only: its token carries '
                         "every application permission granted to the app, so --scope does "
                         "not apply. Leave it out.")
    from o365desk.cli.token_formats import render
    from o365desk.usecases.token_handout import hand_out

    form = getattr(args, "format", "plain")
    try:
        handed = hand_out(services, connection, form, program="o365desk token",
                          scopes=args.scope)
    except SignInError as exc:
        return _explain(exc, hint="" if app_only
                        else f' Run: o365desk login "{connection.nickname}"',
                        fix=credential_fix(connection) if app_only else "")
    _say(SECRET_NOTE)
    try:
        print(render(handed, form), flush=True)
    except OSError as exc:  # a pipe whose reader has gone, a full disk, a closed descriptor
        return _token_not_written(exc)
    return 0


def _token_not_written(exc: OSError) -> int:
    """The token could not be written: a script must not take the exit code for success."""
    # What is still buffered is dropped, not written (and failed again) when Python exits.
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # no descriptor to replace: nothing is buffered for it
        pass
    if isinstance(exc, BrokenPipeError):
        why = "the program reading it stopped before it was written"
    else:
        why = exc.strerror or str(exc)
    _say(f"o365desk: the token could not be written to standard output ({why}). Run the "
         "command again with its output going to the program, file or terminal that needs it.")
    return 1


def _explain(exc, hint: str = "", device_code: str = "", fix: str = "") -> int:
    from o365desk.core.signin_errors import Action

    message = " ".join(str(exc).split())
    if hint and Action.SIGN_IN_AGAIN in exc.explanation.actions:
        message += hint
    if fix and Action.REPLACE_CREDENTIAL in exc.explanation.actions:
        message += f" Run: {fix}"
    _say(f"o365desk: {message}")
    if device_code and Action.USE_DEVICE_CODE in exc.explanation.actions:
        _say(device_code)
    if exc.explanation.admin_consent_url:
        _say(f"Admin-consent link: {exc.explanation.admin_consent_url}")
    return 1
