"""Tokens of the fake identity platform: JWT-shaped tokens, grants, and the /token endpoint.

Also the small Request/Response types every endpoint of the fake uses. Tokens are
unsigned look-alikes (the signature segment is random bytes): good for decoding claims,
never for verification. The fake knows each token it issued by its exact string.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .errors import token_error_body

GRAPH_RESOURCE = "https://graph.microsoft.com"
_GRAPH_PREFIXES = (
    "https://graph.microsoft.com/", "00000003-0000-0000-c000-000000000000/",
    "https://graph.microsoft.us/", "https://dod-graph.microsoft.us/",
    "https://microsoftgraph.chinacloudapi.cn/",
)
# Each cloud's sign-in host and its Graph host (as Entra's metadata names them).
_GRAPH_HOSTS = {"login.microsoftonline.com": "graph.microsoft.com",
                "login.microsoftonline.us": "graph.microsoft.us",
                "login.chinacloudapi.cn": "microsoftgraph.chinacloudapi.cn"}
OIDC_SCOPES = ("openid", "profile", "email", "offline_access")
AUTH_CODE = "authorization_code"
REFRESH = "refresh_token"
DEVICE = "urn:ietf:params:oauth:grant-type:device_code"
CLIENT_CREDENTIALS = "client_credentials"
GRANT_NAMES = {AUTH_CODE: "authorization_code", REFRESH: "refresh_token",
               DEVICE: "device_code", CLIENT_CREDENTIALS: "client_credentials"}


@dataclass
class Request:
    """One HTTP request as the fake saw it (also what fake.requests records)."""

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]
    cookies: dict[str, str] = field(default_factory=dict)
    at: float = field(default_factory=time.time)

    def header(self, name: str, default: str = "") -> str:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()),
                    default)

    @property
    def host(self) -> str:
        """The host the request was sent to (its Host header, lower case, without port)."""
        netloc = self.header("Host").strip().lower()
        return (urlsplit(f"//{netloc}").hostname or "") if netloc else ""


@dataclass
class Response:
    """What an endpoint answers; server.py writes it to the socket."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, obj: object, **headers: str) -> Response:
        return cls(status, json.dumps(obj).encode(),
                   {"Content-Type": "application/json; charset=utf-8", **headers})

    @classmethod
    def html(cls, status: int, text: str, **headers: str) -> Response:
        return cls(status, text.encode(), {"Content-Type": "text/html; charset=utf-8",
                                           "Cache-Control": "no-store", **headers})

    @classmethod
    def redirect(cls, location: str, **headers: str) -> Response:
        return cls(302, b"", {"Location": location, "Cache-Control": "no-store", **headers})


@dataclass
class AuthCode:
    client_id: str
    redirect_uri: str
    requested: list[str]
    nonce: str | None
    challenge: str
    username: str
    tid: str
    expires_at: float
    redeemed: bool = False


@dataclass
class RefreshGrant:
    username: str
    client_id: str
    tid: str
    expires_at: float
    revoked: bool = False


@dataclass
class AccessGrant:
    username: str
    client_id: str
    scopes: frozenset[str]
    roles: tuple[str, ...]
    tid: str
    expires_at: float
    audience: str = GRAPH_RESOURCE  # the Graph the token is for ("aud")
    issued_by: str = ""  # the origin of the token endpoint that issued it


@dataclass
class DeviceGrant:
    device_code: str
    user_code: str
    client_id: str
    requested: list[str]
    tid: str
    expires_at: float
    status: str = "pending"  # pending | approved | declined | redeemed
    username: str | None = None
    deny_error: str = "authorization_declined"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_json(obj: object) -> str:
    return b64url(json.dumps(obj, separators=(",", ":")).encode())


def make_jwt(claims: dict) -> str:
    """A JWT-shaped token: real header and claims, a random (meaningless) signature."""
    header = {"typ": "JWT", "alg": "RS256", "kid": "o365desk-fake-key"}
    return f"{b64url_json(header)}.{b64url_json(claims)}.{b64url(secrets.token_bytes(32))}"


def decode_jwt(token: str) -> dict:
    """The claims of a JWT, unverified (for tests)."""
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def s256(verifier: str) -> str:
    return b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def audience(requested: list[str]) -> str:
    """The Graph resource the requested scopes name ("aud" of the access token)."""
    for scope in requested:
        for prefix in _GRAPH_PREFIXES:
            if prefix.startswith("https://") and scope.lower().startswith(prefix):
                return prefix.rstrip("/")
    return GRAPH_RESOURCE


