"""Starts the window: the Qt application, the qasync loop, the services and the main window."""

from __future__ import annotations

import asyncio
import signal
import sys
import traceback

from o365desk.core.procstart import ms_since_start


def run_gui(argv: list[str], smoke: bool = False) -> int:
    """Show the main window and run until it closes; return the exit code.

    With `smoke`, exit right after the first paint and print how long that took since the
    process started, on stderr.
    """
    from PySide6.QtCore import QCoreApplication, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from o365desk import __version__
    from o365desk.services import Services
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
    # Only now, with PySide6 loaded: qasync binds to whichever Qt it finds imported.
    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    # Ctrl+C in the terminal that started the window ends it, as it would any command.
    signal.signal(signal.SIGINT, signal.SIG_DFL)

    services = Services()  # opens nothing yet: the store reads, the vault opens on first use
    window = MainWindow()
    controller = MainController(window, services)
    controller.load()

    def after_first_paint() -> None:
        if smoke:
            code = 0
            try:
                print(f"first paint: {ms_since_start()} ms", file=sys.stderr, flush=True)
            except Exception:
                traceback.print_exc()
                code = 1
            app.exit(code)  # whatever happened, a smoke run must not hang
        else:
            controller.start_keychain_check()

    # singleShot(0): let the paint reach the screen before starting anything else.
    window.first_painted.connect(lambda: QTimer.singleShot(0, after_first_paint))
    window.show()
    try:
        code = loop.run_forever()
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    return int(code or 0)
