"""The IT policy in the window: the wizard obeys it, a damaged one blocks New connection.

Real wizard and main window driven by key presses, a real policy file (named by
O365DESK_POLICY_FILE: this machine has no /etc/o365desk/policy.json), real MSAL against
the HTTPS fake identity platform; only the step that opens the browser is replaced.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from o365desk.core import policy_sources
from o365desk.core.clouds import Cloud
from o365desk.core.connection import Connection
from o365desk.core.signin_errors import Action
from o365desk.ui.wizard.new_connection import PageId
from tests.fakes.browser import signing_in, stand_in_browser
from tests.fakes.identity import DEFAULT_USERNAME

pytestmark = [pytest.mark.usefixtures("qasync_loop")]

CLIENT = "3f1c3b52-8d6e-4f0a-9b7c-2d5e6f708192"
TENANT = "contoso.onmicrosoft.com"


@pytest.fixture
def policy_file(tmp_path, monkeypatch):
    assert not policy_sources.LINUX_FILE.exists()
    path = tmp_path / "policy.json"
    monkeypatch.setenv(policy_sources.POLICY_ENV, str(path))

    def write(content) -> str:
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        return str(path)

    return write


def type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    qtbot.keyClicks(widget, text)


def enter(qtbot, wizard) -> None:
    """Enter on the page: the wizard's default button (Next)."""
    button = wizard.button(wizard.WizardButton.NextButton)
    qtbot.waitUntil(button.isEnabled, timeout=10000)
    qtbot.keyClick(wizard.focusWidget() or wizard, Qt.Key.Key_Return)


def to_organisation(qtbot, wizard, nickname="Contoso admin"):
    type_into(qtbot, wizard.nickname_page.nickname, nickname)
    enter(qtbot, wizard)
    assert wizard.currentId() == PageId.ORGANISATION
    return wizard.organisation_page


def test_embedded_sign_in_off_offers_the_browser_and_a_code_and_signs_in(
        qtbot, make_wizard, fake_identity, keyring_backend, monkeypatch, policy_file):
    policy_file({"embedded_sign_in": False})
    stand_in_browser(monkeypatch, signing_in(fake_identity))
    wizard = make_wizard()
    org = to_organisation(qtbot, wizard)
    type_into(qtbot, org.tenant, TENANT)
    org.show_advanced()
    type_into(qtbot, org.authority, fake_identity.authority(TENANT))
    type_into(qtbot, org.graph, fake_identity.graph_url)
    enter(qtbot, wizard)
    assert wizard.currentId() == PageId.PERMISSIONS
    enter(qtbot, wizard)
    assert wizard.currentId() == PageId.SIGNIN
    page = wizard.signin_page
    panel = page.error_panel
    qtbot.waitUntil(lambda: page.stack.currentWidget() is panel, timeout=10000)
    assert panel.explanation.code == "policy_no_embedded"
    assert list(panel.buttons) == [Action.USE_SYSTEM_BROWSER, Action.USE_DEVICE_CODE]
    assert "IT policy turns off the sign-in window" in panel.explanation.message
    assert not page.view.running  # no web engine was started
    panel.buttons[Action.USE_SYSTEM_BROWSER].setFocus()  # tabbed to
    qtbot.keyClick(panel.buttons[Action.USE_SYSTEM_BROWSER], Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=30000)
    assert wizard.summary_page.account.text() == DEFAULT_USERNAME


def test_a_managed_cloud_and_client_id_are_read_only_and_said_so(
        qtbot, make_wizard, policy_file):
    policy_file({"allowed_clouds": ["usgov"], "client_id": CLIENT})
    wizard = make_wizard()
    org = to_organisation(qtbot, wizard)
    assert org.cloud.count() == 1 and org.cloud_value() is Cloud.USGOV
    assert not org.cloud.isEnabled()
    assert org.cloud.toolTip() == "Set by your IT team"
    assert org.managed_note.isVisible()
    assert org.managed_note.text() == ("Set by your IT team: the cloud and the client ID. "
                                       "Ask them if these are wrong for you.")
    org.show_advanced()
    assert org.client_id.isReadOnly() and org.client_id.text() == CLIENT
    org.client_id.setFocus()
    qtbot.keyClicks(org.client_id, "x")
    qtbot.keyClick(org.client_id, Qt.Key.Key_Backspace)
    assert org.client_id.text() == CLIENT
    assert not org.redirect_uri.isReadOnly()  # not managed: IT did not set it
    assert org._advanced_form.labelForField(org.client_id).text() == "C&lient ID (set by IT):"


