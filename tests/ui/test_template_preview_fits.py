"""A template's preview, opened from the File menu by keys, shows each row's words whole:
the result (why a connection is refused, or what to do next) is not a clipped sliver."""

from __future__ import annotations

import copy
import json

import pytest
from PySide6.QtCore import Qt

from o365desk.core.connection import Connection
from o365desk.ui.template_preview import Col
from tests.ui.test_template_window import ONE, choose_from_the_file_menu, preview_dialog


def _several() -> dict:
    data = copy.deepcopy(ONE)
    data["connections"] += [{**data["connections"][0], "nickname": "Payroll EU",
                             "tenant": "contoso.eu"},
                            {"nickname": "Helpdesk", "scopes": ["User.Read.All"]}]
    return data


@pytest.mark.parametrize("data", [ONE, _several()], ids=["one", "several"])
def test_every_row_of_the_preview_shows_whole(qtbot, make_window, monkeypatch, tmp_path,
                                              data):
    path = tmp_path / "payroll.o365template"
    path.write_text(json.dumps(data))
    window, _controller = make_window([Connection("Payroll", tenant="fabrikam.com")])
    choose_from_the_file_menu(qtbot, window, monkeypatch, path)
    dialog = preview_dialog(qtbot, window)
    table = dialog.table
    qtbot.waitUntil(lambda: table.rowHeight(0) >= table.sizeHintForRow(0))
    assert "another nickname" in dialog.model.index(0, Col.RESULT).data()
    room = table.viewport().rect()
    for row in range(dialog.model.rowCount()):
        assert table.rowHeight(row) >= table.sizeHintForRow(row), row  # no line cut off
        for col in Col:
            rect = table.visualRect(dialog.model.index(row, col))
            assert room.contains(rect), (row, col.name, rect, room)
    assert table.columnWidth(Col.RESULT) >= 250


def test_one_connection_the_it_policy_refuses_says_so_and_does_not_go_on(
        qtbot, make_window, monkeypatch, tmp_path):
    from o365desk.core import policy_sources

    policy = tmp_path / "policy.json"
    policy.write_text("{ not json")  # damaged: no new connection until IT fixes it
    monkeypatch.setenv(policy_sources.POLICY_ENV, str(policy))
    path = tmp_path / "payroll.o365template"
    path.write_text(json.dumps(ONE))
    # Its nickname is taken too: another nickname would not help, so that is not asked.
    window, controller = make_window([Connection("Payroll", tenant="fabrikam.com")])
    choose_from_the_file_menu(qtbot, window, monkeypatch, path)
    dialog = preview_dialog(qtbot, window)
    result = dialog.model.index(0, Col.RESULT).data()
    assert result.startswith(f"Refused: The IT policy {policy} can't be used.")
    assert "another nickname" not in result
    assert dialog.intro.text() == ("The template \u201cpayroll.o365template\u201d sets up "
                                   "one connection, but it can't be created, for the reason "
                                   "shown.")
    assert not dialog.go.isEnabled() and dialog.go.text() == "&Continue\u2026"
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # Enter goes nowhere
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert controller.wizards.window is None
