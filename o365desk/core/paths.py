"""The one place that decides where o365desk keeps its files."""

from __future__ import annotations

import errno
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


def make_private_dir(path: Path) -> Path:
    """Make the folder `path` and any missing folders above it, each owner-only (0700)
    whatever the umask; folders that are already there are left as they are."""
    path = Path(path)
    missing = []
    here = path
    while not os.path.lexists(here) and here != here.parent:
        missing.append(here)
        here = here.parent
    for folder in reversed(missing):
        try:
            # The umask can only take bits away, and 0700 has none it may keep from others.
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass  # made meanwhile by another o365desk
    if not path.is_dir():
        raise FileExistsError(errno.EEXIST, "exists and is not a folder", str(path))
    return path
