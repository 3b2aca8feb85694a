"""Baseline for the start-up benchmark: a bare QMainWindow with a QListView."""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QListView, QMainWindow

from o365desk.core.procstart import ms_since_start


class _FirstPaint(QObject):
    def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            print(f"first paint: {ms_since_start()} ms", file=sys.stderr)
            QTimer.singleShot(0, QApplication.quit)
            watched.removeEventFilter(self)
        return False


app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QListView())
window.resize(1000, 640)
watcher = _FirstPaint()
window.installEventFilter(watcher)
window.show()
sys.exit(app.exec())
