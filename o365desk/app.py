"""Starts the window: the Qt application, the services, the main window, then the qasync loop."""

from __future__ import annotations

import os
import signal
import sys
from typing import TYPE_CHECKING

from o365desk.core.procstart import first_paint_line

NO_DISPLAY = ("o365desk: no display found, so the window can't open. The command-line "
              "commands work without one, e.g. `o365desk list` (see `o365desk --help`).")


if TYPE_CHECKING:
    from pathlib import Path


def no_display() -> bool:
    """True on Linux or BSD with no X or Wayland display and no Qt platform chosen, where
    Qt would abort (a platform such as offscreen is a deliberate choice)."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd", "dragonfly")):
        return False
    return not any(os.environ.get(name)
                   for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def run_gui(argv: list[str], smoke: bool = False, template: Path | None = None) -> int:
    """Show the main window and run until it closes; return the exit code.

    With `smoke`, exit right after the first paint and print how long that took since the
    process started, on stderr. Without a display, say so in one line and return 1.
    `template`: a template file to open once the window shows (its preview, the wizard).
    """
    if no_display():  # before Qt is imported: its xcb plugin would abort the process
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    # Ctrl+C in the terminal that started the window ends it, as it would any command
    # (Python's own handler would only raise in the next Python code Qt happens to call).
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    # The Qt-free services first: once PySide6 is loaded, its import hook reads the source
    # of every module imported after it (looking for "PySide6"), ~0.2 ms a module.
    # The health rule fills the list's Health column: imported before PySide6 too.
    import o365desk.core.health  # noqa: F401
    from o365desk.services import Services

    services = Services()  # opens nothing yet: the store reads, the vault opens on first use

    from PySide6.QtCore import QCoreApplication, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from o365desk import __version__
    from o365desk.ui.main_controller import MainController
    from o365desk.ui.main_window import MainWindow

    # QtWebEngine (the sign-in view) loads later, on demand; it needs this set before the
    # QApplication exists, or importing it afterwards fails.
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("o365desk")
    app.setOrganizationName("o365desk")
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName("o365desk")

    window = MainWindow()
    controller = MainController(window, services)
    controller.load(policy=False)  # the IT policy just after the first paint
    loop = None

    def after_first_paint() -> None:
        nonlocal loop
        if smoke:
            code = 0
            try:
                print(first_paint_line(), file=sys.stderr, flush=True)
            except Exception:
                import traceback

                traceback.print_exc()
                code = 1
            app.exit(code)  # whatever happened, a smoke run must not hang
            return
        controller.load_policy()
        loop = _start_asyncio(app)
        from o365desk.auth.redact import setup_logging  # every record redacted; after paint

        setup_logging()
        from o365desk.ui import system_proxy
        from o365desk.ui.proxy_auth_dialog import install_for_window

        system_proxy.install()  # MSAL and Graph follow Qt's proxy settings, as the web view
        install_for_window(services, window)  # a proxy's password: the keychain, a dialog
        controller.start_keychain_check()
        if template is not None:  # opened with a template file: its preview, then the wizard
            controller.templates().open(template)

    # singleShot(0): let the paint reach the screen before starting anything else.
    window.first_painted.connect(lambda: QTimer.singleShot(0, after_first_paint))
    window.show()
    try:
        code = app.exec()
    finally:
        if loop is not None:
            _close_asyncio(app, loop)
    return int(code or 0)


def _start_asyncio(app):
    """Attach a qasync loop to the running Qt loop, for the window's background jobs.

    Only after the first paint: asyncio and qasync take ~35 ms to import, which the window
    would otherwise wait for. Qt runs the loop (app.exec()); qasync only joins it, as in
    the window tests.
    """
    import asyncio

    import qasync  # after PySide6: qasync binds to whichever Qt it finds imported

    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    return loop


def _close_asyncio(app, loop) -> None:
    """Close the loop once app.exec() has returned, while the window still exists."""
    import asyncio

    tasks = asyncio.all_tasks(loop)
    for task in tasks:
        task.cancel()
    # Let the cancelled jobs run their `finally` blocks (they touch widgets) now, rather
    # than be destroyed pending at exit; a few rounds suffice, so never wait long.
    for _ in range(100):
        if all(task.done() for task in tasks):
            break
        app.processEvents()
    # stop() marks the loop as no longer running (its app.exit() does nothing now that
    # exec() has returned); close() refuses a running loop.
    loop.stop()
    loop.close()
    # qasync made it the running loop when it joined Qt's; nothing public unsets that.
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)
