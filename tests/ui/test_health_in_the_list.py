"""Token health in the window: the Health column, sorting by it and the "Needs attention
only" filter by real key presses, and the details pane's refresh and lapse rows."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from o365desk.core.connection import Account, Connection, Credential, CredentialType, Kind
from o365desk.ui.connections_model import Column, HealthRole
from tests.ui.conftest import NOW
from tests.ui.helpers import row_texts, select, visible_nicknames


def signed_in(nickname: str, days_ago: float | None, **kwargs) -> Connection:
    return Connection(nickname, tenant="contoso.onmicrosoft.com", scopes=("User.Read",),
                      account=Account(f"admin@{nickname.lower()}.com", f"{nickname}.tid",
                                      "tid"),
                      last_refreshed_at=None if days_ago is None
                      else NOW - timedelta(days=days_ago), **kwargs)


def health_connections() -> list[Connection]:
    return [
        signed_in("Fresh", 5),
        signed_in("Lapsing", 85),
        signed_in("Ended", 2, refresh_failure="AADSTS50173"),
        Connection("Daemon", tenant="contoso.onmicrosoft.com", kind=Kind.APP_ONLY,
                   client_id="11111111-2222-3333-4444-555555555555",
                   scopes=("User.Read.All",), credential=Credential(
                       CredentialType.SECRET, NOW + timedelta(days=200, hours=1))),
        signed_in("Middling", 40),
    ]


def health_text(controller, nickname: str) -> str:
    return row_texts(controller, nickname)[Column.HEALTH]


def test_the_health_column_says_in_a_few_words_and_its_tooltip_in_full(make_window):
    _window, controller = make_window(health_connections())
    assert health_text(controller, "Fresh") == "Lapses in 85 days"
    assert health_text(controller, "Lapsing") == "Lapses in 5 days"
    assert health_text(controller, "Ended") == "Sign-in ended"
    assert health_text(controller, "Daemon") == "Secret expires in 200 days"
    proxy = controller.proxy
    row = visible_nicknames(controller).index("Lapsing")
    index = proxy.index(row, Column.HEALTH)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == (
        "The saved sign-in lapses in 5 days if not used. Sign in again, or use the "
        "connection, to keep it.")
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None  # the warning icon
    fresh = proxy.index(visible_nicknames(controller).index("Fresh"), Column.HEALTH)
    assert fresh.data(Qt.ItemDataRole.DecorationRole) is None
    assert controller.model.headerData(Column.HEALTH, Qt.Orientation.Horizontal,
                                       Qt.ItemDataRole.DisplayRole) == "Health"


def test_ctrl_shift_h_sorts_what_needs_attention_first_then_the_soonest(qtbot, make_window):
    window, controller = make_window(health_connections())
    assert visible_nicknames(controller) == ["Daemon", "Ended", "Fresh", "Lapsing",
                                             "Middling"]
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_H,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    # What no longer works, then what soon won't, then the rest, each soonest first.
    assert visible_nicknames(controller) == ["Ended", "Lapsing", "Middling", "Fresh",
                                             "Daemon"]
    assert window.table.horizontalHeader().sortIndicatorSection() == Column.HEALTH


def test_the_needs_attention_filter_by_its_mnemonic_and_with_the_text_filter(qtbot,
                                                                             make_window):
    window, controller = make_window(health_connections())
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # Needs &attention
    qtbot.waitUntil(window.attention_check.isChecked)  # a mnemonic clicks after a moment
    assert sorted(visible_nicknames(controller)) == ["Ended", "Lapsing"]
    assert window.count_label.text() == "2 of 5 connections shown"
    assert all(controller.proxy.index(r, 0).data(HealthRole).needs_attention
               for r in range(controller.proxy.rowCount()))
    # The text filter narrows what needs attention further; nothing left says why.
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.filter_edit, "fresh")
    assert visible_nicknames(controller) == []
    assert window.list_stack.currentWidget() is window.no_match
    assert window.no_match_label.text() == \
        "No connection that needs attention matches \u201cfresh\u201d."
    qtbot.keyClick(window.filter_edit, Qt.Key.Key_Escape)
    assert sorted(visible_nicknames(controller)) == ["Ended", "Lapsing"]
    qtbot.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not window.attention_check.isChecked())
    assert len(visible_nicknames(controller)) == 5


def test_when_all_are_well_the_filter_says_so_and_show_all_brings_them_back(qtbot,
                                                                           make_window):
    window, controller = make_window([signed_in("Fresh", 5), signed_in("Also", 1)])
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.list_stack.currentWidget() is window.no_match)
    assert window.no_match_label.text() == "No connection needs attention: all are well."
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)  # Sho&w all
    qtbot.waitUntil(lambda: not window.attention_check.isChecked())
    assert sorted(visible_nicknames(controller)) == ["Also", "Fresh"]


def test_a_connection_that_comes_to_need_attention_joins_the_filtered_list(qtbot,
                                                                           make_window,
                                                                           services):
    window, controller = make_window(health_connections())
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(window.attention_check.isChecked)
    assert "Fresh" not in visible_nicknames(controller)
    fresh = services.store.find("Fresh")
    services.store.patch(fresh.id, refresh_failure="invalid_grant")  # another process
    controller.load()
    qtbot.waitUntil(lambda: "Fresh" in visible_nicknames(controller))


def test_the_details_pane_shows_the_last_refresh_and_the_lapse(qtbot, make_window):
    window, controller = make_window(health_connections())
    select(window, controller, "Lapsing")
    details = window.details
    qtbot.waitUntil(lambda: details.title.text() == "Lapsing")
    assert "2025-12-1" in details.last_refresh.text()  # 85 days before 2026-03-10
    assert details.lapse.text().startswith("in 5 days (")
    assert details.lapse.text().endswith(
        ") if not used. Sign in again, or use the connection, to keep it.")
    select(window, controller, "Ended")
    qtbot.waitUntil(lambda: details.title.text() == "Ended")
    assert details.status.text() == "Sign-in needed"
    assert details.expiry.text() == "no longer accepted: sign in again"
    assert details.lapse.text().startswith("Its last refresh failed. The saved sign-in "
                                           "for this connection was cancelled")
    select(window, controller, "Daemon")
    qtbot.waitUntil(lambda: details.title.text() == "Daemon")
    assert not details.lapse.isVisibleTo(window) and not details.last_refresh.isVisibleTo(
        window)