def canonical(scope: str) -> str:
    """'https://graph.microsoft.com/User.Read' -> 'User.Read'; other resources unchanged."""
    for prefix in _GRAPH_PREFIXES:
        if scope.lower().startswith(prefix.lower()):
            return scope[len(prefix):]
    return scope


def wanted_scopes(fake, requested: list[str], username: str | None, client_id: str) -> set:
    """The resource scopes a request asks for, with '.default' expanded."""
    out: set[str] = set()
    for scope in requested:
        name = canonical(scope)
        if name in OIDC_SCOPES:
            continue
        if name == ".default":
            out |= fake.consented(username, client_id) or set(fake.static_scopes)
        else:
            out.add(name)
    return out


def response_scope(requested: list[str], granted: set[str]) -> str:
    """The "scope" value Entra answers: granted scopes, then profile/openid/email."""
    forms = {canonical(s): s for s in requested}
    parts = [forms.get(name, name) for name in sorted(granted)]
    asked = set(requested)
    parts += [s for s in ("profile", "openid", "email") if "openid" in asked or s in asked]
    return " ".join(parts)


def issue(fake, *, username: str, client_id: str, tid: str, requested: list[str],
          granted: set[str], nonce: str | None = None, client_info: bool = True) -> dict:
    """Mint access/refresh/id tokens, remember them, and return Entra's JSON body."""
    user = fake.users[username.lower()]
    now = int(time.time())
    exp = now + int(fake.access_token_lifetime)
    roles = tuple(fake.token_roles or ())
    aud = audience(requested)
    claims = {
        "aud": aud, "iss": f"https://sts.windows.net/{tid}/", "iat": now,
        "nbf": now, "exp": exp, "tid": tid, "oid": user.oid, "sub": user.oid,
        "upn": user.username, "unique_name": user.username, "name": user.display_name,
        "appid": client_id, "app_displayname": fake.client_name(client_id),
        "amr": ["pwd", "mfa"] if fake.mfa else ["pwd"], "idtyp": "user", "ver": "1.0",
        "uti": secrets.token_urlsafe(16),
    }
    if roles:
        claims["roles"] = list(roles)
    else:
        claims["scp"] = " ".join(sorted(granted | {"openid", "profile", "email"}
                                        if "openid" in requested else granted))
    access_token = make_jwt(claims)
    body = {
        "token_type": "Bearer",
        "scope": response_scope(requested, granted),
        "expires_in": int(fake.access_token_lifetime),
        "ext_expires_in": int(fake.access_token_lifetime),
        "access_token": access_token,
    }
    with fake.lock:
        fake.access_tokens[access_token] = AccessGrant(
            user.username, client_id, frozenset(granted), roles, tid, exp, aud,
            fake.origin())
        if "offline_access" in requested:  # Entra sends a refresh token only then
            refresh_token = "0.FAKE-RT." + secrets.token_urlsafe(48)
            fake.refresh_tokens[refresh_token] = RefreshGrant(
                user.username, client_id, tid, now + fake.refresh_token_lifetime)
            body["refresh_token"] = refresh_token
    if "openid" in requested:
        id_claims = {
            "aud": client_id, "iss": f"{fake.origin()}/{tid}/v2.0", "iat": now,
            "nbf": now, "exp": exp, "name": user.display_name, "oid": user.oid,
            "preferred_username": user.username, "sub": user.oid, "tid": tid,
            "ver": "2.0",
        }
        if nonce:
            id_claims["nonce"] = nonce
        for name, value in fake.id_token_changes.items():  # a misbehaving server
            if value is None:
                id_claims.pop(name, None)
            else:
                id_claims[name] = value
        body["id_token"] = make_jwt(id_claims)
    if client_info:
        body["client_info"] = b64url_json({"uid": user.oid, "utid": tid})
    return body


def token_endpoint(fake, req: Request, tenant: str) -> Response:
    """POST /{tenant}/oauth2/v2.0/token for the three grants MSAL uses here."""
    form = req.form
    client_id = form.get("client_id", "")
    grant_type = form.get("grant_type", "")
    correlation = req.header("client-request-id") or None

    def fail(code, **extra) -> Response:
        error = extra.pop("error", None)
        return Response.json(400, token_error_body(
            code, correlation_id=correlation, error=error, client_id=client_id,
            tenant=tenant, **extra))

    if not client_id:
        return fail(900144, param="client_id")
    if client_id not in fake.clients:
        return fail(700016)
    if grant_type not in GRANT_NAMES:
        return fail(70000, error="unsupported_grant_type")
    injected = fake.take_token_failure(GRANT_NAMES[grant_type])
    if injected is not None:
        return fail(injected[0], error=injected[1])
    if grant_type == AUTH_CODE:
        return _by_code(fake, form, fail)
    if grant_type == REFRESH:
        return _by_refresh_token(fake, form, fail)
    if grant_type == CLIENT_CREDENTIALS:
        return _by_client_credentials(fake, form, fail, tenant)
    return _by_device_code(fake, form, fail)


