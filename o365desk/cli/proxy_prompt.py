"""The CLI's question for a proxy that wants a user name and password: on the terminal only.

A proxy password is a secret: never taken from an argument or the environment. On a
terminal it is asked for (the password not shown); without one the command fails with a
message saying how to give it (auth/http.py's proxy_login_needed).
"""

from __future__ import annotations

import getpass
import sys

from o365desk.auth import proxy_login
from o365desk.auth.proxy import Proxy
from o365desk.cli.output import printable
from o365desk.services import Services


def ask_on_terminal(proxy: Proxy, refused: bool) -> tuple[str, str] | None:
    """Ask on the terminal; None when the person gives no user name or presses Ctrl+D."""
    if refused:
        print(f"The proxy {printable(proxy.key)} didn't accept that user name and password. "
              "Try again (or press Ctrl+C to stop).", file=sys.stderr)
    else:
        print(f"Your network's proxy ({printable(proxy.key)}) asks for a user name and "
              "password: the ones IT gave you for the network. o365desk keeps them in the "
              "keychain.", file=sys.stderr)
    try:
        shown = f" [{printable(proxy.username)}]" if proxy.username else ""
        sys.stderr.write(f"Proxy user name{shown}: ")
        sys.stderr.flush()
        username = sys.stdin.readline()
        if not username:
            return None
        username = username.strip() or proxy.username
        if not username:
            return None
        password = getpass.getpass("Proxy password (not shown): ")
    except EOFError:
        return None
    return (username, password) if password else None


def install(services: Services) -> None:
    """Proxy logins for this command: the keychain, then (on a terminal) the person."""
    holder: list = []

    def vault():
        if not holder:
            holder.append(proxy_login.proxy_vault(services.vault()))
        return holder[0]

    ask = ask_on_terminal if sys.stdin is not None and sys.stdin.isatty() else None
    proxy_login.install(proxy_login.LoginSource(vault, ask))
