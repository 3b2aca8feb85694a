"""File > New connection from template...: the file, the preview, then the wizard or the
new connections; a hostile file is refused in words and changes nothing."""

from __future__ import annotations

import copy
import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from o365desk.core.connection import Connection
from o365desk.ui import template_import
from o365desk.ui.template_preview import Col, TemplatePreviewDialog
from o365desk.ui.wizard.new_connection import NewConnectionWizard

ONE = {
    "format": "o365desk-template", "version": 1,
    "connections": [{
        "nickname": "Payroll", "description": "Payroll team", "tenant": "contoso.com",
        "cloud": "usgov", "scopes": ["User.Read"], "locked": ["tenant", "cloud"],
    }],
}


def two_connections() -> dict:
    data = copy.deepcopy(ONE)
    data["connections"].append({**data["connections"][0], "nickname": "Payroll EU"})
    return data


def choose_from_the_file_menu(qtbot, window, monkeypatch, path) -> None:
    """Alt+F, then the item's mnemonic T, as a person does; the file dialog answers `path`."""
    monkeypatch.setattr(template_import, "ask_open_path", lambda parent: str(path))
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    menu = QApplication.activePopupWidget()
    assert window.act_new_from_template in menu.actions()
    qtbot.keyClick(menu, Qt.Key.Key_T)


def preview_dialog(qtbot, window) -> TemplatePreviewDialog:
    qtbot.waitUntil(lambda: window.findChild(TemplatePreviewDialog) is not None
                    and window.findChild(TemplatePreviewDialog).isVisible(), timeout=10000)
    return window.findChild(TemplatePreviewDialog)


def rows(dialog) -> list[tuple[str, str]]:
    model = dialog.model
    return [(model.index(r, Col.NICKNAME).data(), model.index(r, Col.RESULT).data())
            for r in range(model.rowCount())]


def test_a_template_with_a_taken_nickname_creates_the_others(
        qtbot, make_window, services, monkeypatch, tmp_path):
    path = tmp_path / "payroll.o365template"
    path.write_text(json.dumps(two_connections()))
    window, controller = make_window([Connection("payroll", tenant="fabrikam.com")])
    choose_from_the_file_menu(qtbot, window, monkeypatch, path)
    dialog = preview_dialog(qtbot, window)
    assert rows(dialog) == [
        ("Payroll", "Refused: A connection called \u201cpayroll\u201d already exists, so "
                    "this one needs another nickname."),
        ("Payroll EU", "Will be created")]
    assert dialog.go.text() == "&Create 1 connection" and dialog.go.isEnabled()
    assert "1 of them can't be created, for the reason shown" in dialog.intro.text()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(services.store.load()) == 2, timeout=10000)
    made = {c.nickname: c for c in services.store.load()}["Payroll EU"]
    assert (made.tenant, made.cloud.value, made.account) == ("contoso.com", "usgov", None)
    qtbot.waitUntil(lambda: "Created 1 connection" in window.statusBar().currentMessage())


def test_a_one_connection_template_goes_on_to_the_wizard_with_its_values(
        qtbot, make_window, monkeypatch, tmp_path):
    path = tmp_path / "payroll.o365template"
    path.write_text(json.dumps(ONE))
    window, controller = make_window([])
    choose_from_the_file_menu(qtbot, window, monkeypatch, path)
    dialog = preview_dialog(qtbot, window)
    assert rows(dialog) == [("Payroll", "Will be created")]
    assert dialog.go.text() == "&Continue\u2026"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(controller.wizards.window, NewConnectionWizard),
                    timeout=20000)
    wizard = controller.wizards.window
    assert wizard.nickname_page.nickname.text() == "Payroll"
    org = wizard.organisation_page
    assert org.tenant.text() == "contoso.com" and org.tenant.isReadOnly()
    assert org.cloud_value().value == "usgov" and not org.cloud.isEnabled()
    wizard.reject()


def test_a_one_connection_template_with_a_taken_nickname_asks_for_another_in_the_wizard(
        qtbot, make_window, monkeypatch, tmp_path):
    path = tmp_path / "payroll.o365template"
    path.write_text(json.dumps(ONE))
    window, controller = make_window([Connection("Payroll", tenant="fabrikam.com")])
    choose_from_the_file_menu(qtbot, window, monkeypatch, path)
    dialog = preview_dialog(qtbot, window)
    [(_, result)] = rows(dialog)
    assert result.startswith("Choose another nickname next: A connection called")
    assert dialog.go.isEnabled()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(controller.wizards.window, NewConnectionWizard),
                    timeout=20000)
    page = controller.wizards.window.nickname_page
    assert "already exists" in page.error() and not page.isComplete()
    controller.wizards.window.reject()


def test_opening_a_template_file_directly_shows_the_same_preview(
        qtbot, make_window, tmp_path):
    path = tmp_path / "payroll.o365template"
    path.write_text(json.dumps(ONE))
    window, controller = make_window([])
    controller.templates().open(path)  # what `o365desk FILE.o365template` does
    assert rows(preview_dialog(qtbot, window)) == [("Payroll", "Will be created")]


def test_a_hostile_template_is_refused_in_words_and_changes_nothing(
        qtbot, make_window, services, monkeypatch, tmp_path, dialog_log):
    data = copy.deepcopy(ONE)
    data["connections"][0]["authority"] = "https://login.evil.example/contoso.com"
    path = tmp_path / "hostile.o365template"
    path.write_text(json.dumps(data))
    window, controller = make_window([Connection("Keep", tenant="fabrikam.com")])
    before = services.store.path.read_bytes()
    choose_from_the_file_menu(qtbot, window, monkeypatch, path)
    qtbot.waitUntil(lambda: bool(dialog_log.infos), timeout=10000)
    [info] = dialog_log.infos
    assert info["title"] == "Template can't be used"
    assert info["text"].startswith("Connection 1, \u201cauthority\u201d: ")
    assert "Nothing was changed" in info["informative"]
    assert window.findChild(TemplatePreviewDialog) is None
    assert services.store.path.read_bytes() == before


def test_a_lone_template_argument_opens_the_window_with_it(monkeypatch, tmp_path):
    import o365desk.app
    from o365desk import cli
    from o365desk.core import template as tpl

    assert cli.TEMPLATE_EXTENSION == tpl.EXTENSION
    opened = []
    monkeypatch.setattr(o365desk.app, "run_gui",
                        lambda argv, smoke=False, template=None: opened.append(template) or 0)
    assert cli.main([str(tmp_path / "Payroll.O365TEMPLATE")]) == 0
    assert opened == [tmp_path / "Payroll.O365TEMPLATE"]


def test_an_app_only_template_fills_the_apps_page_and_locks_its_client_id(make_wizard):
    from o365desk.core import template as tpl

    data = copy.deepcopy(ONE)
    data["connections"][0].update(kind="app-only", scopes=["User.Read.All"],
                                  client_id="0f6e9f9a-8a4e-4c8e-9d43-0f6b2f2c1e11",
                                  locked=["client_id", "kind"])
    [entry] = tpl.parse_bytes(json.dumps(data).encode()).entries
    wizard = make_wizard(template=entry)
    assert wizard.is_app_only() and not wizard.nickname_page.person.isEnabled()
    client_id = wizard.app_credential_page.client_id
    assert client_id.text() == "0f6e9f9a-8a4e-4c8e-9d43-0f6b2f2c1e11" and client_id.isReadOnly()
    assert wizard.draft().client_id == "0f6e9f9a-8a4e-4c8e-9d43-0f6b2f2c1e11"
