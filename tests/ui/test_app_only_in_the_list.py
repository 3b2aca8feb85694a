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
