"""Start-up in a fresh process: paints without msal, keyring, requests or QtWebEngine loaded."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("msal", "keyring", "requests", "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineCore")

# A fresh interpreter: this test process may have imported the heavy modules already.
SMOKE = textwrap.dedent(
    f"""
    import sys
    from o365desk.app import run_gui
    code = run_gui([sys.argv[0]], smoke=True)
    print("LOADED:" + ",".join(m for m in {HEAVY!r} if m in sys.modules))
    sys.exit(code)
    """
)

# Normal mode: note what is loaded when the keychain check is about to start (right after
# the first paint), then let it run and quit once it has answered.
NORMAL = textwrap.dedent(
    f"""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    import o365desk.ui.main_controller as mc
    from o365desk.app import run_gui

    start = mc.MainController.start_keychain_check

    def hooked(self):
        print("AT-PAINT:" + ",".join(m for m in {HEAVY!r} if m in sys.modules))
        start(self)

        def poll():
            if self.keychain is None:
                QTimer.singleShot(20, poll)
                return
            print("STATUS:" + self.window.keychain_label.text())
            QApplication.quit()

        poll()

    mc.MainController.start_keychain_check = hooked
    sys.exit(run_gui([sys.argv[0]]))
    """
)


def _run(script: str, config_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        O365DESK_CONFIG_DIR=str(config_dir),
        # No real keychain here: the fail backend answers at once instead of a D-Bus wait.
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        PYTHONPATH=str(ROOT),
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def saved_connection(config_dir):
    from o365desk.core.connection import Connection
    from o365desk.storage.store import ConnectionStore

    ConnectionStore(config_dir / "connections.json").add(Connection(nickname="Contoso"))


def test_smoke_paints_without_heavy_modules(config_dir, saved_connection):
    result = _run(SMOKE, config_dir)
    assert result.returncode == 0, result.stderr
    assert "LOADED:\n" in result.stdout  # nothing heavy
    lines = [line for line in result.stderr.splitlines() if line.startswith("first paint: ")]
    assert len(lines) == 1, result.stderr
    match = re.fullmatch(r"first paint: (\d+) ms \(monotonic clock (\d+\.\d{6}) s\)", lines[0])
    assert match, lines[0]
    assert 0 < int(match[1]) < 30_000
    assert 0 < time.monotonic() - float(match[2]) < 30  # the clock this process reads too


def test_keychain_is_checked_only_after_first_paint(config_dir, saved_connection):
    result = _run(NORMAL, config_dir)
    assert result.returncode == 0, result.stderr
    assert "AT-PAINT:\n" in result.stdout  # neither keyring nor msal before the check
    assert "STATUS:Keychain unavailable" in result.stdout


# The IT policy is read just after the first paint: a smoke run (which ends at the first
# paint) never imports it, and the running window shows a damaged one at once after.
POLICY_AFTER_PAINT = textwrap.dedent(
    """
    import sys
    from PySide6.QtWidgets import QApplication
    import o365desk.ui.main_controller as mc
    from o365desk.app import run_gui

    start = mc.MainController.start_keychain_check

    def hooked(self):
        print("NEW-ON:" + str(self.window.act_new.isEnabled()))
        print("BAR:" + self.window.policy_bar.text().replace("\\n", " "))
        start(self)
        QApplication.quit()

    mc.MainController.start_keychain_check = hooked
    sys.exit(run_gui([sys.argv[0]]))
    """
)


def test_the_it_policy_is_read_right_after_the_first_paint(config_dir, saved_connection,
                                                             tmp_path, monkeypatch):
    from o365desk.core import policy_sources

    policy = tmp_path / "policy.json"
    policy.write_text('{"allowed_clouds": ["mars"]}')
    monkeypatch.setenv(policy_sources.POLICY_ENV, str(policy))
    smoke = _run(SMOKE.replace('print("LOADED:"', 'print("POLICY:" + str(any(m.startswith('
                               '"o365desk.core.policy") for m in sys.modules)))\nprint("LOADED:"'),
                 config_dir)
    assert smoke.returncode == 0, smoke.stderr
    assert "POLICY:False" in smoke.stdout  # not read before the first paint
    running = _run(POLICY_AFTER_PAINT, config_dir)
    assert running.returncode == 0, running.stderr
    assert "NEW-ON:False" in running.stdout
    assert "allowed_clouds" in running.stdout and "mars" in running.stdout
