"""Runs an async screenshot script on a qasync loop over an offscreen QApplication, and
the start-up the screenshot tools share: an isolated home, the fake identity platform, an
in-memory keychain, the main window, and grabbing a widget in the light and dark palettes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: isolated_home() must come before PySide6
    from o365desk.services import Services
    from tests.fakes.identity import FakeIdentity


def isolated_home() -> Path:
    """Point HOME, the XDG dirs and o365desk's config at a new temp folder (nothing real
    is touched) and Qt at the offscreen platform; call before PySide6 is imported."""
    home = Path(tempfile.mkdtemp(prefix="o365desk-shots-home-"))
    os.environ.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                      XDG_CACHE_HOME=str(home / ".cache"), XDG_DATA_HOME=str(home / ".local"),
                      O365DESK_CONFIG_DIR=str(home / "config"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    return home


def run_async_tool(main: Callable[[Path], Awaitable[None]], out: Path, *,
                   quit_on_last_window_closed: bool = True) -> int:
    """Create `out`, then run `main(out)` to completion with Qt and asyncio together."""
    import qasync  # after PySide6: qasync binds to the Qt it finds imported
    from PySide6.QtWidgets import QApplication

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    # Tools that close one window and open the next must not end with the first.
    app.setQuitOnLastWindowClosed(quit_on_last_window_closed)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main(out))
    return 0


def run_tool(main: Callable[[Path], Awaitable[None]], usage: str, *, most_args: int = 1,
             quit_on_last_window_closed: bool = True) -> int:
    """A tool's command line, `tool OUTPUT_DIR [WORD...]` (at most `most_args` in all):
    `usage` (its docstring) when not so, else run_async_tool on OUTPUT_DIR."""
    if not 2 <= len(sys.argv) <= most_args + 1:
        sys.exit(usage)
    return run_async_tool(main, Path(sys.argv[1]),
                          quit_on_last_window_closed=quit_on_last_window_closed)


# --- what the screenshot tools share once PySide6 is imported (each imports it lazily) ---

@contextlib.contextmanager
def fake_identity() -> Iterator[FakeIdentity]:
    """The tests' fake identity platform, running, its CA trusted by o365desk."""
    from tests.fakes.identity import FakeIdentity

    with FakeIdentity() as fake:
        os.environ["O365DESK_EXTRA_CA_CERTS"] = fake.ca_pem_path
        yield fake


def memory_services(home: Path) -> Services:
    """Services over a connections file under `home` and an in-memory keychain."""
    from o365desk.services import Services
    from o365desk.storage.store import ConnectionStore
    from o365desk.storage.vault import Vault
    from tests.fakes.memory_keyring import MemoryKeyring

    keyring = MemoryKeyring()
    return Services(ConnectionStore(home / "config" / "connections.json"),
                    vault_factory=lambda: Vault(keyring))


async def open_main_window(services: Services, width: int, height: int):
    """The main window over `services`, shown at width x height, once its keychain check
    is done; returns (window, controller)."""
    from o365desk.ui.main_controller import MainController
    from o365desk.ui.main_window import MainWindow

    window = MainWindow()
    controller = MainController(window, services)
    window.resize(width, height)  # after the controller: restoring clamps it to the screen
    controller.load()
    window.show()
    controller.start_keychain_check()
    await wait_until(lambda: controller.keychain is not None and not controller.runner.busy)
    return window, controller


def choose(controller, window, nickname: str) -> None:
    """Select the row of the connection called `nickname` in the main window's list."""
    for row in range(controller.proxy.rowCount()):
        if controller.proxy.index(row, 0).data() == nickname:
            window.table.selectRow(row)


async def wait_until(predicate: Callable[[], object], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        await asyncio.sleep(0.05)


def dark_if_asked(argv: list[str]) -> bool:
    """For tools run as `tool OUTPUT_DIR [dark]`: the dark palette when asked; True then."""
    dark = "dark" in argv[2:]
    if dark:
        from PySide6.QtWidgets import QApplication

        from tests.ui.palettes import make_palette

        app = QApplication.instance()
        app.setPalette(make_palette(app, "dark"))
    return dark


async def shoot(widget, out: Path, name: str) -> None:
    """`widget` as it is drawn now, saved as out/NAME.png."""
    await asyncio.sleep(0.2)
    widget.grab().save(str(out / f"{name}.png"))
    print(out / f"{name}.png")


async def light_and_dark(widget, out: Path, name: str) -> None:
    """`widget` in the light palette, then the dark one (out/NAME-light.png and
    out/NAME-dark.png); the light palette again after."""
    from PySide6.QtWidgets import QApplication

    from tests.ui.palettes import make_palette

    app = QApplication.instance()
    for palette in ("light", "dark"):
        app.setPalette(make_palette(app, palette))
        await asyncio.sleep(0.2)
        QApplication.processEvents()
        widget.grab().save(str(out / f"{name}-{palette}.png"))
        print(out / f"{name}-{palette}.png")
    app.setPalette(make_palette(app, "light"))
