"""Baseline for the start-up benchmark: a bare QMainWindow with a QListView."""

import sys

from PySide6.QtWidgets import QApplication, QListView, QMainWindow

from benchmarks.first_frame import FirstFrame

app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QListView())
window.resize(1000, 640)
FirstFrame(window)
window.show()
sys.exit(app.exec())
