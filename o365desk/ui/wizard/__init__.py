"""The New connection wizard: nickname, organisation, permissions, sign-in, summary."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def open_new_connection_wizard(services, parent: QWidget | None = None, **options) -> QWidget:
    """Build and show the wizard (window-modal, non-blocking); keeping it is the caller's job.

    QtWebEngine and the catalog load here, when the wizard first opens, never at start-up.
    """
    from o365desk.ui.wizard.new_connection import NewConnectionWizard

    wizard = NewConnectionWizard(services, parent, **options)
    wizard.open()
    return wizard


__all__ = ["open_new_connection_wizard"]
