"""`o365desk doctor` really loads a page in QtWebEngine, in a child process, and warns about
root: real processes, real QtWebEngine offscreen."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from o365desk.core import webengine_sandbox


def doctor(**env_changes: str | None) -> subprocess.CompletedProcess:
    env = os.environ.copy()
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run([sys.executable, "-m", "o365desk", "doctor"], capture_output=True,
                          text=True, timeout=120, env=env)


def _line(stdout: str, start: str) -> str:
    [line] = [line for line in stdout.splitlines() if line.startswith(start)]
    return line


def test_a_test_page_loads_and_runs_its_script():
    result = doctor()
    line = _line(result.stdout, "[ok] QtWebEngine:")
    assert "a test page loaded and ran in" in line and "PySide6 6." in line
    assert ("[warning] QtWebEngine:" in result.stdout) == webengine_sandbox.running_as_root()


@pytest.mark.skipif(not webengine_sandbox.running_as_root(), reason="warns as root only")
def test_as_root_with_the_sandbox_switched_off_it_warns():
    result = doctor(QTWEBENGINE_DISABLE_SANDBOX="1", QTWEBENGINE_CHROMIUM_FLAGS=None)
    assert "[ok] QtWebEngine: a test page loaded" in result.stdout
    warning = _line(result.stdout, "[warning] QtWebEngine:")
    assert "runs as root with the web engine's sandbox switched off" in warning
    assert "Run o365desk as your own user" in warning


@pytest.mark.skipif(not webengine_sandbox.running_as_root(), reason="warns as root only")
def test_as_root_with_the_sandbox_on_it_checks_without_it_and_says_the_window_stays_closed():
    result = doctor(QTWEBENGINE_DISABLE_SANDBOX=None, QTWEBENGINE_CHROMIUM_FLAGS=None)
    # Chromium would have ended the check at once; doctor ran it without the sandbox.
    assert "[ok] QtWebEngine: a test page loaded" in result.stdout, result.stdout
    warning = _line(result.stdout, "[warning] QtWebEngine:")
    assert "the sign-in window stays closed" in warning
    assert "web browser or a code on another device" in warning


def test_a_web_engine_that_cannot_start_is_a_plain_problem_and_doctor_carries_on():
    result = doctor(QT_QPA_PLATFORM="no-such-platform")  # Qt aborts the child at start
    assert result.returncode == 1
    line = _line(result.stdout, "[problem] QtWebEngine:")
    assert "the web engine crashed" in line and "the sign-in window can't open" in line
    assert "--device-code" in line
    assert 'Could not find the Qt platform plugin "no-such-platform"' in result.stdout
    assert "[ok] TLS:" in result.stdout  # the checks after it still ran
    assert "QtWebEngine" in result.stderr.strip().splitlines()[-1]
    assert "Traceback" not in result.stdout + result.stderr
