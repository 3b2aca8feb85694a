"""A tiny fake of Microsoft Graph under /graph on the fake identity server.

GET /graph/v1.0/me, /graph/v1.0/organization and the Graph service principal
(/v1.0/servicePrincipals(appId='...') or ?$filter=appId eq '...'). Each needs a bearer
token this fake issued and that has not expired (401 otherwise) carrying one of the
scopes (or app roles) listed in fake.graph_required_scopes for the path (403 otherwise).
Permission texts are the fake's own placeholders; the ids are the public ones.
"""

from __future__ import annotations

import copy
import re
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import urlsplit

from .tokens import Request, Response

GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"

DEFAULT_REQUIRED_SCOPES: dict[str, set[str]] = {
    "/v1.0/me": {"User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All",
                 "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
    "/v1.0/organization": {"User.Read", "Organization.Read.All", "Directory.Read.All",
                           "Organization.ReadWrite.All", "Directory.ReadWrite.All"},
    "/v1.0/servicePrincipals": {"Application.Read.All", "Directory.Read.All",
                                "Application.ReadWrite.All", "Directory.ReadWrite.All"},
}


def _scope(id_: str, value: str, admin: bool) -> dict:
    return {
        "id": id_, "value": value, "type": "Admin" if admin else "User", "isEnabled": True,
        "adminConsentDisplayName": f"Fake: {value} (admin title)",
        "adminConsentDescription": f"Fake placeholder text for the delegated {value} "
                                   "permission, as an administrator sees it.",
        "userConsentDisplayName": None if admin else f"Fake: {value} (user title)",
        "userConsentDescription": None if admin else f"Fake placeholder text for {value}.",
    }


def _role(id_: str, value: str) -> dict:
    return {
        "id": id_, "value": value, "isEnabled": True, "allowedMemberTypes": ["Application"],
        "displayName": f"Fake: {value} (application)",
        "description": f"Fake placeholder text for the application permission {value}.",
        "origin": "Application",
    }


GRAPH_SERVICE_PRINCIPAL = {
    "id": "5b0f9a8e-0000-4000-8000-00000000f00d",
    "appId": GRAPH_APP_ID,
    "appDisplayName": "Microsoft Graph",
    "displayName": "Microsoft Graph",
    "servicePrincipalType": "Application",
    "oauth2PermissionScopes": [
        _scope("e1fe6dd8-ba31-4d61-89e7-88639da4683d", "User.Read", False),
        _scope("e383f46e-2787-4529-855e-0e479a3ffac0", "Mail.Send", False),
        _scope("06da0dbc-49e2-44d2-8312-53f166ab848a", "Directory.Read.All", True),
        _scope("37f7f235-527c-4136-accd-4a02d197296e", "openid", False),
        _scope("14dad69e-099b-42c9-810b-d002981feec1", "profile", False),
        _scope("7427e0e9-2fba-42fe-b0c0-848c9e6a8182", "offline_access", False),
    ],
    "appRoles": [
        _role("df021288-bdef-4463-88db-98f22de89214", "User.Read.All"),
        _role("b633e1c5-b582-4048-a93e-9f11b44c7e96", "Mail.Send"),
        _role("7ab1d382-f21e-4acd-a863-ba3e13f7da61", "Directory.Read.All"),
    ],
}

_SP_BY_KEY = re.compile(r"^/v1\.0/servicePrincipals\(appId='([^']+)'\)$")
_SP_FILTER = re.compile(r"appId\s+eq\s+'([^']+)'")


def _error(status: int, code: str, message: str, req: Request, **headers: str) -> Response:
    request_id = str(uuid.uuid4())
    inner = {"date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
             "request-id": request_id,
             "client-request-id": req.header("client-request-id") or request_id}
    return Response.json(status, {"error": {"code": code, "message": message,
                                            "innerError": inner}},
                         **{"request-id": request_id, **headers})


def _authorize(fake, req: Request, path: str) -> Response | None:
    """None when the bearer token may call the path, else the 401/403 answer."""
    auth = req.header("Authorization")
    challenge = {"WWW-Authenticate": 'Bearer realm="", authorization_uri='
                 f'"{fake.login_origin()}/common/oauth2/authorize", client_id="{GRAPH_APP_ID}"'}
    if not auth.lower().startswith("bearer ") or not auth[7:].strip():
        return _error(401, "InvalidAuthenticationToken", "Access token is empty.", req,
                      **challenge)
    with fake.lock:
        grant = fake.access_tokens.get(auth[7:].strip())
    if grant is None:
        return _error(401, "InvalidAuthenticationToken",
                      "Access token validation failure. Invalid audience or token.", req,
                      **challenge)
    served_as = urlsplit(fake.graph_origin()).hostname
    if served_as != urlsplit(fake.graph_url).hostname \
            and served_as != urlsplit(grant.audience).hostname:
        # A cloud's Graph refuses a token for another cloud's Graph, as the real one does.
        return _error(401, "InvalidAuthenticationToken",
                      "Access token validation failure. Invalid audience.", req, **challenge)
    if time.time() >= grant.expires_at:
        return _error(401, "InvalidAuthenticationToken",
                      "Lifetime validation failed, the token is expired.", req, **challenge)
    key = "/v1.0/servicePrincipals" if path.startswith("/v1.0/servicePrincipals") else path
    needed = fake.graph_required_scopes.get(key)
    if needed and not (set(grant.scopes) | set(grant.roles)) & set(needed):
        return _error(403, "Authorization_RequestDenied",
                      "Insufficient privileges to complete the operation.", req)
    return None


def handle(fake, req: Request, path: str) -> Response:
    """Answer one request under /graph; path is what follows /graph."""
    if req.method != "GET":
        return _error(405, "Request_BadRequest", "Only GET is supported by the fake.", req)
    denied = _authorize(fake, req, path)
    if denied is not None:
        return denied
    with fake.lock:
        grant = fake.access_tokens[req.header("Authorization")[7:].strip()]
    base = f"{fake.graph_origin()}/v1.0/$metadata"
    if path == "/v1.0/me":
        if not grant.username:  # an app's own token: no signed-in user
            return _error(400, "BadRequest", "/me request is only valid with delegated "
                          "authentication flow.", req)
        user = fake.users[grant.username.lower()]
        return Response.json(200, {
            "@odata.context": f"{base}#users/$entity", "id": user.oid,
            "displayName": user.display_name, "userPrincipalName": user.username,
            "mail": user.username, "givenName": None, "surname": None, "jobTitle": None,
            "businessPhones": [], "mobilePhone": None, "officeLocation": None,
            "preferredLanguage": "en-US",
        })
    if path == "/v1.0/organization":
        return Response.json(200, {"@odata.context": f"{base}#organization", "value": [{
            "id": grant.tid, "displayName": fake.org_name, "tenantType": "AAD",
            "countryLetterCode": "GB",
            "verifiedDomains": [{"name": fake.tenant_domain, "isDefault": True,
                                 "isInitial": True, "type": "Managed",
                                 "capabilities": "Email, OfficeCommunicationsOnline"}],
        }]})
    by_key = _SP_BY_KEY.match(path)
    if by_key:
        if by_key.group(1).lower() != fake.service_principal["appId"].lower():
            return _error(404, "Request_ResourceNotFound",
                          f"Resource '{by_key.group(1)}' does not exist.", req)
        return Response.json(200, {"@odata.context": f"{base}#servicePrincipals/$entity",
                                   **copy.deepcopy(fake.service_principal)})
    if path == "/v1.0/servicePrincipals":
        wanted = _SP_FILTER.search(req.query.get("$filter", ""))
        sp = fake.service_principal
        found = [copy.deepcopy(sp)] if not wanted or \
            wanted.group(1).lower() == sp["appId"].lower() else []
        return Response.json(200, {"@odata.context": f"{base}#servicePrincipals",
                                   "value": found})
    return _error(404, "Request_ResourceNotFound", f"The fake Graph has no {path}.", req)
