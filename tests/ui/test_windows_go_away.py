"""No window outlives its close: the New connection wizard, the permission browser, Sign in
again and Edit connection, opened and closed again and again from the main window, leave
nothing of themselves behind (their pages, models, web pages and profiles included), and
the jobs of a closed window are cancelled, except the one removing an unsaved sign-in."""

from __future__ import annotations

import gc
import logging
import tempfile
import threading
import weakref

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard
from pytestqt.exceptions import TimeoutError as WaitTimeout

from o365desk.core.connection import Connection
from o365desk.ui import dialogs
from o365desk.ui.async_runner import TaskRunner
from o365desk.ui.edit_dialog import EditConnectionDialog
from o365desk.ui.reauthorize_dialog import ReauthorizeDialog
from o365desk.ui.scopes import tenant_dialog
from o365desk.ui.scopes.browser_window import ScopeBrowserWindow
from o365desk.ui.scopes.tree_model import PermissionTreeModel
from o365desk.ui.signin.login_view import LoginView
from o365desk.ui.wizard.new_connection import NewConnectionWizard, PageId
from o365desk.ui.wizard.permissions_model import PermissionChecklist
from o365desk.ui.wizard.permissions_page import PermissionsPage
from o365desk.ui.wizard.signin_page import SignInPage
from tests.ui.helpers import select, visible_nicknames
from tests.ui.scope_helpers import FIXTURES
from tests.ui.webengine_helpers import wait_for_element
from tests.ui.wizard_helpers import (
    answer_discard_question,
    fill_to_permissions,
    fill_to_signin,
    sign_in_embedded,
    vault_entries,
)

pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")

CYCLES = 20
TENANT = "contoso.onmicrosoft.com"
REAL_CONFIRM = dialogs.confirm  # before the autouse fixture replaces it

# What a closed window may hold: each must be gone once it has closed.
KINDS = (NewConnectionWizard, ReauthorizeDialog, EditConnectionDialog, ScopeBrowserWindow,
         tenant_dialog.ChangesDialog, PermissionsPage, PermissionChecklist,
         PermissionTreeModel, SignInPage, LoginView, QWebEngineView, QWebEnginePage,
         QWebEngineProfile, TaskRunner, QMessageBox)


@pytest.fixture(autouse=True)
def no_job_fails(caplog):
    """A job woken up in a window already gone would fail; none may."""
    caplog.set_level(logging.WARNING)
    yield
    failures = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert failures == []


def _free_deferred() -> None:
    """Run the deletions closed windows asked for (deleteLater), as the event loop would."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def live_counts() -> dict[str, int]:
    """How many objects of each kind exist in Qt (their C++ side not deleted yet)."""
    _free_deferred()
    gc.collect()
    found: dict[int, object] = {}
    for obj in gc.get_objects():
        if isinstance(obj, KINDS) and shiboken6.isValid(obj):
            found[id(obj)] = obj
    for widget in QApplication.allWidgets():
        if isinstance(widget, KINDS):
            found[id(widget)] = widget
    counts = {kind.__name__: 0 for kind in KINDS}
    for obj in found.values():
        for kind in KINDS:
            if isinstance(obj, kind):
                counts[kind.__name__] += 1
    return counts


def wait_until_freed(qtbot, baseline: dict[str, int], timeout: int = 10000) -> None:
    """Wait (the event loop running) until no more objects of each kind live than before."""
    def extra() -> dict[str, int]:
        return {k: n - baseline[k] for k, n in live_counts().items() if n > baseline[k]}

    try:
        qtbot.waitUntil(lambda: not extra(), timeout=timeout)
    except WaitTimeout:
        raise AssertionError(f"still alive after closing: {extra()}") from None


def wait_wrappers_gone(qtbot, refs: list[weakref.ref]) -> None:
    """Python's side of each closed window is gone too: nothing keeps a wrapper."""
    def alive() -> int:
        _free_deferred()
        gc.collect()
        return sum(ref() is not None for ref in refs)

    try:
        qtbot.waitUntil(lambda: alive() == 0, timeout=5000)
    except WaitTimeout:
        raise AssertionError(f"{alive()} of {len(refs)} closed windows still referenced") \
            from None


def shown(qtbot, kind):
    """The one visible window of that class (waits for it)."""
    def find():
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind)
                and w.isVisible()]

    qtbot.waitUntil(lambda: len(find()) == 1, timeout=10000)
    return find()[0]


def escape(qtbot, window) -> None:
    """A real Esc key press where the keyboard focus is in that window."""
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_Escape)


def profile_folders(root) -> list:
    return sorted(root.glob("o365desk-signin-*"))