def _by_client_credentials(fake, form: dict, fail, tenant: str) -> Response:
    """An app's own token: its secret, or its client assertion (assertions.py), checked
    against the registered app's secrets or certificates, the scope
    `{graph}/.default`; the access token's `roles` are the app roles granted to the app,
    and no ID token or refresh token comes (as Entra does)."""
    client_id = form["client_id"]
    with fake.lock:
        secrets_of = set(fake.app_secrets.get(client_id, ()))
        certificates = list(fake.app_certificates.get(client_id, ()))
        roles = tuple(sorted(fake.app_roles.get(client_id, ())))
    if not secrets_of and not certificates:
        return fail(700016)  # not a confidential app the fake knows
    assertion = form.get("client_assertion")
    if assertion is not None:
        from .assertions import JWT_BEARER, AssertionRefused, check_assertion

        if form.get("client_assertion_type") != JWT_BEARER:
            return fail(700027, error="invalid_client")
        try:
            check_assertion(assertion, client_id=client_id, certificates=certificates,
                            audience=f"{fake.origin()}/{tenant}/oauth2/v2.0/token")
        except AssertionRefused as refused:
            fake.assertion_refusals.append(str(refused))
            return fail(refused.code, error="invalid_client")
    else:
        secret = form.get("client_secret")
        if not secret:
            return fail(7000218, error="invalid_client")
        if secret not in secrets_of:
            return fail(7000215, error="invalid_client")
    scope = form.get("scope", "").split()
    if len(scope) != 1 or not scope[0].endswith("/.default"):
        return fail(1002012, error="invalid_scope")
    now = int(time.time())
    exp = now + int(fake.access_token_lifetime)
    tid = fake.tenant_id
    claims = {
        "aud": scope[0].rsplit("/", 1)[0], "iss": f"https://sts.windows.net/{tid}/",
        "iat": now, "nbf": now, "exp": exp, "tid": tid, "oid": str(uuid_for(client_id)),
        "sub": str(uuid_for(client_id)), "appid": client_id,
        "app_displayname": fake.client_name(client_id), "idtyp": "app", "ver": "1.0",
        "uti": secrets.token_urlsafe(16),
    }
    if roles:
        claims["roles"] = list(roles)
    access_token = make_jwt(claims)
    with fake.lock:
        fake.access_tokens[access_token] = AccessGrant(
            "", client_id, frozenset(), roles, tid, exp, claims["aud"], fake.origin())
    return Response.json(200, {
        "token_type": "Bearer", "expires_in": int(fake.access_token_lifetime),
        "ext_expires_in": int(fake.access_token_lifetime), "access_token": access_token})


def uuid_for(client_id: str):
    import uuid

    return uuid.uuid5(uuid.NAMESPACE_URL, f"fake-service-principal/{client_id}")


def _by_code(fake, form: dict, fail) -> Response:
    with fake.lock:
        grant = fake.codes.get(form.get("code", ""))
        if grant is None:
            return fail(70000)
        if grant.redeemed:
            return fail(54005)
        if time.time() > grant.expires_at:
            return fail(70008)
        if grant.client_id != form["client_id"]:
            return fail(70000)
        if form.get("redirect_uri") != grant.redirect_uri:
            return fail(50011, error="invalid_grant")
        verifier = form.get("code_verifier")
        if not verifier:
            return fail(900144, param="code_verifier")
        if s256(verifier) != grant.challenge:
            return fail(501481)
        grant.redeemed = True
    granted = fake.granted_for(grant.username, grant.client_id, grant.requested)
    return Response.json(200, issue(
        fake, username=grant.username, client_id=grant.client_id, tid=grant.tid,
        requested=grant.requested, granted=granted, nonce=grant.nonce,
        client_info=form.get("client_info") == "1"))


def _by_refresh_token(fake, form: dict, fail) -> Response:
    with fake.lock:
        grant = fake.refresh_tokens.get(form.get("refresh_token", ""))
    if grant is None or grant.client_id != form["client_id"]:
        return fail(70000)
    if grant.revoked:
        return fail(50173)
    if time.time() > grant.expires_at:
        return fail(700082)
    requested = form.get("scope", "").split()
    missing = wanted_scopes(fake, requested, grant.username, grant.client_id) - \
        fake.consented(grant.username, grant.client_id)
    if missing:
        return fail(65001)
    if fake.rotate_refresh_tokens:  # used up: only the new one in this answer works
        grant.revoked = True
    granted = fake.granted_for(grant.username, grant.client_id, requested)
    return Response.json(200, issue(
        fake, username=grant.username, client_id=grant.client_id, tid=grant.tid,
        requested=requested, granted=granted, client_info=form.get("client_info") == "1"))


