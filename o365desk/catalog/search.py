"""Search as you type over names, descriptions, IDs and API paths, with filters.

Each permission gets one precomputed lowercase haystack, built on the first search; a
keystroke is then a substring test per permission (well under 5 ms for the whole catalog).
The command line, the wizard and the scope browser all list hits in the order `search`
gives (see `rank`).
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from urllib.parse import urlsplit

from o365desk.catalog.catalog import Catalog
from o365desk.catalog.model import APPLICATION, DELEGATED, Permission, PermissionStatus
from o365desk.core.clouds import Cloud

# A pasted address: any scheme://host, a Graph host of any cloud typed without one, and the
# API version; what is left is the path the index knows.
_GRAPH_HOSTS = sorted({urlsplit(c.graph_endpoint).netloc for c in Cloud} | {"graph.microsoft.de"},
                      key=len, reverse=True)
_HOST = re.compile(r"https?://[^/\s?#]+|(?<![\w.-])(?:"
                   + "|".join(re.escape(h) for h in _GRAPH_HOSTS) + r")(?![\w.-])", re.IGNORECASE)
_VERSION = re.compile(r"/(?:v1\.0|beta)(?=/)", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class Filters:
    """What the tree and the CLI can narrow to; None means "any"."""

    kind: str | None = None  # DELEGATED or APPLICATION: the permission must have that variant
    admin_consent: bool | None = None  # some (chosen-kind) variant needs admin consent / not
    privileges: frozenset[int] | None = None  # levels 1..4; 0 stands for "not given"
    status: PermissionStatus | None = None  # for the chosen kind when one is set
    group: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in (None, DELEGATED, APPLICATION):
            raise ValueError(f'kind must be "{DELEGATED}" or "{APPLICATION}", not {self.kind!r}')
        if self.status is not None and not isinstance(self.status, PermissionStatus):
            object.__setattr__(self, "status", PermissionStatus(self.status))
        if self.privileges is not None:
            object.__setattr__(self, "privileges", frozenset(self.privileges))

    def accepts(self, p: Permission) -> bool:
        variants = p.variants if self.kind is None else (
            (p.variant(self.kind),) if p.variant(self.kind) else ())
        if self.kind is not None and not variants:
            return False
        if self.group is not None and p.group != self.group:
            return False
        if self.admin_consent is not None and not any(
                v.admin_consent is self.admin_consent for v in variants):
            return False
        if self.privileges is not None and not any(
                (v.privilege or 0) in self.privileges for v in variants):
            return False
        if self.status is not None:
            state = p.status.state if self.kind is None else p.status.for_kind(self.kind)
            if state is not self.status:
                return False
        return True


NO_FILTERS = Filters()


def haystack(p: Permission, tenant=None) -> str:
    """Everything a query may match, lowercased: name, description, IDs, API paths."""
    parts = [p.name, p.description, *p.ids(), *p.path_strings()]
    if tenant is not None:
        parts.extend(tenant.texts(p.name))
    return "\n".join(parts).lower()


# What separates the words of a query, and the parts of a name ("User.Read",
# "User-LifeCycleInfo.Read.All"): "user read", "user.read" and "user_read" are one query.
_WORD_BREAK = re.compile(r"[\s._-]+")

# How well a name answers the query's words, best first (see `Ranking`).
(EXACT, SAME_WORDS, LEADING, LEADING_PREFIX, STARTS, IN_ORDER, ANY_ORDER, IN_NAME,
 ELSEWHERE) = range(9)


def name_words(text: str) -> list[str]:
    """A query's words, or a name's parts, lowercased: split at spaces, dots, hyphens and
    underscores."""
    return [w for w in _WORD_BREAK.split(text.lower()) if w]


def dotted(name: str) -> str:
    """A name's parts joined by dots, lowercased: "User-LifeCycleInfo.Read.All" ->
    "user.lifecycleinfo.read.all"."""
    return ".".join(name_words(name))


class Ranking:
    """How well a name answers one query's words, as one of these, best first:

    EXACT           the name's parts are the words ("user read" -> User.Read)
    SAME_WORDS      ... in another order ("read user" -> User.Read)
    LEADING         the name starts with the words as whole parts (User.Read.All)
    LEADING_PREFIX  its first part is the first word, the next parts start with the other
                    words (User.ReadWrite)
    STARTS          its first parts start with the words (UserTeamwork.Read, MailboxSettings)
    IN_ORDER        later parts start with the words, in order ("read all" -> Sites.Read.All)
    ANY_ORDER       each word starts some part ("read all sites" -> Sites.Read.All)
    IN_NAME         each word is somewhere in the name ("write" -> Mail.ReadWrite)
    ELSEWHERE       only the description, an ID or an API path holds every word

    Built once per query; a call costs a few string tests, so ranking the whole catalog
    stays within a keystroke's budget.
    """

    def __init__(self, words: list[str]) -> None:
        self.words = words
        joined = ".".join(words)
        self._exact, self._leading = joined, joined + "."
        self._count, self._sorted = len(words), sorted(words)
        first, *rest = [re.escape(w) for w in words]
        later = "".join(r"\." + w + r"[^.]*" for w in rest)
        self._leading_prefix = re.compile(first + r"(?=\.)" + later) if rest else None
        self._starts = re.compile(first + r"[^.]*" + later)
        self._in_order = re.compile(r"\." + first + r"[^.]*" + later)
        self._part_starts = ["." + w for w in words]

    def __call__(self, name: str) -> int:
        """`name` as `dotted` gives it."""
        words = self.words
        if not all(w in name for w in words):
            return ELSEWHERE
        if name == self._exact:
            return EXACT
        if name.count(".") + 1 == self._count and sorted(name.split(".")) == self._sorted:
            return SAME_WORDS
        if name.startswith(self._leading):
            return LEADING
        if self._leading_prefix is not None and self._leading_prefix.match(name):
            return LEADING_PREFIX
        if self._starts.match(name):
            return STARTS
        if self._in_order.search(name):
            return IN_ORDER
        marked = "." + name
        if all(w in marked for w in self._part_starts):
            return ANY_ORDER
        return IN_NAME


class SearchIndex:
    """Haystacks and filter results for one catalog, computed once and reused."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.permissions = catalog.permissions
        self.names = [p.name.lower() for p in self.permissions]
        self.dotted = [dotted(n) for n in self.names]
        self.hay = [haystack(p, catalog.tenant) for p in self.permissions]
        self._candidates = lru_cache(maxsize=64)(self._filter)

    def _filter(self, filters: Filters) -> tuple[int, ...]:
        return tuple(i for i, p in enumerate(self.permissions) if filters.accepts(p))

    def search(self, query: str, filters: Filters = NO_FILTERS) -> list[Permission]:
        """Permissions whose name, description, IDs or API paths hold every word of
        `query`, or whose name holds every word between its dots ("user_read"); best first
        (see `rank`), and within a rank the shorter name first, then in name order."""
        candidates = self._candidates(filters)
        terms = normalize_query(query)
        if not terms:
            return [self.permissions[i] for i in candidates]
        hay, names, dotted_names = self.hay, self.names, self.dotted
        words = name_words(query)
        if len(terms) == 1:
            term = terms[0]
            hits = [i for i in candidates if term in hay[i]]
        else:
            hits = [i for i in candidates if all(t in hay[i] for t in terms)]
        if not words:  # only separators, e.g. "." or "-": what the haystack holds
            return [self.permissions[i] for i in hits]
        if words != terms:  # "user_read", "mail-send": the words may still be in the name
            found = set(hits)
            hits += [i for i in candidates if i not in found
                     and all(w in dotted_names[i] for w in words)]
        ranking = Ranking(words)
        ranked = sorted(hits, key=lambda i: (ranking(dotted_names[i]), len(names[i]),
                                             names[i], i))
        return [self.permissions[i] for i in ranked]


