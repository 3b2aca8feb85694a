"""Windows memory benchmark: resident memory after opening and closing each window 20 times,
against after once.

In a fresh process (offscreen), the main window over one connection of the fake identity
platform (tests/fakes/identity, HTTPS) opens and closes, through its own actions, the New
connection wizard (filled up to its sign-in page, then cancelled and discarded), the
permission browser, Sign in again (its sign-in page loaded, then cancelled) and Edit
connection. After one such cycle the resident set size is read from /proc/self/statm;
after 19 more it is read again. Target: at most 1.10 times the first figure.

The page processes QtWebEngine starts for each sign-in page are processes of their own,
not counted here; they end with their page.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import run_child

TARGET = 1.10
CYCLES = 20
TENANT = "contoso.onmicrosoft.com"
ROOT = Path(__file__).resolve().parents[1]


def resident_mb() -> float:
    """This process's resident set size in MB, from /proc/self/statm."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


# --- child -------------------------------------------------------------------------------


async def _until(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {predicate}")
        await asyncio.sleep(0.02)


async def _page_shows(view, element_id: str) -> None:
    """Until the sign-in page shows that element (the page has loaded)."""
    answers: list = []

    def ask() -> bool:
        if answers and answers[-1] is True:
            return True
        if view.page is not None:
            view.run_javascript(f"!!document.getElementById('{element_id}')", answers.append)
        return False

    await _until(ask)


def _shown(kind):
    from PySide6.QtWidgets import QApplication

    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[0] if len(found) == 1 else None


async def _settle() -> None:
    """Let closed windows go, as the event loop does (their deferred deletions, the
    profiles' folders), and Python's garbage with them."""
    await asyncio.sleep(0.5)
    gc.collect()
    await asyncio.sleep(0.1)


async def _cycle(window, fake) -> None:
    """Open and close each window once, as a person would."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from o365desk.ui.edit_dialog import EditConnectionDialog
    from o365desk.ui.reauthorize_dialog import ReauthorizeDialog
    from o365desk.ui.scopes.browser_window import ScopeBrowserWindow
    from o365desk.ui.wizard.new_connection import NewConnectionWizard, PageId

    window.act_new.trigger()
    await _until(lambda: _shown(NewConnectionWizard) is not None)
    wizard = _shown(NewConnectionWizard)
    wizard.nickname_page.nickname.setText("Helpdesk")
    wizard.next()
    org = wizard.organisation_page
    org.tenant.setText(TENANT)
    org.authority.setText(fake.authority(TENANT))
    org.graph.setText(fake.graph_url)
    wizard.next()
    wizard.permissions_page.set_scopes(("User.Read",))
    wizard.next()
    assert wizard.currentId() == PageId.SIGNIN
    await _page_shows(wizard.signin_page.view, "username")
    wizard.request_close()  # Cancel: "Discard this new connection?"
    await _until(lambda w=wizard: w.discard_question is not None
                 and w.discard_question.isVisible())
    wizard.discard_question.discard_button.click()
    await _until(lambda: _shown(NewConnectionWizard) is None)
    del wizard, org

    window.act_permissions.trigger()
    await _until(lambda: _shown(ScopeBrowserWindow) is not None)
    await asyncio.sleep(0.1)  # its rows and search index fill in after the first paint
    _shown(ScopeBrowserWindow).act_close.trigger()
    await _until(lambda: _shown(ScopeBrowserWindow) is None)

    window.act_sign_in.trigger()
    await _until(lambda: _shown(ReauthorizeDialog) is not None)
    dialog = _shown(ReauthorizeDialog)
    await _page_shows(dialog.page.view, "username")
    dialog.buttons.buttons()[0].click()  # Cancel
    await _until(lambda: _shown(ReauthorizeDialog) is None)
    del dialog

    window.act_edit.trigger()
    await _until(lambda: _shown(EditConnectionDialog) is not None)
    edit = _shown(EditConnectionDialog)
    QTest.keyClick(edit.focusWidget() or edit, Qt.Key.Key_Escape)
    await _until(lambda: _shown(EditConnectionDialog) is None)
    del edit


async def _drive(window, fake) -> tuple[float, float]:
    await _cycle(window, fake)
    await _settle()
    first = resident_mb()
    for _ in range(CYCLES - 1):
        await _cycle(window, fake)
    await _settle()
    return first, resident_mb()


def child() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Only so the sign-in page opens in this process when it runs as root (see
    # docs/DECISIONS.md): it shows the local fake's pages, nothing from the internet.
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    # QtWebEngine before the QApplication (it needs shared OpenGL contexts set first).
    import PySide6.QtWebEngineWidgets  # noqa: F401
    import qasync
    from PySide6.QtWidgets import QApplication

    import o365desk.ui  # noqa: F401 (the None guard, before any Qt call is made)
    from o365desk.core.connection import Connection
    from o365desk.services import Services
    from o365desk.storage.store import ConnectionStore
    from o365desk.storage.vault import Vault
    from o365desk.ui.main_controller import MainController
    from o365desk.ui.main_window import MainWindow
    from tests.fakes.identity import FakeIdentity
    from tests.fakes.memory_keyring import MemoryKeyring

    backend = MemoryKeyring()
    store = ConnectionStore(Path(os.environ["O365DESK_CONFIG_DIR"]) / "connections.json")
    services = Services(store, vault_factory=lambda: Vault(backend))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with FakeIdentity() as fake:
        os.environ["O365DESK_EXTRA_CA_CERTS"] = str(fake.ca_pem_path)
        store.add(Connection(nickname="Payroll", tenant=TENANT,
                             authority=fake.authority(TENANT),
                             graph_endpoint=fake.graph_url, scopes=("User.Read",)))
        window = MainWindow()
        controller = MainController(window, services)
        controller.load()
        window.show()
        controller.start_keychain_check()
        with loop:
            loop.run_until_complete(_until(
                lambda: controller.keychain is not None and not controller.runner.busy))
            window.table.selectRow(0)
            first, last = loop.run_until_complete(_drive(window, fake))
    print(f"resident: {first:.1f} {last:.1f}", flush=True)
    os._exit(0)  # only the figures matter: skip tearing down Qt


# --- parent --------------------------------------------------------------------------------


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="o365desk-bench-windows-") as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   O365DESK_CONFIG_DIR=str(Path(tmp) / "config"), HOME=tmp, TMPDIR=tmp,
                   XDG_CONFIG_HOME=str(Path(tmp) / ".config"),
                   XDG_CACHE_HOME=str(Path(tmp) / ".cache"),
                   XDG_DATA_HOME=str(Path(tmp) / ".local" / "share"))
        match = run_child([sys.executable, "-m", "benchmarks.windows_memory", "child"], env,
                          r"resident: ([\d.]+) ([\d.]+)", timeout=600, cwd=str(ROOT))
    first, last = float(match.group(1)), float(match.group(2))
    ratio = last / first
    verdict = "meets" if ratio <= TARGET else "MISSES"
    print(f"windows memory: resident {first:.0f} MB after opening and closing each window "
          f"once (wizard to its sign-in page, permission browser, Sign in again, Edit "
          f"connection), {last:.0f} MB after {CYCLES} times; ratio {ratio:.2f}; {verdict} "
          f"the target of {TARGET:.2f}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        child()
    else:
        sys.exit(main())
