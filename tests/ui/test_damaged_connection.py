"""A damaged connection in the window: "Damaged" with the problem and what to do, only
Delete enabled, the rest of the list as usual."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from o365desk.core.connection import Connection
from o365desk.ui.connections_model import Column
from tests.ui.helpers import select, visible_nicknames


def _place(store_path, *entries):
    store_path.parent.mkdir(parents=True, exist_ok=True)
    store_path.write_text(json.dumps({"schema_version": 1, "connections": list(entries)}))


def test_a_damaged_connection_shows_why_and_only_delete_works(make_window, store_path):
    good = Connection(nickname="Good").to_dict()
    bad = Connection(nickname="Bad").to_dict() | {"graph_endpoint": "http://127.0.0.1:9"}
    huge = Connection(nickname="Huge", description="d" * 1_000_000).to_dict()
    _place(store_path, good, bad, huge)
    window, controller = make_window([])
    assert not window.notice_bar.isVisible()  # the file itself is fine
    assert visible_nicknames(controller) == ["Bad", "Good", "Huge"]
    select(window, controller, "Bad")
    details = window.details
    assert details.status.text() == "Damaged"
    explained = details.status_text.text()
    assert "can't be used" in explained and "Delete it and add it again" in explained
    assert "\u201chttp://127.0.0.1:9\u201d must start with https://" in explained
    row = next(r for r in range(controller.proxy.rowCount())
               if controller.proxy.index(r, Column.NICKNAME).data() == "Bad")
    status = controller.proxy.index(row, Column.STATUS)
    assert status.data() == "Damaged"
    assert "can't be used" in status.data(Qt.ItemDataRole.ToolTipRole)
    assert not window.table.edit(controller.proxy.index(row, Column.NICKNAME))
    for action in (window.act_test, window.act_sign_in, window.act_sign_out,
                   window.act_edit, window.act_rename):
        assert not action.isEnabled(), action.text()
        assert "Delete it and add it again" in action.toolTip()
    assert window.act_delete.isEnabled()
    select(window, controller, "Huge")
    assert "1,000,000 characters" in details.status_text.text()
    assert len(details.description.text()) <= 2001
    select(window, controller, "Good")
    assert window.details.status.text() == "Not signed in"
    assert window.act_sign_in.isEnabled() and window.act_rename.isEnabled()
