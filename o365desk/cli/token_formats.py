"""How `o365desk token --format` prints a token: plain, as `az account get-access-token`
does, or as o365desk's own JSON object (README.md, "Tokens for scripts")."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from o365desk.cli.output import JSON_VERSION, dumps
from o365desk.core.connection import Kind
from o365desk.core.text import escape_for_json
from o365desk.usecases.token_handout import HandedOut

FORMATS = ("plain", "az", "json")


def render(handed: HandedOut, form: str) -> str:
    """The text printed on stdout (without the final newline)."""
    if form == "az":
        return az_text(handed)
    if form == "json":
        return dumps(json_object(handed))
    return handed.access_token


def az_object(handed: HandedOut) -> dict[str, Any]:
    """The keys `az account get-access-token --tenant T` prints. There is no subscription
    (o365desk has none), and az itself leaves the key out when it has none."""
    return {
        "accessToken": handed.access_token,
        "expiresOn": _local_time(handed.expires_on),
        "expires_on": handed.expires_on,
        "tenant": handed.tenant_id,
        "tokenType": "Bearer",
    }


def az_text(handed: HandedOut) -> str:
    # As az (knack) prints JSON: two-space indent, keys sorted.
    return escape_for_json(json.dumps(az_object(handed), indent=2, sort_keys=True))


def _local_time(unix_seconds: int) -> str:
    """az's expiresOn: the local time, without a zone, with microseconds."""
    return datetime.fromtimestamp(unix_seconds).strftime("%Y-%m-%d %H:%M:%S.%f")


def json_object(handed: HandedOut) -> dict[str, Any]:
    connection = handed.connection
    app_only = connection.kind == Kind.APP_ONLY
    granted = list(handed.granted)
    return {
        "version": JSON_VERSION,
        "connection": {"id": connection.id, "nickname": connection.nickname},
        "kind": connection.kind.value,
        "token_type": "Bearer",
        "access_token": handed.access_token,
        "expires_at": handed.result.expires_at.isoformat().replace("+00:00", "Z"),
        "expires_on": handed.expires_on,
        "tenant_id": handed.tenant_id,
        "scopes": [] if app_only else granted,
        "roles": granted if app_only else [],
    }
