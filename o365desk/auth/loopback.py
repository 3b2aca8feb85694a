"""Sign-in in the system browser, through MSAL's loopback listener, and a way to stop it.

MSAL's own `acquire_token_interactive` waits for the browser until its timeout, and
nothing can end that wait early. This runs the same steps with the same parts (MSAL's
AuthCodeReceiver on 127.0.0.1 and a free port, its auth code flow with PKCE and
form_post), and waits on its own thread of control, so the wait ends as soon as the
person stops it, no browser could be opened, or the time is up, even while opening the
browser hangs. The listener is then woken with an error answer carrying the flow's own
state (the one answer it accepts besides Microsoft's), so it ends quietly. An answer with
any other state (forged, or from an old tab) ends the wait at once too, refused.

The answer is only waited for here; redeeming it (which changes the token cache) is the
session's job, under its operation lock.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

# What the browser tab shows once the answer has reached o365desk (plain text).
SUCCESS_PAGE = "Signed in. You can close this tab and go back to o365desk."
FAILURE_PAGE = ("The sign-in didn't finish ($error). Go back to o365desk: it says what "
                "happened and what to do next. You can close this tab.")
FORGED_PAGE = ("This answer doesn't belong to the sign-in o365desk started, so it was "
               "refused. Go back to o365desk and sign in again. You can close this tab.")
_FORGED = "o365desk_forged_state"  # the listener's answer when the state was not ours
_STOP_ERROR = "access_denied"
_STOP_DESCRIPTION = "stopped by o365desk"
_POLL_SECONDS = 0.2
_WAKE_SECONDS = 1.0  # how long the listener gets to take the waking answer


class BrowserWaitEnded(Exception):
    """The wait ended without an answer: `reason` is "stopped", "no-browser", "timeout"
    or "forged-state" (an answer came that doesn't carry the flow's state)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def wait_in_browser(
    app: Any, scopes: Sequence[str], *, timeout: float, prompt: str | None,
    login_hint: str | None, should_stop: Callable[[], bool],
) -> tuple[dict, dict]:
    """Open the sign-in in the system browser; return (flow, answer) for redeeming.

    Blocks until the browser answers, should_stop() turns true (checked five times a
    second), no browser could be opened, `timeout` seconds pass, or an answer with a
    state not the flow's comes; all but the first raise BrowserWaitEnded.
    """
    from msal.oauth2cli.authcode import AuthCodeReceiver

    with AuthCodeReceiver(port=0) as receiver:
        _refuse_forged_state(receiver)
        port = receiver.get_port()
        flow = app.initiate_auth_code_flow(
            list(scopes), redirect_uri=f"http://localhost:{port}", prompt=prompt,
            login_hint=login_hint, response_mode="form_post")
        answered = threading.Event()
        no_browser = threading.Event()
        answer: dict = {}

        def listen() -> None:
            try:
                answer.update(receiver.get_auth_response(
                    auth_uri=flow["auth_uri"], state=flow["state"], timeout=timeout,
                    success_template=SUCCESS_PAGE, error_template=FAILURE_PAGE,
                    auth_uri_callback=lambda _uri: no_browser.set()) or {})
            except Exception:  # noqa: BLE001 (the listener closed under it: we stopped)
                pass
            finally:
                answered.set()

        threading.Thread(target=listen, daemon=True, name="o365desk-browser-listen").start()
        deadline = time.monotonic() + timeout
        reason = ""
        while not answered.wait(_POLL_SECONDS):
            if should_stop():
                reason = "stopped"
            elif no_browser.is_set():
                reason = "no-browser"
            elif time.monotonic() >= deadline:
                reason = "timeout"
            if reason:
                _wake(port, flow["state"])
                answered.wait(_WAKE_SECONDS)
                raise BrowserWaitEnded(reason)
    if not answer:  # the listener's own time ran out
        raise BrowserWaitEnded("timeout")
    if _FORGED in answer or answer.get("state") != flow["state"]:
        raise BrowserWaitEnded("forged-state")
    return flow, answer


def _refuse_forged_state(receiver: Any) -> None:
    """Make the listener end at an answer whose state isn't the flow's (MSAL's own one
    shows "State mismatch" and keeps waiting until the timeout)."""
    from msal.oauth2cli.authcode import _AuthCodeHandler

    class Handler(_AuthCodeHandler):
        def _process_auth_response(self, auth_response: dict) -> None:
            expected = self.server.auth_state
            if expected and auth_response.get("state") != expected:
                self._send_full_response(FORGED_PAGE, is_ok=False)
                self.server.auth_response = {_FORGED: "1"}  # ends the listener's loop
                return
            super()._process_auth_response(auth_response)

    receiver._server.RequestHandlerClass = Handler


def _wake(port: int, state: str) -> None:
    """Answer the listener with an error of our own, in the background, so that it stops
    listening; if it is still busy opening the browser, it finds the answer later."""

    def post() -> None:
        body = urlencode({"error": _STOP_ERROR, "error_description": _STOP_DESCRIPTION,
                          "state": state})
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("POST", "/", body,
                               {"Content-Type": "application/x-www-form-urlencoded"})
            connection.getresponse().read()
        except OSError:
            pass  # the listener already closed: it stopped anyway
        finally:
            connection.close()

    threading.Thread(target=post, daemon=True, name="o365desk-browser-wake").start()
