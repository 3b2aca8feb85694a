"""How the CLI prints connections: aligned text for people, stable JSON for scripts."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

from o365desk.core import connection_rules
from o365desk.core.connection import Connection, Kind
from o365desk.core.text import escape_for_json, visible

JSON_VERSION = 1
# What `list --json` and `show --json` carry of each connection's health (core/health.py),
# worked out from connections.json alone: the CLI does not unlock the keychain to list or
# show connections (`o365desk health` reads it, since it is asked for health).
HEALTH_FIELDS = ("access_token_expires_at", "last_refreshed_at", "refresh_lapses_at",
                 "needs_attention", "reason", "action")


def connection_json(connection: Connection, now: datetime | None = None) -> dict[str, Any]:
    """One connection as documented in README.md ("JSON output"); never holds a secret.

    Its token health fields come from the file alone (the access token's expiry as the
    last sign-in or refresh recorded it), never the keychain."""
    from o365desk.core.health import assess

    data = connection.to_dict()
    facts = assess(connection, now).to_dict()
    data.update({key: facts[key] for key in HEALTH_FIELDS})
    data["effective_authority"] = connection.effective_authority()
    data["effective_graph_endpoint"] = connection.effective_graph_endpoint()
    data["admin_consent_url"] = admin_consent_url(connection)
    data["status"] = connection.status().value
    if connection.damage:  # only then: what is wrong, and what to do
        data["damage"] = connection_rules.message(connection)
    return data


def admin_consent_url(connection: Connection) -> str | None:
    """The link an administrator opens to approve the connection's app (as `o365desk
    consent NICK --print-link` gives it, redirect http://localhost, the connection's ID as
    its state so the JSON stays the same from one run to the next); None when damaged."""
    if connection.damage:
        return None
    from o365desk.auth.admin_consent import shareable_link

    return shareable_link(connection, connection.id)


def printable(text: str) -> str:
    """Words from elsewhere (a server, another program, the file, the command line), with
    control and bidi characters shown as escapes, never raw, so they can't rewrite the
    terminal or hide what they say."""
    return visible(text)


def roles_words(roles: tuple[str, ...]) -> str:
    """An app-only test that worked: the application permissions its token carries, as the
    window's result bar names them (" Its token carries ..."; "" when none)."""
    if not roles:
        return ""
    plural = "s" if len(roles) > 1 else ""
    return (f" Its token carries the application permission{plural} "
            f"{', '.join(printable(r) for r in roles)}.")


def dumps(payload: Any) -> str:
    # Names as they are on a UTF-8 output; as \u escapes (the same JSON) on any other, such
    # as a Windows pipe in cp1252, which could not hold them. Control and bidi characters
    # are \u escapes on every output.
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return escape_for_json(
        json.dumps(payload, indent=2, ensure_ascii=encoding not in ("utf8", "utf8sig")))


def list_json(connections: list[Connection], now: datetime | None = None) -> str:
    return dumps({"version": JSON_VERSION,
                  "connections": [connection_json(c, now) for c in connections]})


def show_json(connection: Connection, now: datetime | None = None) -> str:
    return dumps({"version": JSON_VERSION, "connection": connection_json(connection, now)})


def _when(value: datetime | None) -> str:
    if value is None:
        return "never"
    try:
        local = value.astimezone()
    except (OverflowError, OSError, ValueError):  # year 1 or 9999 in a far time zone
        return f"{value.year:04d}-{value:%m-%d %H:%M} UTC"
    return f"{local.year:04d}-{local:%m-%d %H:%M}"


def list_text(connections: list[Connection]) -> str:
    if not connections:
        return 'No connections yet. Add one with: o365desk add NICKNAME'
    rows = [("NICKNAME", "ACCOUNT", "TENANT", "CLOUD", "STATUS", "LAST USED")]
    from o365desk.core.credential_words import credential_warning, credential_words

    for c in sorted(connections, key=lambda c: c.nickname.casefold()):
        account = f"App only ({credential_words(c)})" if c.kind == Kind.APP_ONLY else \
            c.account.username if c.account else "-"
        rows.append(tuple(printable(cell) for cell in (
            c.nickname, account, c.tenant, c.cloud.value, c.status().value,
            _when(c.last_used_at))))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    table = "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
    damaged = [c for c in connections if c.damage]
    if damaged:
        table += "\n" + "\n".join(
            f'\n"{printable(c.nickname)}" is damaged. {printable(connection_rules.message(c))}'
            for c in damaged)
    warnings = [w for w in (credential_warning(c) for c in connections) if w]
    if warnings:
        table += "\n\n" + "\n".join(f"Warning: {w}" for w in warnings)
    return table


def show_text(c: Connection) -> str:
    from o365desk.core.credential_words import credential_warning, credential_words

    app_only = c.kind == Kind.APP_ONLY
    account = c.account
    lines = [
        ("Nickname", c.nickname),
        ("Description", c.description or "-"),
        ("ID", c.id),
        ("Status", c.status().label),
        *([("Problem", connection_rules.message(c))] if c.damage else []),
        ("Account", "App only (no person signs in)" if app_only
         else account.username if account else "not signed in"),
        *([("Credential", credential_words(c) + (
            f" ({c.credential.expires_at:%Y-%m-%d})" if c.credential and
            c.credential.expires_at and not c.credential.expired() else ""))]
          if app_only else []),
        *([("Certificate", f"{c.credential.subject}, SHA-1 thumbprint {c.credential.sha1}")]
          if app_only and c.credential and c.credential.type.value == "certificate"
          else []),
        ("Tenant", c.tenant),
        ("Cloud", c.cloud.label),
        ("Authority", c.effective_authority() + ("  (override)" if c.authority else "")),
        ("Graph", c.effective_graph_endpoint() + ("  (override)" if c.graph_endpoint else "")),
        ("Client ID", c.client_id),
        ("Kind", "App only" if app_only else "Delegated (a person signs in)"),
        ("Scopes", " ".join(c.scopes) or "-"),
        ("Created", _when(c.created_at)),
        ("Last used", _when(c.last_used_at)),
    ]
    width = max(len(k) for k, _ in lines)
    text = "\n".join(f"{k + ':':<{width + 1}} {printable(v)}" for k, v in lines)
    warning = credential_warning(c)
    return f"{text}\n\nWarning: {warning}" if warning else text
