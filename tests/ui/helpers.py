"""Small helpers shared by the window tests."""

from __future__ import annotations

import json
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit


def open_box(qtbot, title: str):
    """The message box with that title the window opened (non-blocking), once it shows."""
    from PySide6.QtWidgets import QMessageBox

    def find():
        return [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible() and w.windowTitle() == title]

    qtbot.waitUntil(lambda: bool(find()))
    return find()[0]


def visible_nicknames(controller) -> list[str]:
    proxy = controller.proxy
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def row_texts(controller, nickname: str) -> list[str]:
    proxy = controller.proxy
    for row in range(proxy.rowCount()):
        if proxy.index(row, 0).data() == nickname:
            return [proxy.index(row, col).data() for col in range(proxy.columnCount())]
    raise AssertionError(f"{nickname!r} is not listed")


def select(window, controller, nickname: str) -> None:
    proxy = controller.proxy
    for row in range(proxy.rowCount()):
        if proxy.index(row, 0).data() == nickname:
            window.table.selectRow(row)
            return
    raise AssertionError(f"{nickname!r} is not listed")


def saved_nicknames(path) -> list[str]:
    """What is really in the file, read without the app's store."""
    if not path.exists():
        return []
    return [c["nickname"] for c in json.loads(path.read_text("utf-8"))["connections"]]


def rename_in_place(qtbot, window, controller, nickname: str, new_text: str) -> None:
    """Select the row, press F2 (the Rename action), type, and press Enter."""
    select(window, controller, nickname)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit), "F2 did not open the nickname editor"
    assert editor.text() == nickname
    editor.setText(new_text)
    commit(qtbot, window, editor)


def commit(qtbot, window, editor) -> None:
    """Press Enter in the editor; the delegate commits through a queued call, so wait."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.table.state() != QAbstractItemView.State.EditingState)


class LoopGaps:
    """While in the `with` block, a 10 ms timer notes how long the Qt event loop went
    without turning; `longest` is the worst stall in seconds."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0

    def _tick(self) -> None:
        now = time.monotonic()
        self.gaps.append(now - self._last)
        self._last = now

    def __enter__(self) -> LoopGaps:
        self._last = time.monotonic()
        self._timer.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._timer.stop()

    @property
    def longest(self) -> float:
        return max(self.gaps, default=0.0)


def press_test(qtbot, window, controller) -> None:
    """Ctrl+T on the list (the keyboard path to Test connection), then wait for the result."""
    window.result_bar.hide()
    qtbot.keyClick(window.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.result_bar.isVisible() and not controller.runner.busy,
                    timeout=20000)
