"""The HTTP session MSAL and Graph calls use: our CA bundle, the system's proxies, timeouts."""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import re
import shutil
import ssl
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import requests

from o365desk.auth import proxy, proxy_login
from o365desk.auth.answers import UnusableAnswer
from o365desk.core import safe_read, tls
from o365desk.core.signin_errors import Explanation, TransportKind, explain_transport

# (connect, read) seconds: quick to notice a dead network, patient with a slow token endpoint.
DEFAULT_TIMEOUT = (5.0, 30.0)
_PEM_CERT = re.compile(
    r"-----BEGIN CERTIFICATE-----\s+[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----"
)
# No sign-in or Graph answer o365desk reads comes near this (a token answer is a few KB,
# Graph's service principal some hundred KB); more is refused before it is all read.
MAX_RESPONSE_BYTES = 4 * 1024 * 1024
_READ_CHUNK = 64 * 1024


class ResponseTooLarge(requests.RequestException):
    """An answer longer than MAX_RESPONSE_BYTES: refused, the rest of it not read."""


class ProxyLoginNeeded(requests.exceptions.ProxyError):
    """The proxy wants a login and none (or no right one) was given."""

    def __init__(self, where: proxy.Proxy, refused: bool) -> None:
        super().__init__(f"the proxy {where.key} answered 407 Proxy Authentication Required"
                         + (" to the user name and password given" if refused else ""))
        self.proxy, self.refused = where, refused


def asks_for_login(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) is the proxy's 407 to a CONNECT or a request."""
    seen = 0
    while exc is not None and seen < 8:
        if isinstance(exc, ProxyLoginNeeded):
            return False  # already asked and given up
        if "407" in str(exc) and "proxy" in str(exc).lower():
            return True
        exc, seen = exc.__cause__ or exc.__context__ or _first_arg(exc), seen + 1
    return False


def _first_arg(exc: BaseException) -> BaseException | None:
    args = getattr(exc, "args", ())
    found = next((a for a in args if isinstance(a, BaseException)), None)
    return getattr(found, "reason", None) or found


