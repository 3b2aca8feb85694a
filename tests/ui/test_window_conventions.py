"""Desktop conventions of the main window: Edit connection, the list's context menu, Enter
on a row, the Permissions shortcut, Help > Open log folder, and the action bars."""

from __future__ import annotations

import stat

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu

from o365desk.storage.vault import NO_KEYCHAIN_MESSAGE
from o365desk.ui.connection_actions import ConnectionActions
from o365desk.ui.main_controller import MainController
from tests.ui.conftest import sample_connections
from tests.ui.helpers import commit, saved_nicknames, select


def _plain(text: str) -> str:
    return text.replace("&", "")


@pytest.fixture
def calls(monkeypatch):
    """Test, Sign in and Permissions note that they were asked, instead of going online."""
    made: list[str] = []
    monkeypatch.setattr(ConnectionActions, "_on_test", lambda self: made.append("test"))
    monkeypatch.setattr(ConnectionActions, "_on_sign_in", lambda self: made.append("sign in"))
    monkeypatch.setattr(MainController, "_on_permissions",
                        lambda self: made.append("permissions"))
    return made


# --- Edit connection ---------------------------------------------------------------------


def test_edit_connection_reads_the_same_everywhere_and_is_enabled_like_rename(
        make_window, store_path):
    window, controller = make_window(sample_connections())
    act = window.act_edit
    assert act.text() == "&Edit connection\u2026"
    assert act.shortcut() == QKeySequence(Qt.Key.Key_F4)
    conn_menu = next(a.menu() for a in window.menuBar().actions()
                     if a.text() == "&Connection")
    assert act in conn_menu.actions()
    assert act in window.toolbar.actions()
    assert _plain(window.details.edit_button.text()) == _plain(act.text())
    assert act in controller.menu.actions()

    select(window, controller, "Fabrikam")
    assert act.isEnabled() and window.details.edit_button.isEnabled()
    window.table.clearSelection()
    assert not act.isEnabled() and not window.details.edit_button.isEnabled()
    assert act.toolTip() == "Select a connection first."


def test_edit_connection_is_off_when_the_file_is_read_only(make_window, store_path):
    fixture = __file__.rsplit("/", 2)[0] + "/fixtures/store/future-version.json"
    store_path.parent.mkdir(parents=True, exist_ok=True)
    store_path.write_bytes(open(fixture, "rb").read())
    window, controller = make_window([])
    select(window, controller, "Contoso admin")
    assert window.act_rename.isEnabled() is False
    assert window.act_edit.isEnabled() is False
    assert "newer version" in window.details.edit_button.toolTip()


def test_menu_toolbar_and_details_buttons_read_the_same(make_window):
    window, controller = make_window(sample_connections())
    d = window.details
    for nickname in ("Contoso Prod", "Woodgrove Test"):  # signed in, and not
        select(window, controller, nickname)
        for action, button in ((window.act_test, d.test_button),
                               (window.act_sign_in, d.sign_in_button),
                               (window.act_sign_out, d.sign_out_button),
                               (window.act_edit, d.edit_button),
                               (window.act_rename, d.rename_button),
                               (window.act_delete, d.delete_button)):
            assert _plain(button.text()) == _plain(action.text()), nickname
            tool = window.toolbar.widgetForAction(action)
            if tool is not None:
                # Qt leaves the "\u2026" off a toolbar button, as is the convention.
                assert _plain(tool.text()) == _plain(action.text()).rstrip("\u2026")
    assert d.sign_in_button.accessibleName() == "Sign in"  # Woodgrove is not signed in


# --- shortcuts ---------------------------------------------------------------------------


def test_shortcuts_are_unique_and_ctrl_shift_p_opens_permissions(qtbot, make_window, calls):
    window, _ = make_window(sample_connections())
    keys = [a.shortcut().toString() for a in window.actions() if not a.shortcut().isEmpty()]
    assert len(keys) == len(set(keys)), keys
    assert window.act_permissions.shortcut().toString() == "Ctrl+Shift+P"
    assert "Ctrl+P" not in keys  # print, by convention
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_P,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert calls == ["permissions"]


# --- context menu ------------------------------------------------------------------------


def _menu_texts(menu: QMenu) -> list[str]:
    return [a.text() if not a.isSeparator() else "-" for a in menu.actions()]


