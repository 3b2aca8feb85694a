"""On a first start the Health column shows, whole, beside the others: at the window's
default size and at 1024x700, sorted by health with Ctrl+Shift+H as a person does."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from o365desk.ui.connections_model import Column
from o365desk.ui.main_controller import MainController
from o365desk.ui.main_window import MainWindow
from tests.ui.conftest import NOW
from tests.ui.test_health_in_the_list import health_connections


@pytest.mark.parametrize("size", [None, (1024, 700)])
def test_every_column_and_the_whole_health_words_show_on_a_first_start(
        qtbot, services, size):
    for conn in health_connections():
        services.store.add(conn)
    window = MainWindow()
    qtbot.addWidget(window)
    MainController(window, services, clock=lambda: NOW).load()  # no window.ini yet
    window.resize(*(size or (1180, 660)))  # the default size (the offscreen screen is small)
    with qtbot.waitExposed(window):
        window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_H,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    table, model = window.table, window.table.model()
    room = table.viewport().width()
    metrics = table.fontMetrics()
    for column in Column:
        rect = table.visualRect(model.index(0, column))
        assert 0 <= rect.left() and rect.right() <= room, (column.name, rect, room)
    icon = table.iconSize().width() or table.style().pixelMetric(
        table.style().PixelMetric.PM_SmallIconSize)
    for row in range(model.rowCount()):
        index = model.index(row, Column.HEALTH)
        words = index.data()
        wanted = metrics.horizontalAdvance(words) + icon + 12  # the icon and the padding
        assert wanted <= table.visualRect(index).width(), (words, table.visualRect(index))
        assert table.visualRect(index).right() <= room


def test_roomy_windows_keep_the_default_widths_and_tiny_ones_a_floor():
    from o365desk.ui.main_window import first_widths

    roomy = first_widths(4000)
    assert roomy[Column.NICKNAME] == 170 and roomy[Column.ACCOUNT] == 220
    tiny = first_widths(100)
    assert min(tiny.values()) == 60