def test_several_allowed_clouds_are_the_only_ones_offered(qtbot, make_wizard, policy_file):
    policy_file({"allowed_clouds": ["global", "china"]})
    org = to_organisation(qtbot, make_wizard())
    assert [org.cloud.itemData(i) for i in range(org.cloud.count())] == ["global", "china"]
    assert org.cloud.isEnabled()
    assert "which clouds can be chosen" in org.managed_note.text()


def test_an_organisation_the_policy_does_not_allow_stops_on_its_page(
        qtbot, make_wizard, policy_file):
    policy_file({"allowed_organisations": ["contoso.com"]})
    wizard = make_wizard()
    org = to_organisation(qtbot, wizard)
    type_into(qtbot, org.tenant, "fabrikam.com")
    enter(qtbot, wizard)
    assert wizard.currentId() == PageId.ORGANISATION
    assert org.tenant_problem.isVisible()
    assert org.tenant_problem.text() == (
        "Your organisation's IT policy allows connections only to contoso.com, so one to "
        "fabrikam.com can't be created. Ask your IT team if you need it.")
    type_into(qtbot, org.tenant, "contoso.com")
    enter(qtbot, wizard)
    assert wizard.currentId() == PageId.PERMISSIONS


def test_a_damaged_policy_shows_a_bar_for_it_and_turns_new_connection_off(
        qtbot, open_window, services, policy_file):
    services.store.add(Connection(nickname="Saved before", tenant=TENANT))
    where = policy_file({"allowed_clouds": "mars", "keep_alive_days": 400})
    window, controller = open_window()
    assert controller.model.rowCount() == 1  # the list opens as ever
    bar = window.policy_bar
    assert bar.isVisible()
    assert bar.text().startswith(f"The IT policy {where} can't be used. Its key "
                                 "\u201callowed_clouds\u201d lists \u201cmars\u201d")
    assert "\u201ckeep_alive_days\u201d is 400" in bar.text()
    assert "no new connection can be created" in bar.text()
    assert not window.act_new.isEnabled()
    assert window.act_new.toolTip().startswith("New connections are turned off: the IT "
                                               "policy is damaged.")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert controller.wizards.window is None  # Ctrl+N opened nothing
    window.policy_details_button.setFocus()
    qtbot.keyClick(window.policy_details_button, Qt.Key.Key_Space)
    dialog = controller.policy.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=5000)
    assert dialog.problem.isVisible() and "mars" in dialog.problem.text()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_an_empty_list_under_a_damaged_policy_has_its_new_button_off(
        qtbot, open_window, policy_file):
    policy_file("{ not json")
    window, _controller = open_window()
    button = window.empty_state.new_button
    assert not button.isEnabled()
    assert "the IT policy is damaged" in button.toolTip()


def test_managed_settings_lists_each_setting_and_who_set_it(
        qtbot, open_window, services, policy_file):
    services.store.add(Connection(nickname="Old China", tenant="contoso.cn",
                                  cloud=Cloud.CHINA))
    where = policy_file({"allowed_clouds": ["global"], "client_id": CLIENT,
                         "embedded_sign_in": False, "colour": "blue"})
    window, controller = open_window()
    assert not window.policy_bar.isVisible() and window.act_new.isEnabled()
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    menu = QApplication.activePopupWidget()
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=5000)
    menu = QApplication.activePopupWidget()
    qtbot.keyClick(menu, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: controller.policy.dialog is not None, timeout=5000)
    dialog = controller.policy.dialog
    model = dialog.model
    rows = [[model.index(r, c).data() for c in range(3)] for r in range(model.rowCount())]
    assert rows[:3] == [["Allowed clouds", "Global", "Your IT team"],
                        ["Client ID", CLIENT, "Your IT team"],
                        ["Sign-in window allowed", "no", "Your IT team"]]
    assert ["App-only connections allowed", "yes", "o365desk\u2019s default"] in rows
    assert model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole) == where
    assert f"manages 3 of these settings with the policy {where}" in dialog.intro.text()
    assert "keys o365desk does not know, which it ignores: colour" in dialog.notes.text()
    assert "\u201cOld China\u201d" in dialog.notes.text()
    assert not dialog.problem.isVisible()


def test_app_only_off_by_policy_cannot_be_chosen(qtbot, make_wizard, policy_file):
    policy_file({"allow_app_only": False})
    wizard = make_wizard()
    page = wizard.nickname_page
    assert not page.app_only.isEnabled()
    assert page.app_only.text() == "App only (turned off by your IT team)"
    assert "does not allow app-only connections" in page.app_only.toolTip()
    page.person.setFocus()
    qtbot.keyClick(page.person, Qt.Key.Key_Down)  # arrows move between the kinds
    assert not page.is_app_only()
