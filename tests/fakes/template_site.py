"""An intranet web server IT might keep templates on: real HTTPS on loopback, its certificate
vouched for by a test CA only (trusted the way o365desk trusts a company CA, through
O365DESK_EXTRA_CA_CERTS), answering what a test puts in `pages`."""

from __future__ import annotations

import dataclasses
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import trustme


@dataclasses.dataclass
class Page:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    drip_seconds: float = 0.0  # > 0: the body one byte at a time, this far apart


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802  (http.server's name)
        site: TemplateSite = self.server.site
        site.requests.append(self.path)
        page = site.pages.get(self.path, Page(b"not here", 404))
        self.send_response(page.status)
        for name, value in page.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(page.body)))
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        if not page.drip_seconds:
            self.wfile.write(page.body)
            return
        for byte in page.body:
            if site.stopping.wait(page.drip_seconds):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that gives up on a slow answer hangs up mid-way


class TemplateSite:
    def __init__(self, directory: Path) -> None:
        self.ca = trustme.CA()
        self.ca_pem_path = str(directory / "intranet-ca.pem")
        self.ca.cert_pem.write_to_path(self.ca_pem_path)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._server.site = self
        self.port = self._server.server_port
        self.base_url = f"https://127.0.0.1:{self.port}"
        self.pages: dict[str, Page] = {}
        self.requests: list[str] = []
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str) -> str:
        return self.base_url + path

    def put(self, path: str, body: bytes | str, **options) -> str:
        self.pages[path] = Page(body.encode() if isinstance(body, str) else body, **options)
        return self.url(path)

    def __enter__(self) -> TemplateSite:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        time.sleep(0)  # let a dripping answer see it
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