def _by_device_code(fake, form: dict, fail) -> Response:
    with fake.lock:
        grant = fake.devices.get(form.get("device_code", ""))
        if grant is None or grant.client_id != form["client_id"]:
            return fail(70000, error="bad_verification_code")
        if time.time() > grant.expires_at and grant.status in ("pending", "approved"):
            return fail(70019)
        if grant.status == "pending":
            return fail(70016)
        if grant.status == "declined":
            return fail(70020, error=grant.deny_error)
        if grant.status == "redeemed":
            return fail(54005)
        grant.status = "redeemed"
    granted = fake.granted_for(grant.username, grant.client_id, grant.requested)
    return Response.json(200, issue(
        fake, username=grant.username, client_id=grant.client_id, tid=grant.tid,
        requested=grant.requested, granted=granted,
        client_info=form.get("client_info") == "1"))


def find_device(fake, user_code: str | None, strict: bool = False) -> DeviceGrant | None:
    """The device code a user code belongs to (spaces and dashes ignored); with None,
    the newest pending one."""
    code = "".join(c for c in user_code or "" if c not in " -").upper()
    with fake.lock:
        grants = [g for g in fake.devices.values()
                  if g.user_code == code or (user_code is None and g.status == "pending")]
    grant = grants[-1] if grants else None
    if grant is None and strict:
        raise KeyError(f"no device code with user code {user_code!r}")
    return grant


def set_device_status(fake, device_code: str, status: str, username: str | None = None):
    with fake.lock:
        grant = fake.devices[device_code]
        grant.status = status
        grant.username = username or grant.username


_USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ23456789"


def device_authorization(fake, req: Request, tenant: str) -> Response:
    """POST /{tenant}/oauth2/v2.0/devicecode: start a device code flow."""
    client_id = req.form.get("client_id", "")
    correlation = req.header("client-request-id") or None
    if client_id not in fake.clients:
        return Response.json(400, token_error_body(
            700016, correlation_id=correlation, client_id=client_id, tenant=tenant))
    requested = req.form.get("scope", "").split()
    if not requested:
        return Response.json(400, token_error_body(
            900144, correlation_id=correlation, param="scope"))
    user_code = "".join(secrets.choice(_USER_CODE_ALPHABET) for _ in range(9))
    device_code = "FAKE-DC." + secrets.token_urlsafe(40)
    lifetime = int(fake.device_code_lifetime)
    with fake.lock:
        fake.devices[device_code] = DeviceGrant(
            device_code, user_code, client_id, requested, fake.tid_for(tenant),
            time.time() + lifetime)
    uri = f"{fake.origin()}/devicelogin"
    return Response.json(200, {
        "user_code": user_code, "device_code": device_code, "verification_uri": uri,
        "expires_in": lifetime, "interval": int(fake.device_interval),
        "message": f"To sign in, use a web browser to open the page {uri} and enter the "
                   f"code {user_code} to authenticate.{fake.device_message_extra}",
    })


def discovery(fake, tenant: str) -> dict:
    """The OpenID configuration for /{tenant}/v2.0/.well-known/openid-configuration."""
    generic = tenant.lower() in ("organizations", "common", "consumers")
    # As Entra does, a domain's endpoints name the tenant by its id.
    origin = fake.origin()
    base = f"{origin}/{tenant if generic else fake.tid_for(tenant)}"
    return {
        "token_endpoint": f"{base}/oauth2/v2.0/token",
        "token_endpoint_auth_methods_supported": ["client_secret_post",
                                                  "private_key_jwt",
                                                  "client_secret_basic"],
        "jwks_uri": f"{base}/discovery/v2.0/keys",
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token",
                                     "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": f"{origin}/"
                  f"{'{tenantid}' if generic else fake.tid_for(tenant)}/v2.0",
        "request_uri_parameter_supported": False,
        "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
        "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
        "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
        "http_logout_supported": True,
        "frontchannel_logout_supported": True,
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce",
                             "preferred_username", "name", "tid", "ver", "oid"],
        "tenant_region_scope": "EU",
        "cloud_instance_name": origin.removeprefix("https://"),
        "msgraph_host": fake.graph_url.removeprefix("https://") if origin == fake.base_url
        else _GRAPH_HOSTS.get(origin.removeprefix("https://"), "graph.microsoft.com"),
    }
