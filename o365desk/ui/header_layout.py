"""The list's column layout in window.ini: restored as saved, also when it was saved by a
version with fewer columns.

Qt restores such a header (the new columns at its default width) but keeps the old total
length, and the state it saves next is then refused on the following start: every column
falls back to 100 pixels. The old last column, stretched to fill the old window, would
also stay that wide and push the new one out of sight. So a layout saved with another
column count is settled: the widths, order, hidden columns and sort as restored, the old
stretched column at no more than its default width, a new column at its default width,
made into a header state of today's columns.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView

HEADER_KEY = "window/header"
COLUMNS_KEY = "window/columns"
# Versions that saved no column count had six (Nickname to Last used): the Health column
# came with the count.
OLD_COLUMNS = 6


def restore(header: QHeaderView, settings: QSettings, default_widths: Mapping[int, int]) -> bool:
    """Restore the saved layout; False when none was saved (or Qt refused it)."""
    value = settings.value(HEADER_KEY)
    if not isinstance(value, QByteArray) or value.isEmpty() or not header.restoreState(value):
        return False
    try:
        saved = int(settings.value(COLUMNS_KEY, OLD_COLUMNS))
    except (TypeError, ValueError):
        saved = OLD_COLUMNS
    if saved != header.count():
        _settle(header, saved, default_widths)
    return True


def save(header: QHeaderView, settings: QSettings) -> None:
    settings.setValue(HEADER_KEY, header.saveState())
    settings.setValue(COLUMNS_KEY, header.count())


def _settle(header: QHeaderView, saved: int, default_widths: Mapping[int, int]) -> None:
    """Rebuild the header's state from what was restored, as if made with today's columns."""
    count = header.count()
    order = [header.logicalIndex(visual) for visual in range(count)]
    # The old layout's last column was stretched to fill its window; a new column after
    # it makes it an ordinary one again, at its own width.
    shown_old = [logical for logical in order
                 if logical < saved and not header.isSectionHidden(logical)]
    stretched = shown_old[-1] if shown_old and header.stretchLastSection() else None
    probe = QHeaderView(header.orientation())
    probe.setModel(header.model())
    probe.setSectionsMovable(True)
    probe.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    probe.setStretchLastSection(header.stretchLastSection())
    for logical in range(count):
        new = logical >= saved
        default = default_widths.get(logical, header.defaultSectionSize())
        width = header.sectionSize(logical)
        if new or (logical == stretched and saved < count):
            width = default if new else min(width, default)
        probe.resizeSection(logical, width)
        if header.isSectionHidden(logical) and not new:
            probe.hideSection(logical)
    for visual, logical in enumerate(order):
        probe.moveSection(probe.visualIndex(logical), visual)
    probe.setSortIndicator(header.sortIndicatorSection(), header.sortIndicatorOrder())
    header.restoreState(probe.saveState())
    probe.setModel(None)
    probe.deleteLater()
