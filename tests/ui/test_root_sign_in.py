"""As root with Chromium's sandbox on (no QTWEBENGINE_DISABLE_SANDBOX, no --no-sandbox),
the first web engine object would end the whole app. In a real process of its own: the app
reaches the wizard's Sign in page and stays, and the page says why and offers the two
other ways, which work."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from o365desk.core import webengine_sandbox

ROOT = Path(__file__).resolve().parents[2]


def _as_root() -> list[str]:
    """The command prefix that runs the child as root: nothing when the tests already
    are; else a user namespace where this user is root (as Chromium sees it too)."""
    if webengine_sandbox.running_as_root():
        return []
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "--user", "--map-root-user", "true"],
                                  capture_output=True).returncode == 0:
        return [unshare, "--user", "--map-root-user"]
    pytest.skip("needs root, or user namespaces to act as root")


def test_as_root_without_the_sandbox_switch_the_sign_in_page_offers_other_ways():
    env = {k: v for k, v in os.environ.items()
           if k not in (webengine_sandbox.DISABLE_ENV, webengine_sandbox.FLAGS_ENV)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run([*_as_root(), sys.executable, "-m", "tests.ui.root_sign_in_child"],
                            capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Running as root without --no-sandbox" not in result.stderr
    assert "embedded sign-in not opened: running as root" in result.stderr  # the log says so
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["euid"] == 0
    assert report["page"] == 3  # the wizard's Sign in page
    assert report["window_visible"] and report["wizard_visible"]
    assert report["code"] == "no_sandbox"
    assert report["title"] == "The sign-in window can't open here"
    assert "running as root" in report["message"]
    assert "web browser" in report["message"] and "another device" in report["message"]
    assert "as your own user" in report["message"]
    assert report["buttons"] == ["Sign in with your web browser",
                                 "Use a code on another device"]
    assert "QTWEBENGINE_DISABLE_SANDBOX" in report["details"]
    assert report["web_view_made"] is False
    assert report["signed_in_as"] == "admin@contoso.onmicrosoft.com"  # the way out works
    assert report["again"] == {  # "Sign in again" is protected the same way
        "code": "no_sandbox", "dialog_visible": True,
        "buttons": ["Sign in with your web browser", "Use a code on another device"]}
