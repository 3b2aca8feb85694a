"""Fixtures for the end-to-end wizard tests: QtWebEngine first, a qasync loop, services."""

from __future__ import annotations

# Before pytest-qt makes the QApplication (see tests/ui/conftest.py).
import PySide6.QtWebEngineWidgets  # noqa: F401, I001
import pytest

from o365desk.services import Services
from o365desk.storage.store import ConnectionStore
from o365desk.storage.vault import Vault
from tests.fakes.memory_keyring import MemoryKeyring
from tests.ui.conftest import run_qasync
from tests.ui.wizard_helpers import make_wizard  # noqa: F401  (a fixture)


@pytest.fixture
def qasync_loop(qapp):
    """Not autouse here: the CLI tests run processes and need no Qt."""
    yield from run_qasync(qapp)


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def store_path(config_dir):
    return config_dir / "connections.json"


@pytest.fixture
def services(store_path, keyring_backend) -> Services:
    return Services(ConnectionStore(store_path), vault_factory=lambda: Vault(keyring_backend))
