"""Fixtures for the end-to-end wizard tests: QtWebEngine first, a qasync loop, services."""

from __future__ import annotations

# Before pytest-qt makes the QApplication (see tests/ui/conftest.py).
import PySide6.QtWebEngineWidgets  # noqa: F401, I001
import pytest

from tests.ui.conftest import run_qasync
from tests.ui.wizard_helpers import make_wizard  # noqa: F401  (a fixture)


@pytest.fixture
def qasync_loop(qapp):
    """Not autouse here: the CLI tests run processes and need no Qt."""
    yield from run_qasync(qapp)


