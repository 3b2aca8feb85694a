"""The scope browser: tree, search, filters, details, keyboard and accessible names."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAccessible, QGuiApplication, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QWidget,
)

from o365desk.catalog.catalog import get_catalog
from o365desk.catalog.model import PermissionStatus
from o365desk.ui.scopes import tenant_dialog
from o365desk.ui.scopes.tree_model import CountRole, GroupRole, NodeRole, PermissionRole
from tests.ui.scope_helpers import (
    FIXTURES,
    MAIL_SEND_APPLICATION,
    MAIL_SEND_DELEGATED,
    choose,
    current_name,
    group_labels,
    open_browser,
    visible_names,
    visible_permissions,
)


@pytest.fixture
def browser(qtbot):
    return open_browser(qtbot)


# --- tree, search, filters ----------------------------------------------------------------


def test_tree_shows_every_group_with_its_count_and_all_permissions(browser):
    catalog = get_catalog()
    proxy = browser.controller.proxy
    assert [proxy.index(g, 0).data(GroupRole) for g in range(proxy.rowCount())] == [
        g for g, _ in catalog.groups()]
    for g in range(proxy.rowCount()):
        index = proxy.index(g, 0)
        assert index.data(NodeRole) == "group"
        assert proxy.rowCount(index) == index.data(CountRole)
        assert index.data() == f"{index.data(GroupRole)} ({index.data(CountRole)})"
    assert sorted(visible_names(browser)) == sorted(catalog.names)
    assert len(visible_names(browser)) == len(catalog) == 985
    assert browser.count_label.text() == f"985 permissions in {proxy.rowCount()} groups"
    assert group_labels(browser)["Directory"] == "Directory (51)"


@pytest.mark.parametrize(("query", "expected"), [
    ("Mail.Send", "Mail.Send"),
    (MAIL_SEND_DELEGATED, "Mail.Send"),
    (MAIL_SEND_APPLICATION.upper(), "Mail.Send"),
    ("/users/{id}/messages", "Mail.ReadBasic"),
])
def test_search_as_you_type_by_name_id_and_api_path(browser, qtbot, query, expected):
    browser.search_edit.setFocus()
    qtbot.keyClicks(browser.search_edit, query)
    names = visible_names(browser)
    assert expected in names
    assert len(names) < 20
    if query.startswith(("e383", "B633")):
        assert names == ["Mail.Send"]
    if query.startswith("/users"):
        assert {"Mail.Read", "Mail.ReadWrite", "Mail.Send"} <= set(names)
        assert all(p.group in ("Mail", "Calendars") for p in visible_permissions(browser))
    # Groups show the filtered count and hide when nothing in them matches.
    mail = group_labels(browser)["Mail"]
    assert mail.startswith("Mail (") and " of 33)" in mail
    assert "Directory" not in group_labels(browser)
    assert browser.count_label.text().endswith("of 985 permissions match")


def test_description_words_match_and_clearing_restores_the_tree(browser, qtbot):
    browser.search_edit.setText("wipe device")
    assert "DeviceManagementManagedDevices.PrivilegedOperations.All" in visible_names(browser)
    qtbot.keyClick(browser.search_edit, Qt.Key.Key_Escape)
    assert browser.search_edit.text() == ""
    assert len(visible_names(browser)) == 985


def test_no_match_says_so_and_offers_to_clear(browser, qtbot):
    assert browser.controller.select_permission("Mail.ReadBasic")
    assert browser.details.title.text() == "Mail.ReadBasic"
    browser.search_edit.setText("zzzqqq")
    assert visible_names(browser) == []
    assert browser.tree_stack.currentWidget() is browser.no_match
    assert browser.details.is_cleared()  # no details of a permission not listed
    assert browser.count_label.text() == "0 of 985 permissions match"
    assert "No permission matches \u201czzzqqq\u201d" in browser.no_match_label.text()
    qtbot.mouseClick(browser.no_match_button, Qt.MouseButton.LeftButton)
    assert browser.search_edit.text() == ""
    assert browser.tree_stack.currentWidget() is browser.tree
    assert len(visible_names(browser)) == 985
    assert not browser.details.is_cleared()
    assert browser.details.title.text() == "Mail.ReadBasic"  # listed again, shown again


def test_filters_by_type_consent_level_and_status(browser):
    choose(browser.type_combo, "application")
    shown = visible_permissions(browser)
    assert shown and all(p.application is not None for p in shown)
    assert "User.Read" not in {p.name for p in shown}  # delegated only

    choose(browser.type_combo, None)
    choose(browser.consent_combo, False)
    shown = visible_permissions(browser)
    assert "Mail.Send" in {p.name for p in shown}
    assert all(any(v.admin_consent is False for v in p.variants) for p in shown)

    choose(browser.consent_combo, None)
    choose(browser.level_combo, 4)
    shown = visible_permissions(browser)
    assert "Directory.ReadWrite.All" in {p.name for p in shown}
    assert all(any(v.privilege == 4 for v in p.variants) for p in shown)

    choose(browser.level_combo, None)
    choose(browser.status_combo, "retired")
    shown = visible_permissions(browser)
    assert "ProgramControl.ReadWrite.All" in {p.name for p in shown}
    assert all(p.status.state is PermissionStatus.RETIRED for p in shown)
    assert len(shown) == sum(1 for p in get_catalog() if p.status.state is PermissionStatus.RETIRED)

    browser.reset_button.click()
    assert browser.status_combo.currentData() is None
    assert len(visible_names(browser)) == 985


# --- details ------------------------------------------------------------------------------


def test_selecting_a_permission_shows_both_variants(browser):
    assert browser.details.stack.currentIndex() == 0  # "Select a permission..."
    assert browser.controller.select_permission("Mail.Send")
    details = browser.details
    assert details.title.text() == "Mail.Send"
    assert details.delegated.id_label.text() == MAIL_SEND_DELEGATED
    assert details.application.id_label.text() == MAIL_SEND_APPLICATION
    assert details.delegated.consent.text() == "A user may consent for themselves"
    assert details.application.consent.text() == "Needs an admin's consent"
    assert details.delegated.privilege.text() == "2 of 4"
    assert details.status_bar.isHidden()
    assert details.danger_bar.isVisible()  # sending as anyone is worth a warning
    assert details.paths_table.model().rowCount() == len(get_catalog().get("Mail.Send").paths)
    assert "API paths that accept it" in details.paths_caption.text().replace("&", "")


def test_retired_permission_is_flagged_with_date_and_note(browser):
    browser.controller.select_permission("ProgramControl.ReadWrite.All")
    details = browser.details
    assert details.status_bar.isVisible()
    assert "Retired since 2023-05-19" in details.status_bar.text()
    assert "AccessReview" in details.status_bar.text()
    assert "<" not in details.status_bar.text()  # the bar shows plain text, no tags
    assert details.delegated.state.text() == "Retired 2023-05-19"
    row = browser.tree.currentIndex()
    assert row.siblingAtColumn(4).data() == "Retired"


def test_permission_with_one_variant_says_which_is_missing(browser):
    browser.controller.select_permission("User.Read")
    box = browser.details.application
    assert box.missing.isVisible()
    assert "No application variant" in box.missing.text()
    assert box.add_button.isHidden()


def test_copy_buttons_put_the_ids_on_the_clipboard(browser, qtbot):
    browser.controller.select_permission("Mail.Send")
    qtbot.mouseClick(browser.details.delegated.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == MAIL_SEND_DELEGATED
    qtbot.mouseClick(browser.details.application.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == MAIL_SEND_APPLICATION
    assert MAIL_SEND_APPLICATION in browser.statusBar().currentMessage()


def test_alternative_link_selects_that_permission_even_when_filtered_out(browser):
    browser.controller.select_permission("Directory.ReadWrite.All")
    links = browser.details.alternatives.text()
    assert 'href="Directory.Read.All"' in links and 'href="User.ReadWrite.All"' in links
    browser.search_edit.setText("Directory.ReadWrite")  # hides Directory.Read.All
    browser.details.alternatives.linkActivated.emit("Directory.Read.All")
    assert current_name(browser) == "Directory.Read.All"
    assert browser.details.title.text() == "Directory.Read.All"
    assert browser.search_edit.text() == ""


# --- accessibility and keyboard -----------------------------------------------------------


def _controls(root: QWidget) -> list[QWidget]:
    kinds = (QAbstractButton, QComboBox, QLineEdit, QAbstractItemView, QPlainTextEdit, QTabBar)
    return [w for w in root.findChildren(QWidget)
            if isinstance(w, kinds) or w.focusPolicy() != Qt.FocusPolicy.NoFocus]


def _read_name(widget: QWidget) -> str:
    """What a screen reader says for it; a label without text (a message bar's, until it
    has a message) is not there to be read."""
    if isinstance(widget, QLabel) and not widget.text():
        return "(empty label)"
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name).strip()


def test_every_control_has_an_accessible_name(browser, qtbot, monkeypatch):
    browser.controller.select_permission("ProgramControl.ReadWrite.All")
    browser.controller.selection.apply_preset("okta-o365-admin")
    monkeypatch.setattr(tenant_dialog, "ask_open_path",
                        lambda parent: str(FIXTURES / "graph-sp-small.json"))
    browser.act_import.trigger()
    qtbot.waitUntil(lambda: browser.controller.changes_dialog is not None)
    for root in (browser, browser.controller.changes_dialog):
        unnamed = [f"{type(w).__name__} {w.objectName()!r} {getattr(w, 'text', str)()!r} "
                   f"{type(w.parent()).__name__}"
                   for w in _controls(root) if not _read_name(w)]
        assert unnamed == [], "\n".join(unnamed)
    assert browser.accessibleName()


def test_keyboard_ctrl_f_type_enter_arrows(browser, qtbot):
    browser.tree.setFocus()
    qtbot.keyClick(browser, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is browser.search_edit
    qtbot.keyClicks(browser.search_edit, "mail.send")
    qtbot.keyClick(browser.search_edit, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is browser.tree
    assert current_name(browser) == "Mail.Send"  # the best match, not the first row
    assert browser.details.title.text() == "Mail.Send"
    qtbot.keyClick(browser.tree, Qt.Key.Key_Down)
    assert current_name(browser) == "Mail.Send.Shared"
    assert browser.details.title.text() == "Mail.Send.Shared"
    qtbot.keyClick(browser.tree, Qt.Key.Key_Up)
    assert browser.details.title.text() == "Mail.Send"
    # Ctrl+D adds it, and so does Enter on a result; once is enough.
    qtbot.keyClick(browser.tree, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    items = browser.controller.selection.model.items
    assert items() == [("Mail.Send", "delegated")]
    qtbot.keyClick(browser.tree, Qt.Key.Key_Down)
    qtbot.keyClick(browser.tree, Qt.Key.Key_Return)
    assert items() == [("Mail.Send", "delegated"), ("Mail.Send.Shared", "delegated")]
    assert browser.statusBar().currentMessage() == (
        "Added Mail.Send.Shared (delegated) to the selection.")
    qtbot.keyClick(browser.tree, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert len(items()) == 2 and "already in the selection" in browser.statusBar().currentMessage()
    assert browser.tabs.tabText(1) == "Selection (2)"
    # Enter on a group closes and opens it.
    group = browser.tree.currentIndex().parent()
    browser.tree.setCurrentIndex(group)
    qtbot.keyClick(browser.tree, Qt.Key.Key_Return)
    assert not browser.tree.isExpanded(group)
    qtbot.keyClick(browser.tree, Qt.Key.Key_Return)
    assert browser.tree.isExpanded(group) and len(items()) == 2


def test_tab_goes_from_the_search_box_to_the_best_result_and_back(browser, qtbot):
    assert QApplication.focusWidget() is browser.search_edit  # where the window starts
    qtbot.keyClicks(browser.search_edit, "read all sites")
    qtbot.keyClick(browser.search_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is browser.tree
    assert current_name(browser) == "Sites.Read.All"
    qtbot.keyClick(browser.tree, Qt.Key.Key_Down)
    chosen = current_name(browser)
    assert chosen == "Sites.ReadWrite.All"
    qtbot.keyClick(browser.tree, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is browser.search_edit
    qtbot.keyClick(browser.search_edit, Qt.Key.Key_Tab)  # same words: the row chosen stays
    assert QApplication.focusWidget() is browser.tree and current_name(browser) == chosen
    qtbot.keyClick(browser.tree, Qt.Key.Key_Tab)  # then the side panel
    assert QApplication.focusWidget() is browser.tabs.tabBar()
    # The filters come before the search box, each also on its Alt+letter.
    browser.search_edit.setFocus()
    qtbot.keyClick(browser.search_edit, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is browser.reset_button
    qtbot.keyClick(browser, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is browser.type_combo


def test_arrow_keys_and_the_wheel_leave_a_filter_box_as_it_is(browser, qtbot):
    combo = browser.type_combo
    combo.setFocus()
    for key in (Qt.Key.Key_PageDown, Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_Home):
        qtbot.keyClick(combo, key)
        assert combo.currentIndex() == 0
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # opens the list instead of choosing
    assert combo.currentIndex() == 0 and combo.view().isVisible()
    assert len(visible_names(browser)) == 985
    qtbot.keyClick(combo.view(), Qt.Key.Key_Down)
    qtbot.keyClick(combo.view(), Qt.Key.Key_Escape)  # Escape: nothing chosen
    qtbot.waitUntil(lambda: not combo.view().isVisible())
    assert combo.currentIndex() == 0 and len(visible_names(browser)) == 985
    qtbot.keyClick(combo, Qt.Key.Key_Up)
    assert combo.view().isVisible()
    assert combo.view().currentIndex().row() == 0  # the list opens at the current choice
    qtbot.keyClick(combo.view(), Qt.Key.Key_Down)
    qtbot.keyClick(combo.view(), Qt.Key.Key_Return)  # asked: chosen
    qtbot.waitUntil(lambda: not combo.view().isVisible())
    assert combo.currentData() == "delegated"
    assert all(p.delegated is not None for p in visible_permissions(browser))
    wheel = QWheelEvent(QPointF(5, 5), combo.mapToGlobal(QPointF(5, 5)), QPoint(0, 0),
                        QPoint(0, -120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(combo, wheel)
    assert combo.currentData() == "delegated"


def test_arrow_keys_walk_groups_and_open_them(browser, qtbot):
    tree, proxy = browser.tree, browser.controller.proxy
    tree.setFocus()
    tree.setCurrentIndex(proxy.index(0, 0))
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert tree.currentIndex().data(GroupRole) == proxy.index(1, 0).data(GroupRole)
    qtbot.keyClick(tree, Qt.Key.Key_Right)  # opens the group
    assert tree.isExpanded(tree.currentIndex())
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    first = proxy.index(0, 0, proxy.index(1, 0)).data(PermissionRole).name
    assert current_name(browser) == first
    assert browser.details.title.text() == first


def test_down_from_the_search_box_goes_to_the_results(browser, qtbot):
    browser.search_edit.setFocus()
    qtbot.keyClicks(browser.search_edit, "sites.fullcontrol")
    qtbot.keyClick(browser.search_edit, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is browser.tree
    assert current_name(browser) == "Sites.FullControl.All"


def test_enter_on_an_api_path_goes_to_its_least_privileged_permission(browser, qtbot):
    browser.search_edit.setFocus()
    qtbot.keyClicks(browser.search_edit, "/users/{id}/messages")
    qtbot.keyClick(browser.search_edit, Qt.Key.Key_Return)
    assert current_name(browser) == "Mail.ReadBasic"


def test_opening_the_package_does_not_load_the_catalog():
    code = ("import sys, o365desk.ui.scopes; "
            "print('o365desk.catalog.catalog' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"


def test_a_damaged_tenant_cache_still_opens_the_browser(qtbot, config_dir):
    cache = config_dir / "data" / "tenant-catalog.json"
    cache.parent.mkdir(parents=True)
    cache.write_text('{"format": 1, "imported_at": "2026-11-27T09:30:00Z", "source_name": '
                     '"x", "scopes": [{"kind": "delegated", "id": 5}], "roles": []}',
                     encoding="utf-8")
    browser = open_browser(qtbot)
    assert len(visible_names(browser)) == 985  # the built-in catalog
    assert not browser.error_bar.isHidden()
    assert "cached tenant catalog" in browser.error_bar.text()
    assert "import the service principal file again" in browser.error_bar.text()


def test_on_a_laptop_screen_names_keep_their_room_and_the_variants_stack(browser, qtbot):
    """1229 by 691: the window on a 1366 by 768 screen. The names are what people read."""
    from PySide6.QtCore import QModelIndex

    browser.resize(1229, 691)
    qtbot.keyClicks(browser.search_edit, "user read")
    assert browser.controller.select_permission("User.Read.All")  # both variants, both IDs
    qtbot.waitUntil(lambda: not browser.details.variants.side_by_side())
    tree = browser.tree
    metrics = tree.fontMetrics()
    proxy = tree.model()
    group = proxy.index(0, 0, QModelIndex())
    room = tree.columnWidth(0) - tree.indentation() - 2 * metrics.averageCharWidth()
    names = [proxy.index(r, 0, group).data() for r in range(8)]
    assert "User.ReadBasic.All" in names
    too_long = [n for n in names if metrics.horizontalAdvance(n) > room]
    assert not too_long, f"cut short in a column {tree.columnWidth(0)} px wide: {too_long}"
    delegated, application = browser.details.delegated, browser.details.application
    assert application.geometry().top() > delegated.geometry().bottom()  # one above the other
    for box in (delegated, application):  # a whole ID, not one cut short
        assert box.id_label.width() >= box.id_label.minimumWidth()
    # With room for both beside the names (the window's own size on a larger screen), the
    # variants go side by side, and the names still fit.
    browser.resize(1360, 820)
    qtbot.waitUntil(browser.details.variants.side_by_side)
    qtbot.waitUntil(lambda: application.geometry().left() > delegated.geometry().right())
    room = tree.columnWidth(0) - tree.indentation() - 2 * metrics.averageCharWidth()
    assert not [n for n in names if metrics.horizontalAdvance(n) > room]


def test_every_close_key_of_the_platform_closes_the_browser(qtbot, browser):
    from PySide6.QtGui import QKeySequence

    keys = {k.toString() for k in browser.act_close.shortcuts()}
    assert keys == {k.toString() for k in QKeySequence.keyBindings(
        QKeySequence.StandardKey.Close)}
    assert "Ctrl+W" in keys
