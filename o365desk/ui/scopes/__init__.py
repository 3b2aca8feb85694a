"""The scope browser: every Microsoft Graph permission, grouped, searchable and offline."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def open_scope_browser(parent: QWidget | None = None, services=None) -> QWidget:
    """Build, load and show the browser window (non-modal); keeping one is the caller's job.

    The catalog is read here, when the browser first opens, never at start-up. With
    `services`, the catalog can be refreshed through a signed-in connection.
    """
    from o365desk.ui.scopes.browser_window import ScopeBrowserWindow
    from o365desk.ui.scopes.controller import ScopeBrowserController

    window = ScopeBrowserWindow(parent)
    if window.screen() is not None:
        room = window.screen().availableGeometry().size() * 0.9
        window.resize(min(window.width(), room.width()), min(window.height(), room.height()))
    window.controller = ScopeBrowserController(window)
    window.controller.load()
    if services is not None:
        from o365desk.ui.scopes.tenant_refresh import TenantRefresh

        window.tenant_refresh = TenantRefresh(window.controller, services)
    window.show()
    window.raise_()
    window.activateWindow()
    return window


__all__ = ["open_scope_browser"]
