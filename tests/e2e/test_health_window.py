"""The window's hourly round: keep-alive (real MSAL against the fake, the real store) and
the tray notification (a fake tray: the offscreen platform has no system tray)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from o365desk.core.connection import utcnow
from o365desk.ui.connections_model import Column
from o365desk.ui.health_notifier import NotifiedLog
from tests.ui.helpers import row_texts
from tests.ui.test_health_notifier import FakeTray

pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


@pytest.fixture
def lapsing(services, signed_in):
    """A connection signed in at the fake whose last refresh was 85 days and an hour ago."""
    conn = signed_in(nickname="Payroll")
    return services.store.patch(conn.id, last_refreshed_at=utcnow() - timedelta(days=85, hours=1))


def _round(qtbot, controller, tmp_path) -> FakeTray:
    watch = controller.health_watch
    tray = FakeTray()
    watch.notifier.tray = tray
    watch.notifier.notified = NotifiedLog(tmp_path / "notified.json")
    with qtbot.waitSignal(watch.finished, timeout=30000):
        watch.run_now()
    return tray


def test_without_keep_alive_the_tray_says_a_sign_in_lapses_soon(qtbot, qasync_loop, open_window,
                                                                lapsing, tmp_path,
                                                                fake_identity):
    window, controller = open_window()
    before = len(fake_identity.requests_to("/token"))
    tray = _round(qtbot, controller, tmp_path)
    assert len(fake_identity.requests_to("/token")) == before  # nothing refreshed
    assert tray.shown == [("A sign-in lapses soon", "\u201cPayroll\u201d: the saved sign-in "
                           "lapses in 4 days if not used. Sign in again, or use the "
                           "connection, to keep it.")]
    assert row_texts(controller, "Payroll")[Column.HEALTH] == "Lapses in 4 days"


def test_keep_alive_refreshes_it_and_the_list_follows(qtbot, qasync_loop, open_window,
                                                      lapsing, tmp_path,
                                                      config_dir, services):
    (config_dir / "settings.json").write_text('{"keep_alive_days": 20}')
    window, controller = open_window()
    tray = _round(qtbot, controller, tmp_path)
    assert tray.shown == []  # refreshed: nothing lapses soon any more
    saved = services.store.load()[0]
    assert utcnow() - saved.last_refreshed_at < timedelta(minutes=5)
    qtbot.waitUntil(lambda: row_texts(controller, "Payroll")[Column.HEALTH]
                    in ("Lapses in 89 days", "Lapses in 90 days"), timeout=10000)
