"""`consent`: ask an administrator to approve a connection's app for the organisation."""

from __future__ import annotations

import argparse
import sys

from o365desk.core.text import visible
from o365desk.services import Services

# How long the command waits for the administrator to finish on Microsoft's page.
WAIT_SECONDS = 600


def add_consent_parser(sub) -> None:
    consent = sub.add_parser(
        "consent", help="ask an administrator to approve the connection's app for the "
        "organisation (admin consent), in the system browser")
    consent.add_argument("nickname", metavar="NICK")
    consent.add_argument("--print", action="store_true", dest="print_link",
                         help="only print the admin-consent link, to open elsewhere or send "
                         "to an administrator; don't wait for the answer")


def _say(text: str) -> None:
    """One line on stderr, anything from outside in it with control characters escaped."""
    print(visible(" ".join(text.split())), file=sys.stderr, flush=True)


def cmd_consent(args: argparse.Namespace, services: Services) -> int:
    from o365desk.auth import consent_listener
    from o365desk.auth.admin_consent import (
        REDIRECT_NOTE,
        WHAT_THE_ADMIN_SEES,
        shareable_link,
    )
    from o365desk.core import connection_rules

    connection = services.store.find(args.nickname)
    refused = connection_rules.refusal(connection)
    if refused is not None:
        _say(f"o365desk: {refused.message}")
        return 1
    if args.print_link:
        _say(WHAT_THE_ADMIN_SEES)
        _say(f"{REDIRECT_NOTE} After Accept the browser can't open http://localhost, as "
             "nothing listens there for a printed link: that is expected, the approval is "
             "already recorded. Then check it: "
             f'o365desk test "{connection.nickname}"')
        print(shareable_link(connection))
        return 0
    _say(f'Asking an administrator to approve the app of "{connection.nickname}" for the '
         "organisation, in your browser. (Press Ctrl+C to stop.)")
    _say(WHAT_THE_ADMIN_SEES)
    _say(f"{REDIRECT_NOTE} o365desk listens there and says here whether it worked.")
    try:
        result = consent_listener.ask_admin_consent(
            connection, timeout=WAIT_SECONDS,
            on_link=lambda url: _say(f"If no browser opens, open this link in a browser on "
                                     f"this computer: {url}"),
            on_no_browser=lambda: _say("No browser could be opened here. Open the link above "
                                       "in a browser on this computer; o365desk is waiting."))
    except KeyboardInterrupt:
        _say("o365desk: stopped waiting for the administrator's answer. If they approve on "
             "Microsoft's page anyway, the approval still counts.")
        return 1
    except OSError as exc:  # no loopback port could be opened
        _say(f"o365desk: couldn't listen for the answer on this computer ({exc.strerror or exc})."
             f' Print the link instead and open it anywhere: o365desk consent '
             f'"{connection.nickname}" --print')
        return 1
    if result.granted:
        print(visible(result.message))
        return 0
    _say(f"o365desk: {result.message}")
    if result.error:
        _say(f"Microsoft's answer, for IT: {result.error}: {result.error_description}")
    return 1
