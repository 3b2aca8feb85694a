"""Whether a Microsoft host answers over HTTPS from here, the way sign-ins reach it (same
CAs, same proxy), and, when its certificate is refused, who issued the one presented.

A company proxy that inspects traffic re-signs every HTTPS connection with its own CA;
until that CA is trusted, every sign-in fails with "certificate verify failed". Naming the
issuer of the certificate actually presented lets IT recognise their proxy at once.
"""

from __future__ import annotations

import base64
import dataclasses
import http.client
import socket
import ssl
from typing import Any
from urllib.parse import urlsplit

from o365desk.auth import proxy as proxies
from o365desk.auth.http import transport_kind
from o365desk.core.signin_errors import TransportKind

# Each host gets this long to connect and answer: a working network answers in well under.
CONNECT_TIMEOUT_S = 5.0
ANSWER_TIMEOUT_S = 10.0


@dataclasses.dataclass(frozen=True)
class HostCheck:
    """The outcome for one host; `kind` None when it answered."""

    url: str
    via: proxies.Proxy | None
    kind: TransportKind | None = None
    detail: str = ""  # the library's words, for IT
    issuer: str = ""  # a refused certificate's issuer, as it names itself
    issuer_dn: str = ""  # the same, every part (O=..., CN=...)
    status: int | None = None

    @property
    def ok(self) -> bool:
        return self.kind is None

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or self.url


def check(url: str, session: Any) -> HostCheck:
    """GET `url` with `session` (auth/http.py's, so the same CAs and proxy), no redirects.

    Any HTTP answer means the host answers. A refused certificate comes back with the
    issuer of the certificate that was presented (read without trusting it).
    """
    via = proxies.proxy_for(url)
    try:
        answer = session.get(url, allow_redirects=False,
                             timeout=(CONNECT_TIMEOUT_S, ANSWER_TIMEOUT_S))
    except Exception as exc:  # what it was is sorted below; never a traceback
        kind = transport_kind(exc) or TransportKind.NETWORK
        detail = f"{type(exc).__name__}: {exc}"
        if kind is TransportKind.TLS and _verify_failed(exc):
            issuer, issuer_dn = presented_issuer(url, via)
            return HostCheck(url, via, kind, detail, issuer, issuer_dn)
        return HostCheck(url, via, kind, detail)
    answer.close()
    return HostCheck(url, via, status=answer.status_code)


def _verify_failed(exc: BaseException) -> bool:
    seen = 0
    while exc is not None and seen < 8:
        if isinstance(exc, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(exc):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def presented_issuer(url: str, via: proxies.Proxy | None) -> tuple[str, str]:
    """(short name, full name) of the issuer of the certificate `url`'s host presents
    (through `via` when given), read WITHOUT checking it; ("", "") when it can't be read.

    Nothing is sent over this connection: it is closed once the certificate is in.
    """
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 443
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # only to read who signed it, never to use it
    try:
        if via is not None and via.scheme == "http":
            connection = http.client.HTTPSConnection(
                via.host, via.port, timeout=CONNECT_TIMEOUT_S, context=context)
            headers = {}
            if via.username:
                login = f"{via.username}:{via.password}".encode()
                headers["Proxy-Authorization"] = "Basic " + base64.b64encode(login).decode()
            connection.set_tunnel(host, port, headers=headers)
            try:
                connection.connect()
                der = connection.sock.getpeercert(binary_form=True)
            finally:
                connection.close()
        elif via is None:
            with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S) as raw, \
                    context.wrap_socket(raw, server_hostname=host) as tls:
                der = tls.getpeercert(binary_form=True)
        else:
            return "", ""
    except (OSError, http.client.HTTPException, ValueError):
        return "", ""
    return issuer_names(der) if der else ("", "")


def issuer_names(der: bytes) -> tuple[str, str]:
    """A certificate's issuer: its common name (else organisation), and every part."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    try:
        issuer = x509.load_der_x509_certificate(der).issuer
    except ValueError:
        return "", ""

    def first(oid) -> str:
        found = issuer.get_attributes_for_oid(oid)
        return str(found[0].value) if found else ""

    short = (first(NameOID.COMMON_NAME) or first(NameOID.ORGANIZATIONAL_UNIT_NAME)
             or first(NameOID.ORGANIZATION_NAME))
    organisation = first(NameOID.ORGANIZATION_NAME)
    if organisation and organisation not in short:
        short = f"{short} ({organisation})" if short != organisation else short
    return short[:200], issuer.rfc4514_string()[:500]
