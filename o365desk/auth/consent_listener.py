"""The loopback listener that reads the answer of Microsoft's admin-consent page.

Microsoft sends the answer back with a plain GET to the redirect URI, with the result in
the query (`admin_consent=True&tenant=...&state=...`, or `error=...&error_description=...`);
that page has no form_post mode, and MSAL's own loopback handler (AuthCodeReceiver, used
for sign-in in auth/loopback.py) takes form posts only, so it doesn't fit here. This
listener is the standard library's HTTP server on 127.0.0.1 (and ::1 on the same port
when it can) and a free port, answering one thing: the redirect to "/". It reads at most
a few KB of any request, refuses an answer whose state isn't the one it was made with
(ending the wait at once), answers the browser tab with a short plain page, and can be
stopped from any thread.
"""

from __future__ import annotations

import hmac
import secrets
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from o365desk.auth.admin_consent import (
    ConsentResult,
    Outcome,
    consent_link_for,
    explain_refusal,
)
from o365desk.core.connection import Connection

LINE_LIMIT = 4096  # the request line (the redirect with its query)
HEADERS_LIMIT = 32 * 1024  # a browser's headers for localhost, cookies included
BODY_LIMIT = 4096
_POLL_SECONDS = 0.2
_MAX_FIELDS = 20

GRANTED_PAGE = "The app is approved for the organisation. You can close this tab and go " \
    "back to o365desk."
REFUSED_PAGE = "The app was not approved ({error}). Go back to o365desk: it says what " \
    "happened and what to do next. You can close this tab."
FORGED_PAGE = "This answer doesn't belong to the approval o365desk asked for, so it was " \
    "refused. Go back to o365desk and start again. You can close this tab."
TOO_LARGE_PAGE = "This request is far larger than an answer from Microsoft's page, so " \
    "o365desk didn't read it. You can close this tab."
NOT_HERE_PAGE = "Nothing here. o365desk is waiting for the answer from Microsoft's " \
    "approval page."


