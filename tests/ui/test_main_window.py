"""The main window's list: columns, filter, rename in place, empty state, settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
)

from o365desk.core.connection import Connection
from o365desk.storage.store import ConnectionStore
from o365desk.ui.connections_model import Column, ConnectionRole
from o365desk.ui.main_controller import MainController
from o365desk.ui.main_window import MainWindow
from tests.ui.conftest import NOW, sample_connections
from tests.ui.helpers import (
    commit,
    rename_in_place,
    row_texts,
    saved_nicknames,
    select,
    visible_nicknames,
)


def test_list_shows_connections_with_all_columns(make_window):
    window, controller = make_window(sample_connections())
    assert window.stack.currentWidget() is window.splitter
    assert visible_nicknames(controller) == ["Contoso Prod", "Fabrikam", "Woodgrove Test"]
    assert row_texts(controller, "Contoso Prod") == [
        "Contoso Prod",
        "admin@contoso.onmicrosoft.com",
        "contoso.onmicrosoft.com",
        "Global",
        "Signed in",
        "5 minutes ago",
        "Signed in",  # health: when it was last refreshed is not known
    ]
    assert row_texts(controller, "Fabrikam")[3:] == [
        "US Government (GCC High)",
        "Not signed in",
        "3 days ago",
        "Not signed in",
    ]
    assert row_texts(controller, "Woodgrove Test")[5] == "never"
    assert window.count_label.text() == "3 connections"
    # The custom role hands out the domain object, not text.
    conn = controller.proxy.index(0, 0).data(ConnectionRole)
    assert isinstance(conn, Connection) and conn.nickname == "Contoso Prod"


def test_last_used_sorts_by_time_not_text(make_window):
    conns = [
        Connection(nickname="A", last_used_at=NOW - timedelta(minutes=5)),
        Connection(nickname="B", last_used_at=NOW - timedelta(hours=2)),
        Connection(nickname="C", last_used_at=NOW - timedelta(days=10)),
        Connection(nickname="D"),
    ]
    window, controller = make_window(conns)
    window.table.sortByColumn(Column.LAST_USED, Qt.SortOrder.DescendingOrder)
    assert visible_nicknames(controller) == ["A", "B", "C", "D"]
    window.table.sortByColumn(Column.LAST_USED, Qt.SortOrder.AscendingOrder)
    assert visible_nicknames(controller) == ["D", "C", "B", "A"]


def test_details_pane_follows_selection(make_window):
    window, controller = make_window(sample_connections())
    select(window, controller, "Fabrikam")
    details = window.details
    assert details.title.text() == "Fabrikam"
    assert details.description.text() == "Helpdesk tenant of the Fabrikam group"
    assert details.authority.text() == "https://login.microsoftonline.us/fabrikam.com"
    assert details.status.text() == "Not signed in"
    assert "no tokens" in details.status_text.text()


def test_filter_narrows_as_you_type_and_esc_clears(qtbot, make_window):
    window, controller = make_window(sample_connections())
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.filter_edit
    qtbot.keyClicks(window.filter_edit, "CONT")
    assert visible_nicknames(controller) == ["Contoso Prod"]
    window.filter_edit.clear()
    qtbot.keyClicks(window.filter_edit, "helpdesk")  # matches the description only
    assert visible_nicknames(controller) == ["Fabrikam"]
    assert window.count_label.text() == "1 of 3 connections shown"
    assert window.details.title.text() == "Fabrikam"  # the match is selected
    window.filter_edit.clear()
    qtbot.keyClicks(window.filter_edit, "admin@contoso")  # the account
    assert visible_nicknames(controller) == ["Contoso Prod"]
    window.filter_edit.clear()
    qtbot.keyClicks(window.filter_edit, "zzz")
    assert visible_nicknames(controller) == []
    assert window.no_match.isVisible() and not window.table.isVisible()
    assert window.no_match_label.text() == "No connection matches \u201czzz\u201d."
    qtbot.keyClick(window.filter_edit, Qt.Key.Key_Escape)
    assert window.filter_edit.text() == ""
    assert len(visible_nicknames(controller)) == 3
    assert window.table.isVisible() and not window.no_match.isVisible()
    qtbot.keyClicks(window.filter_edit, "zzz")
    qtbot.mouseClick(window.clear_filter_button, Qt.MouseButton.LeftButton)
    assert window.filter_edit.text() == "" and window.table.isVisible()


def test_delete_key_in_filter_edits_the_filter(qtbot, make_window, dialog_log):
    window, controller = make_window(sample_connections())
    window.filter_edit.setFocus()
    qtbot.keyClicks(window.filter_edit, "fab")
    window.filter_edit.setCursorPosition(0)
    qtbot.keyClick(window.filter_edit, Qt.Key.Key_Delete)
    assert window.filter_edit.text() == "ab"
    assert dialog_log.confirms == []


def test_rename_in_place_saves_to_the_file(qtbot, make_window, store_path):
    window, controller = make_window(sample_connections())
    rename_in_place(qtbot, window, controller, "Fabrikam", "  Fabrikam Helpdesk ")
    assert "Fabrikam Helpdesk" in visible_nicknames(controller)
    assert sorted(saved_nicknames(store_path)) == [
        "Contoso Prod",
        "Fabrikam Helpdesk",
        "Woodgrove Test",
    ]
    assert not window.error_bar.isVisible()
    assert window.details.title.text() == "Fabrikam Helpdesk"


def test_rename_button_opens_the_nickname_editor(qtbot, make_window):
    window, controller = make_window(sample_connections())
    select(window, controller, "Fabrikam")
    qtbot.mouseClick(window.details.rename_button, Qt.MouseButton.LeftButton)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "Fabrikam"
    assert editor.accessibleName() == "Nickname"


@pytest.mark.parametrize(
    ("typed", "rule"),
    [
        ("contoso PROD", "already exists"),
        ("   ", "can't be empty"),
        ("Fab\trikam", "control character"),
        ("x" * 65, "at most 64 characters"),
    ],
)
def test_refused_rename_keeps_the_old_name_and_says_why(
    qtbot, make_window, store_path, typed, rule
):
    window, controller = make_window(sample_connections())
    before = store_path.read_bytes()
    rename_in_place(qtbot, window, controller, "Fabrikam", typed)
    assert window.error_bar.isVisible()
    assert rule in window.error_bar.text()
    assert "\u201cFabrikam\u201d was not renamed." in window.error_bar.text()
    assert window.error_bar.accessibleName()
    assert "Fabrikam" in visible_nicknames(controller)
    assert store_path.read_bytes() == before

    # "Edit again" gives back what was typed, so nothing typed is lost.
    qtbot.mouseClick(window.edit_again_button, Qt.MouseButton.LeftButton)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == typed
    editor.setText("Fabrikam 2")
    commit(qtbot, window, editor)
    assert "Fabrikam 2" in saved_nicknames(store_path)
    assert not window.error_bar.isVisible()


def test_empty_state_then_a_connection_appears(qtbot, make_window, store_path, dialog_log):
    window, controller = make_window([])
    assert window.stack.currentWidget() is window.empty_state
    button = window.empty_state.new_button
    assert button.isVisible() and button.isEnabled()
    assert button.accessibleName() == "New connection"
    assert window.empty_state.title.text() == "No connections yet"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wizard = controller._wizard
    qtbot.waitUntil(wizard.isVisible)
    assert wizard.windowTitle() == "New connection"
    wizard.reject()

    # The command line (another store on the same file) adds one: the window follows.
    ConnectionStore(store_path).add(Connection(nickname="Added from the CLI"))
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.splitter, timeout=5000)
    assert visible_nicknames(controller) == ["Added from the CLI"]
    assert window.table.isVisible()


def test_new_connection_opens_one_wizard_and_about_explains(qtbot, make_window, dialog_log):
    window, controller = make_window(sample_connections())
    window.act_new.trigger()
    wizard = controller._wizard
    qtbot.waitUntil(wizard.isVisible)
    window.act_new.trigger()  # a second time: the same wizard, brought to the front
    assert controller._wizard is wizard
    wizard.reject()
    window.act_about.trigger()
    titles = [info["title"] for info in dialog_log.infos]
    assert titles == ["About o365desk"]
    assert "0.1.0" in dialog_log.infos[0]["text"]
    assert window.act_new.shortcut().toString() == "Ctrl+N"


def test_permissions_opens_one_scope_browser_without_a_connection(make_window, qtbot):
    window, controller = make_window([])
    window.act_permissions.trigger()
    browser = controller._scope_browser
    qtbot.waitUntil(browser.isVisible)
    assert browser.controller.catalog is not None
    window.act_permissions.trigger()
    assert controller._scope_browser is browser
    browser.close()


def test_copy_id(make_window):
    window, controller = make_window(sample_connections())
    select(window, controller, "Fabrikam")
    window.act_copy_id.trigger()
    conn = controller.store.find("Fabrikam")
    assert QApplication.clipboard().text() == conn.id


def test_read_only_file_disables_changes_with_the_reason(make_window, store_path):
    fixture = __file__.rsplit("/", 2)[0] + "/fixtures/store/future-version.json"
    store_path.parent.mkdir(parents=True, exist_ok=True)
    store_path.write_bytes(open(fixture, "rb").read())
    window, controller = make_window([])
    assert window.notice_bar.isVisible()
    assert "newer version" in window.notice_bar.text()
    assert visible_nicknames(controller) == ["Contoso admin"]
    select(window, controller, "Contoso admin")
    for widget in (window.act_rename, window.act_delete, window.details.rename_button):
        assert not widget.isEnabled()
        assert "newer version" in widget.toolTip()
    index = controller.proxy.index(0, Column.NICKNAME)
    assert not window.table.edit(index)
    assert not window.act_edit.isEnabled() and "newer version" in window.act_edit.toolTip()
    # Asked from another window (the permission browser): the reason, not nothing.
    controller._on_edit_requested(controller.current().id, ("Mail.Send",))
    assert controller.edits.edit_dialog is None
    assert "newer version" in window.statusBar().currentMessage()


def test_every_control_has_an_accessible_name(qtbot, make_window):
    window, controller = make_window(sample_connections(), check_keychain=True)
    select(window, controller, "Fabrikam")
    window.act_rename.trigger()  # the open editor counts too
    missing = [
        f"{type(w).__name__} {w.objectName()!r}"
        for kind in (QAbstractButton, QLineEdit, QAbstractItemView)
        for w in window.findChildren(kind)
        if not w.accessibleName().strip()
    ]
    assert missing == []


def test_keyboard_path_through_the_window(qtbot, make_window):
    window, _ = make_window(sample_connections())
    window.filter_edit.setFocus()
    order = []
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    d = window.details
    assert order == [window.attention_check, window.table, d.test_button, d.sign_in_button,
                     d.sign_out_button, d.edit_button, d.rename_button, d.delete_button]
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Connection", "&View", "&Tools", "&Help"]
    shortcuts = {
        a.text(): a.shortcut().toString()
        for a in (window.act_rename, window.act_delete, window.act_filter, window.act_copy_id)
    }
    assert shortcuts == {
        "&Rename": "F2",
        "&Delete\u2026": "Del",
        "&Filter connections": "Ctrl+F",
        "Copy &ID": "Ctrl+Shift+C",
    }


def test_geometry_and_splitter_are_restored(qtbot, services, config_dir):
    first = MainWindow()
    qtbot.addWidget(first)
    MainController(first, services).load()
    with qtbot.waitExposed(first):
        first.show()
    first.resize(700, 480)  # within the offscreen screen (800x600)
    first.splitter.setSizes([450, 234])
    first.table.setColumnWidth(Column.ACCOUNT, 333)
    qtbot.waitUntil(lambda: first.size().width() == 700)
    sizes = first.splitter.sizes()
    first.close()
    assert (config_dir / "window.ini").exists()

    second = MainWindow()
    qtbot.addWidget(second)
    MainController(second, services).load()
    with qtbot.waitExposed(second):
        second.show()
    assert (second.width(), second.height()) == (700, 480)
    assert second.splitter.sizes() == sizes
    assert second.table.columnWidth(Column.ACCOUNT) == 333


def test_double_click_opens_the_nickname_editor(qtbot, make_window):
    window, controller = make_window(sample_connections())
    index = controller.proxy.index(1, Column.NICKNAME)
    rect = window.table.visualRect(index)
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == index.data()


def test_damaged_file_is_reported_in_the_notice_bar(make_window, store_path):
    store_path.parent.mkdir(parents=True, exist_ok=True)
    store_path.write_bytes(b"{ this is not JSON")
    window, controller = make_window([])
    assert window.notice_bar.isVisible()
    assert "kept unchanged at" in window.notice_bar.text()
    assert window.stack.currentWidget() is window.empty_state


def test_mnemonics_do_not_clash(make_window):
    from o365desk.core.connection import Kind

    app = Connection(nickname="Daemon", tenant="contoso.com", kind=Kind.APP_ONLY)
    window, controller = make_window([*sample_connections(), app])
    d = window.details
    # The pane's buttons for one kind of connection never show beside the other kind's.
    own = {"Contoso Prod": {d.sign_in_button, d.sign_out_button, d.consent_button},
           "Daemon": {d.replace_credential_button}}
    for nickname, mine in own.items():
        select(window, controller, nickname)
        others = set().union(*own.values()) - mine
        assert not any(b.isVisible() for b in others), nickname
        texts = [a.text() for a in window.menuBar().actions()]
        texts += [b.text() for b in window.findChildren(QPushButton) if b not in others]
        texts += [label.text() for label in window.findChildren(QLabel) if label.buddy()]
        letters = [t[t.index("&") + 1].lower() for t in texts if "&" in t]
        assert len(letters) >= 10
        assert sorted(letters) == sorted(set(letters)), texts


def test_details_pane_says_when_last_used_once(make_window):
    """Used minutes ago: the time and how long ago; used months ago: the date and time
    alone (how long ago would only repeat the date)."""
    window, controller = make_window([
        Connection(nickname="Recent", last_used_at=NOW - timedelta(minutes=5)),
        Connection(nickname="Old", last_used_at=NOW - timedelta(days=85)),
    ])
    select(window, controller, "Recent")
    assert window.details.last_used.text().endswith("(5 minutes ago)")
    select(window, controller, "Old")
    text = window.details.last_used.text()
    assert "(" not in text and text.startswith("2025-12-15")