def normalize_query(query: str) -> list[str]:
    """Lowercase terms; a pasted Graph URL is cut down to its path (no host, version or
    query string). A "?" in words that are not an address is searched for as typed."""
    text = query.strip()
    path = _HOST.sub("", text)
    if path != text or path.startswith("/"):
        path = _VERSION.sub("", path).split("?", 1)[0]
    return [t for t in path.lower().split() if t]


def index_for(catalog: Catalog) -> SearchIndex:
    if catalog.search_index is None:
        catalog.search_index = SearchIndex(catalog)
    return catalog.search_index


def search(catalog: Catalog, query: str = "", filters: Filters = NO_FILTERS) -> list[Permission]:
    return index_for(catalog).search(query, filters)


_SEGMENT = re.compile(r"^\{[^}]*\}$")


def for_request(catalog: Catalog, url: str, method: str | None = None,
                kind: str | None = None) -> list[tuple[Permission, bool]]:
    """Permissions that allow a concrete request, e.g. ("GET", "/users/42/messages"): each
    with True when Microsoft marks it least-privileged there. Least-privileged first."""
    terms = normalize_query(url)
    if not terms:
        return []
    wanted = [s for s in terms[-1].split("/") if s]
    method = method.upper() if method else None
    found: dict[str, tuple[Permission, bool]] = {}
    for p in catalog.permissions:
        for api in p.paths:
            if method and method not in api.methods:
                continue
            if kind and kind not in api.kinds:
                continue
            segments = [s for s in api.path.lower().split("/") if s]
            if len(segments) != len(wanted) or not all(
                    s == w or _SEGMENT.match(s) for s, w in zip(segments, wanted, strict=True)):
                continue
            least = bool(api.least) and (kind is None or kind in api.least)
            if least or p.name not in found:
                found[p.name] = (p, least or found.get(p.name, (p, False))[1])
    return sorted(found.values(), key=lambda item: (not item[1], item[0].max_privilege,
                                                    item[0].name.casefold()))