class _Reader:
    """The request's input with a budget: past it, reads return nothing and `over` is set."""

    def __init__(self, raw, budget: int) -> None:
        self._raw, self._left, self.over = raw, budget, False

    def readline(self, size: int = -1) -> bytes:
        return self._take(self._raw.readline, size)

    def read(self, size: int = -1) -> bytes:
        return self._take(self._raw.read, size)

    def _take(self, read, size: int) -> bytes:
        if self._left <= 0:
            self.over = True
            return b""
        want = self._left if size is None or size < 0 else min(size, self._left)
        data = read(want)
        self._left -= len(data)
        if self._left <= 0 and data and not data.endswith(b"\n"):
            self.over = True
        return data

    def __getattr__(self, name):
        return getattr(self._raw, name)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server_version = "o365desk"
    sys_version = ""
    timeout = 10  # a client that sends nothing doesn't hold the listener

    def log_message(self, format, *args):  # the query carries the answer: never logged
        pass

    def setup(self) -> None:
        super().setup()
        self.rfile = _Reader(self.rfile, LINE_LIMIT + HEADERS_LIMIT)

    def handle_one_request(self) -> None:
        self.close_connection = True  # one request a connection
        try:
            self._one_request()
        except OSError:
            pass  # a client that stalls (timeout) or goes away: nothing to answer

    def _one_request(self) -> None:
        self.raw_requestline = self.rfile.readline(LINE_LIMIT + 1)
        if not self.raw_requestline:
            return
        if len(self.raw_requestline) > LINE_LIMIT:
            self.requestline, self.request_version, self.command = "", "HTTP/1.0", "GET"
            self._page(414, TOO_LARGE_PAGE)
            return
        if not self.parse_request():
            return
        if self.rfile.over:
            self._page(431, TOO_LARGE_PAGE)
            return
        if self.command == "GET":
            self._answer(urlsplit(self.path).query)
        elif self.command == "POST":
            self._post()
        else:
            self._page(405, NOT_HERE_PAGE)

    def _post(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > BODY_LIMIT:
            self._page(413, TOO_LARGE_PAGE)
            return
        body = self.rfile._raw.read(length) if length else b""  # bounded just above
        if len(body) < length:
            return  # the client stopped sending: no answer to take
        self._answer(body.decode("utf-8", "replace"))

    def _answer(self, text: str) -> None:
        if urlsplit(self.path).path not in ("", "/"):
            self._page(404, NOT_HERE_PAGE)
            return
        try:
            fields = dict(parse_qsl(text, keep_blank_values=True, max_num_fields=_MAX_FIELDS))
        except ValueError:
            self._page(413, TOO_LARGE_PAGE)
            return
        if "admin_consent" not in fields and "error" not in fields:
            self._page(404, NOT_HERE_PAGE)
            return
        listener: ConsentListener = self.server.listener
        if not hmac.compare_digest(fields.get("state", "").encode(), listener.state.encode()):
            self._page(400, FORGED_PAGE)
            listener._take(Outcome.FORGED, fields)
            return
        if fields.get("admin_consent", "").strip().lower() == "true" and "error" not in fields:
            self._page(200, GRANTED_PAGE)
            listener._take(Outcome.GRANTED, fields)
            return
        code = "".join(c for c in fields.get("error", "") if c.isalnum() or c == "_")[:60]
        self._page(200, REFUSED_PAGE.format(error=code or "no reason given"))
        listener._take(Outcome.REFUSED, fields)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        """A request the standard library can't parse: refused with a plain page too
        (431 when it was cut off at the size limit)."""
        if self.rfile.over:
            code = 431
        self.close_connection = True
        self._page(code, TOO_LARGE_PAGE if code == 431 else NOT_HERE_PAGE)

    def _page(self, status: int, text: str) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False  # a port another program holds is not shared

    def handle_error(self, request, client_address) -> None:
        pass  # never a traceback on the terminal or in the window's output


class _Server6(_Server):
    address_family = socket.AF_INET6


class ConsentListener:
    """Listens on http://localhost:PORT for the admin-consent answer; use as a context
    manager. `state` is a fresh random value to put in the link."""

    def __init__(self) -> None:
        self.state = secrets.token_urlsafe(24)
        self._done = threading.Event()
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._answer: tuple[Outcome, dict[str, str]] | None = None
        self._servers = [_Server(("127.0.0.1", 0), _Handler)]
        self.port = self._servers[0].server_address[1]
        try:  # "localhost" may be ::1 first in the browser; take that too when we can
            self._servers.append(_Server6(("::1", self.port), _Handler))
        except OSError:
            pass
        for server in self._servers:
            server.listener = self
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                             daemon=True, name="o365desk-consent-listen").start()

    @property
    def redirect_uri(self) -> str:
        return f"http://localhost:{self.port}"

    def stop(self) -> None:
        """End the wait now (from any thread); the result says "stopped"."""
        self._stopped.set()
        self._done.set()

    def wait(self, connection: Connection, timeout: float,
             should_stop: Callable[[], bool] | None = None) -> ConsentResult:
        """Wait for the answer until `timeout` seconds pass, stop() is called or
        should_stop() turns true (checked five times a second)."""
        deadline = time.monotonic() + timeout
        while not self._done.wait(_POLL_SECONDS):
            if should_stop is not None and should_stop():
                self.stop()
            elif time.monotonic() >= deadline:
                break
        with self._lock:
            answer = self._answer
        if answer is None:
            return _ended(Outcome.STOPPED if self._stopped.is_set() else Outcome.TIMEOUT)
        return _result(answer[0], answer[1], connection, self.redirect_uri)

    def close(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def __enter__(self) -> ConsentListener:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _take(self, outcome: Outcome, fields: dict[str, str]) -> None:
        with self._lock:
            if self._answer is None and not self._stopped.is_set():
                self._answer = (outcome, fields)
        self._done.set()


def _ended(outcome: Outcome) -> ConsentResult:
    if outcome is Outcome.STOPPED:
        return ConsentResult(outcome, "Stopped waiting for the administrator's answer. If "
                             "they approve on Microsoft's page anyway, the approval still "
                             "counts; check with Test connection.")
    return ConsentResult(outcome, "No answer came from Microsoft's approval page in time. "
                         "Start the approval again and finish it in the browser; if the "
                         "administrator approved already, check with Test connection.")


def _result(outcome: Outcome, fields: dict[str, str], connection: Connection,
            redirect_uri: str) -> ConsentResult:
    raw = dict(fields)
    if outcome is Outcome.FORGED:
        return ConsentResult(outcome, "An answer came back that doesn't belong to this "
                             "approval (an old browser tab, or another program), so it was "
                             "refused and nothing was taken from it. Start the approval "
                             "again.", raw=raw)
    tenant = fields.get("tenant", "").strip()
    if outcome is Outcome.GRANTED and _other_organisation(connection, tenant):
        return ConsentResult(
            Outcome.REFUSED, f"The app was approved in another organisation ({tenant}), not "
            f"in this connection's ({connection.tenant}), so this connection still lacks the "
            "approval. Start it again and sign in on Microsoft's page with an administrator "
            "of the connection's organisation.", tenant=tenant, raw=raw)
    if outcome is Outcome.GRANTED:
        return ConsentResult(outcome, "The administrator approved the app for the "
                             "organisation. Check it with Test connection.",
                             tenant=fields.get("tenant", ""), raw=raw)
    error, description = fields.get("error", ""), fields.get("error_description", "")
    return ConsentResult(outcome, explain_refusal(error, description, connection=connection,
                                                  redirect_uri=redirect_uri),
                         error=error, error_description=description, raw=raw)


def _other_organisation(connection: Connection, tenant: str) -> bool:
    """Whether an approval's tenant ID is plainly not the connection's (known only when the
    connection names its organisation by tenant ID)."""
    from o365desk.core.ids import canonical_uuid
    from o365desk.core.tenant import is_guid

    ours = connection.tenant.strip()
    if not (tenant and is_guid(ours) and is_guid(tenant)):
        return False
    return canonical_uuid(tenant) != canonical_uuid(ours)


def open_in_browser(url: str) -> bool:
    """Open the link in the system browser; False when none could be opened."""
    import webbrowser

    try:
        return bool(webbrowser.open(url))
    except Exception:  # noqa: BLE001 (webbrowser.Error, a broken browser setting)
        return False


def ask_admin_consent(
    connection: Connection, *, timeout: float, on_link: Callable[[str], None],
    should_stop: Callable[[], bool] | None = None,
    browse: Callable[[str], bool] | None = None,
    on_no_browser: Callable[[], None] | None = None,
) -> ConsentResult:
    """Listen, hand the link to on_link (to show or copy), open it in the system browser
    (on a thread of its own: a hanging browser doesn't hold the wait) and wait."""
    with ConsentListener() as listener:
        url = consent_link_for(connection, listener.redirect_uri, listener.state)
        on_link(url)
        opener = browse or open_in_browser

        def open_it() -> None:
            if not opener(url) and on_no_browser is not None:
                on_no_browser()

        threading.Thread(target=open_it, daemon=True, name="o365desk-consent-browse").start()
        return listener.wait(connection, timeout, should_stop)
