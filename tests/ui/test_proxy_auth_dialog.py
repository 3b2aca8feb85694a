"""The window's proxy sign-in question: typed into with the keyboard only, the password
masked, a refused answer said so; the web view's own 407 answered from the login given
in this run, then from the dialog."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtNetwork import QAuthenticator
from PySide6.QtWidgets import QApplication, QLineEdit

from o365desk.auth import proxy as proxies
from o365desk.auth.redact import redact
from o365desk.ui.proxy_auth_dialog import ProxyAuthDialog, WindowAsker, answer_web_engine

PASSWORD = "Pr0xy-Pass-Word-for-Ann"


@pytest.fixture(autouse=True)
def env(monkeypatch):
    for name in ("HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy", "HTTP_PROXY",
                 "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.contoso.example:3128")
    yield
    proxies.forget_login(proxies.parse("http://proxy.contoso.example:3128"))


def type_answer(qtbot, dialog: ProxyAuthDialog, user: str, password: str) -> None:
    if user:
        qtbot.keyClicks(dialog.username, user)
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def test_typed_with_the_keyboard_password_masked(qtbot):
    dialog = ProxyAuthDialog("proxy.contoso.example:3128")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert "proxy.contoso.example:3128" in dialog.intro.text()
    assert dialog.password.echoMode() == QLineEdit.EchoMode.Password
    assert not dialog.problem.isVisible()
    assert dialog.focusWidget() is dialog.username
    qtbot.keyClicks(dialog.username, "ann")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Return)  # no password yet: said so
    assert dialog.isVisible() and dialog.problem.text() == \
        "Enter your password for the network."
    assert dialog.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert dialog.answer == ("ann", PASSWORD)
    assert dialog.password.text() == ""  # not left in the widget
    assert PASSWORD not in redact(f"proxy said no to {PASSWORD}")


def test_a_refused_login_is_said_and_the_user_name_kept(qtbot):
    dialog = ProxyAuthDialog("proxy.contoso.example:3128", "ann", refused=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.problem.isVisible()
    assert "didn\u2019t accept that user name and password" in dialog.problem.text()
    assert dialog.username.text() == "ann" and dialog.focusWidget() is dialog.password
    qtbot.keyClick(dialog.password, Qt.Key.Key_Escape)
    assert dialog.answer is None and not dialog.isVisible()


def _answer_next_dialog(qtbot, user: str, password: str, seen: list) -> None:
    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ProxyAuthDialog):
            QTimer.singleShot(50, answer)
            return
        seen.append(dialog.problem.isVisible())
        type_answer(qtbot, dialog, "" if dialog.username.text() else user, password)

    QTimer.singleShot(50, answer)


def test_a_request_off_the_gui_thread_waits_for_the_dialog(qtbot):
    asker = WindowAsker()
    seen: list = []
    result: list = []
    chosen = proxies.parse("http://proxy.contoso.example:3128")
    worker = threading.Thread(target=lambda: result.append(asker(chosen, False)))
    _answer_next_dialog(qtbot, "ann", PASSWORD, seen)
    worker.start()
    qtbot.waitUntil(lambda: bool(result), timeout=30000)
    worker.join(10)
    assert result == [("ann", PASSWORD)] and seen == [False]


def test_the_web_views_407_is_answered_from_this_runs_login_then_the_dialog(qtbot):
    url = "https://login.microsoftonline.com/contoso/oauth2/v2.0/authorize"
    tried: set[str] = set()
    chosen = proxies.parse("http://proxy.contoso.example:3128")
    proxies.remember_login(chosen, "ann", "given-earlier-Pass")
    first = QAuthenticator()
    answer_web_engine(url, first, "proxy.contoso.example", tried)
    assert (first.user(), first.password()) == ("ann", "given-earlier-Pass")
    seen: list = []
    _answer_next_dialog(qtbot, "ann", PASSWORD, seen)
    again = QAuthenticator()  # the same login refused: now the person is asked
    answer_web_engine(url, again, "proxy.contoso.example", tried)
    assert seen == [True]
    assert (again.user(), again.password()) == ("ann", PASSWORD)
    assert proxies.login_for(chosen).password == PASSWORD
