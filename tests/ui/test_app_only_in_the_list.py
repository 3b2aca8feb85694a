"""An app-only connection in the window's list (the window makes none yet): shown with its
status, selectable, nothing crashes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from o365desk.core.connection import Connection, Credential, CredentialType, Kind
from o365desk.ui.connections_model import Column
from tests.ui.helpers import select, visible_nicknames


def _app(nickname: str, expires_at=None) -> dict:
    return Connection(nickname=nickname, tenant="contoso.com", kind=Kind.APP_ONLY,
                      scopes=("User.Read.All",),
                      credential=Credential(CredentialType.SECRET, expires_at=expires_at)
                      ).to_dict()


def test_app_only_connections_are_listed_and_selectable(make_window, store_path):
    store_path.parent.mkdir(parents=True, exist_ok=True)
    store_path.write_text(json.dumps({"schema_version": 1, "connections": [
        Connection(nickname="Person").to_dict(), _app("Daemon"),
        _app("Expired", datetime(2020, 1, 1, tzinfo=UTC))]}))
    window, controller = make_window([])
    assert visible_nicknames(controller) == ["Daemon", "Expired", "Person"]
    statuses = {controller.proxy.index(r, Column.NICKNAME).data():
                controller.proxy.index(r, Column.STATUS).data()
                for r in range(controller.proxy.rowCount())}
    assert statuses == {"Daemon": "App only", "Expired": "Credential expired",
                        "Person": "Not signed in"}
    for nickname in ("Daemon", "Expired", "Person"):
        select(window, controller, nickname)
    assert window.details.status.text() == "Not signed in"


APP_A = "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"
APP_B = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"


def _account_cell(controller, nickname: str):
    proxy = controller.proxy
    for row in range(proxy.rowCount()):
        if proxy.index(row, Column.NICKNAME).data() == nickname:
            return proxy.index(row, Column.ACCOUNT)
    raise AssertionError(f"{nickname!r} is not listed")


def test_the_account_column_names_the_app_an_app_only_connection_acts_as(
        qtbot, make_window, store_path):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAccessible

    from o365desk.core.connection import Account

    store_path.parent.mkdir(parents=True, exist_ok=True)
    person = Connection(nickname="Person", tenant="contoso.com",
                        account=Account("admin@contoso.com", "h.t", "t")).to_dict()
    store_path.write_text(json.dumps({"schema_version": 1, "connections": [
        person, {**_app("Payroll"), "client_id": APP_B}, {**_app("Backup"), "client_id": APP_A}]}))
    window, controller = make_window([])
    cell = _account_cell(controller, "Backup")
    assert cell.data() == "App 1b2c3d4e\u2026"
    full = f"App only: acts as the app registration with client ID {APP_A}"
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == full
    assert cell.data(Qt.ItemDataRole.AccessibleTextRole) == full
    assert _account_cell(controller, "Person").data() == "admin@contoso.com"
    # What a screen reader reads for that cell of the table: the whole client ID.
    table = QAccessible.queryAccessibleInterface(window.table)
    read = [table.child(i).text(QAccessible.Text.Name) for i in range(table.childCount())]
    assert full in read and "admin@contoso.com" in read

    # Sorting by the column: the apps together (by client ID), then the person.
    window.table.sortByColumn(Column.ACCOUNT, Qt.SortOrder.AscendingOrder)
    assert visible_nicknames(controller) == ["Person", "Backup", "Payroll"]
    window.table.sortByColumn(Column.ACCOUNT, Qt.SortOrder.DescendingOrder)
    assert visible_nicknames(controller) == ["Payroll", "Backup", "Person"]

    # Filtering by what the column says, typed: part of a client ID finds its app.
    window.filter_edit.setFocus()
    qtbot.keyClicks(window.filter_edit, "9f8e7d")
    qtbot.waitUntil(lambda: visible_nicknames(controller) == ["Payroll"])
    window.filter_edit.clear()
    qtbot.keyClicks(window.filter_edit, "app 1b2c")
    qtbot.waitUntil(lambda: visible_nicknames(controller) == ["Backup"])