@pytest.fixture
def temp_root(tmp_path, monkeypatch):
    """The sign-in profiles' temporary folders go here, to count them."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


@pytest.fixture
def window_at_fake(make_window, fake_identity, monkeypatch, services, temp_root):
    """The main window over one connection of the fake organisation, keychain checked."""
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    conn = Connection(nickname="Payroll", tenant=TENANT,
                      authority=fake_identity.authority(TENANT),
                      graph_endpoint=fake_identity.graph_url, scopes=("User.Read",))
    window, controller = make_window([conn], check_keychain=True)
    select(window, controller, "Payroll")
    return window, controller


def open_and_close(qtbot, action, kind, close) -> None:
    """Open a window of `kind` with `action` and close it with close(window, cycle), CYCLES
    times over; then none of them may be left, in Qt or in Python."""
    baseline = live_counts()
    refs = []
    for cycle in range(CYCLES):
        action.trigger()
        window = shown(qtbot, kind)
        refs.append(weakref.ref(window))
        close(window, cycle)
        qtbot.waitUntil(lambda w=window: not shiboken6.isValid(w) or not w.isVisible())
        del window
    wait_until_freed(qtbot, baseline)
    wait_wrappers_gone(qtbot, refs)


def test_the_wizard_opened_and_closed_20_times_leaves_none(qtbot, window_at_fake):
    window, _controller = window_at_fake
    # Esc: nothing typed, so it closes without asking.
    open_and_close(qtbot, window.act_new, NewConnectionWizard,
                   lambda wizard, _cycle: escape(qtbot, wizard))
    window.act_new.trigger()  # and a new one still opens
    assert shown(qtbot, NewConnectionWizard).currentId() == PageId.NICKNAME


def test_a_wizard_that_saved_its_connection_is_freed_too(qtbot, window_at_fake, fake_identity):
    window, controller = window_at_fake
    baseline = live_counts()
    window.act_new.trigger()
    wizard = shown(qtbot, NewConnectionWizard)
    ref = weakref.ref(wizard)
    fill_to_permissions(qtbot, wizard, fake_identity, nickname="Helpdesk")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CustomButton1),
                     Qt.MouseButton.LeftButton)  # Save without signing in
    del wizard
    qtbot.waitUntil(lambda: "Helpdesk" in visible_nicknames(controller), timeout=10000)
    assert window.statusBar().currentMessage() == "Saved \u201cHelpdesk\u201d."
    wait_until_freed(qtbot, baseline)
    wait_wrappers_gone(qtbot, [ref])


def test_the_scope_browser_opened_and_closed_20_times_leaves_none(qtbot, window_at_fake):
    window, _controller = window_at_fake
    open_and_close(qtbot, window.act_permissions, ScopeBrowserWindow,
                   lambda browser, _cycle: browser.act_close.trigger())  # Catalog > Close


def test_sign_in_again_opened_and_closed_20_times_leaves_no_dialog_page_or_profile(
    qtbot, window_at_fake, temp_root
):
    window, _controller = window_at_fake

    def close(dialog, cycle: int) -> None:
        if cycle % 2 == 0:  # the sign-in page is showing: its web page and profile exist
            wait_for_element(qtbot, dialog.page.view, "username")
        # else: closed at once, while the sign-in is still being prepared in the background
        cancel = dialog.buttons.buttons()[0]
        assert cancel.text() == "Cancel"
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)

    open_and_close(qtbot, window.act_sign_in, ReauthorizeDialog, close)
    qtbot.waitUntil(lambda: profile_folders(temp_root) == [], timeout=5000)


def test_edit_connection_opened_and_closed_20_times_leaves_none(qtbot, window_at_fake):
    window, _controller = window_at_fake
    open_and_close(qtbot, window.act_edit, EditConnectionDialog,
                   lambda dialog, _cycle: escape(qtbot, dialog))


def test_sign_out_and_delete_questions_leave_no_box(qtbot, make_window, monkeypatch):
    from o365desk.core.connection import Account

    monkeypatch.setattr(dialogs, "confirm", REAL_CONFIRM)  # the real box, answered below
    account = Account("admin@contoso.onmicrosoft.com", "uid.utid", "tid-contoso")
    window, controller = make_window([Connection(nickname="Payroll", tenant=TENANT,
                                                 account=account)], check_keychain=True)
    select(window, controller, "Payroll")
    baseline = live_counts()
    asked = []

    def answer_no() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc is Cancel: nothing happens

    for _ in range(CYCLES // 2):
        for action in (window.act_sign_out, window.act_delete):
            QTimer.singleShot(50, answer_no)
            action.trigger()  # the question blocks until answered
    assert asked == ["Sign out of \u201cPayroll\u201d?", "Delete \u201cPayroll\u201d?"] * \
        (CYCLES // 2)
    assert [c.nickname for c in controller.store.load()] == ["Payroll"]
    wait_until_freed(qtbot, baseline)


def test_cancelling_a_signed_in_wizard_removes_the_tokens_then_frees_it(
    qtbot, window_at_fake, fake_identity, keyring_backend, temp_root
):
    window, controller = window_at_fake
    baseline = live_counts()
    window.act_new.trigger()
    wizard = shown(qtbot, NewConnectionWizard)
    ref = weakref.ref(wizard)
    connection_id = wizard.connection_id
    fill_to_signin(qtbot, wizard, fake_identity, nickname="Helpdesk", scopes=("User.Read",))
    sign_in_embedded(qtbot, wizard)
    assert len(profile_folders(temp_root)) == 1  # the sign-in page's profile
    qtbot.waitUntil(lambda w=wizard: w.currentId() == PageId.SUMMARY, timeout=20000)
    assert vault_entries(keyring_backend, connection_id)
    discarded = []
    wizard.discarded.connect(lambda: discarded.append(True))
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton),
                     Qt.MouseButton.LeftButton)
    answer_discard_question(qtbot, wizard, discard=True)
    del wizard
    qtbot.waitUntil(lambda: discarded == [True], timeout=10000)
    assert vault_entries(keyring_backend, connection_id) == set()  # the tokens are gone
    wait_until_freed(qtbot, baseline)  # and so is the wizard
    wait_wrappers_gone(qtbot, [ref])
    qtbot.waitUntil(lambda: profile_folders(temp_root) == [], timeout=5000)
    assert [c.nickname for c in controller.store.load()] == ["Payroll"]


def test_the_tenant_changes_window_goes_with_its_browser(qtbot, window_at_fake, monkeypatch):
    window, _controller = window_at_fake
    monkeypatch.setattr(tenant_dialog, "ask_open_path",
                        lambda parent: str(FIXTURES / "graph-sp-small.json"))
    baseline = live_counts()
    window.act_permissions.trigger()
    browser = shown(qtbot, ScopeBrowserWindow)
    ref = weakref.ref(browser)
    browser.act_import.trigger()  # the changes window opens when it is done
    shown(qtbot, tenant_dialog.ChangesDialog)
    browser.act_close.trigger()
    del browser
    wait_until_freed(qtbot, baseline)  # the changes window included
    wait_wrappers_gone(qtbot, [ref])


@pytest.fixture
def held():
    """A gate a worker thread waits at, opened at the end of the test at the latest."""
    gate = threading.Event()
    yield gate
    gate.set()


def test_closing_sign_in_again_cancels_its_job_and_frees_it_at_once(
    qtbot, window_at_fake, services, monkeypatch, held
):
    window, _controller = window_at_fake
    opening = services.session_for
    waiting = threading.Event()

    def slow_session_for(connection):  # the keychain takes its time (an unlock prompt)
        waiting.set()
        held.wait(30)
        return opening(connection)

    monkeypatch.setattr(services, "session_for", slow_session_for)
    baseline = live_counts()
    window.act_sign_in.trigger()
    dialog = shown(qtbot, ReauthorizeDialog)
    qtbot.waitUntil(waiting.is_set, timeout=5000)
    assert dialog.flow.runner.busy  # the sign-in's job, waiting for the keychain
    escape(qtbot, dialog)  # nothing typed here: Esc closes it
    del dialog
    wait_until_freed(qtbot, baseline, timeout=3000)  # not waiting for the keychain
    assert not held.is_set()
    held.set()


def test_closing_the_browser_during_an_import_cancels_it_and_frees_it_at_once(
    qtbot, window_at_fake, monkeypatch, held
):
    from o365desk.ui.scopes import controller as browser_controller

    window, _controller = window_at_fake
    importing = browser_controller._import_and_index
    waiting = threading.Event()

    def slow_import(path, builtin):  # a big file on a slow network share
        waiting.set()
        held.wait(30)
        return importing(path, builtin)

    monkeypatch.setattr(browser_controller, "_import_and_index", slow_import)
    monkeypatch.setattr(tenant_dialog, "ask_open_path",
                        lambda parent: str(FIXTURES / "graph-sp-small.json"))
    baseline = live_counts()
    window.act_permissions.trigger()
    browser = shown(qtbot, ScopeBrowserWindow)
    browser.act_import.trigger()
    qtbot.waitUntil(waiting.is_set, timeout=5000)
    qtbot.keyClick(browser, Qt.Key.Key_F4, Qt.KeyboardModifier.ControlModifier)  # Close
    del browser
    wait_until_freed(qtbot, baseline, timeout=3000)
    assert not held.is_set()
    held.set()