def test_right_click_on_a_row_selects_it_and_offers_the_window_actions(qtbot, make_window):
    window, controller = make_window(sample_connections())
    select(window, controller, "Contoso Prod")
    proxy = controller.proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data() == "Fabrikam")
    pos = window.table.visualRect(proxy.index(row, 1)).center()
    window.table.customContextMenuRequested.emit(pos)  # what a right-click there sends
    menu = controller.menu.menu
    qtbot.waitUntil(lambda: menu.isVisible())
    assert controller.current().nickname == "Fabrikam"
    w = window
    # The same QAction objects as the Connection menu, in the same order.
    conn_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Connection")
    assert _menu_texts(menu) == _menu_texts(conn_menu)
    assert [a for a in menu.actions() if not a.isSeparator()] == \
        [a for a in conn_menu.actions() if not a.isSeparator()]
    # Fabrikam is not signed in: the menu greys what the Connection menu greys.
    assert not w.act_test.isEnabled() and w.act_sign_in.text() == "Sign &in\u2026"
    menu.close()


def test_the_menu_key_opens_the_menu_for_the_selected_row(qtbot, make_window):
    window, controller = make_window(sample_connections())
    select(window, controller, "Woodgrove Test")
    window.table.setFocus()
    for key, modifier in ((Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
                          (Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)):
        qtbot.keyClick(window.table, key, modifier)
        menu = controller.menu.menu
        assert menu is not None
        qtbot.waitUntil(menu.isVisible)
        assert window.act_rename in menu.actions()
        # Beside the selected row, not somewhere else on the screen.
        rows = window.table.selectionModel().selectedRows()
        rect = window.table.visualRect(rows[0])
        top_left = window.table.viewport().mapToGlobal(rect.topLeft())
        assert abs(menu.pos().y() - (top_left.y() + rect.height())) <= 2
        # Keyboard only: the arrow keys and Enter choose from it.
        qtbot.keyClick(menu, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: controller.menu.menu is None)


def test_a_chosen_menu_item_runs_its_action(qtbot, make_window, store_path):
    window, controller = make_window(sample_connections())
    select(window, controller, "Fabrikam")
    controller.menu.popup_for_current()
    menu = controller.menu.menu
    qtbot.waitUntil(menu.isVisible)
    menu.setActiveAction(window.act_rename)
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    editor = QApplication.focusWidget()
    editor.setText("Fabrikam helpdesk")
    commit(qtbot, window, editor)
    assert "Fabrikam helpdesk" in saved_nicknames(store_path)


def test_right_click_below_the_rows_offers_a_new_connection(qtbot, make_window):
    window, controller = make_window(sample_connections())
    window.table.clearSelection()
    bottom = window.table.viewport().rect().bottomLeft()
    window.table.customContextMenuRequested.emit(bottom)
    menu = controller.menu.menu
    qtbot.waitUntil(menu.isVisible)
    assert menu.actions() == [window.act_new]
    menu.close()


# --- Enter on a row ----------------------------------------------------------------------


def test_enter_tests_a_signed_in_connection_and_signs_in_one_that_is_not(
        qtbot, make_window, calls):
    window, controller = make_window(sample_connections(), check_keychain=True)
    select(window, controller, "Contoso Prod")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert calls == ["test"]
    select(window, controller, "Fabrikam")
    qtbot.keyClick(window.table, Qt.Key.Key_Enter)  # the keypad's Enter too
    assert calls == ["test", "sign in"]


def test_enter_on_a_connection_waiting_for_approval_signs_in_to_approve(
        qtbot, make_window, calls):
    conns = sample_connections()
    waiting = conns[0].replace(approved_scopes=conns[0].scopes,
                               scopes=(*conns[0].scopes, "Mail.Send"))
    window, controller = make_window([waiting, *conns[1:]], check_keychain=True)
    select(window, controller, waiting.nickname)
    assert controller.model.status_of(controller.current()).value == "waiting for approval"
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert calls == ["sign in"]


def test_enter_in_the_rename_editor_still_commits_the_rename(
        qtbot, make_window, store_path, calls):
    window, controller = make_window(sample_connections(), check_keychain=True)
    select(window, controller, "Contoso Prod")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.setText("Contoso production")
    commit(qtbot, window, editor)  # presses Return in the editor
    assert "Contoso production" in saved_nicknames(store_path)
    assert calls == []  # Enter renamed; it did not also test the connection


def test_enter_says_why_when_nothing_can_be_done(qtbot, make_window, calls, keyring_backend):
    window, controller = make_window(sample_connections())
    keyring_backend.locked = True
    controller.start_keychain_check()
    qtbot.waitUntil(lambda: controller.keychain is not None and not controller.runner.busy)
    select(window, controller, "Contoso Prod")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert calls == []
    assert "keychain can't be reached" in window.statusBar().currentMessage()


# --- Help > Open log folder --------------------------------------------------------------


def _help_menu(window) -> QMenu:
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")


def test_open_log_folder_makes_the_folder_and_opens_it(make_window, config_dir, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url) or True))
    window, _ = make_window([])
    assert window.act_open_logs in _help_menu(window).actions()
    assert window.act_open_logs.text() == "Open &log folder"
    folder = config_dir / "data" / "logs"
    assert not folder.exists()
    window.act_open_logs.trigger()
    assert [u.toLocalFile() for u in opened] == [str(folder)]
    assert folder.is_dir() and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not window.error_bar.isVisible()


