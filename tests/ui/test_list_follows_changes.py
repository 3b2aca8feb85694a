"""The list follows saves of other o365desk processes, even one just before a rename of
ours; a rename never freezes the window waiting for another process's lock."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from o365desk.core.connection import Connection
from o365desk.storage.store import BUSY, ConnectionStore
from tests.fakes.lock_holder import another_process_holding
from tests.ui.conftest import sample_connections
from tests.ui.helpers import LoopGaps, commit, saved_nicknames, select, visible_nicknames


def _rename_in_place(qtbot, window, controller, old: str, new: str) -> None:
    select(window, controller, old)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.setText(new)
    commit(qtbot, window, editor)


def test_a_save_elsewhere_just_before_our_rename_is_listed(qtbot, make_window, store_path):
    window, controller = make_window(sample_connections())
    select(window, controller, "Fabrikam")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.setText("Fabrikam EU")
    # `o365desk add` in a terminal, 0.1 s before Enter: within the watcher's quiet time.
    ConnectionStore(store_path).add(Connection(nickname="From CLI", tenant="cli.example"))
    qtbot.wait(100)
    commit(qtbot, window, editor)
    qtbot.waitUntil(lambda: "From CLI" in visible_nicknames(controller), timeout=5000)
    assert sorted(visible_nicknames(controller)) == sorted(saved_nicknames(store_path))


def test_a_rename_while_another_process_holds_the_file_says_busy_at_once(
        qtbot, make_window, services):
    window, controller = make_window(sample_connections())
    with another_process_holding(services.store.lock_path, 4), LoopGaps() as loop:
        _rename_in_place(qtbot, window, controller, "Fabrikam", "Fabrikam EU")
        qtbot.waitUntil(window.error_bar.isVisible, timeout=5000)
        qtbot.wait(100)
    assert loop.longest < 2.0, f"the window stood still {loop.longest:.1f} s"  # the lock: 4 s
    assert BUSY in window.error_bar.text()
    assert window.edit_again_button.isVisible()  # what was typed is not lost
    assert "Fabrikam" in visible_nicknames(controller)


def test_a_rename_doesnt_wait_behind_a_worker_waiting_for_the_file(
        qtbot, make_window, services):
    import threading

    window, controller = make_window(sample_connections())
    with another_process_holding(services.store.lock_path, 4):
        # A sign-out (say) on a worker thread now waits for that process, holding the store.
        conn = services.store.find("Contoso Prod")
        worker = threading.Thread(target=lambda: _touch_quietly(services.store, conn.id))
        worker.start()
        time.sleep(0.2)
        began = time.monotonic()
        _rename_in_place(qtbot, window, controller, "Fabrikam", "Fabrikam EU")
        took = time.monotonic() - began
        qtbot.waitUntil(window.error_bar.isVisible, timeout=5000)
    worker.join(15)
    assert took < 2.0, f"the rename waited {took:.1f} s"
    assert BUSY in window.error_bar.text()


def _touch_quietly(store, connection_id: str) -> None:
    from o365desk.storage.store import StoreError

    try:
        store.touch(connection_id)
    except StoreError:
        pass
