"""The fake Microsoft identity platform: an HTTPS server on 127.0.0.1 with switches.

``FakeIdentity`` serves the v2.0 endpoints MSAL uses for any tenant path segment
(openid-configuration, authorize + sign-in/consent pages, token, devicecode, the v2.0
adminconsent page of consent.py), a fake Graph under /graph, records every request, and
offers switches for every error of issue 4. Start it with ``with FakeIdentity() as fake:``
or the pytest fixtures in pytest_plugin.py. Asked under a cloud's own host
(login.microsoftonline.us, graph.microsoft.us, ...: its certificate names them all;
cloud_hosts.py resolves them to it) it answers as that cloud: its URLs and issuer name that
host, and that host's Graph paths are Graph's. Nothing is logged: URLs and bodies carry
codes and tokens.
"""

from __future__ import annotations

import re
import ssl
import tempfile
import threading
import time
import traceback
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import trustme

from o365desk.core.clouds import Cloud

from . import consent, graph, pages
from .errors import NO_LENGTH, ErrorSwitches, token_error_body, transport_fault
from .tokens import (
    OIDC_SCOPES,
    Request,
    Response,
    canonical,
    device_authorization,
    discovery,
    find_device,
    set_device_status,
    token_endpoint,
    wanted_scopes,
)

DEFAULT_CLIENT_ID = "14d82eec-204b-4c2f-b7e8-296a70dab67e"  # Graph Command Line Tools
DEFAULT_TENANT_ID = "4f1c3b52-8d6e-4f0a-9b7c-2d5e6f708192"
DEFAULT_DOMAIN = "contoso.onmicrosoft.com"
DEFAULT_USERNAME = "admin@contoso.onmicrosoft.com"
DEFAULT_PASSWORD = "Fake-Passw0rd!"
MEMBER_USERNAME = "user@contoso.onmicrosoft.com"  # not an admin: admin scopes need approval
NATIVE_CLIENT_REDIRECT = "https://login.microsoftonline.com/common/oauth2/nativeclient"
_LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
# The national and global clouds' own hosts: the fake answers as that cloud when a request
# names one of them (a test resolves them to 127.0.0.1 and the fake's port).
CLOUD_LOGIN_HOSTS = frozenset(c.login_host for c in Cloud)
CLOUD_GRAPH_HOSTS = frozenset(urlsplit(c.graph_endpoint).hostname for c in Cloud)
CLOUD_HOSTS = CLOUD_LOGIN_HOSTS | CLOUD_GRAPH_HOSTS
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


@dataclass
class User:
    username: str
    password: str
    display_name: str
    oid: str
    admin: bool = True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server_version = "FakeIdentity/1.0"
    sys_version = ""
    timeout = 15

    def log_message(self, format, *args):  # quiet: request lines carry codes and tokens
        pass

    def do_GET(self):
        self._serve()

    def do_POST(self):
        self._serve()

    def _serve(self):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        form = {}
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlenc"):
            form = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
        cookies = SimpleCookie()
        cookies.load(self.headers.get("Cookie", ""))
        req = Request(self.command, unquote(url.path),
                      dict(parse_qsl(url.query, keep_blank_values=True)), form,
                      dict(self.headers.items()), {k: m.value for k, m in cookies.items()})
        answer = self.server.fake._answer(req)
        if answer is None:  # a dropped connection: close without a byte
            self.close_connection = True
            return
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            if name != NO_LENGTH:
                self.send_header(name, value)
        if NO_LENGTH not in answer.headers:  # HTTP/1.0: without it, the body ends at close
            self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)


