"""One ranking everywhere: the command line, the wizard's list and the scope browser put the
same permission first for the same query, against the real catalog."""

from __future__ import annotations

import json
import logging

import pytest
from PySide6.QtCore import QPoint, Qt

from o365desk.cli import main as cli_main
from o365desk.ui.wizard.permissions_model import Col, NameRole
from o365desk.ui.wizard.permissions_page import PermissionsPage
from tests.ui.scope_helpers import current_name, open_browser, visible_names

# Query -> the permission that must come first. Every one has a delegated variant, so the
# wizard (which lists only those) shows it as well.
FIRST_HIT = {
    "user read": "User.Read",  # the wizard's own example
    "User.Read": "User.Read",
    "user_read": "User.Read",
    "user-read": "User.Read",
    "read user": "User.Read",
    "user read all": "User.Read.All",
    "user.readbasic": "User.ReadBasic.All",
    "user readwrite all": "User.ReadWrite.All",
    "mail send": "Mail.Send",
    "send mail": "Mail.Send",
    "mail": "Mail.Read",
    "mailboxsettings": "MailboxSettings.Read",
    "sites.read.all": "Sites.Read.All",
    "read all sites": "Sites.Read.All",
    "sites fullcontrol": "Sites.FullControl.All",
    "directory read all": "Directory.Read.All",
    "group readwrite": "Group.ReadWrite.All",
    "group.read.all": "Group.Read.All",
    "calendars": "Calendars.Read",
    "files read": "Files.Read",
    "chat read": "Chat.Read",
    "channel message send": "ChannelMessage.Send",
    "tasks readwrite": "Tasks.ReadWrite",
    "people read": "People.Read",
    "presence": "Presence.Read",
    "auditlog read": "AuditLog.Read.All",
    "application read all": "Application.Read.All",
    "devicemanagementmanageddevices": "DeviceManagementManagedDevices.Read.All",
    "e383f46e-2787-4529-855e-0e479a3ffac0": "Mail.Send",  # the delegated ID
}


@pytest.fixture
def cli(capsys):
    """`o365desk scopes QUERY --json` through the CLI's entry point, in this process."""
    handlers = list(logging.getLogger().handlers)

    def run(query: str) -> list[str]:
        assert cli_main(["scopes", *query.split(), "--json"]) == 0
        return [p["name"] for p in json.loads(capsys.readouterr().out)["permissions"]]

    yield run
    for handler in logging.getLogger().handlers:
        if handler not in handlers:  # the CLI's log file, in this test's config folder
            logging.getLogger().removeHandler(handler)
            handler.close()


@pytest.fixture
def wizard_page(qtbot):
    page = PermissionsPage()
    qtbot.addWidget(page)
    page.load()
    page.show()
    qtbot.waitExposed(page)
    return page


def wizard_rows(page) -> list[str]:
    return [page.proxy.index(r, 0).data(NameRole) for r in range(page.proxy.rowCount())]


def test_the_table_is_big_enough():
    assert len(FIRST_HIT) >= 20


def test_the_same_first_hit_in_the_cli_the_wizard_and_the_browser(qtbot, cli, wizard_page):
    browser = open_browser(qtbot)
    wrong = []
    for query, expected in FIRST_HIT.items():
        by_cli = cli(query)[0]
        wizard_page.search.clear()
        qtbot.keyClicks(wizard_page.search, query)
        by_wizard = wizard_rows(wizard_page)[0]
        browser.search_edit.clear()
        qtbot.keyClicks(browser.search_edit, query)
        by_tree = visible_names(browser)[0]
        best = browser.controller.proxy.best_match()
        if (by_cli, by_wizard, by_tree, best) != (expected,) * 4:
            wrong.append(f"{query!r}: CLI {by_cli}, wizard {by_wizard}, browser {by_tree} "
                         f"(best {best}); expected {expected}")
    assert wrong == [], "\n".join(wrong)


def test_the_cli_lists_user_read_first_not_52nd(cli):
    found = cli("user read")
    assert found[:3] == ["User.Read", "User.Read.All", "User.ReadWrite"]


def test_the_wizard_lists_by_relevance_until_a_header_is_clicked(qtbot, wizard_page):
    page = wizard_page
    qtbot.keyClicks(page.search, "user read")
    rows = wizard_rows(page)
    assert rows[:3] == ["User.Read", "User.Read.All", "User.ReadWrite"]
    assert rows != sorted(rows, key=str.casefold)
    header = page.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionPosition(Col.NAME) + 5, header.height() // 2))
    assert header.sortIndicatorSection() == Col.NAME
    rows = wizard_rows(page)
    assert rows == sorted(rows, key=str.casefold)  # by name, as the header says
    assert "User.Read" in rows and rows[0] != "User.Read"
    qtbot.keyClicks(page.search, " all")  # new words: best first again
    assert wizard_rows(page)[0] == "User.Read.All"
    assert header.sortIndicatorSection() == -1
    page.search.clear()
    rows = wizard_rows(page)
    assert len(rows) > 500 and rows == sorted(rows, key=str.casefold)


def test_the_browser_puts_the_best_group_first_and_its_best_hit_on_top(qtbot):
    browser = open_browser(qtbot)
    proxy = browser.controller.proxy
    qtbot.keyClicks(browser.search_edit, "user read")
    first_group = proxy.index(0, 0)
    assert first_group.data(Qt.ItemDataRole.DisplayRole).startswith("Users (")
    assert browser.tree.isExpanded(first_group)
    assert proxy.index(0, 0, first_group).data() == "User.Read"
    assert browser.tree.indexAt(QPoint(5, 5)) == first_group  # at the top: the hit shows
    qtbot.keyClick(browser.search_edit, Qt.Key.Key_Tab)
    assert browser.tree.hasFocus() and current_name(browser) == "User.Read"
    # Clearing the search restores the catalog's order.
    browser.search_edit.clear()
    assert visible_names(browser)[:3] == ["email", "offline_access", "openid"]
