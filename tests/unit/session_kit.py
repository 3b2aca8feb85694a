"""Helpers for sign-in tests: a connection pointed at the fake, an embedded sign-in."""

from __future__ import annotations

from urllib.parse import urlencode

from o365desk.auth.session import ConnectionSession
from o365desk.core.connection import Connection

SCOPES = ("User.Read", "Mail.Send")


def make_connection(fake, tenant: str = "organizations", scopes=SCOPES, **kwargs) -> Connection:
    return Connection("Contoso", authority=fake.authority(tenant),
                      graph_endpoint=fake.graph_url, scopes=tuple(scopes), **kwargs)


def redirect_url(start, params: dict) -> str:
    return f"{start.redirect_uri}?{urlencode(params)}"


def sign_in(fake, session: ConnectionSession, scopes=None, **kwargs):
    """An embedded sign-in with requests standing in for the web view."""
    start = session.start_auth_code(scopes)
    params = fake.sign_in_with_http(start.auth_uri, **kwargs)
    return session.finish_auth_code(start, redirect_url(start, params))