def test_open_log_folder_says_plainly_when_no_file_manager_opens(
        make_window, config_dir, monkeypatch):
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    window, _ = make_window([])
    window.act_open_logs.trigger()
    folder = str(config_dir / "data" / "logs")
    assert window.error_bar.isVisible()
    assert window.error_bar.text().startswith("No file manager opened the log folder.")
    assert folder in window.error_bar.text()
    assert QApplication.clipboard().text() == folder


def test_open_log_folder_says_plainly_when_the_folder_cant_be_made(
        make_window, config_dir, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url) or True))
    window, _ = make_window([])
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "data").write_text("not a folder")  # where the log folder should go
    window.act_open_logs.trigger()
    assert opened == []
    assert window.error_bar.text().startswith("The log folder could not be made (")
    assert "the path is copied" in window.error_bar.text()


# --- message bars ------------------------------------------------------------------------


def test_a_newer_action_message_replaces_the_older_one(make_window):
    window, controller = make_window(sample_connections())
    conn = controller.store.find("Contoso Prod")
    controller.actions.show_result(conn, "Connected to Contoso in 120 ms.")
    assert window.result_bar.isVisible()
    controller.show_error("\u201cFabrikam\u201d was not renamed. It is taken.")
    assert window.error_bar.isVisible() and not window.result_bar.isVisible()
    controller.actions.show_result(conn, "Connected to Contoso in 95 ms.")
    assert window.result_bar.isVisible() and not window.error_bar.isVisible()
    assert window.result_bar.text() == "Connected to Contoso in 95 ms."


def test_the_last_result_goes_when_the_person_acts_again(qtbot, make_window, calls):
    window, controller = make_window(sample_connections())
    conn = controller.store.find("Contoso Prod")
    for act in (lambda: qtbot.keyClick(window.table, Qt.Key.Key_F2),  # rename
                lambda: qtbot.mouseClick(window.details.test_button, Qt.MouseButton.LeftButton),
                lambda: qtbot.keyClick(window.table, Qt.Key.Key_T,
                                       Qt.KeyboardModifier.ControlModifier)):
        select(window, controller, "Contoso Prod")
        controller.actions.show_result(conn, "Connected to Contoso in 120 ms.")
        window.table.setFocus()
        act()
        assert not window.result_bar.isVisible()
        if window.table.state() == window.table.State.EditingState:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    # Copying the ID is not a new action on the connection: the result stays.
    controller.actions.show_result(conn, "Connected to Contoso in 120 ms.")
    window.act_copy_id.trigger()
    assert window.result_bar.isVisible()


def test_a_bar_shows_straight_quotes_curly_and_never_markup(make_window):
    window, controller = make_window([])
    controller.show_error('"<b>Payroll</b>" was deleted meanwhile.')
    assert window.error_bar.text() == "\u201c<b>Payroll</b>\u201d was deleted meanwhile."
    assert window.error_bar.label.textFormat() == Qt.TextFormat.PlainText


def test_the_keychain_bar_and_the_action_bar_dont_repeat_each_other(qtbot, make_window):
    window, controller = make_window(sample_connections())
    from o365desk.storage.vault import VaultUnavailable

    text = controller.keychain_status.refused(VaultUnavailable(NO_KEYCHAIN_MESSAGE, "raw"))
    assert text == "No keychain was found; the keychain message above says what to do."
    assert window.keychain_bar.isVisible()
    assert "GNOME Keyring" in window.keychain_bar.text()


def test_count_label_plurals(make_window, qtbot):
    window, controller = make_window(sample_connections()[:1])
    assert window.count_label.text() == "1 connection"
    window.filter_edit.setText("nothing like it")
    assert window.count_label.text() == "0 of 1 connection shown"

