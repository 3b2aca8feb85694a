"""The tray notification's Qt part: a fake tray stands in where the offscreen platform has
no system tray; the file that remembers what was notified is real."""

from __future__ import annotations

import json
import os
import stat
from datetime import timedelta

from o365desk.core import health
from o365desk.core.connection import Account, Connection, utcnow
from o365desk.ui.health_notifier import HealthNotifier, NotifiedLog


class FakeTray:
    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def showMessage(self, title, message, _icon, _msecs) -> None:
        self.shown.append((title, message))


def lapsing(nickname: str, days_ago: int) -> Connection:
    return Connection(nickname, account=Account("a@b.com", f"{nickname}.t", "t"),
                      last_refreshed_at=utcnow() - timedelta(days=days_ago))


def found(*connections, now):
    return [(c, health.assess(c, now)) for c in connections]


def test_once_per_connection_per_day_remembered_in_a_private_file(tmp_path):
    now = utcnow()
    tray, log = FakeTray(), NotifiedLog(tmp_path / "health-notified.json")
    conn = lapsing("Payroll", 85)
    assert len(HealthNotifier(tray, log).notify(found(conn, now=now), now)) == 1
    assert tray.shown == [("A sign-in lapses soon", "\u201cPayroll\u201d: the saved sign-in "
                           "lapses in 5 days if not used. Sign in again, or use the "
                           "connection, to keep it.")]
    # Another window (or a restart) the same day says nothing again.
    assert HealthNotifier(tray, NotifiedLog(log.path)).notify(found(conn, now=now), now) == []
    assert len(tray.shown) == 1
    assert json.loads(log.path.read_text()) == {conn.id: now.date().isoformat()}
    assert stat.S_IMODE(os.stat(log.path).st_mode) == 0o600
    tomorrow = now + timedelta(days=1)
    assert len(HealthNotifier(tray, log).notify(found(conn, now=tomorrow), tomorrow)) == 1


def test_several_at_once_are_one_notification_naming_each(tmp_path):
    now = utcnow()
    tray = FakeTray()
    HealthNotifier(tray, NotifiedLog(tmp_path / "n.json")).notify(
        found(lapsing("A", 85), lapsing("B", 86), lapsing("C", 87), now=now), now)
    assert tray.shown == [("3 connections need attention soon",
                           "\u201cA\u201d, \u201cB\u201d and \u201cC\u201d stop working "
                           "within a week unless someone acts. Open o365desk to see what to "
                           "do for each.")]


def test_a_damaged_or_hostile_notified_file_counts_as_empty(tmp_path):
    path = tmp_path / "n.json"
    log = NotifiedLog(path)
    for text in ("not json", "[1, 2]", json.dumps({"not-a-uuid": "2026-01-01",
                                                   "0" * 8 + "-0000-0000-0000-" + "0" * 12:
                                                   ["x"]})):
        path.write_text(text)
        assert log.load() == {}
    path.write_bytes(b"{" + b" " * (300 << 10) + b"}")  # over the cap
    assert log.load() == {}
    tray = FakeTray()
    now = utcnow()
    HealthNotifier(tray, log).notify(found(lapsing("P", 85), now=now), now)
    assert len(tray.shown) == 1 and len(log.load()) == 1  # rewritten sound


def test_without_a_tray_nothing_is_shown_or_noted(tmp_path):
    now = utcnow()
    log = NotifiedLog(tmp_path / "n.json")
    assert HealthNotifier(None, log).notify(found(lapsing("P", 85), now=now), now) == []
    assert not log.path.exists()
