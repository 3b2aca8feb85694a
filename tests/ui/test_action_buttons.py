"""Every button an explanation's actions become does something; an action a face can't
carry out (the clock, a credential to replace, one added later) gets no button there."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton

from o365desk.core.clouds import Cloud
from o365desk.core.connection import Connection, Kind
from o365desk.core.signin_errors import Action, Explanation, details_for_it, explain_result
from o365desk.ui.signin.flow import SignInFlow
from o365desk.ui.wizard.signin_page import SignInPage
from o365desk.ui.wizard.signin_panels import BUTTON_ACTIONS, ErrorPanel

URL = "https://login.microsoftonline.com/contoso.com/adminconsent?client_id=x"
APP = Connection("Automation", tenant="contoso.com", client_id="0b6a8f5e-5d7c-4c1e-9f0a-"
                 "1e2d3c4b5a69", kind=Kind.APP_ONLY, cloud=Cloud.GLOBAL)
WRONG_SECRET = {
    "error": "invalid_client", "error_codes": [7000215],
    "error_description": "AADSTS7000215: Invalid client secret provided. Trace ID: t"}


def _explanation(*actions: Action) -> Explanation:
    return Explanation("AADSTS1", "A problem", "What happened. What to do.", actions, URL,
                       "raw answer")


def test_the_panel_shows_a_button_only_for_what_the_sign_in_page_carries_out(qtbot):
    panel = ErrorPanel()
    qtbot.addWidget(panel)
    panel.show_explanation(_explanation(*Action))
    assert list(panel.buttons) == [a for a in Action if a in BUTTON_ACTIONS]
    for action in (Action.REPLACE_CREDENTIAL, Action.CHECK_CLOCK,
                   Action.CHECK_TRUSTED_CERTIFICATES):
        assert action not in panel.buttons
        assert action.label not in [b.text() for b in panel.findChildren(QPushButton)]


def test_every_button_of_the_sign_in_page_does_something(qtbot):
    flow = SignInFlow(None, lambda: APP.replace(kind=Kind.DELEGATED), new_connection=True)
    page = SignInPage(flow, 1000)
    qtbot.addWidget(page)
    done: list[object] = []
    page.begin_embedded = lambda: done.append("embedded")
    page.begin_browser = lambda: done.append("browser")
    page.begin_device_code = lambda: done.append("device code")
    page.settings_requested.connect(done.append)
    clipboard = QGuiApplication.clipboard()
    for action in sorted(BUTTON_ACTIONS):
        done.clear()
        clipboard.setText("")
        explanation = _explanation(action)
        page.error_panel.show_explanation(explanation)
        page.error_panel.buttons[action].click()
        copied = clipboard.text()
        assert done or copied, f"{action.label}: nothing happened"
        if action is Action.COPY_ADMIN_CONSENT_LINK:
            assert copied == URL
        elif action is Action.CONTACT_ADMIN:
            assert copied == details_for_it(explanation)


def test_a_wrong_secret_on_the_sign_in_page_offers_only_what_works(qtbot):
    panel = ErrorPanel()
    qtbot.addWidget(panel)
    explanation = explain_result(WRONG_SECRET, tenant=APP.tenant, cloud=APP.cloud,
                                 client_id=APP.client_id, kind=APP.kind)
    assert Action.REPLACE_CREDENTIAL in explanation.actions
    panel.show_explanation(explanation)
    assert list(panel.buttons) == [Action.CONTACT_ADMIN]
    assert panel.title.text() == "Client secret not accepted"


def test_the_main_windows_result_bar_shows_no_button_it_cant_carry_out(qtbot, make_window):
    window, controller = make_window([APP])
    explanation = explain_result(WRONG_SECRET, tenant=APP.tenant, cloud=APP.cloud,
                                 client_id=APP.client_id, kind=APP.kind)
    controller.actions.show_failure(APP, explanation)
    bar = window.result_bar
    assert bar.isVisible() and "Client secret not accepted" in bar.text()
    labels = [b.text().replace("&", "") for b in bar.findChildren(QPushButton)]
    # Replace credential opens its dialog (tests/ui/test_app_only_window.py).
    assert labels == ["Replace credential\u2026", "Copy details for IT", "Details\u2026"]
    every = _explanation(*Action)
    controller.actions.show_failure(APP, every)
    qtbot.waitUntil(lambda: len(bar.findChildren(QPushButton)) == 8)  # old ones deleted
    labels = [b.text().replace("&", "") for b in bar.findChildren(QPushButton)]
    assert "Replace credential\u2026" in labels and "Check date and time" not in labels
