"""A keep-alive refresh that Microsoft refuses, in the window: a message bar says so once,
with Sign in again for that connection (real MSAL against the fake, the real store)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from o365desk.core.connection import utcnow
from o365desk.ui.connections_model import Column
from o365desk.ui.health_notifier import NotifiedLog
from o365desk.ui.message_bar import Level
from tests.ui.helpers import row_texts

pytestmark = [
    pytest.mark.usefixtures("qasync_loop"),
    pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended"),
]


def _round(qtbot, controller, tmp_path) -> None:
    watch = controller.health_watch
    watch.notifier.notified = NotifiedLog(tmp_path / "notified.json")
    with qtbot.waitSignal(watch.finished, timeout=30000):
        watch.run_now()


def _forget_the_refusal(config_dir) -> None:
    """As a hand edit of connections.json would: the recorded refusal gone."""
    path = config_dir / "connections.json"
    doc = json.loads(path.read_text())
    for entry in doc["connections"]:
        entry["refresh_failure"] = None
    path.write_text(json.dumps(doc))


def test_a_refused_keep_alive_says_so_once_with_sign_in_again(
        qtbot, open_window, signed_in, services, fake_identity, config_dir, tmp_path):
    signed_in(nickname="Other")
    conn = signed_in(nickname="Payroll")
    services.store.patch(conn.id, last_refreshed_at=utcnow() - timedelta(days=30))
    (config_dir / "settings.json").write_text('{"keep_alive_days": 20}')
    fake_identity.revoke_refresh_tokens()
    window, controller = open_window()
    bar = window.keep_alive_bar
    assert not bar.isVisible()

    _round(qtbot, controller, tmp_path)
    assert bar.isVisible() and bar.level == Level.WARNING
    text = bar.text()
    assert text.startswith("o365desk tried to refresh the sign-in of \u201cPayroll\u201d so it "
                           "would not lapse, but Microsoft refused. The saved sign-in for "
                           "this connection was cancelled"), text
    assert text.endswith("Sign in again."), text
    assert "Other" not in text  # refreshed recently: not due, not refused
    labels = [b.text() for b in bar.findChildren(type(window.details.test_button))
              if b.isVisible()]
    assert labels == ["Sign &back in\u2026"]
    qtbot.waitUntil(lambda: row_texts(controller, "Payroll")[Column.HEALTH] == "Sign-in ended",
                    timeout=10000)

    # Sign in again, by its key: for that connection, whichever row was selected.
    window.table.selectRow(0)
    assert controller.current().nickname == "Other"
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: controller.actions.dialog is not None, timeout=10000)
    dialog = controller.actions.dialog
    assert dialog.connection.id == conn.id
    assert not bar.isVisible()
    dialog.page.stop()
    dialog.reject()
    qtbot.waitUntil(lambda: controller.actions.dialog is None, timeout=10000)

    # The same refusal again an hour later (here: its record removed by hand, so keep-alive
    # tries again): tried, refused, and not said again.
    _forget_the_refusal(config_dir)
    qtbot.waitUntil(lambda: row_texts(controller, "Payroll")[Column.HEALTH] != "Sign-in ended",
                    timeout=10000)
    got = []
    controller.health_watch.finished.connect(got.append)
    _round(qtbot, controller, tmp_path)
    [[again]] = got
    assert again.connection.id == conn.id and again.failure == "AADSTS50173"
    assert not bar.isVisible()

    # After a new sign-in, a refusal is news again.
    services.record_sign_in(conn, services.session_for(conn).acquire_silent())
    services.store.patch(conn.id, last_refreshed_at=utcnow() - timedelta(days=25))
    fake_identity.revoke_refresh_tokens()
    qtbot.waitUntil(lambda: row_texts(controller, "Payroll")[Column.HEALTH] != "Sign-in ended",
                    timeout=10000)
    _round(qtbot, controller, tmp_path)
    assert bar.isVisible() and "\u201cPayroll\u201d" in bar.text()


def test_a_network_failure_is_not_a_refusal(qtbot, open_window, signed_in, services,
                                            fake_identity, config_dir, tmp_path):
    """Only a refusal that needs a new sign-in is said: a server that is down is not."""
    conn = signed_in(nickname="Payroll")
    services.store.patch(conn.id, last_refreshed_at=utcnow() - timedelta(days=30))
    (config_dir / "settings.json").write_text('{"keep_alive_days": 20}')
    fake_identity.fail_transport(503, times=None)
    window, controller = open_window()
    _round(qtbot, controller, tmp_path)
    assert not window.keep_alive_bar.isVisible()
    assert not services.store.load()[0].refresh_failure
