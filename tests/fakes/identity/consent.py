"""The fake's v2.0 admin-consent endpoint: GET /{tenant}/v2.0/adminconsent.

It plays an administrator who is signed in and answers at once: it checks the app and its
redirect URI as Entra does (an unknown app or an unregistered redirect URI is an error
page, never a redirect), then either records tenant-wide consent for the requested
permissions (`.default`: those set with `configure_app_permissions`, else none) and
redirects with ``admin_consent=True&tenant=...&state=...``, or, with a refusal scheduled
(`refuse_admin_consent`), redirects with ``error`` and ``error_description``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from . import pages
from .errors import lookup
from .tokens import Request, Response


def reset(fake) -> None:
    fake.admin_consent_refusal = None  # (AADSTS code, OAuth error) for the next answers
    fake.app_permissions = {}  # client id -> what `.default` stands for (names)
    fake.admin_consents = []  # (tenant id, client id, scopes) of every approval given


def refuse_admin_consent(fake, code: int, error: str | None = None) -> None:
    """Answer the admin-consent page with AADSTS `code` (65004 declined, 90094 not an
    admin...) under OAuth error `error` (default: the code's own)."""
    entry = lookup(code)
    fake.admin_consent_refusal = (entry.code, error or entry.authorize_error)


def configure_app_permissions(fake, client_id: str, names) -> None:
    fake.app_permissions[client_id] = list(names)


def admin_consent(fake, req: Request, tenant: str) -> Response:
    client_id = req.query.get("client_id", "")
    redirect_uri = req.query.get("redirect_uri", "")
    scope = req.query.get("scope", "")
    if client_id not in fake.clients:
        return _error_page(fake, 700016, client_id=client_id, tenant=tenant)
    if not redirect_uri or not fake.redirect_allowed(client_id, redirect_uri):
        return _error_page(fake, 50011, client_id=client_id, tenant=tenant)
    params = {}
    refusal = fake.admin_consent_refusal
    if refusal is not None:
        code, error = refusal
        description = lookup(code).description.format(client_id=client_id, tenant=tenant)
        params = {"error": error, "error_description": f"AADSTS{code}: {description}"}
    elif not scope.strip():
        params = {"error": "invalid_request",
                  "error_description": "AADSTS900144: The request body must contain the "
                                       "following parameter: 'scope'."}
    else:
        names = []
        for item in scope.split():
            resource, _, name = item.rpartition("/")
            names += fake.app_permissions.get(client_id, []) if name == ".default" else [name]
        tid = fake.tid_for(tenant)
        fake.grant_consent(client_id, names)
        fake.admin_consents.append((tid, client_id, tuple(scope.split())))
        params = {"admin_consent": "True", "tenant": tid}
    if "state" in req.query:
        params["state"] = req.query["state"]
    sep = "&" if "?" in redirect_uri else "?"
    return Response.redirect(redirect_uri + sep + urlencode(params))


def _error_page(fake, code: int, **fields: str) -> Response:
    description = lookup(code).description.format(**fields)
    return Response.html(fake.error_page_status, pages.error_page(code, description))
