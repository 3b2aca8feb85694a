"""Reference for the start-up benchmark: o365desk's first frame, written as plain PySide6.

The same widgets as o365desk's main window with 200 connections (menus, a toolbar with
icons and text, a filter box, a sortable 200-row table, a details pane with its buttons,
a status bar, and the OpenGL-sharing attribute the sign-in view needs), but no
o365desk code: rows are made up in a loop, and nothing is read from disk. What
o365desk costs above this is what its own code costs; what this costs above the bare
window is what showing that content costs in PySide6.
"""

import sys

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from benchmarks.first_frame import FirstFrame

CLOUDS = ("Global", "US Government (GCC High)", "US Government (DoD)", "China (21Vianet)")

QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("o365desk")
window.resize(1180, 660)

actions = {}
for name, shortcut, icon in (
    ("&New connection\u2026", QKeySequence.StandardKey.New, "document-new"),
    ("&Quit", QKeySequence.StandardKey.Quit, ""),
    ("&Test connection", "Ctrl+T", "network-transmit-receive"),
    ("Sign &in again\u2026", "Ctrl+I", "view-refresh"),
    ("Sign &out\u2026", None, "system-log-out"),
    ("&Rename", "F2", ""),
    ("&Delete\u2026", QKeySequence.StandardKey.Delete, "edit-delete"),
    ("Copy &ID", "Ctrl+Shift+C", ""),
    ("&Filter connections", QKeySequence.StandardKey.Find, ""),
    ("&Permissions\u2026", None, ""),
    ("&About o365desk", None, ""),
):
    action = QAction(name, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if icon:
        action.setIcon(QIcon.fromTheme(icon))
    actions[name] = action
names = list(actions)
for title, members in (("&File", names[0:2]), ("&Connection", names[2:8]), ("&View", names[8:9]),
                       ("&Tools", names[9:10]), ("&Help", names[10:11])):
    menu = window.menuBar().addMenu(title)
    for name in members:
        menu.addAction(actions[name])
toolbar = window.addToolBar("Main toolbar")
toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
for name in names[0:1] + names[2:4] + names[5:7] + names[9:10]:
    toolbar.addAction(actions[name])

model = QStandardItemModel(0, 6)
model.setHorizontalHeaderLabels(["Nickname", "Account", "Tenant", "Cloud", "Status", "Last used"])
for i in range(200):
    account = f"admin{i}@tenant{i}.onmicrosoft.com" if i % 3 else "\u2014"
    status = "Sign-in needed" if i % 3 else "Not signed in"
    model.appendRow([QStandardItem(text) for text in (
        f"Tenant {i:03d}", account, f"tenant{i}.onmicrosoft.com", CLOUDS[i % 4], status, "never")])
table = QTableView()
table.setModel(model)
table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
table.setSortingEnabled(True)
table.setAlternatingRowColors(True)
table.setShowGrid(False)
table.verticalHeader().hide()
table.horizontalHeader().setStretchLastSection(True)
table.selectRow(0)

filter_row = QHBoxLayout()
filter_row.addWidget(QLabel("F&ilter:"))
filter_edit = QLineEdit()
filter_edit.setPlaceholderText("Filter connections")
filter_edit.setClearButtonEnabled(True)
filter_row.addWidget(filter_edit, 1)
list_page = QWidget()
list_layout = QVBoxLayout(list_page)
list_layout.addLayout(filter_row)
list_layout.addWidget(table, 1)

details = QWidget()
form = QFormLayout()
for label, value in (("Nickname", "Tenant 000"), ("Status", "Not signed in"),
                     ("Account", "\u2014"), ("Organisation", "tenant0.onmicrosoft.com"),
                     ("Cloud", CLOUDS[0]), ("Permissions", "User.Read.All Group.Read.All"),
                     ("Created", "today"), ("Last used", "never")):
    form.addRow(label, QLabel(value))
buttons = QHBoxLayout()
for text in ("&Test", "Sign &in again\u2026", "Sign &out\u2026", "&Rename", "&Delete\u2026"):
    buttons.addWidget(QPushButton(text))
details_layout = QVBoxLayout(details)
details_layout.addLayout(form)
details_layout.addLayout(buttons)

splitter = QSplitter(Qt.Orientation.Vertical)
splitter.addWidget(list_page)
splitter.addWidget(details)
window.setCentralWidget(splitter)
window.statusBar().addWidget(QLabel("200 connections"))
window.statusBar().addPermanentWidget(QLabel("Keychain: checking\u2026"))

FirstFrame(window)
window.show()
sys.exit(app.exec())
