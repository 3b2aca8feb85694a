"""A fake Microsoft identity platform (Entra ID v2.0 endpoints) and Graph for tests."""

from .errors import CATALOG, ISSUE_CODES, Aadsts, lookup
from .graph import GRAPH_APP_ID, GRAPH_SERVICE_PRINCIPAL
from .pages import SESSION_COOKIE
from .server import (
    DEFAULT_CLIENT_ID,
    DEFAULT_DOMAIN,
    DEFAULT_PASSWORD,
    DEFAULT_TENANT_ID,
    DEFAULT_USERNAME,
    MEMBER_USERNAME,
    NATIVE_CLIENT_REDIRECT,
    FakeIdentity,
    User,
)
from .tokens import Request, Response, decode_jwt

__all__ = [
    "CATALOG", "DEFAULT_CLIENT_ID", "DEFAULT_DOMAIN", "DEFAULT_PASSWORD",
    "DEFAULT_TENANT_ID", "DEFAULT_USERNAME", "GRAPH_APP_ID", "GRAPH_SERVICE_PRINCIPAL",
    "ISSUE_CODES", "MEMBER_USERNAME", "NATIVE_CLIENT_REDIRECT", "SESSION_COOKIE",
    "Aadsts", "FakeIdentity", "Request", "Response", "User", "decode_jwt", "lookup",
]
