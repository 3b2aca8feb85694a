"""Test-wide set-up: headless Qt, and HOME, XDG dirs and config pointed at temporary folders."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

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
