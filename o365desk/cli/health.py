"""`o365desk health` (exit 1 when a connection needs attention, for monitoring scripts; it
reads the keychain, since it is asked for health, unlike `list --json`) and
`o365desk keep-alive` (refresh sign-ins not refreshed for N days, for a cron job or timer)."""

from __future__ import annotations

import argparse
import sys

from o365desk import usecases
from o365desk.cli import output
from o365desk.core.connection import Kind
from o365desk.core.credential_words import cli_fix
from o365desk.core.settings import KEEP_ALIVE_MAX, KEEP_ALIVE_MIN
from o365desk.core.text import visible
from o365desk.services import Services


def add_health_parsers(sub) -> None:
    health = sub.add_parser(
        "health", help="say which connections need attention (exit 1 when one does); reads "
                       "the keychain for the access tokens' expiry, never the network")
    health.add_argument("--json", action="store_true", help="print stable JSON (see README)")
    keep = sub.add_parser(
        "keep-alive", help="refresh sign-ins not refreshed for N days (keep_alive_days in "
                           "settings.json), so they don't lapse; for a cron job or timer")
    keep.add_argument("--days", type=_days, default=None, metavar="N",
                      help=f"refresh those not refreshed for N days ({KEEP_ALIVE_MIN} to "
                           f"{KEEP_ALIVE_MAX}) instead of the setting")
    keep.add_argument("--json", action="store_true", help="print stable JSON (see README)")


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = 0
    if not KEEP_ALIVE_MIN <= days <= KEEP_ALIVE_MAX:
        raise argparse.ArgumentTypeError(
            f"give a whole number of days from {KEEP_ALIVE_MIN} to {KEEP_ALIVE_MAX}")
    return days


def cmd_health(args: argparse.Namespace, services: Services) -> int:
    found = usecases.token_health(services)
    attention = any(h.needs_attention for _c, h in found)
    if args.json:
        print(output.dumps({
            "version": output.JSON_VERSION, "needs_attention": attention,
            "connections": [{"id": c.id, "nickname": c.nickname, **h.to_dict()}
                            for c, h in found]}))
        return 1 if attention else 0
    if not found:
        print("No connections yet. Add one with: o365desk add NICKNAME")
    for connection, health in found:
        state = "needs attention" if health.needs_attention else "OK"
        action = health.action
        if connection.kind == Kind.APP_ONLY:  # the command, not the window's button
            action = action.replace("give it to the connection (Replace credential)",
                                    cli_fix(connection))
        words = " ".join(w for w in (health.reason, action) if w)
        print(f"{visible(connection.nickname)}: {health.status.value}, {state}. "
              f"{output.printable(' '.join(words.split()))}")
    return 1 if attention else 0


def cmd_keep_alive(args: argparse.Namespace, services: Services) -> int:
    from o365desk.core import policy as policy_mod
    from o365desk.core import settings

    loaded = settings.load()
    if loaded.problem:
        print(f"o365desk: note: {output.printable(' '.join(loaded.problem.split()))}",
              file=sys.stderr)
    policy = policy_mod.load()
    days = args.days if args.days is not None else settings.keep_alive_days(loaded, policy)
    if days is None:
        if args.json:
            print(output.dumps({"version": output.JSON_VERSION, "days": None,
                                "refreshed": []}))
        elif settings.keep_alive_from_policy(policy):
            print(f"Keep-alive is off: your IT team's policy turns it off "
                  f"({output.printable(policy.where)} sets \"keep_alive_days\" to 0), so "
                  "nothing was refreshed. To refresh the sign-ins once anyway, run: "
                  "o365desk keep-alive --days N")
        else:
            print(f"Keep-alive is off, so nothing was refreshed. To turn it on, set "
                  f'"keep_alive_days" ({KEEP_ALIVE_MIN} to {KEEP_ALIVE_MAX}) in '
                  f"{settings.settings_file()}, or run: o365desk keep-alive --days N")
        return 0
    outcomes = usecases.keep_alive(services, days=days)
    failed = any(not o.ok for o in outcomes)
    if args.json:
        print(output.dumps({"version": output.JSON_VERSION, "days": days,
                            "refreshed": [o.to_dict() for o in outcomes]}))
        return 1 if failed else 0
    if not outcomes:
        print(f"No sign-in needed a refresh (keep-alive refreshes those not refreshed for "
              f"{days} day{'s' if days != 1 else ''}).")
    for outcome in outcomes:
        words = outcome.message if outcome.ok else f"Its sign-in could not be refreshed. " \
            f"{outcome.message}"
        print(f"{visible(outcome.connection.nickname)}: "
              f"{output.printable(' '.join(words.split()))}")
    return 1 if failed else 0
