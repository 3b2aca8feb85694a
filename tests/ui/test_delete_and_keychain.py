"""Deleting from the window (off the GUI thread) and the keychain's states."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from o365desk.storage.vault import MSAL_CACHE, SERVICE, Vault
from tests.ui.conftest import sample_connections
from tests.ui.helpers import (
    open_box,
    row_texts,
    saved_nicknames,
    select,
    visible_nicknames,
)


def _entries_of(backend, connection_id: str) -> set[str]:
    return {u for u in backend.usernames(SERVICE) if u.startswith(connection_id)}


def test_delete_confirmed_removes_connection_and_its_keychain_entries(
    qtbot, make_window, store_path, keyring_backend, dialog_log, monkeypatch
):
    window, controller = make_window(sample_connections(), check_keychain=True)
    conn = controller.store.find("Contoso Prod")
    assert len(_entries_of(keyring_backend, conn.id)) > 1  # a manifest and its chunks

    threads = []
    real_delete = controller.services.delete_connection

    def spy(connection):
        threads.append(threading.current_thread())
        return real_delete(connection)

    monkeypatch.setattr(controller.services, "delete_connection", spy)
    dialog_log.confirm_answer = True
    select(window, controller, "Contoso Prod")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)

    qtbot.waitUntil(lambda: "Contoso Prod" not in visible_nicknames(controller))
    assert saved_nicknames(store_path) == ["Fabrikam", "Woodgrove Test"]
    assert _entries_of(keyring_backend, conn.id) == set()
    assert threads and threads[0] is not threading.main_thread()  # off the GUI thread
    asked = dialog_log.confirms[-1]
    assert asked["text"] == "Delete \u201cContoso Prod\u201d?"
    assert "admin@contoso.onmicrosoft.com" in asked["informative"]
    assert "tokens in tests.fakes.memory_keyring.MemoryKeyring" in asked["informative"]
    assert "Nothing changes in your organisation or in the app registration" in (
        asked["informative"]
    )
    assert not window.error_bar.isVisible()


def test_delete_cancelled_changes_nothing(
    qtbot, make_window, store_path, keyring_backend, dialog_log
):
    window, controller = make_window(sample_connections(), check_keychain=True)
    conn = controller.store.find("Contoso Prod")
    before = (store_path.read_bytes(), dict(keyring_backend.entries))
    dialog_log.confirm_answer = False
    select(window, controller, "Contoso Prod")
    window.details.delete_button.click()
    qtbot.wait(50)
    assert len(dialog_log.confirms) == 1
    assert not controller.runner.busy
    assert "Contoso Prod" in visible_nicknames(controller)
    assert (store_path.read_bytes(), dict(keyring_backend.entries)) == before
    assert _entries_of(keyring_backend, conn.id)


def test_delete_of_never_signed_in_connection_says_so(qtbot, make_window, dialog_log):
    window, controller = make_window(sample_connections())
    dialog_log.confirm_answer = True
    select(window, controller, "Woodgrove Test")
    window.act_delete.trigger()
    assert "It has no saved sign-in." in dialog_log.confirms[-1]["informative"]
    qtbot.waitUntil(lambda: "Woodgrove Test" not in visible_nicknames(controller))


def test_delete_with_locked_keychain_keeps_the_signed_in_connection(
    qtbot, make_window, store_path, keyring_backend, dialog_log
):
    window, controller = make_window(sample_connections())
    keyring_backend.locked = True
    before = store_path.read_bytes()
    dialog_log.confirm_answer = True
    select(window, controller, "Contoso Prod")
    window.act_delete.trigger()
    qtbot.waitUntil(lambda: window.error_bar.isVisible() and not controller.runner.busy)
    assert "\u201cContoso Prod\u201d was not deleted" in window.error_bar.text()
    assert "locked" in window.error_bar.text().lower()
    assert "Contoso Prod" in visible_nicknames(controller)
    assert store_path.read_bytes() == before
    keyring_backend.locked = False
    conn = controller.store.find("Contoso Prod")
    assert Vault(keyring_backend).get(conn.id, MSAL_CACHE) == "x" * 6000
    # What happened also shows as the keychain's state.
    assert window.keychain_label.text() == "Keychain unavailable"
    assert window.error_details_button.isVisible()
    window.error_details_button.click()
    assert "KeyringLocked" in dialog_log.details[-1]["detail"]
    # The error bar names the trouble; the keychain bar alone says what to do about it.
    assert "Unlock it" in window.keychain_bar.text()
    assert "Unlock it" not in window.error_bar.text()
    assert "The keychain is locked; the keychain message above says what to do." in (
        window.error_bar.text())


def test_keychain_is_not_touched_before_the_check(make_window, keyring_backend):
    window, controller = make_window(sample_connections(), secrets=False)
    assert window.keychain_label.text() == "Keychain: checking\u2026"
    assert keyring_backend.calls == []
    assert row_texts(controller, "Contoso Prod")[4] == "Signed in"


def test_keychain_available_names_the_backend(make_window):
    window, controller = make_window(sample_connections(), check_keychain=True)
    assert window.keychain_label.text() == (
        "Keychain: tests.fakes.memory_keyring.MemoryKeyring"
    )
    assert not window.keychain_bar.isVisible()
    select(window, controller, "Contoso Prod")
    assert window.details.status_text.text() == (
        "The saved sign-in for admin@contoso.onmicrosoft.com is kept in "
        "tests.fakes.memory_keyring.MemoryKeyring."
    )


def test_locked_keychain_shows_warning_and_marks_signed_in_rows(
    qtbot, make_window, keyring_backend, dialog_log
):
    keyring_backend.locked = False
    window, controller = make_window(sample_connections(), secrets=True)
    keyring_backend.locked = True
    controller.start_keychain_check()
    qtbot.waitUntil(lambda: controller.keychain is not None and not controller.runner.busy)

    assert window.keychain_bar.isVisible()
    assert "locked" in window.keychain_bar.text().lower()
    assert window.keychain_label.text() == "Keychain unavailable"
    assert row_texts(controller, "Contoso Prod")[4] == "Keychain unavailable"
    assert row_texts(controller, "Fabrikam")[4] == "Not signed in"
    assert len(visible_nicknames(controller)) == 3  # still listed
    select(window, controller, "Contoso Prod")
    assert "can't be reached" in window.details.status_text.text()

    window.keychain_details_button.click()
    box = open_box(qtbot, "Keychain details")
    # The raw reason at once, for IT; not the banner's advice again.
    assert box.text() == "The keychain is locked"
    assert "KeyringLocked" in box.informativeText()
    assert "Unlock it" not in box.informativeText()
    assert box.detailedText() == ""  # nothing hidden behind "Show Details..."
    box.close()

    keyring_backend.locked = False
    qtbot.mouseClick(window.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.keychain_bar.isVisible())
    assert window.keychain_label.text().startswith("Keychain: ")
    assert row_texts(controller, "Contoso Prod")[4] == "Signed in"
