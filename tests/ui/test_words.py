"""Words: sentence case in what the windows show, one kind of quotes in the window (curly)
and another on the command line (straight), no capital after a colon, plurals right."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QMenu

from o365desk.services import KeychainState
from o365desk.ui import dialogs
from o365desk.ui.wizard.new_connection import NewConnectionWizard
from tests.ui.conftest import sample_connections

PACKAGE = Path(__file__).resolve().parents[2] / "o365desk"
# Words that keep their capital inside a sentence: names and abbreviations.
NAMES = {"Microsoft", "Graph", "Entra", "ID", "IT", "o365desk", "GNOME", "KWallet", "URI",
         "MFA", "Keyring", "JSON"}


def capitalised_words(text: str) -> list[str]:
    """Words after the first that start with a capital and are not names."""
    plain = text.replace("&", "").replace("\u2026", "")
    plain = re.sub(r"\{[^}]*\}", "", plain)  # placeholders
    words = re.findall(r"[A-Za-z][\w'-]*", plain)
    return [w for w in words[1:] if w[0].isupper() and w not in NAMES]


def capital_after_colon(text: str) -> bool:
    """A colon followed by a capitalised word that is not a name (a label's value aside)."""
    for match in re.finditer(r":\s+([A-Z][\w'-]*)", text):
        if match.group(1) not in NAMES:
            return True
    return False


def test_the_checks_catch_what_they_should():
    assert capitalised_words("Keychain Details") == ["Details"]
    assert capitalised_words("Copy &ID") == []
    assert capitalised_words("Microsoft Graph permissions \u2014 o365desk") == []
    assert capital_after_colon("didn't work. Sign-in needed: The saved sign-in")
    assert not capital_after_colon("Not signed in yet: sign in first.")


def _texts_of(widget) -> list[str]:
    texts = [widget.windowTitle()]
    texts += [a.text() for a in widget.actions() if a.text()]
    for menu in widget.findChildren(QMenu):
        texts += [menu.title()] + [a.text() for a in menu.actions() if a.text()]
    texts += [b.text() for b in widget.findChildren(QAbstractButton)
              if b.text() and b.text() != "\u2715"]
    return texts


def test_window_titles_menus_and_buttons_are_in_sentence_case(qtbot, make_window, services):
    window, controller = make_window(sample_connections())
    texts = _texts_of(window)
    wizard = NewConnectionWizard(services)
    qtbot.addWidget(wizard)
    texts.append(wizard.windowTitle())
    from tests.ui.scope_helpers import open_browser

    browser = open_browser(qtbot)  # rows filled, so nothing is left running afterwards
    texts += _texts_of(browser)  # its menus and buttons too
    assert len(texts) > 40
    offenders = {t: capitalised_words(t) for t in texts if capitalised_words(t)}
    assert offenders == {}
    assert [t for t in texts if capital_after_colon(t)] == []


def test_dialog_titles_are_in_sentence_case(make_window, dialog_log, monkeypatch):
    window, controller = make_window(sample_connections())
    conn = controller.store.find("Contoso Prod")
    dialog_log.confirm_answer = False
    dialogs.confirm_delete(window, conn, None)
    dialogs.confirm_sign_out(window, conn, None)
    titles = [c["title"] for c in dialog_log.confirms]
    shown = []
    monkeypatch.setattr(dialogs, "show_raw", lambda parent, title, *a: shown.append(title))
    controller.keychain_status.apply(
        KeychainState("none", False, "No keychain was found.", "raw"))
    window.keychain_details_button.click()
    titles += shown
    assert titles == ["Delete connection", "Sign out", "Keychain details"]
    assert all(not capitalised_words(t) for t in titles)


def _tr_strings(folder: Path) -> list[tuple[str, int, str]]:
    """Every string given to tr() or translate() under `folder`: (file, line, text)."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            func = getattr(node, "func", None)
            name = getattr(func, "attr", getattr(func, "id", None))
            if isinstance(node, ast.Call) and name in ("tr", "translate"):
                for arg in node.args:
                    for sub in ast.walk(arg):
                        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                            found.append((path.name, sub.lineno, sub.value))
    return found


def _string_constants(folder: Path) -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append((path.name, node.lineno, node.value))
    return found


def test_the_window_quotes_with_curly_quotes_only():
    strings = _tr_strings(PACKAGE / "ui")
    assert len(strings) > 300
    straight = [s for s in strings if '"' in s[2] or re.search(r"(^|\s)'\S", s[2])]
    assert straight == []


def test_the_command_line_quotes_with_straight_quotes_only():
    # The CLI and the layers whose messages it prints: a terminal or a log may not show
    # curly quotes, and scripts match on the straight ones.
    strings = []
    for folder in ("cli", "core", "storage", "auth", "graph"):
        strings += _string_constants(PACKAGE / folder)
    curly = [s for s in strings if re.search("[\u201c\u201d\u2018]", s[2])]
    assert curly == []
    single = [s for s in strings if re.search(r"'\{[a-z_.]+\}'", s[2])]
    assert single == []


def test_waiting_for_approval_counts_the_added_permissions(qtbot):
    from datetime import UTC, datetime

    from o365desk.core.connection import Account, Connection, Status
    from o365desk.ui.details_pane import DetailsPane

    pane = DetailsPane()
    qtbot.addWidget(pane)
    signed_in = Connection(nickname="Payroll", scopes=("User.Read", "Mail.Send"),
                           approved_scopes=("User.Read",),
                           account=Account("admin@contoso.com", "uid.utid", "utid"))
    now = datetime.now(UTC)
    pane.show_connection(signed_in, Status.WAITING_FOR_APPROVAL, None, now)
    assert pane.status_text.text() == (
        "A permission was added since the last sign-in (Mail.Send). Sign in again to approve "
        "it; until then the connection works with the permissions it had.")
    two = signed_in.replace(scopes=("User.Read", "Mail.Send", "Calendars.Read"))
    pane.show_connection(two, Status.WAITING_FOR_APPROVAL, None, now)
    assert pane.status_text.text().startswith(
        "Permissions were added since the last sign-in (Mail.Send, Calendars.Read). Sign in "
        "again to approve them;")
