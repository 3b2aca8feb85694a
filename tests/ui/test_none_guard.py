"""A long session of Qt calls must not end in "deallocating None" or "deallocating True or
False" (PySide6 6.12, Python 3.11)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import o365desk.ui  # applies the guard
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for _ in range(300_000):  # each call returns None: far more than None's own references
    label.setText("x")
print("still alive")
"""


def test_many_void_qt_calls_do_not_kill_the_interpreter():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "still alive" in result.stdout


BOOL_SCRIPT = """
import o365desk.ui  # applies the guard
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Switch(QObject):
    changed = Signal(bool)

app = QCoreApplication([])
switch = Switch()
switch.changed.connect(lambda on: None)
for _ in range(150_000):  # each emit drops a reference to its bool
    switch.changed.emit(True)
    switch.changed.emit(False)
print("still alive")
"""


def test_many_bool_signals_do_not_kill_the_interpreter():
    result = subprocess.run([sys.executable, "-c", BOOL_SCRIPT], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "still alive" in result.stdout
