"""`o365desk` on a machine without a display: one plain line and exit 1, not Qt's abort."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from o365desk.app import NO_DISPLAY


def _clean_env(config_dir) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["O365DESK_CONFIG_DIR"] = str(config_dir)
    return env


def _run(args, env, code: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "o365desk", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland only")
@pytest.mark.parametrize("args", [[], ["--smoke"]])
def test_without_a_display_the_window_says_so_in_one_line(config_dir, args):
    result = _run(args, _clean_env(config_dir))
    assert result.returncode == 1
    assert result.stderr == NO_DISPLAY + "\n" and result.stdout == ""
    assert "o365desk list" in NO_DISPLAY and "xcb" not in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland only")
def test_without_a_display_qt_is_not_even_loaded_and_commands_still_work(config_dir):
    env = _clean_env(config_dir)
    probe = ("import sys\nfrom o365desk.cli import main\ncode = main([])\n"
             "print(code, any(m.startswith('PySide6') for m in sys.modules))")
    assert _run([], env, probe).stdout.split() == ["1", "False"]
    listed = _run(["list"], env)
    assert listed.returncode == 0, listed.stderr


def test_a_chosen_qt_platform_still_opens_the_window(config_dir):
    env = _clean_env(config_dir) | {"QT_QPA_PLATFORM": "offscreen"}
    result = _run(["--smoke"], env)
    assert result.returncode == 0, result.stderr
    assert "first paint" in result.stderr
