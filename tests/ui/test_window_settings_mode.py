"""window.ini, which Qt writes, is owner-only in an owner-only folder whatever the umask."""

from __future__ import annotations

import os
import stat

from o365desk.ui.main_window import window_settings


def test_window_ini_and_its_folder_are_owner_only_under_umask_000(config_dir):
    old = os.umask(0)
    try:
        settings = window_settings()
        settings.setValue("geometry", "a")
        settings.sync()
        settings.setValue("geometry", "b")  # a second save replaces the file
        settings.sync()
    finally:
        os.umask(old)
    assert stat.S_IMODE(config_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((config_dir / "window.ini").stat().st_mode) == 0o600
    assert window_settings().value("geometry") == "b"
