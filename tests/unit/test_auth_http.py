"""MSAL's HTTP session trusts our CA bundle (never the environment's), proxies, timeouts."""

from __future__ import annotations

import gzip
import json
import os
import socket
import ssl
import stat
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
import trustme

from o365desk.auth.http import (
    DEFAULT_TIMEOUT,
    MAX_RESPONSE_BYTES,
    ResponseTooLarge,
    TrustedCertificatesError,
    ca_bundle,
    explain_exception,
    http_session,
    system_proxies,
    transport_kind,
)
from o365desk.core.signin_errors import Action, TransportKind
from o365desk.core.tls import EXTRA_CA_ENV, default_ca_bundle

PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


_BOMB = gzip.compress(b"\0" * (80 * 1024 * 1024), compresslevel=9)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/500":
            return self._send(500, b"oops", "text/plain")
        if self.path == "/html":
            return self._send(200, b"<html>Wi-Fi login</html>", "text/html")
        if self.path == "/gzip-bomb":  # 80 KB on the wire, 80 MB once unpacked
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(_BOMB)))
            self.end_headers()
            return self.wfile.write(_BOMB)
        if self.path == "/just-under":
            return self._send(200, b"x" * MAX_RESPONSE_BYTES, "text/plain")
        if self.path.endswith("/.well-known/openid-configuration"):
            base = f"https://127.0.0.1:{self.server.server_port}/contoso"
            body = json.dumps({"authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                               "token_endpoint": f"{base}/oauth2/v2.0/token",
                               "issuer": f"{base}/v2.0"}).encode()
            return self._send(200, body, "application/json")
        self._send(200, b"ok", "text/plain")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # clients that time out on purpose hang up before the answer is written


@pytest.fixture(scope="module")
def test_ca():
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_file(test_ca, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ca") / "test-ca.pem"
    test_ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture(scope="module")
def server(test_ca):
    """A tiny HTTPS server whose certificate only the trustme CA vouches for."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    test_ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch):
    """No extra CA and no proxies unless a test sets them; the machine's may differ."""
    monkeypatch.delenv(EXTRA_CA_ENV, raising=False)
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def _dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_without_the_extra_ca_the_server_is_refused(server):
    with pytest.raises(requests.exceptions.SSLError) as caught:
        http_session().get(server)
    assert transport_kind(caught.value) is TransportKind.TLS
    explanation = explain_exception(caught.value)
    assert Action.CHECK_TRUSTED_CERTIFICATES in explanation.actions
    assert Action.RETRY in explanation.actions


def test_extra_ca_from_the_environment_is_trusted(server, ca_file, monkeypatch):
    monkeypatch.setenv(EXTRA_CA_ENV, str(ca_file))
    response = http_session().get(server)
    assert response.status_code == 200 and response.text == "ok"


def test_extra_ca_from_the_app_setting_is_trusted(server, ca_file):
    assert http_session(extra_ca_files=[ca_file]).get(server).status_code == 200


def test_requests_ca_bundle_in_the_environment_cannot_replace_ours(server, ca_file, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/bogus.pem")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/nonexistent/bogus.pem")
    monkeypatch.setenv(EXTRA_CA_ENV, str(ca_file))
    session = http_session()
    assert session.get(server).status_code == 200
    assert session.verify != "/nonexistent/bogus.pem"


def test_requests_ca_bundle_cannot_widen_trust_either(server, ca_file, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_file))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(ca_file))
    with pytest.raises(requests.exceptions.SSLError):
        http_session().get(server)


def test_verify_true_from_a_caller_still_means_our_bundle(server, ca_file, monkeypatch):
    monkeypatch.setenv(EXTRA_CA_ENV, str(ca_file))
    assert http_session().get(server, verify=True).status_code == 200


def test_msal_fetches_its_metadata_through_the_session(server, ca_file, monkeypatch):
    msal = pytest.importorskip("msal")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/bogus.pem")
    monkeypatch.setenv(EXTRA_CA_ENV, str(ca_file))
    app = msal.PublicClientApplication(
        "client-1", authority=f"{server}/contoso", instance_discovery=False,
        http_client=http_session(),
    )
    assert app.authority.token_endpoint == f"{server}/contoso/oauth2/v2.0/token"


def test_bundle_holds_public_and_extra_cas_in_a_private_folder(ca_file):
    path = Path(ca_bundle([ca_file]))
    text = path.read_text(encoding="utf-8")
    assert Path(default_ca_bundle()).read_text(encoding="utf-8").strip()[:200] in text
    assert ca_file.read_text(encoding="utf-8").strip() in text
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert ca_bundle([ca_file]) == str(path)  # same inputs: same file


def test_bundle_is_rebuilt_when_the_extra_ca_changes(ca_file, tmp_path):
    other = tmp_path / "other.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    first = ca_bundle([ca_file])
    second = ca_bundle([other])
    assert first != second and Path(first).exists() and Path(second).exists()
    both = Path(ca_bundle([ca_file, other])).read_text(encoding="utf-8")
    assert other.read_text(encoding="utf-8").strip() in both


