"""Help > Managed settings, by the keyboard, says each setting as a person reads it:
keep-alive that nobody turned on is "off", o365desk's default, not "any" from a settings
file that does not exist."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from o365desk.core import policy_sources, settings

pytestmark = [pytest.mark.usefixtures("qasync_loop")]


def _rows_by_the_help_menu(qtbot, window, controller) -> dict[str, list[str]]:
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=5000)
    qtbot.keyClick(QApplication.activePopupWidget(), Qt.Key.Key_M)  # "&Managed settings…"
    qtbot.waitUntil(lambda: controller.policy.dialog is not None
                    and controller.policy.dialog.isVisible(), timeout=5000)
    model = controller.policy.dialog.model
    rows = {}
    for r in range(model.rowCount()):
        label, *rest = (model.index(r, c).data() for c in range(3))
        rows[label] = rest
    qtbot.keyClick(controller.policy.dialog.table, Qt.Key.Key_Escape)
    return rows


@pytest.mark.parametrize("written", [None, {"keep_alive_days": 30}])
def test_keep_alive_is_said_as_it_is(qtbot, open_window, tmp_path, monkeypatch, written):
    monkeypatch.setenv(policy_sources.POLICY_ENV, str(tmp_path / "no-policy.json"))
    if written is not None:
        settings.settings_file().parent.mkdir(parents=True, exist_ok=True)
        settings.settings_file().write_text(json.dumps(written))
    assert settings.settings_file().exists() == (written is not None)
    window, controller = open_window()
    rows = _rows_by_the_help_menu(qtbot, window, controller)
    if written is None:
        assert rows["Keep-alive"] == ["off", "o365desk\u2019s default"]
    else:
        assert rows["Keep-alive"] == ["every 30 days", "Your settings file"]
