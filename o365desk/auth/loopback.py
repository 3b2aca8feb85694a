"""Sign-in in the system browser, through MSAL's loopback listener, and a way to stop it.

MSAL's own `acquire_token_interactive` waits for the browser until its timeout, and
nothing can end that wait early. This runs the same steps with the same parts (MSAL's
AuthCodeReceiver on 127.0.0.1 and a free port, its auth code flow with PKCE and
form_post), so the wait can end when the person stops it, or at once when no browser
could be opened. Ending it posts an error answer carrying the flow's own state to the
listener, the one answer it accepts besides Microsoft's.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

# What the browser tab shows once the answer has reached o365desk (plain text).
SUCCESS_PAGE = "Signed in. You can close this tab and go back to o365desk."
FAILURE_PAGE = ("The sign-in didn't finish ($error). Go back to o365desk: it says what "
                "happened and what to do next. You can close this tab.")
_STOP_ERROR = "access_denied"
_POLL_SECONDS = 0.2


class BrowserWaitEnded(Exception):
    """The wait ended without an answer: `reason` is "stopped", "no-browser" or "timeout"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sign_in_in_browser(
    app: Any, scopes: Sequence[str], *, timeout: float, prompt: str | None,
    login_hint: str | None, should_stop: Callable[[], bool],
) -> dict:
    """Open the sign-in in the system browser; return MSAL's result for the answer.

    Blocks until the browser answers, should_stop() turns true (checked five times a
    second), no browser could be opened, or `timeout` seconds pass; the last three raise
    BrowserWaitEnded.
    """
    from msal.oauth2cli.authcode import AuthCodeReceiver

    ended: list[str] = []
    with AuthCodeReceiver(port=0) as receiver:
        port = receiver.get_port()
        flow = app.initiate_auth_code_flow(
            list(scopes), redirect_uri=f"http://localhost:{port}", prompt=prompt,
            login_hint=login_hint, response_mode="form_post")
        lock = threading.Lock()

        def end(reason: str) -> None:
            with lock:
                if ended:
                    return
                ended.append(reason)
            # From another thread: MSAL calls auth_uri_callback on the thread that is
            # about to serve the listener, which must not wait for its own answer.
            threading.Thread(target=_post_stop, args=(port, flow["state"]), daemon=True,
                             name="o365desk-browser-stop").start()

        finished = threading.Event()

        def watch() -> None:
            while not finished.wait(_POLL_SECONDS):
                if should_stop():
                    end("stopped")
                    return

        threading.Thread(target=watch, daemon=True, name="o365desk-browser-watch").start()
        try:
            response = receiver.get_auth_response(
                auth_uri=flow["auth_uri"], state=flow["state"], timeout=timeout,
                success_template=SUCCESS_PAGE, error_template=FAILURE_PAGE,
                auth_uri_callback=lambda _uri: end("no-browser"))
        finally:
            finished.set()
    if ended:
        raise BrowserWaitEnded(ended[0])
    if not response:
        raise BrowserWaitEnded("timeout")
    return app.acquire_token_by_auth_code_flow(flow, response)


def _post_stop(port: int, state: str) -> None:
    """Answer the listener with an error of our own, so its wait ends now."""
    body = urlencode({"error": _STOP_ERROR, "error_description": "stopped by o365desk",
                      "state": state})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("POST", "/", body,
                           {"Content-Type": "application/x-www-form-urlencoded"})
        connection.getresponse().read()
    except OSError:
        pass  # the listener already closed: the wait is over anyway
    finally:
        connection.close()
