"""Pytest fixtures for the fake Microsoft identity platform.

Enable them for the whole suite with, in tests/conftest.py::

    pytest_plugins = ["tests.fakes.identity.pytest_plugin"]

fake_identity_server  (session) the running FakeIdentity
fake_identity         (function) the same server, reset before and after the test; fails
                      the test at teardown if the fake itself raised
fake_identity_http    (function) a requests.Session trusting only the fake's CA
fake_msal_app         (function) factory: fake_msal_app(tenant="organizations", **kw)
                      -> a real msal.PublicClientApplication pointed at the fake
fake_redirect_listener (function) a plain-HTTP loopback "redirect port" counting hits
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .server import FakeIdentity


class RedirectListener:
    """Stands in for the app's loopback redirect URI and records what reaches it.

    A test of the embedded view asserts ``listener.hits == []``: the redirect carrying
    the code must be caught before any request leaves. ``uri`` is http://localhost:PORT
    (a registered loopback URI of the default client, any port allowed).
    """

    def __init__(self):
        self.hits: list[str] = []
        listener = self

        class _Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # the path carries the code
                pass

            def do_GET(self):
                listener.hits.append(self.path)
                body = b"<html><body>You can close this window.</body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

        class _V6(ThreadingHTTPServer):
            address_family = socket.AF_INET6

        self._servers = [ThreadingHTTPServer(("127.0.0.1", 0), _Handler)]
        self.port = self._servers[0].server_address[1]
        try:  # "localhost" may resolve to ::1 first; catch that too when we can
            self._servers.append(_V6(("::1", self.port), _Handler))
        except OSError:
            pass
        self.uri = f"http://localhost:{self.port}"
        for server in self._servers:
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                             daemon=True).start()

    @property
    def count(self) -> int:
        return len(self.hits)

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="session")
def fake_identity_server():
    with FakeIdentity() as fake:
        yield fake


@pytest.fixture
def fake_identity(fake_identity_server):
    fake = fake_identity_server
    fake.reset()
    yield fake
    errors = list(fake.server_errors)
    fake.reset()
    assert not errors, "the fake identity server itself failed:\n" + "\n".join(errors)


@pytest.fixture
def fake_identity_http(fake_identity):
    session = fake_identity.http_session()
    yield session
    session.close()


@pytest.fixture
def fake_msal_app(fake_identity):
    sessions = []

    def make(tenant: str = "organizations", **kwargs):
        if "http_client" not in kwargs:
            kwargs["http_client"] = fake_identity.http_session()
            sessions.append(kwargs["http_client"])
        return fake_identity.msal_app(tenant, **kwargs)

    yield make
    for session in sessions:
        session.close()


@pytest.fixture
def fake_redirect_listener():
    listener = RedirectListener()
    yield listener
    listener.stop()
