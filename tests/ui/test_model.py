"""The connections model and proxy on their own: wording of times, roles, filtering."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from o365desk.core.clouds import Cloud
from o365desk.core.connection import Connection, Status
from o365desk.ui.connections_model import (
    Column,
    ConnectionRole,
    ConnectionsModel,
    ConnectionsProxy,
    SortRole,
    StatusRole,
    relative_time,
)
from tests.ui.conftest import NOW, sample_connections


@pytest.mark.parametrize(
    ("ago", "text"),
    [
        (None, "never"),
        (timedelta(seconds=-30), "just now"),  # a clock a little behind the file's
        (timedelta(seconds=20), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=5), "5 minutes ago"),
        (timedelta(hours=1, minutes=59), "1 hour ago"),
        (timedelta(hours=23), "23 hours ago"),
        (timedelta(days=1, hours=3), "yesterday"),
        (timedelta(days=12), "12 days ago"),
    ],
)
def test_relative_time(qapp, ago, text):
    assert relative_time(None if ago is None else NOW - ago, NOW) == text


def test_old_dates_show_the_date(qapp):
    assert "2025" in relative_time(NOW - timedelta(days=400), NOW)


def _model(connections):
    model = ConnectionsModel(lambda *_: pytest.fail("no rename expected"), clock=lambda: NOW)
    model.set_connections(connections)
    proxy = ConnectionsProxy()
    proxy.setSourceModel(model)
    return model, proxy


def test_roles_and_keychain_state(qapp):
    model, _ = _model(sample_connections())
    index = model.index(0, Column.STATUS)
    assert isinstance(index.data(ConnectionRole), Connection)
    assert index.data(StatusRole) == Status.SIGNED_IN
    model.set_keychain_ok(False)
    assert index.data(StatusRole) == Status.KEYCHAIN_UNAVAILABLE
    assert index.data() == "Keychain unavailable"
    assert model.index(2, Column.LAST_USED).data(SortRole) == -1.0  # never used


def test_filter_words_match_in_any_order_and_case(qapp):
    _, proxy = _model(sample_connections())
    proxy.set_filter_text("GROUP fabrikam")  # description word + nickname, any order
    assert proxy.rowCount() == 1
    proxy.set_filter_text("woodgrove contoso")
    assert proxy.rowCount() == 0
    proxy.set_filter_text("  ")
    assert proxy.rowCount() == 3


def test_same_rows_update_in_place(qapp, qtbot):
    model, _ = _model(sample_connections())
    changed = [c.replace(description="new") for c in model.connections()]
    with qtbot.assertNotEmitted(model.modelReset):
        model.set_connections(changed)
    assert model.connections()[0].description == "new"


def test_sorting_ignores_case_and_keeps_the_order_of_ties(qapp):
    conns = [
        Connection(nickname="beta", cloud=Cloud.USGOV),
        Connection(nickname="Alpha", cloud=Cloud.GLOBAL),
        Connection(nickname="gamma", cloud=Cloud.USGOV),
        Connection(nickname="Delta", cloud=Cloud.GLOBAL),
    ]
    model, proxy = _model(conns)

    def shown():
        return [proxy.index(row, Column.NICKNAME).data() for row in range(proxy.rowCount())]

    proxy.sort(Column.NICKNAME)
    assert shown() == ["Alpha", "beta", "Delta", "gamma"]
    delta = QPersistentModelIndex(proxy.index(2, 0))  # as a selection holds a row
    proxy.sort(Column.NICKNAME, Qt.SortOrder.DescendingOrder)
    assert shown() == ["gamma", "Delta", "beta", "Alpha"]
    assert delta.row() == 1
    proxy.sort(Column.CLOUD)  # Global before US Government; each keeps the order it had
    assert shown() == ["Delta", "Alpha", "gamma", "beta"]
    proxy.sort(-1)
    assert shown() == ["beta", "Alpha", "gamma", "Delta"]


def test_a_renamed_row_moves_to_its_sorted_place(qapp):
    model, proxy = _model(sample_connections())
    proxy.sort(Column.NICKNAME)
    contoso = model.connections()[0]
    assert contoso.nickname == "Contoso Prod"
    model.replace(contoso.replace(nickname="Zeta"))
    shown = [proxy.index(row, 0).data() for row in range(proxy.rowCount())]
    assert shown == ["Fabrikam", "Woodgrove Test", "Zeta"]
