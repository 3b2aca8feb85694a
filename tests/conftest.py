"""Test-wide set-up: headless Qt, and HOME, XDG dirs and config pointed at temporary folders."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from o365desk.ui.none_guard import keep_none_alive

pytest_plugins = ["tests.fakes.identity.pytest_plugin", "tests.split", "tests.e2e.proxy_kit"]

keep_none_alive()  # before any Qt call
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

# QtWebEngine and Qt write caches under HOME and XDG dirs: keep them out of the real ones.
_SESSION_HOME = Path(tempfile.mkdtemp(prefix="o365desk-test-home-"))
for _var, _sub in (
    ("XDG_CONFIG_HOME", ".config"),
    ("XDG_DATA_HOME", ".local/share"),
    ("XDG_CACHE_HOME", ".cache"),
    ("XDG_STATE_HOME", ".local/state"),
):
    os.environ[_var] = str(_SESSION_HOME / _sub)
os.environ["HOME"] = str(_SESSION_HOME)


@pytest.fixture(autouse=True)
def config_dir(tmp_path, monkeypatch) -> Path:
    """Each test gets its own empty config dir through O365DESK_CONFIG_DIR."""
    path = tmp_path / "config"
    monkeypatch.setenv("O365DESK_CONFIG_DIR", str(path))
    return path


@pytest.fixture(autouse=True)
def no_proxy_login_source():
    """Each test starts with no proxy-login source installed (a window or a command run
    in-process installs one for the whole process, as it should there), and none is left
    behind for the next test."""
    from o365desk.auth import proxy_login

    proxy_login.install(None)
    yield
    proxy_login.install(None)


def _secret_service_problem() -> str | None:
    """Why the real Secret Service can't be used here, or None when it can."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return "no D-Bus session bus (run the suite through `make test`)"
    try:
        from keyring.backends import SecretService

        backend = SecretService.Keyring()
        backend.get_password("o365desk-test", "probe")
    except Exception as exc:  # any failure means: not usable here
        return f"Secret Service not usable: {exc!r}"
    return None


@pytest.fixture
def secret_service_vault():
    """A Vault over the real Secret Service (gnome-keyring under `make test`).

    Skips where there is none, except when O365DESK_REQUIRE_SECRET_SERVICE=1 (set by
    `make test`): there a missing Secret Service fails the test instead of hiding it.
    """
    problem = _secret_service_problem()
    if problem:
        if os.environ.get("O365DESK_REQUIRE_SECRET_SERVICE") == "1":
            pytest.fail(problem)
        pytest.skip(problem)
    from keyring.backends import SecretService

    from o365desk.storage.vault import Vault

    return Vault(SecretService.Keyring())


@pytest.fixture
def keyring_backend():
    """An in-memory keychain that refuses entries over 2,560 bytes, as Windows does."""
    from tests.fakes.memory_keyring import MemoryKeyring

    return MemoryKeyring()


@pytest.fixture
def store_path(config_dir):
    return config_dir / "connections.json"


@pytest.fixture
def services(store_path, keyring_backend):
    """The app's services over a temporary store and the in-memory keychain."""
    from o365desk.services import Services
    from o365desk.storage.store import ConnectionStore
    from o365desk.storage.vault import Vault

    return Services(ConnectionStore(store_path), vault_factory=lambda: Vault(keyring_backend))
