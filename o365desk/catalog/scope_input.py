"""A list of permissions as a person types it (on the command line): split and checked.

`parse_scope_list` splits; `check_scopes` gives each Microsoft Graph permission its
catalog spelling and refuses names the catalog doesn't know, with the same "Did you
mean" suggestions `o365desk scope` gives. Scopes of other resources (a full URI, api://,
".default") are not Graph names and pass as typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from o365desk.core.clouds import GRAPH_APP_ID, Cloud

if TYPE_CHECKING:
    from o365desk.catalog.catalog import Catalog

_SEPARATORS = re.compile(r"[,\s]+")
# "https://graph.microsoft.com/" and each national cloud's Graph, and the Graph app's ID.
_GRAPH_PREFIXES = tuple({f"{c.graph_endpoint}/".lower() for c in Cloud} | {f"{GRAPH_APP_ID}/"})
_SHOWN_MAX = 60


class UnknownScopeError(ValueError):
    """Names the catalog doesn't know; str() names each, with its suggestions."""

    def __init__(self, unknown: list[tuple[str, list[str]]]) -> None:
        self.unknown = unknown  # (name as typed, suggestions)
        sentences = []
        for name, suggestions in unknown:
            hint = f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
            sentences.append(f'"{_shown(name)}" is not a Microsoft Graph permission.{hint}')
        super().__init__(" ".join(sentences) + " Check the spelling, or search with "
                         "`o365desk scopes WORD`.")


def parse_scope_list(raw: str) -> tuple[str, ...]:
    """Split on commas and white space; drop empty parts and repeats, keeping the order."""
    return tuple(dict.fromkeys(part for part in _SEPARATORS.split(raw) if part))


def check_scopes(names: Iterable[str], catalog: Catalog | None = None) -> tuple[str, ...]:
    """Each name in its catalog spelling (repeats dropped), or UnknownScopeError naming
    every unknown one. A Graph permission's full URI is checked by its name and kept as
    typed; another resource's scope (a URI, api://..., ".default") is kept as typed."""
    if catalog is None:
        from o365desk.catalog import get_catalog

        catalog = get_catalog(include_tenant=True)
    from o365desk.catalog.catalog import UnknownPermission

    checked: list[str] = []
    unknown: list[tuple[str, list[str]]] = []
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        graph_name = _graph_name(name)
        if graph_name is None:  # not a Graph permission name: nothing to check it by
            checked.append(name)
            continue
        try:
            permission = catalog.require(graph_name)
        except UnknownPermission as exc:
            prefix = name[: len(name) - len(graph_name)]
            unknown.append((name, [prefix + s for s in exc.suggestions]))
            continue
        checked.append(name if graph_name != name else permission.name)
    if unknown:
        raise UnknownScopeError(unknown)
    return tuple(dict.fromkeys(checked))


def _graph_name(scope: str) -> str | None:
    """The Graph permission name a scope asks for, or None for another resource's."""
    lowered = scope.lower()
    for prefix in _GRAPH_PREFIXES:
        if lowered.startswith(prefix):
            rest = scope[len(prefix):]
            return None if rest == ".default" or not rest else rest
    if "/" in scope or ":" in scope or scope == ".default":
        return None
    return scope


def _shown(name: str) -> str:
    """A name quoted back: no control or invisible characters raw, not too long."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else f"\\u{ord(ch):04x}"
                   for ch in name)
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 1] + "\u2026"
