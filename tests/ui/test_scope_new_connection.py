"""From the scope browser's selection to a new connection: the main window opens the
wizard with exactly those permissions ticked, one wizard at a time."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from o365desk.ui.wizard.permissions_model import NameRole
from tests.ui.wizard_helpers import fill_to_permissions

pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


def _add_best_hit(qtbot, browser, query: str) -> None:
    """Type the words, Enter goes to the best match, Enter adds it."""
    browser.search_edit.setFocus()
    browser.search_edit.clear()
    qtbot.keyClicks(browser.search_edit, query)
    qtbot.keyClick(browser.search_edit, Qt.Key.Key_Return)
    qtbot.keyClick(browser.tree, Qt.Key.Key_Return)


def _ticked(page) -> list[str]:
    model = page.model
    return [model.index(r, 0).data(NameRole) for r in range(model.rowCount())
            if model.index(r, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked]


@pytest.fixture
def browser_and_window(make_window, qtbot):
    window, controller = make_window()
    window.act_permissions.trigger()
    browser = controller._scope_browser  # noqa: SLF001
    qtbot.addWidget(browser)
    qtbot.waitUntil(lambda: browser.controller.tree_model.rows_filled)
    browser.activateWindow()
    qtbot.waitUntil(browser.isActiveWindow)
    return browser, window, controller


def test_new_connection_with_the_selected_permissions(qtbot, browser_and_window,
                                                      fake_identity, dialog_log):
    browser, _window, controller = browser_and_window
    button = browser.selection.new_connection_button
    assert button.text() == "Ne&w connection with these permissions\u2026"
    assert not button.isEnabled() and not browser.act_new_connection.isEnabled()
    assert button.toolTip().startswith("Add permissions to the selection first")

    _add_best_hit(qtbot, browser, "mail send")
    _add_best_hit(qtbot, browser, "sites read all")
    assert browser.controller.selection.model.items() == [("Mail.Send", "delegated"),
                                                          ("Sites.Read.All", "delegated")]
    assert button.isEnabled()
    assert "with the 2 delegated permissions of the selection ticked" in button.toolTip()

    browser.tabs.setCurrentWidget(browser.selection)
    with qtbot.waitSignal(browser.new_connection_requested) as requested:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert requested.args == [["Mail.Send", "Sites.Read.All"]]
    qtbot.waitUntil(lambda: getattr(controller, "_wizard", None) is not None)
    wizard = controller._wizard  # noqa: SLF001
    qtbot.waitExposed(wizard)
    fill_to_permissions(qtbot, wizard, fake_identity)
    page = wizard.permissions_page
    assert page.scopes() == ["Mail.Send", "Sites.Read.All"]
    assert _ticked(page) == ["Mail.Send", "Sites.Read.All"]  # exactly these, no User.Read
    assert page.preset.currentText() == "Custom"

    # One wizard at a time: asked again, the open one comes forward and says why.
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the browser isn't blocked by it
    assert controller._wizard is wizard  # noqa: SLF001
    assert [i["text"] for i in dialog_log.infos] == ["A new connection is already being set up."]
    assert "your selection there is kept" in dialog_log.infos[0]["informative"]
    assert browser.controller.selection.model.rowCount() == 2


def test_application_permissions_are_left_out_and_alone_they_are_not_enough(
        qtbot, browser_and_window):
    browser, _window, _controller = browser_and_window
    selection = browser.controller.selection
    selection.add("Mail.Send", "application")
    button = browser.selection.new_connection_button
    assert not button.isEnabled()
    assert "only application permissions" in button.toolTip()
    selection.add("User.Read", "delegated")
    assert button.isEnabled()
    assert "The application permission is left out" in button.toolTip()
    with qtbot.waitSignal(browser.new_connection_requested) as requested:
        browser.act_new_connection.trigger()
    assert requested.args == [["User.Read"]]
    assert "left out" in browser.statusBar().currentMessage()
