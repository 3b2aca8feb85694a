"""The window never draws (or obeys) control and bidi characters from outside: nicknames,
descriptions and account names from a hand-edited connections.json, a server's words in
message bars and boxes. They are shown as escapes, and as plain text, never HTML."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from o365desk.core.clouds import Cloud
from o365desk.core.connection import Account, Connection
from o365desk.core.text import is_unsafe
from o365desk.ui import dialogs
from o365desk.ui.connections_model import Column
from o365desk.ui.dialogs import confirm as real_confirm
from o365desk.ui.dialogs import inform as real_inform
from o365desk.ui.dialogs import show_details as real_show_details
from o365desk.ui.dialogs import show_raw
from o365desk.ui.message_bar import Level, MessageBar
from tests.ui.helpers import select

# An OSC that sets a title, a screen clear, an 8-bit CSI, a right-to-left override and
# isolate, DEL, a carriage return and a NUL; and HTML a label would otherwise render.
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\u2066\x7f\r\x00<b>bold</b>"

CLEAN_ID = "3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a93"


def unsafe(text: str) -> list[str]:
    return [f"U+{ord(ch):04X}" for ch in text if ch != "\n" and is_unsafe(ch)]


def entry(ident: str, nickname: str) -> dict:
    return {
        "id": ident, "nickname": nickname, "description": "Desc " + HOSTILE + "\nline two",
        "tenant": "contoso.onmicrosoft.com", "cloud": "global",
        "client_id": "14d82eec-204b-4c2f-b7e8-296a70dab67e", "authority": None,
        "kind": "delegated", "scopes": ["User.Read", "Scope" + HOSTILE],
        "account": {"username": "admin" + HOSTILE + "@contoso.onmicrosoft.com",
                    "home_account_id": "uid.utid",
                    "tenant_id": "6e1c3d4b-1f2a-4b5c-8d9e-0a1b2c3d4e5f"},
        "created_at": "2026-11-02T09:30:00Z", "last_used_at": None, "expires_at": None,
    }


def write_hostile_store(store_path) -> None:
    store_path.parent.mkdir(parents=True, exist_ok=True)
    data = {"schema_version": 1, "connections": [
        entry(CLEAN_ID, "Clean"),
        entry("a1e5f7c2-0b3d-4c6e-8f9a-1b2c3d4e5f60", "Nick" + HOSTILE)]}
    store_path.write_text(json.dumps(data), encoding="utf-8")


def test_the_list_and_details_show_hostile_names_visibly(make_window, store_path):
    write_hostile_store(store_path)
    window, controller = make_window()
    proxy = controller.proxy
    assert proxy.rowCount() == 2
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
             Qt.ItemDataRole.EditRole)
    for row in range(proxy.rowCount()):
        for column in Column:
            for role in roles:
                value = proxy.index(row, column).data(role)
                assert value is None or unsafe(value) == [], (row, column, role, value)
    nicknames = {proxy.index(row, Column.NICKNAME).data() for row in range(2)}
    assert r"Nick\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\u2066\x7f\r\x00<b>bold</b>" \
        in nicknames

    select(window, controller, "Clean")
    pane = window.details
    labels = [label for label in pane.findChildren(QLabel) if label.text()]
    for label in labels:
        assert unsafe(label.text()) == [], label.text()
    shown = {label.text() for label in labels}
    assert pane.description.text() == (r"Desc \x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil"
                                       r"\u2066\x7f\r\x00<b>bold</b>" "\nline two")
    assert pane.description.textFormat() == Qt.TextFormat.PlainText  # <b> as typed
    assert pane.account.text().startswith(r"admin\x1b]0;pwned\x07")
    assert r"Scope\x1b]0;pwned" in pane.scopes.text()
    assert any(r"for admin\x1b]0;" in text for text in shown)  # the status sentence
    window.resize(1100, 560)
    QApplication.processEvents()
    window.grab().save("/tmp/o365desk-outside-text.png")


def test_message_bars_and_boxes_show_a_servers_words_visibly(qtbot):
    bar = MessageBar(Level.ERROR, "Problem")
    qtbot.addWidget(bar)
    bar.show_message("Microsoft said: " + HOSTILE + "\nand more")
    assert unsafe(bar.text()) == [] and "\\x1b]0;pwned" in bar.text()
    assert bar.text().endswith("\nand more")  # a line break it meant stays one

    boxes = [real_inform(None, "Note", "Said: " + HOSTILE, "Also " + HOSTILE),
             real_show_details(None, "Problem", "Said: " + HOSTILE, "Raw " + HOSTILE,
                               "Also " + HOSTILE),
             show_raw(None, "Problem", "Said: " + HOSTILE, "Raw " + HOSTILE)]
    for box in boxes:
        texts = [box.text(), box.informativeText(), box.detailedText()]
        assert all(unsafe(t) == [] for t in texts), texts
        assert "\\x1b]0;pwned" in box.text()
        assert box.textFormat() == Qt.TextFormat.PlainText
        box.close()


def test_the_delete_question_names_a_hostile_connection_visibly(qtbot, monkeypatch):
    monkeypatch.setattr(dialogs, "confirm", real_confirm)  # the real box this time
    conn = Connection(nickname="Fine", tenant="contoso.onmicrosoft.com", cloud=Cloud.GLOBAL,
                      description="", account=Account("admin" + HOSTILE, "uid.utid", "tid"))
    seen = []

    def answer(box) -> int:  # the box as it would be shown; then Cancel
        seen.extend([box.text(), box.informativeText(), box.textFormat()])
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    assert dialogs.confirm_delete(None, conn, None) is False
    text, informative, fmt = seen
    assert unsafe(text) == [] and unsafe(informative) == []
    assert "admin\\x1b]0;pwned" in informative and fmt == Qt.TextFormat.PlainText


def test_the_sign_in_panels_show_a_servers_words_visibly(qtbot):
    from o365desk.core.signin_errors import explain
    from o365desk.ui.wizard.signin_panels import DeviceCodePanel, ErrorPanel

    # An error name Entra doesn't use, so the message quotes it; a description for IT.
    explanation = explain("bad" + HOSTILE, "AADSTS1: " + HOSTILE + "\nsecond line", None,
                          tenant="contoso" + HOSTILE, cloud="global", client_id=None)
    panel = ErrorPanel()
    qtbot.addWidget(panel)
    panel.show_explanation(explanation)
    texts = [panel.title.text(), panel.message.text(), panel.details.toPlainText()]
    assert all(unsafe(t) == [] for t in texts), texts
    assert "\\x1b]0;pwned" in panel.details.toPlainText()
    assert panel.details.toPlainText().endswith("\nsecond line")

    codes = DeviceCodePanel()
    qtbot.addWidget(codes)
    codes.show_code("ABC" + HOSTILE, "https://microsoft.com/devicelogin" + HOSTILE)
    assert unsafe(codes.code.text()) == [] and unsafe(codes.url.text()) == []
    assert codes.url.text().startswith("https://microsoft.com/devicelogin\\x1b]0;pwned")


def test_a_tenant_files_wording_is_shown_visibly(qtbot, monkeypatch, tmp_path):
    from o365desk.ui.scopes import tenant_dialog
    from tests.ui.scope_helpers import FIXTURES, open_browser

    data = json.loads((FIXTURES / "graph-sp-small.json").read_text(encoding="utf-8"))
    scope = next(s for s in data["oauth2PermissionScopes"] if s["value"] == "User.Read")
    scope["adminConsentDisplayName"] = "Title " + HOSTILE
    scope["adminConsentDescription"] = "Wording " + HOSTILE
    hostile = tmp_path / "graph-sp-hostile.json"
    hostile.write_text(json.dumps(data), encoding="utf-8")
    browser = open_browser(qtbot)
    monkeypatch.setattr(tenant_dialog, "ask_open_path", lambda parent: str(hostile))
    browser.import_button.click()
    qtbot.waitUntil(browser.tenant_bar.isVisible)

    browser.controller.select_permission("User.Read")
    shown = browser.details.delegated.tenant_text
    assert unsafe(shown.text()) == [], shown.text()
    assert "Wording \\x1b]0;pwned" in shown.text()
    assert "&lt;b&gt;bold&lt;/b&gt;" in shown.text()  # the file's tags as text, not bold


def test_the_status_bar_names_a_hostile_connection_visibly(make_window, store_path):
    write_hostile_store(store_path)
    window, controller = make_window()
    proxy = controller.proxy
    row = next(r for r in range(proxy.rowCount())
               if proxy.index(r, Column.NICKNAME).data().startswith("Nick"))
    window.table.selectRow(row)
    controller._on_copy_id()  # "Copied the ID of “Nick...”."
    shown = window.statusBar().currentMessage()
    assert shown.startswith("Copied the ID of \u201cNick\\x1b]0;pwned")
    assert unsafe(shown) == []


def test_enter_in_the_rename_editor_of_a_hostile_nickname_changes_nothing(qapp):
    from o365desk.ui.connections_model import ConnectionsModel

    renamed = []
    model = ConnectionsModel(lambda *args: renamed.append(args))
    model.set_connections([Connection(nickname="Nick" + HOSTILE, tenant="contoso.com")])
    index = model.index(0, Column.NICKNAME)
    shown = index.data(Qt.ItemDataRole.EditRole)  # what the editor opens with
    assert unsafe(shown) == []
    assert model.setData(index, shown) is False and renamed == []
