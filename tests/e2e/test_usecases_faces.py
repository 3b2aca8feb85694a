"""The window and the command line run the same use cases: what each saves is the same."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from o365desk.cli.commands import run
from o365desk.cli.parser import build_parser
from o365desk.core.connection import utcnow
from tests.ui.helpers import press_test, select

pytestmark = [
    pytest.mark.usefixtures("qasync_loop"),
    pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended"),
]


def cli(services, *argv: str) -> int:
    return run(build_parser().parse_args(list(argv)), services)


def comparable(conn) -> dict:
    """What a use case may change, without what tells two connections apart."""
    data = conn.to_dict()
    for key in ("id", "nickname", "created_at"):
        data.pop(key)
    data["last_used_at"] = data["last_used_at"] is not None
    data["expires_at"] = data["expires_at"] is not None
    data["last_refreshed_at"] = data["last_refreshed_at"] is not None
    return data


def test_test_connection_through_the_window_and_the_cli_saves_the_same(
        qtbot, signed_in, open_window, services, capsys):
    before = utcnow() - timedelta(seconds=1)
    signed_in(nickname="Window")
    signed_in(nickname="Script")
    for conn in services.store.load():  # as if never used: the test must note it
        services.store.patch(conn.id, last_used_at=None)
    window, controller = open_window()
    select(window, controller, "Window")
    press_test(qtbot, window, controller)
    assert "Connected to" in window.result_bar.text()
    assert cli(services, "test", "Script", "--json") == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["ok"] is True and printed["nickname"] == "Script"
    assert printed["organisation"] == "Contoso (fake)" and printed["latency_ms"] >= 0
    saved = {c.nickname: c for c in services.store.load()}
    assert comparable(saved["Window"]) == comparable(saved["Script"])
    assert saved["Window"].last_used_at >= before and saved["Script"].last_used_at >= before


def test_sign_out_through_the_window_and_the_cli_saves_the_same(
        qtbot, signed_in, open_window, services, dialog_log, monkeypatch, keyring_backend):
    from o365desk.ui import dialogs
    from tests.ui.wizard_helpers import vault_entries

    signed_in(nickname="Window")
    signed_in(nickname="Script")
    window, controller = open_window()
    monkeypatch.setattr(dialogs, "confirm_sign_out", lambda *a: True)
    select(window, controller, "Window")
    window.act_sign_out.trigger()
    qtbot.waitUntil(lambda: not controller.runner.busy and
                    services.store.find("Window").account is None, timeout=10000)
    assert cli(services, "sign-out", "Script") == 0
    saved = {c.nickname: c for c in services.store.load()}
    assert comparable(saved["Window"]) == comparable(saved["Script"])
    assert saved["Window"].approved_scopes is None
    assert not vault_entries(keyring_backend, saved["Window"].id)
    assert not vault_entries(keyring_backend, saved["Script"].id)


def test_edit_through_the_window_and_the_cli_saves_the_same(
        qtbot, signed_in, open_window, services, capsys):
    from PySide6.QtTest import QTest

    signed_in(nickname="Window")
    signed_in(nickname="Script")
    window, controller = open_window()
    select(window, controller, "Window")
    window.act_edit.trigger()
    dialog = controller.edits.edit_dialog
    qtbot.waitUntil(lambda: dialog.isVisible())
    dialog.description.setText("Payroll team")
    QTest.keyClicks(dialog.paste, "Mail.Send, Calendars.Read")
    QTest.keyClick(dialog.paste, Qt.Key.Key_Return)  # ticks them, doesn't save yet
    assert dialog.isVisible() and dialog.scopes() == ["User.Read", "Mail.Send",
                                                       "Calendars.Read"]
    dialog.save_button.click()
    qtbot.waitUntil(lambda: controller.edits.edit_dialog is None, timeout=10000)
    assert cli(services, "edit", "Script", "--description", "Payroll team",
               "--add-scopes", "Mail.Send Calendars.Read") == 0
    out = capsys.readouterr().out
    assert "2 permissions added since the last sign-in (Mail.Send Calendars.Read)" in out
    assert 'o365desk login "Script"' in out
    saved = {c.nickname: c for c in services.store.load()}
    assert comparable(saved["Window"]) == comparable(saved["Script"])
    assert saved["Script"].scopes == ("User.Read", "Mail.Send", "Calendars.Read")
    assert saved["Script"].awaiting_approval() == ("Mail.Send", "Calendars.Read")
    if controller.actions.dialog is not None:  # the window went on to sign in again
        controller.actions.dialog.reject()


def test_delete_through_the_window_and_the_cli_leaves_nothing(
        qtbot, signed_in, open_window, services, dialog_log, monkeypatch, keyring_backend):
    from o365desk.ui import dialogs
    from tests.ui.wizard_helpers import vault_entries

    ids = [signed_in(nickname="Window").id, signed_in(nickname="Script").id]
    window, controller = open_window()
    monkeypatch.setattr(dialogs, "confirm_delete", lambda *a: True)
    select(window, controller, "Window")
    window.act_delete.trigger()
    qtbot.waitUntil(lambda: controller.model.rowCount() == 1 and not controller.runner.busy,
                    timeout=10000)
    assert cli(services, "delete", "Script", "--yes") == 0
    assert services.store.load() == []
    for conn_id in ids:
        assert not vault_entries(keyring_backend, conn_id)


def test_cli_test_of_a_connection_not_signed_in_says_why_and_exits_1(services, capsys):
    assert cli(services, "add", "Payroll", "--tenant", "contoso.com") == 0
    assert cli(services, "test", "Payroll") == 1
    err = capsys.readouterr().err
    assert err.startswith('o365desk: "Payroll" didn\'t work.')
    assert "Not signed in yet" in err and "Sign in first" in err
    assert err.rstrip().endswith('Run: o365desk login "Payroll"')
    assert "\n" not in err.rstrip("\n")  # one line
    assert services.store.load()[0].last_used_at is None  # a use that failed is not noted


def test_cli_test_json_reports_the_failure(services, capsys):
    assert cli(services, "add", "Payroll", "--tenant", "contoso.com") == 0
    capsys.readouterr()
    assert cli(services, "test", "Payroll", "--json") == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed["ok"] is False and printed["nickname"] == "Payroll"
    assert printed["error"]["code"] and printed["error"]["message"]


def test_cli_test_and_sign_out_never_print_control_characters_raw(
        signed_in, services, fake_identity, capsys):
    # The organisation's name is Microsoft Graph's answer: it could rewrite a terminal.
    fake_identity.org_name = "Contoso\x1b]0;owned\x07 Ltd"
    signed_in(nickname="Payroll")
    assert cli(services, "test", "Payroll") == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "connected to Contoso\\x1b]0;owned\\x07 Ltd in" in out
    conn = services.store.find("Payroll")
    services.store.patch(conn.id, account=dataclasses.replace(
        conn.account, username="admin\x1b[2J@contoso.com"))  # a hostile file
    assert cli(services, "sign-out", "Payroll") == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "admin\\x1b[2J@contoso.com was removed" in out


def test_right_after_the_wizard_saves_the_details_show_what_the_sign_in_returned(
        qtbot, open_window, services, fake_identity, monkeypatch):
    from PySide6.QtWidgets import QWizard

    from o365desk.ui.wizard.new_connection import PageId
    from tests.ui.wizard_helpers import fill_to_signin, sign_in_embedded

    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    fake_identity.not_granted = {"User.Read.All"}
    window, controller = open_window()
    window.act_new.trigger()
    wizard = controller._wizard
    qtbot.waitUntil(wizard.isVisible)
    fill_to_signin(qtbot, wizard, fake_identity, nickname="Payroll")
    sign_in_embedded(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=20000)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller._wizard is None, timeout=10000)  # closed
    details = window.details
    assert details.title.text() == "Payroll"
    assert details.granted.text().startswith("granted: User.Read")  # not "not known yet"
    assert "not granted: User.Read.All" in details.granted.text()
    assert "not known" not in details.token_facts.text()
    assert details.status.text() == "Some permissions not granted"


def test_cli_test_missing_a_permission_says_which_and_the_commands_to_add_it(
        signed_in, services, capsys):
    signed_in(scopes=("Mail.Send",), nickname="Mail robot")  # no User.Read: Graph says 403
    assert cli(services, "test", "Mail robot") == 1
    err = capsys.readouterr().err
    assert "Add User.Read to its permissions" in err
    assert err.rstrip().endswith('Run: o365desk edit "Mail robot" --add-scopes "User.Read", '
                                 'then o365desk login "Mail robot"')
