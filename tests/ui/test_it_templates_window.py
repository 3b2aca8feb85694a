"""New connection when the IT policy offers templates: "Templates from your IT team" first,
from a real folder or a local HTTPS server (trusted through the test CA, fetched through
o365desk's own HTTP session); choosing one by keys goes on to the wizard with its values
and locks and ends in a saved connection. Offline, one plain line, and the wizard still
works without them. A real policy file (O365DESK_POLICY_FILE: this machine has none)."""

from __future__ import annotations

import json
import socket

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWizard

from o365desk.core import policy_sources
from o365desk.core import template as tpl
from o365desk.core.tls import EXTRA_CA_ENV
from o365desk.ui.it_templates import Col, ItTemplatesDialog
from o365desk.ui.wizard.new_connection import NewConnectionWizard, PageId
from tests.fakes.template_site import TemplateSite

pytestmark = [pytest.mark.usefixtures("qasync_loop")]


def template(*entries: dict) -> str:
    return json.dumps({"format": tpl.FORMAT, "version": 1, "connections": list(entries)})


PAYROLL = {"nickname": "Payroll", "description": "Payroll team, Contoso UK",
           "tenant": "contoso.com", "scopes": ["User.Read", "Mail.Send"],
           "locked": ["tenant", "scopes"]}
HELPDESK = {"nickname": "Helpdesk", "description": "Password resets",
            "tenant": "contoso.com", "scopes": ["User.Read"]}


@pytest.fixture
def policy(tmp_path, monkeypatch):
    assert not policy_sources.LINUX_FILE.exists()
    path = tmp_path / "policy.json"
    monkeypatch.setenv(policy_sources.POLICY_ENV, str(path))

    def write(templates: str) -> None:
        path.write_text(json.dumps({"templates": templates}))

    return write


@pytest.fixture
def folder(tmp_path):
    where = tmp_path / "it-templates"
    where.mkdir()
    (where / "payroll.o365template").write_text(template(PAYROLL, HELPDESK))
    (where / "old.o365template").write_text(template({**HELPDESK, "client_secret": "s3"}))
    return where


def open_chooser(qtbot, window) -> ItTemplatesDialog:
    """Ctrl+N, as a person starts a new connection."""
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.findChild(ItTemplatesDialog) is not None
                    and window.findChild(ItTemplatesDialog).isVisible(), timeout=10000)
    return window.findChild(ItTemplatesDialog)


def rows(dialog) -> list[tuple[str, str]]:
    model = dialog.model
    return [(model.index(r, Col.NAME).data(), model.index(r, Col.DESCRIPTION).data())
            for r in range(model.rowCount())]


def listed(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0 or not dialog.status.label.text()
                    .startswith("Looking"), timeout=30000)


def the_wizard(qtbot, controller) -> NewConnectionWizard:
    qtbot.waitUntil(lambda: isinstance(controller.wizards.window, NewConnectionWizard),
                    timeout=20000)
    return controller.wizards.window


