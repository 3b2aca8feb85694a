"""The one place that decides where o365desk keeps its files."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "o365desk"
CONFIG_ENV = "O365DESK_CONFIG_DIR"


def config_dir() -> Path:
    """Where connections.json lives: $O365DESK_CONFIG_DIR, else the platform's config dir."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False, roaming=True))


def data_dir() -> Path:
    """Where caches and logs live; beside the config when the config dir is overridden."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser() / "data"
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def connections_file() -> Path:
    return config_dir() / "connections.json"
