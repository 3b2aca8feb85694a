"""Shared pieces of the scope browser tests: the window fixture and what the tree shows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox

from o365desk.ui.scopes import open_scope_browser
from o365desk.ui.scopes.tree_model import GroupRole, PermissionRole

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalog"

# IDs written by hand from Microsoft's public Graph permissions reference.
MAIL_SEND_DELEGATED = "e383f46e-2787-4529-855e-0e479a3ffac0"
MAIL_SEND_APPLICATION = "b633e1c5-b582-4048-a93e-9f11b44c7e96"
USER_READ_ALL_APPLICATION = "df021288-bdef-4463-88db-98f22de89214"


def open_browser(qtbot):
    """The browser, open, painted, its rows filled, and the active window."""
    window = open_scope_browser()
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.controller.tree_model.rows_filled)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def visible_names(window) -> list[str]:
    proxy = window.controller.proxy
    names = []
    for g in range(proxy.rowCount()):
        group = proxy.index(g, 0)
        names += [proxy.index(r, 0, group).data() for r in range(proxy.rowCount(group))]
    return names


def visible_permissions(window) -> list:
    proxy = window.controller.proxy
    return [proxy.index(r, 0, proxy.index(g, 0)).data(PermissionRole)
            for g in range(proxy.rowCount()) for r in range(proxy.rowCount(proxy.index(g, 0)))]


def group_labels(window) -> dict[str, str]:
    proxy = window.controller.proxy
    return {proxy.index(g, 0).data(GroupRole): proxy.index(g, 0).data()
            for g in range(proxy.rowCount())}


def choose(combo: QComboBox, value) -> None:
    combo.setCurrentIndex(combo.findData(value))


def current_name(window) -> str | None:
    p = window.tree.currentIndex().data(PermissionRole)
    return p.name if p else None
