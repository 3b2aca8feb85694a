"""The tree's filter: the catalog's search index decides, once per keystroke, what shows."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel

from o365desk.catalog.search import NO_FILTERS, Filters, index_for, normalize_query
from o365desk.ui.scopes.tree_model import PermissionTreeModel, RankRole


class PermissionFilterProxy(QSortFilterProxyModel):
    """Shows the permissions the search index returns for the query and filters, and the
    groups that still hold one, each with its filtered count. While a query is typed, the
    rows are in the index's order: the group of the best match first, the best match at
    its top; otherwise in the catalog's order.

    The match set is computed once per change (one call into the index); filterAcceptsRow
    is then a list lookup, so Qt's per-row callbacks stay cheap, and the order is a number
    in each row that Qt compares itself.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._catalog = None
        self._query = ""
        self._filters = NO_FILTERS
        self._accepted: list[list[bool]] | None = None  # None: no narrowing, all rows show
        self._counts: list[int] = []
        self._ranked: list[str] = []  # matching names, best first
        self.setSortRole(RankRole)

    # --- state ---------------------------------------------------------------------------

    def set_catalog(self, catalog) -> None:
        """Call after the source model got the same catalog."""
        self._catalog = catalog
        self._apply()

    @property
    def query(self) -> str:
        return self._query

    @property
    def filters(self) -> Filters:
        return self._filters

    def is_narrowed(self) -> bool:
        return self._accepted is not None

    def match_count(self) -> int:
        source = self._tree()
        if self._accepted is None:
            return sum(len(m) for m in source.members) if source else 0
        return sum(self._counts)

    def best_match(self) -> str | None:
        """The name the index ranks first for the query (the tree's first row), or None."""
        return self._ranked[0] if self._ranked else None

    def set_search(self, query: str, filters: Filters | None = None) -> None:
        self._query = query
        if filters is not None:
            self._filters = filters
        self._apply()

    def set_filters(self, filters: Filters) -> None:
        self._filters = filters
        self._apply()

    def _tree(self) -> PermissionTreeModel | None:
        source = self.sourceModel()
        return source if isinstance(source, PermissionTreeModel) else None

    def _apply(self) -> None:
        source = self._tree()
        if source is None:
            return
        if self._catalog is None or (not normalize_query(self._query)
                                     and self._filters == NO_FILTERS):
            self._accepted, self._counts, self._ranked = None, [], []
        else:
            found = index_for(self._catalog).search(self._query, self._filters)
            self._ranked = [p.name for p in found] if normalize_query(self._query) else []
            names = {p.name for p in found}
            self._accepted = [[p.name in names for p in members] for members in source.members]
            self._counts = [sum(row) for row in self._accepted]
        source.set_shown_counts(self._counts if self._accepted is not None else None)
        if self._ranked:
            source.set_ranks(self._ranked)
        column = 0 if self._ranked else -1  # -1: the catalog's order
        if self.sortColumn() != column:
            self.sort(column)
        # One layout change instead of endFilterChange()'s row-by-row removals, after which
        # a tree view would lay itself out again for each removed range.
        self.invalidate()

    # --- QSortFilterProxyModel -----------------------------------------------------------

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        accepted = self._accepted
        if accepted is None:
            return True
        group = source_parent.row()
        if group < 0:
            return self._counts[source_row] > 0
        return accepted[group][source_row]