def test_choosing_an_it_template_by_keys_ends_in_a_saved_connection(
        qtbot, make_window, services, policy, folder):
    policy(str(folder))
    window, controller = make_window([])
    dialog = open_chooser(qtbot, window)
    listed(qtbot, dialog)
    assert dialog.heading.text() == "Templates from your IT team"
    assert rows(dialog) == [
        ("Payroll", "Payroll team, Contoso UK"), ("Helpdesk", "Password resets"),
        ("old.o365template", "Can\u2019t be used: Connection 1, \u201cclient_secret\u201d: a "
                             "template never holds secrets, keys, tokens, accounts or "
                             "connection IDs; remove this field.")]
    assert dialog.status.isVisible()
    assert "Some of your IT team\u2019s templates can\u2019t be used" in \
        dialog.status.label.text()
    assert "s3" not in " ".join(text for row in rows(dialog) for text in row)
    assert QApplication.focusWidget() is dialog.table and dialog.use.isEnabled()
    # A refused one can't be chosen: Enter does nothing there.
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    assert not dialog.use.isEnabled()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert dialog.isVisible() and controller.wizards.window is None
    qtbot.keyClick(dialog.table, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # Use this template

    wizard = the_wizard(qtbot, controller)
    wizard.activateWindow()  # as the desktop does: its mnemonics need the active window
    qtbot.waitUntil(wizard.isActiveWindow)
    names = wizard.nickname_page
    assert names.nickname.text() == "Payroll"
    assert names.description.text() == "Payroll team, Contoso UK"
    names.nickname.setFocus()
    qtbot.keyClick(names.nickname, Qt.Key.Key_End)
    qtbot.keyClicks(names.nickname, " (me)")
    qtbot.keyClick(names.nickname, Qt.Key.Key_Return)  # Next
    assert wizard.currentId() == PageId.ORGANISATION
    org = wizard.organisation_page
    assert org.tenant.text() == "contoso.com" and org.tenant.isReadOnly()
    org.tenant.setFocus()
    qtbot.keyClicks(org.tenant, "x")  # locked by IT: typing changes nothing
    assert org.tenant.text() == "contoso.com"
    qtbot.keyClick(org.tenant, Qt.Key.Key_Return)
    assert wizard.currentId() == PageId.PERMISSIONS
    assert wizard.permissions_page.scopes() == ["Mail.Send", "User.Read"]
    button = wizard.button(QWizard.WizardButton.CustomButton1)
    qtbot.waitUntil(button.isVisible)
    qtbot.keyClick(QApplication.focusWidget() or wizard, Qt.Key.Key_W,
                   Qt.KeyboardModifier.AltModifier)  # Save without signing in
    qtbot.waitUntil(lambda: wizard.saved_connection is not None, timeout=20000)
    [saved] = services.store.load()
    assert (saved.nickname, saved.tenant, set(saved.scopes), saved.description,
            saved.account) == ("Payroll (me)", "contoso.com", {"User.Read", "Mail.Send"},
                               "Payroll team, Contoso UK", None)


def test_templates_at_an_https_address_through_the_http_session(
        qtbot, make_window, policy, tmp_path, monkeypatch):
    with TemplateSite(tmp_path) as site:
        monkeypatch.setenv(EXTRA_CA_ENV, site.ca_pem_path)
        site.put("/o365desk/helpdesk.o365template", template(HELPDESK))
        policy(site.put("/o365desk/index.json", json.dumps({
            "format": "o365desk-template-index", "version": 1,
            "templates": ["helpdesk.o365template"]})))
        window, controller = make_window([])
        dialog = open_chooser(qtbot, window)
        listed(qtbot, dialog)
        assert rows(dialog) == [("Helpdesk", "Password resets")]
        assert not dialog.status.isVisible()
        assert site.requests == ["/o365desk/index.json", "/o365desk/helpdesk.o365template"]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    wizard = the_wizard(qtbot, controller)
    assert wizard.nickname_page.nickname.text() == "Helpdesk"
    assert not wizard.organisation_page.tenant.isReadOnly()  # nothing locked
    wizard.reject()


def test_offline_says_so_in_one_line_and_the_wizard_still_works_without_them(
        qtbot, make_window, policy):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    policy(f"https://127.0.0.1:{port}/o365desk/index.json")
    window, controller = make_window([])
    dialog = open_chooser(qtbot, window)
    listed(qtbot, dialog)
    assert dialog.model.rowCount() == 0 and not dialog.table.isVisible()
    assert dialog.status.label.text() == (
        f"Your IT team\u2019s templates can\u2019t be read from https://127.0.0.1:{port}/o365desk/"
        "index.json because the server could not be reached (the computer may be "
        "offline). You can still set up a connection without them; try again later, or "
        "tell your IT team if it goes on.")
    assert not dialog.use.isEnabled() and dialog.without.isDefault()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Set up without
    wizard = the_wizard(qtbot, controller)
    assert wizard.nickname_page.nickname.text() == ""
    assert not wizard.organisation_page.tenant.isReadOnly()
    wizard.reject()


def test_without_templates_in_the_policy_new_connection_opens_the_wizard(
        qtbot, make_window, policy, tmp_path):
    (tmp_path / "policy.json").write_text(json.dumps({"allowed_clouds": ["global"]}))
    window, controller = make_window([])
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    the_wizard(qtbot, controller).reject()
    assert window.findChild(ItTemplatesDialog) is None


def test_a_long_description_shows_its_start_and_the_whole_in_the_tooltip(qtbot, tmp_path):
    from o365desk.ui.it_templates import ItTemplatesModel
    from o365desk.usecases.it_templates import list_it_templates

    words = "Payroll team. " * 140  # near the 2,000 characters a template allows
    (tmp_path / "long.o365template").write_text(template({**PAYROLL, "description": words}))
    model = ItTemplatesModel()
    model.set_offered(list_it_templates(str(tmp_path)).offered)
    shown = model.index(0, Col.DESCRIPTION).data()
    assert len(shown) == 300 and shown.endswith("\u2026")
    tip = model.index(0, Col.DESCRIPTION).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(words.strip()) and tip.endswith("From long.o365template")
