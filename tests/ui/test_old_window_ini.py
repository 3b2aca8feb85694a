"""A window.ini saved by the version before the Health column (six columns) opens with every
column visible at a sensible width, the saved widths and order kept."""

from __future__ import annotations

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QTableView

from o365desk.ui.connections_model import Column
from o365desk.ui.main_controller import MainController
from o365desk.ui.main_window import MainWindow, window_settings
from tests.ui.conftest import sample_connections

OLD_COLUMNS = 6  # Nickname, Account, Organisation, Cloud, Status, Last used
OLD_WIDTHS = (200, 250, 220, 170, 215, 140)  # the old defaults


def _old_header_state(qtbot, widths=OLD_WIDTHS, move=None) -> bytes:
    """What the six-column version saved as window/header: its table's header, set up as
    it was (interactive, movable, the last section stretched), at its widths."""
    model = QStandardItemModel(0, OLD_COLUMNS)
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(model)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionsMovable(True)
    # A maximised window on a wide screen: the last column (Last used) stretched wide.
    table.resize(sum(widths) + 400, 300)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    if move is not None:
        header.moveSection(*move)
    table.show()
    qtbot.waitExposed(table)
    return header.saveState()


def _open(qtbot, services, state) -> MainWindow:
    for connection in sample_connections():
        services.store.add(connection)
    settings = window_settings()
    settings.setValue("window/header", state)
    settings.sync()
    window = MainWindow()
    qtbot.addWidget(window)
    MainController(window, services).load()
    with qtbot.waitExposed(window):
        window.show()
    return window


def _assert_every_column_visible_and_sensible(window: MainWindow) -> None:
    header = window.table.horizontalHeader()
    assert header.count() == len(Column)
    for column in Column:
        assert not header.isSectionHidden(column), column.name
        width = header.sectionSize(column)
        assert 60 <= width <= 300, (column.name, width)
    # Last used was stretched to fill the old window: now it is not the last, its own width.
    assert header.sectionSize(Column.LAST_USED) <= 200
    # The Health column fits its words ("Lapses in 83 days", "Sign-in ended").
    words = window.table.fontMetrics().horizontalAdvance("Secret expires in 12 days")
    assert header.sectionSize(Column.HEALTH) >= min(words, 150)


def test_an_old_window_ini_opens_with_the_health_column_too(qtbot, services, config_dir):
    window = _open(qtbot, services, _old_header_state(qtbot, (180, 260, 220, 170, 215, 140)))
    _assert_every_column_visible_and_sensible(window)
    assert window.table.columnWidth(Column.ACCOUNT) == 260  # the person's width kept


def test_an_old_window_ini_with_a_moved_column_keeps_the_order(qtbot, services, config_dir):
    window = _open(qtbot, services, _old_header_state(qtbot, move=(Column.STATUS, 0)))
    _assert_every_column_visible_and_sensible(window)
    header = window.table.horizontalHeader()
    assert header.logicalIndex(0) == Column.STATUS
    assert header.visualIndex(Column.HEALTH) == len(Column) - 1  # the new one at the end


def test_the_layout_saved_now_comes_back_as_it_was(qtbot, services, config_dir):
    first = _open(qtbot, services, _old_header_state(qtbot))
    first.table.setColumnWidth(Column.HEALTH, 210)
    widths = [first.table.columnWidth(c) for c in Column]
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    MainController(second, services).load()
    with qtbot.waitExposed(second):
        second.show()
    _assert_every_column_visible_and_sensible(second)
    assert [second.table.columnWidth(c) for c in Column][:-1] == widths[:-1]
