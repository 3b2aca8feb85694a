"""A stand-in for the system browser that MSAL's loopback listener opens.

Only the step that opens a browser is replaced (msal.oauth2cli.authcode._browse): the
listener, the flow and the answers stay real. `act`, when given, plays the person at the
browser, on a thread of its own, with the sign-in address.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import msal.oauth2cli.authcode
import requests


def stand_in_browser(monkeypatch, act: Callable[[str], None] | None = None,
                     opens: bool = True) -> list[str]:
    """Replace the system browser; return the list of addresses it is asked to open."""
    opened: list[str] = []

    def browse(uri, browser_name=None):
        opened.append(uri)
        if act is not None:
            threading.Thread(target=act, args=(uri,), daemon=True).start()
        return opens

    monkeypatch.setattr(msal.oauth2cli.authcode, "_browse", browse)
    return opened


def redirect_of(uri: str) -> str:
    """The loopback address a sign-in address sends its answer to."""
    return parse_qs(urlsplit(uri).query)["redirect_uri"][0]


def signing_in(fake, pages: list[str] | None = None) -> Callable[[str], None]:
    """A person who signs in at the fake and whose browser posts the answer back; the
    listener's pages are added to `pages`."""

    def act(uri: str) -> None:
        answer = requests.post(redirect_of(uri), data=fake.sign_in_with_http(uri), timeout=10)
        if pages is not None:
            pages.append(answer.text)

    return act