class TrustedCertificatesError(Exception):
    """An extra CA file is missing or unusable; str() says which file and what to do."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class TimeoutSession(requests.Session):
    """A Session that never waits forever and never lets the environment pick the CAs.

    `trust_env` is off, because with it requests lets REQUESTS_CA_BUNDLE and
    CURL_CA_BUNDLE silently replace `verify`. That also drops the proxy variables, so
    the proxies are read here instead, honouring no_proxy per request.
    """

    def __init__(self, timeout: Any = DEFAULT_TIMEOUT) -> None:
        super().__init__()
        self.trust_env = False
        self.timeout = timeout
        self.proxies.update(system_proxies())  # checked here: a bad setting fails at once
        self.hooks["response"].append(_register_secrets)

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any):
        if args:  # requests' positional order after url: params, data, headers, ...
            names = ("params", "data", "headers", "cookies", "files", "auth", "timeout",
                     "allow_redirects", "proxies", "hooks", "stream", "verify", "cert", "json")
            kwargs.update(zip(names, args, strict=False))
        if kwargs.get("timeout") is None:  # MSAL passes timeout=None when given none
            kwargs["timeout"] = self.timeout
        if kwargs.get("verify") in (None, True):  # True would mean requests' own bundle
            kwargs["verify"] = self.verify
        target = url.decode() if isinstance(url, bytes) else url
        if kwargs.get("proxies") is not None:
            return self._send(method, url, kwargs)
        # auth/proxy.py decides (NO_PROXY, the proxy's saved login); None goes direct.
        chosen = proxy.proxy_for(target)
        address = chosen.url() if chosen is not None else None
        kwargs["proxies"] = {"http": address, "https": address}
        try:
            answer = self._send(method, url, kwargs)
        except requests.exceptions.ProxyError as exc:
            if not asks_for_login(exc):
                raise
            return self._with_proxy_login(method, url, target, kwargs, exc)
        source = proxy_login.installed()
        if chosen is not None and chosen.username and source is not None:
            source.accepted(chosen)  # a login given to the web view: kept once it works
        return answer

    def _send(self, method: str | bytes, url: str | bytes, kwargs: dict[str, Any]):
        if kwargs.get("stream"):  # the caller reads (and bounds) the body itself
            return super().request(method, url, **kwargs)
        return read_bounded(super().request(method, url, **{**kwargs, "stream": True}),
                            self.max_response_bytes)

    def _with_proxy_login(self, method, url, target: str, kwargs: dict[str, Any],
                          first: BaseException):
        """The proxy answered 407: a login from the keychain or the person, then again."""
        chosen = proxy.proxy_for(target)
        source = proxy_login.installed()
        if chosen is None:
            raise first
        refused = bool(chosen.username)
        for _ in range(proxy_login.ATTEMPTS):
            given = source.login_for(chosen, refused) if source is not None else None
            if given is None:
                raise ProxyLoginNeeded(chosen, refused) from None
            chosen = chosen.with_login(*given)
            proxy.remember_login(chosen, *given)
            kwargs["proxies"] = {"http": chosen.url(), "https": chosen.url()}
            try:
                answer = self._send(method, url, kwargs)
            except requests.exceptions.ProxyError as exc:
                if not asks_for_login(exc):
                    raise
                proxy.forget_login(chosen)
                refused = True
                continue
            source.accepted(chosen)
            return answer
        raise ProxyLoginNeeded(chosen, True) from None

    max_response_bytes = MAX_RESPONSE_BYTES


def read_bounded(response: requests.Response, limit: int) -> requests.Response:
    """Read `response`'s body as requests would, but refuse it (ResponseTooLarge) once it
    is longer than `limit` bytes, decompressed, or says it will be."""
    if response.raw is None:  # nothing to read (an adapter that made the answer itself)
        return response
    try:
        declared = int(response.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        response.close()
        raise ResponseTooLarge(
            f"the answer is {declared} bytes long, more than the {limit} accepted",
            response=response)
    parts, size = [], 0
    for part in response.iter_content(_READ_CHUNK):
        size += len(part)
        if size > limit:
            response.close()
            raise ResponseTooLarge(
                f"the answer is longer than the {limit} bytes accepted", response=response)
        parts.append(part)
    response._content = b"".join(parts)  # what Response.content does, bounded
    response._content_consumed = True
    return response


def _register_secrets(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    """Every code, verifier and token a request sends or its answer holds is masked in
    the log from the moment it is received (see redact.register_http_exchange)."""
    from o365desk.auth.redact import register_http_exchange

    try:
        register_http_exchange(response)
    except Exception:  # noting secrets must never be why a sign-in fails
        logging.getLogger(__name__).warning("could not note the secrets of an answer from %s",
                                            getattr(response, "url", "?"))


def http_session(
    extra_ca_files: Iterable[Path | str] = (), timeout: Any = DEFAULT_TIMEOUT
) -> TimeoutSession:
    """A session for MSAL (`http_client=`) and Graph trusting public CAs plus the extra ones.

    The extra CAs are O365DESK_EXTRA_CA_CERTS's file and any `extra_ca_files` (the app
    setting). Raises TrustedCertificatesError when one of them can't be used.
    """
    session = TimeoutSession(timeout)
    session.verify = ca_bundle(extra_ca_files)
    return session


def system_proxies() -> dict[str, str]:
    """The proxies the environment (or the OS settings on Windows and macOS) configure,
    checked (auth/proxy.py: ProxySettingError for an address that isn't one)."""
    return {scheme: found.url(with_login=False)
            for scheme, found in proxy.configured().items()}


def ca_bundle(extra_ca_files: Iterable[Path | str] = ()) -> str:
    """Path of a PEM bundle: certifi's CAs plus the extra ones (certifi's alone if none)."""
    sources = tls.configured_ca_files([str(f) for f in extra_ca_files])
    if not sources:
        return tls.default_ca_bundle()
    parts = [Path(tls.default_ca_bundle()).read_text(encoding="utf-8")]
    for path, origin in sources:
        parts.extend(read_certificates(path, origin))
    content = "\n".join(p.strip() for p in parts) + "\n"
    return str(_write_bundle(content))


def read_certificates(path: Path, origin: str = "") -> list[str]:
    """The PEM certificates in `path`, each checked; TrustedCertificatesError otherwise."""
    where = f'The trusted certificates file "{path}"' + (f" ({origin})" if origin else "")
    try:
        data = safe_read.read_capped(Path(path), tls.MAX_CA_FILE_BYTES)
    except FileNotFoundError:
        raise TrustedCertificatesError(
            f"{where} doesn't exist. Correct the path, or remove the setting if it is no "
            "longer needed.", path) from None
    except safe_read.NotAFile as exc:  # a named pipe would wait for ever, a device never end
        raise TrustedCertificatesError(
            f"{where} can't be read: it is {exc.kind} rather than a file. Correct the path, "
            "or ask your IT support for the certificate file.", path) from None
    except safe_read.TooLarge:
        raise TrustedCertificatesError(
            f"{where} can't be read: it is larger than {tls.MAX_CA_FILE_BYTES >> 20} MB, far more "
            "than any certificate bundle. Check that the path names the right file.",
            path) from None
    except OSError as exc:
        raise TrustedCertificatesError(
            f"{where} can't be read ({exc.strerror or exc}). Check that it is a file you "
            "are allowed to open.", path) from None
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
    blocks = _PEM_CERT.findall(text)
    if not blocks:
        hint = (" It looks like a binary (DER) certificate: ask IT for the PEM version, or "
                "convert it with `openssl x509 -inform der -in FILE -out FILE.pem`."
                if data[:1] == b"\x30" else "")
        raise TrustedCertificatesError(
            f"{where} doesn't contain a certificate in PEM format (text that starts with "
            f'"-----BEGIN CERTIFICATE-----").{hint}', path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    for number, block in enumerate(blocks, 1):
        try:
            context.load_verify_locations(cadata=block)
        except (ssl.SSLError, ValueError):
            raise TrustedCertificatesError(
                f"{where} holds a damaged certificate (number {number} in the file). Ask IT "
                "for a fresh copy.", path) from None
    return blocks


_bundle_lock = threading.Lock()
_bundle_dir: Path | None = None


def _write_bundle(content: str) -> Path:
    """Write the bundle where only this user can change it, named by its content."""
    global _bundle_dir
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:20]
    with _bundle_lock:
        if _bundle_dir is None or not _bundle_dir.is_dir():
            # mkdtemp makes a 0700 folder: nobody else can swap in a CA of their own.
            _bundle_dir = Path(tempfile.mkdtemp(prefix="o365desk-ca-"))
            atexit.register(shutil.rmtree, _bundle_dir, ignore_errors=True)
        path = _bundle_dir / f"ca-{digest}.pem"
        if not path.exists():
            # Inputs changed (or first use): a new name, so sessions still open keep theirs.
            fd, tmp = tempfile.mkstemp(dir=_bundle_dir, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(content)
            os.replace(tmp, path)
        return path


def transport_kind(exc: BaseException) -> TransportKind | None:
    """Which kind of connection failure `exc` (or what caused it) is; None if none."""
    seen = 0
    while exc is not None and seen < 5:
        kind = _kind_of(exc)
        if kind is not None:
            return kind
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


def explain_exception(exc: BaseException) -> Explanation | None:
    """An Explanation (with a retry) for a connection failure, or None for other errors."""
    if isinstance(exc, ProxyLoginNeeded):
        return proxy_login_needed(exc)
    kind = transport_kind(exc)
    return None if kind is None else explain_transport(kind, f"{type(exc).__name__}: {exc}")


def proxy_login_needed(exc: ProxyLoginNeeded) -> Explanation:
    from o365desk.core.signin_errors import Action

    what = ("didn't accept the user name and password given" if exc.refused
            else "asks for a user name and password, and none was given")
    return Explanation(
        "proxy-login", "The network proxy needs your password",
        f"Your network's proxy ({exc.proxy.key}) {what}. Nothing was saved. Try again and "
        "enter the user name and password IT gave you for the network (in a command window, "
        "run the command on a terminal so it can ask); o365desk keeps them in the keychain.",
        (Action.RETRY, Action.CONTACT_ADMIN), None, str(exc))


def _kind_of(exc: BaseException) -> TransportKind | None:
    rex = requests.exceptions
    if isinstance(exc, ResponseTooLarge):
        return TransportKind.TOO_LARGE
    if isinstance(exc, UnusableAnswer):
        return TransportKind.BAD_RESPONSE
    if isinstance(exc, rex.SSLError | ssl.SSLError):
        return TransportKind.TLS
    if isinstance(exc, rex.ProxyError):
        return TransportKind.PROXY
    if isinstance(exc, rex.Timeout | TimeoutError):
        return TransportKind.TIMEOUT
    if isinstance(exc, rex.ConnectionError | ConnectionError):
        return TransportKind.NETWORK
    if isinstance(exc, rex.HTTPError):
        status = getattr(exc.response, "status_code", None)
        return TransportKind.SERVER if status and status >= 500 else None
    if isinstance(exc, json.JSONDecodeError):  # requests' own JSONDecodeError subclasses it
        return TransportKind.BAD_RESPONSE
    return None