class _TLSServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeIdentity, context: ssl.SSLContext):
        self.fake, self.context = fake, context
        super().__init__(("127.0.0.1", 0), _Handler)

    def finish_request(self, request, client_address):
        # The TLS handshake happens here, in the worker thread, so that a slow or
        # refusing client never stalls the accept loop.
        request.settimeout(15)
        try:
            conn = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            with self.fake.lock:
                self.fake.tls_failures += 1
            return
        try:
            self.RequestHandlerClass(conn, client_address, self)
        except ssl.SSLError:  # with TLS 1.3 a refusing client says so only now
            with self.fake.lock:
                self.fake.tls_failures += 1
        finally:
            conn.close()

    def handle_error(self, request, client_address):
        exc = traceback.format_exc()
        if not any(name in exc for name in ("ConnectionResetError", "BrokenPipeError",
                                            "TimeoutError", "SSLError", "SSLEOFError")):
            self.fake.server_errors.append(exc)


class FakeIdentity(ErrorSwitches):
    """The fake identity platform and Graph. See the module docstring and reset()."""

    def __init__(self):
        self.lock = threading.RLock()
        self._ca = trustme.CA()
        self._dir = tempfile.TemporaryDirectory(prefix="fake-identity-")
        self.ca_pem_path = str(Path(self._dir.name) / "fake-identity-ca.pem")
        self._ca.cert_pem.write_to_path(self.ca_pem_path)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._ca.issue_cert("127.0.0.1", "localhost", *sorted(CLOUD_HOSTS)).configure_cert(
            context)
        self._server = _TLSServer(self, context)
        self.port = self._server.server_address[1]
        self.base_url = f"https://127.0.0.1:{self.port}"
        self.graph_url = f"{self.base_url}/graph"
        self._thread: threading.Thread | None = None
        self._wake = threading.Event()
        self._local = threading.local()  # the request being answered on this thread
        self.reset()

    # --- lifecycle ------------------------------------------------------------------

    def start(self) -> FakeIdentity:
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name="fake-identity", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._wake.set()  # ends any delayed answer
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(5)
        self._dir.cleanup()

    def __enter__(self) -> FakeIdentity:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget every token, user change, consent, switch and recorded request."""
        self._wake.set()
        self._wake = threading.Event()
        with self.lock:
            self.tenant_id, self.tenant_domain = DEFAULT_TENANT_ID, DEFAULT_DOMAIN
            self.org_name = "Contoso (fake)"
            self.users: dict[str, User] = {}
            self.add_user(DEFAULT_USERNAME, DEFAULT_PASSWORD, display_name="Ada Admin")
            self.add_user(MEMBER_USERNAME, DEFAULT_PASSWORD, display_name="Max Member",
                          admin=False)
            self.clients: dict[str, tuple[str, set[str]]] = {}
            self.register_client(DEFAULT_CLIENT_ID, "Microsoft Graph Command Line Tools",
                                 ["http://localhost", NATIVE_CLIENT_REDIRECT])
            self.consents: dict[tuple[str | None, str], set[str]] = {}
            # Confidential apps: their client secrets, and the app roles granted to them.
            self.app_secrets: dict[str, set[str]] = {}
            self.app_roles: dict[str, set[str]] = {}
            # Their registered certificates (x509.Certificate), and why assertions failed.
            self.app_certificates: dict[str, list] = {}
            self.assertion_refusals: list[str] = []
            self.skip_consent = False
            self.not_granted: set[str] = set()
            self.admin_scopes = {"Directory.Read.All", "Directory.ReadWrite.All",
                                 "User.Read.All", "User.ReadWrite.All",
                                 "Application.Read.All", "Application.ReadWrite.All",
                                 "Organization.Read.All"}
            self.static_scopes = {"User.Read"}
            self.missing_tenants: set[str] = set()
            self.access_token_lifetime = 3600
            self.refresh_token_lifetime = 90 * 24 * 3600
            self.rotate_refresh_tokens = False  # True: a refresh token works only once
            self.code_lifetime = 600
            self.device_code_lifetime = 900
            self.device_interval = 1
            self.device_message_extra = ""  # appended to the device-code answer's message
            self.mfa = False
            self.error_page_status = 200
            self.token_roles: list[str] | None = None
            # Claims every ID token issued gets instead (None removes one): a wrong "iss",
            # "aud", "nonce", an "exp" in the past or an "nbf" in the future.
            self.id_token_changes: dict[str, object] = {}
            self.token_delay = 0.0
            self.graph_delay = 0.0
            self.graph_required_scopes = {k: set(v) for k, v in
                                          graph.DEFAULT_REQUIRED_SCOPES.items()}
            self.service_principal = graph.copy.deepcopy(graph.GRAPH_SERVICE_PRINCIPAL)
            self.codes, self.refresh_tokens, self.access_tokens = {}, {}, {}
            self.devices, self.flows, self.sessions = {}, {}, {}
            self.reset_switches()
            consent.reset(self)
            self.requests: list[Request] = []
            self.server_errors: list[str] = []
            self.tls_failures = 0

    # --- set-up helpers -------------------------------------------------------------

    def authority(self, tenant: str = "organizations") -> str:
        return f"{self.base_url}/{tenant}"

    def http_session(self):
        """A requests.Session trusting only the fake's CA (REQUESTS_CA_BUNDLE ignored)."""
        import requests

        session = requests.Session()
        session.trust_env = False
        session.verify = self.ca_pem_path
        return session

    def msal_app(self, tenant: str = "organizations", client_id: str = DEFAULT_CLIENT_ID,
                 **kwargs):
        """A real msal.PublicClientApplication pointed at this fake."""
        import msal

        kwargs.setdefault("http_client", self.http_session())
        return msal.PublicClientApplication(client_id, authority=self.authority(tenant),
                                            instance_discovery=False, **kwargs)

    def add_user(self, username: str, password: str, *, display_name: str | None = None,
                 admin: bool = True) -> User:
        user = User(username, password, display_name or username.split("@")[0],
                    str(uuid.uuid4()), admin)
        with self.lock:
            self.users[username.lower()] = user
        return user

    def register_client(self, client_id: str, name: str = "Test application",
                        redirect_uris=("http://localhost",)) -> None:
        with self.lock:
            self.clients[client_id] = (name, {u.rstrip("/") for u in redirect_uris})

    def register_app(self, client_id: str, secret: str, roles=(),
                     name: str = "Test daemon app") -> None:
        """A confidential app (client credentials) with one client secret and the app
        roles (application permissions) an administrator granted it."""
        with self.lock:
            self.register_client(client_id, name, ())
            self.app_secrets[client_id] = {secret}
            self.app_roles[client_id] = set(roles)

    def register_app_certificate(self, client_id: str, *certificates, roles=None,
                                 name: str = "Test daemon app") -> None:
        """A confidential app signing in with a certificate: the certificates (PEM text or
        bytes, or x509.Certificate) registered on it replace those it had; `roles` (when
        given) are the app roles granted to it."""
        from cryptography import x509

        loaded = [c if isinstance(c, x509.Certificate) else x509.load_pem_x509_certificate(
            c.encode() if isinstance(c, str) else c) for c in certificates]
        with self.lock:
            if client_id not in self.clients:
                self.register_client(client_id, name, ())
            self.app_certificates[client_id] = loaded
            if roles is not None:
                self.app_roles[client_id] = set(roles)

    def set_app_secrets(self, client_id: str, *secrets: str) -> None:
        with self.lock:
            self.app_secrets[client_id] = set(secrets)

    def grant_consent(self, client_id: str, scopes, username: str | None = None) -> None:
        """Record consent for a user, or tenant-wide (admin consent) when username is None."""
        key = (username.lower() if username else None, client_id)
        with self.lock:
            self.consents.setdefault(key, set()).update(
                canonical(s) for s in scopes if canonical(s) not in OIDC_SCOPES)

    def consented(self, username: str | None, client_id: str) -> set[str]:
        with self.lock:
            own = self.consents.get((username.lower(), client_id), set()) if username else set()
            return set(own) | self.consents.get((None, client_id), set())

    def granted_for(self, username: str, client_id: str, requested: list[str]) -> set[str]:
        """Entra grants every consented scope of the requested resource, not only the asked."""
        consented = self.consented(username, client_id)
        resources = {s.rpartition("/")[0] for s in
                     wanted_scopes(self, requested, username, client_id)}
        resource = next(iter(resources)) if len(resources) == 1 else ""
        return {s for s in consented if s.rpartition("/")[0] == resource}

    # --- switches -------------------------------------------------------------------

    def revoke_refresh_tokens(self, username: str | None = None) -> int:
        """Revoke refresh tokens (all, or a user's): their use gets AADSTS50173."""
        return self._mark_refresh_tokens(username, "revoked", True)

    def expire_refresh_tokens(self, username: str | None = None) -> int:
        """Expire refresh tokens: their use gets AADSTS700082."""
        return self._mark_refresh_tokens(username, "expires_at", time.time() - 1)

    def expire_access_tokens(self) -> None:
        """Every issued access token is now expired for the fake Graph (401)."""
        with self.lock:
            for grant in self.access_tokens.values():
                grant.expires_at = time.time() - 1

    def approve_device_code(self, user_code: str | None = None,
                            username: str = DEFAULT_USERNAME) -> None:
        """Act as the user who entered the code (None: the newest pending one, handy when
        a CLI under test printed it) and consented on another device."""
        grant = find_device(self, user_code, strict=True)
        wanted = wanted_scopes(self, grant.requested, username, grant.client_id)
        self.grant_consent(grant.client_id, wanted - self.not_granted, username)
        set_device_status(self, grant.device_code, "approved", username)

    def deny_device_code(self, user_code: str, error: str = "authorization_declined") -> None:
        grant = find_device(self, user_code, strict=True)
        grant.deny_error = error
        set_device_status(self, grant.device_code, "declined")

    def expire_device_code(self, user_code: str) -> None:
        find_device(self, user_code, strict=True).expires_at = time.time() - 1

    # --- what happened ----------------------------------------------------------------

    def requests_to(self, path_part: str, method: str | None = None) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if path_part in r.path
                    and (method is None or r.method == method.upper())]

    def was_sent(self, value: str) -> bool:
        """Whether value appeared in any recorded path, query, form field or header."""
        with self.lock:
            for r in self.requests:
                fields = [r.path, *r.query.values(), *r.form.values(), *r.headers.values()]
                if any(value in f for f in fields):
                    return True
        return False

    def sign_in_with_http(self, auth_uri: str, username: str = DEFAULT_USERNAME,
                          password: str = DEFAULT_PASSWORD, *, consent: bool = True,
                          session=None, user_code: str = "") -> dict[str, str]:
        """Drive an authorize URL (or /devicelogin with user_code) like a browser: GET the
        form, POST the credentials, POST the consent. Returns the redirect's parameters
        (not followed), {"error_page": "AADSTS..."} for an error page, or {"done": "1"}
        at the end of a device login."""
        return pages.drive_sign_in(self, session or self.http_session(), auth_uri,
                                   username, password, consent, user_code)

    # --- internals used by the endpoint modules ---------------------------------------

    def origin(self) -> str:
        """"https://host" the request being answered was sent to: a cloud's own login or
        Graph host when it named one, else base_url (the loopback address and port)."""
        return getattr(self._local, "origin", self.base_url)

    def graph_origin(self) -> str:
        """Where Graph's own URLs begin for the request being answered."""
        origin = self.origin()
        return origin if urlsplit(origin).hostname in CLOUD_GRAPH_HOSTS else self.graph_url

    def login_origin(self) -> str:
        """The sign-in host of the cloud the request being answered was sent to."""
        host = urlsplit(self.origin()).hostname
        for cloud in Cloud:
            if host == urlsplit(cloud.graph_endpoint).hostname:
                return f"https://{cloud.login_host}"
        return self.origin()

    def _origin_of(self, req: Request) -> str:
        netloc = req.header("Host").strip().lower()
        host = urlsplit(f"//{netloc}").hostname if netloc else None
        return f"https://{netloc}" if host in CLOUD_HOSTS else self.base_url

    def tid_for(self, tenant: str) -> str:
        """The tenant id a path segment stands for: a GUID is itself, the rest ours."""
        return tenant.lower() if _GUID.match(tenant) else self.tenant_id

    def client_name(self, client_id: str) -> str:
        return self.clients.get(client_id, ("Unknown application",))[0]

    def redirect_allowed(self, client_id: str, uri: str) -> bool:
        """Registered exactly, or a registered loopback URI on any port (as Entra does)."""
        registered = self.clients[client_id][1]
        url = urlsplit(uri)
        if uri.rstrip("/") in registered:
            return True
        if url.scheme == "http" and url.hostname in _LOOPBACK_HOSTS and url.port:
            host = f"[{url.hostname}]" if ":" in url.hostname else url.hostname
            return f"http://{host}{url.path}".rstrip("/") in registered
        return False

    def _mark_refresh_tokens(self, username: str | None, attr: str, value) -> int:
        with self.lock:
            hits = [g for g in self.refresh_tokens.values()
                    if username is None or g.username.lower() == username.lower()]
            for grant in hits:
                setattr(grant, attr, value)
        return len(hits)

    # --- serving ----------------------------------------------------------------------

    def _route(self, req: Request) -> tuple[str, object]:
        """(endpoint name, a callable answering the request)."""
        path = req.path
        if req.host in CLOUD_GRAPH_HOSTS:  # a cloud's own Graph: its paths are Graph's
            return "graph", lambda: graph.handle(self, req, path)
        if path.startswith("/graph/"):
            return "graph", lambda: graph.handle(self, req, path[len("/graph"):])
        if path == "/devicelogin":
            return "devicelogin", lambda: pages.device_login(self, req)
        _, tenant, rest = (path.split("/", 2) + ["", ""])[:3]
        routes = {
            ("GET", "v2.0/.well-known/openid-configuration"):
                ("discovery", lambda: Response.json(200, discovery(self, tenant))),
            ("GET", "discovery/v2.0/keys"): ("keys", lambda: Response.json(200, {"keys": []})),
            ("GET", "v2.0/adminconsent"):
                ("adminconsent", lambda: consent.admin_consent(self, req, tenant)),
            ("GET", "oauth2/v2.0/authorize"):
                ("authorize", lambda: pages.authorize(self, req, tenant)),
            ("POST", "login"): ("signin", lambda: pages.sign_in(self, req, tenant)),
            ("POST", "consent"): ("consent", lambda: pages.consent(self, req, tenant)),
            ("POST", "oauth2/v2.0/token"):
                ("token", lambda: token_endpoint(self, req, tenant)),
            ("POST", "oauth2/v2.0/devicecode"):
                ("devicecode", lambda: device_authorization(self, req, tenant)),
            ("GET", "oauth2/v2.0/logout"): ("logout", lambda: Response.html(
                200, pages.message_page("Signed out", "You have signed out.", "signed-out"),
                **{"Set-Cookie": f"{pages.SESSION_COOKIE}=; Path=/; Max-Age=0"})),
        }
        endpoint, answer = routes.get((req.method, rest), ("other", None))
        if answer is None:
            return endpoint, lambda: Response.json(404, {"error": "not_found"})
        if tenant.lower() in {t.lower() for t in self.missing_tenants}:
            body = token_error_body(90002, tenant=tenant)
            if endpoint == "authorize":
                return endpoint, lambda: Response.html(self.error_page_status, pages.error_page(
                    90002, body["error_description"].split(" Trace ID")[0]))
            return endpoint, lambda: Response.json(400, body)
        return endpoint, answer

    def _answer(self, req: Request) -> Response | None:
        with self.lock:
            self.requests.append(req)
        self._local.origin = self._origin_of(req)
        endpoint, answer = self._route(req)
        fault = self.take_transport_fault(endpoint)
        delay = {"token": self.token_delay, "graph": self.graph_delay}.get(endpoint, 0)
        if delay:
            self._wake.wait(delay)  # reset() and stop() cut it short
        if fault:
            return transport_fault(fault[1], fault[2])
        try:
            return answer()
        except Exception:
            self.server_errors.append(traceback.format_exc())
            return Response.json(500, {"error": "server_error",
                                       "error_description": "The fake itself failed."})