def test_no_extra_ca_means_certifi_itself():
    assert ca_bundle() == default_ca_bundle()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"this is not a certificate\n", "PEM format"),
        (b"", "PEM format"),
        (b"\x30\x82\x01\x0a\x02\x82", "DER"),
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "damaged"),
    ],
)
def test_unusable_extra_ca_file_gives_a_plain_error(tmp_path, monkeypatch, content, words):
    bad = tmp_path / "proxy-ca.pem"
    bad.write_bytes(content)
    monkeypatch.setenv(EXTRA_CA_ENV, str(bad))
    with pytest.raises(TrustedCertificatesError) as caught:
        http_session()
    message = str(caught.value)
    assert EXTRA_CA_ENV in message and str(bad) in message and words in message
    assert caught.value.path == bad


def test_missing_or_unreadable_extra_ca_file(tmp_path, monkeypatch):
    monkeypatch.setenv(EXTRA_CA_ENV, str(tmp_path / "missing.pem"))
    with pytest.raises(TrustedCertificatesError, match="doesn't exist"):
        http_session()
    with pytest.raises(TrustedCertificatesError, match="given to o365desk.*can't be read"):
        monkeypatch.delenv(EXTRA_CA_ENV)
        http_session(extra_ca_files=[tmp_path])  # a folder, not a file


def test_windows_line_endings_and_surrounding_text_are_fine(ca_file, tmp_path, server):
    crlf = tmp_path / "crlf.pem"
    pem = ca_file.read_text(encoding="utf-8").replace("\n", "\r\n")
    crlf.write_text("Issuer: Contoso proxy\r\n" + pem, encoding="utf-8", newline="")
    assert http_session(extra_ca_files=[crlf]).get(server).status_code == 200


class _Recorder(requests.adapters.HTTPAdapter):
    def send(self, request, **kwargs):
        self.seen = kwargs
        response = requests.Response()
        response.status_code, response.request, response.url = 204, request, request.url
        return response


@pytest.mark.parametrize(("given", "expected"), [
    ({}, DEFAULT_TIMEOUT),
    ({"timeout": None}, DEFAULT_TIMEOUT),  # what MSAL passes when it has no timeout
    ({"timeout": 3}, 3),
])
def test_every_request_gets_a_timeout(given, expected):
    session = http_session()
    recorder = _Recorder()
    session.mount("https://", recorder)
    session.post("https://login.example.test/token", data={"a": "b"}, **given)
    assert recorder.seen["timeout"] == expected


def test_a_slow_server_times_out(server, ca_file):
    session = http_session(extra_ca_files=[ca_file], timeout=(2, 0.3))
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout) as caught:
        session.get(f"{server}/slow")
    assert time.monotonic() - started < 1.4
    assert transport_kind(caught.value) is TransportKind.TIMEOUT


def test_proxies_come_from_the_environment(server, ca_file, monkeypatch):
    proxy = f"http://127.0.0.1:{_dead_port()}"
    monkeypatch.setenv("HTTPS_PROXY", proxy)
    assert system_proxies()["https"] == proxy
    session = http_session(extra_ca_files=[ca_file])
    assert session.proxies["https"] == proxy
    with pytest.raises(requests.exceptions.ProxyError) as caught:
        session.get(server)
    assert transport_kind(caught.value) is TransportKind.PROXY


def test_no_proxy_is_honoured_per_request(server, ca_file, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{_dead_port()}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    assert http_session(extra_ca_files=[ca_file]).get(server).status_code == 200


def test_other_failures_are_classified(server, ca_file):
    session = http_session(extra_ca_files=[ca_file])
    with pytest.raises(requests.exceptions.HTTPError) as server_error:
        session.get(f"{server}/500").raise_for_status()
    assert transport_kind(server_error.value) is TransportKind.SERVER
    with pytest.raises(ValueError) as not_json:
        json.loads(session.get(f"{server}/html").text)  # what MSAL does with the body
    assert transport_kind(not_json.value) is TransportKind.BAD_RESPONSE
    with pytest.raises(requests.exceptions.ConnectionError) as refused:
        session.get(f"https://127.0.0.1:{_dead_port()}/")
    assert transport_kind(refused.value) is TransportKind.NETWORK
    assert explain_exception(refused.value).actions == (Action.RETRY,)


def test_errors_that_are_not_the_network_are_left_alone():
    assert transport_kind(ValueError("state mismatch")) is None
    assert explain_exception(KeyError("x")) is None
    response = requests.Response()
    response.status_code = 404
    assert transport_kind(requests.exceptions.HTTPError(response=response)) is None


def test_a_wrapped_cause_is_found():
    try:
        try:
            raise requests.exceptions.ReadTimeout("slow")
        except requests.exceptions.ReadTimeout as inner:
            raise RuntimeError("sign-in failed") from inner
    except RuntimeError as outer:
        assert transport_kind(outer) is TransportKind.TIMEOUT


def test_an_answer_over_the_cap_is_refused_even_when_it_comes_compressed(server, ca_file):
    session = http_session(extra_ca_files=[ca_file])
    assert len(session.get(f"{server}/just-under").content) == MAX_RESPONSE_BYTES
    with pytest.raises(ResponseTooLarge) as caught:
        session.get(f"{server}/gzip-bomb")
    assert transport_kind(caught.value) is TransportKind.TOO_LARGE
    explanation = explain_exception(caught.value)
    assert "over 4 MB" in explanation.message and "Nothing was saved" in explanation.message
    # A caller that streams reads the body itself, as it asked to.
    with session.get(f"{server}/gzip-bomb", stream=True) as streamed:
        assert len(streamed.raw.read(1024)) == 1024
