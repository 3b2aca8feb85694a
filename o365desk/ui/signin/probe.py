"""Load a tiny page in QtWebEngine, offscreen, and say whether it really ran.

`python -m o365desk.ui.signin.probe` is what `o365desk doctor` runs in a child process, so
a web engine that crashes or ends its process takes only the child down. The page is a
data: URL (no network, nothing written: an off-the-record profile); its script sets the
title, which is read back, so the page's own process started and ran JavaScript.

The last line of stdout is "ok SECONDS PYSIDE_VERSION" or "problem TEXT"; the exit code is
0 only for "ok".
"""

from __future__ import annotations

import os
import sys
import time

DEADLINE_MS = 8000
_PAGE = ("data:text/html;charset=utf-8,<title>o365desk</title><p>o365desk check</p>"
         "<script>document.title = 'ready:' + (6 * 7);</script>")
_EXPECTED = "ready:42"


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from o365desk.core import webengine_sandbox

    if webengine_sandbox.embedded_view_refused():  # Chromium would end this at once
        print("problem running as root with the web engine's sandbox on", flush=True)
        return 7
    started = time.monotonic()
    import PySide6
    from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication(sys.argv[:1])
    from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
    from PySide6.QtWebEngineWidgets import QWebEngineView

    outcome: list[tuple[int, str]] = []

    def finish(code: int, line: str) -> None:
        if not outcome:
            outcome.append((code, line))
            app.quit()

    profile = QWebEngineProfile()  # no name: off the record, nothing on disk
    page = QWebEnginePage(profile)
    view = QWebEngineView()
    view.setPage(page)
    view.resize(320, 200)
    view.show()

    def read_title(title) -> None:
        if title == _EXPECTED:
            finish(0, f"ok {time.monotonic() - started:.1f} {PySide6.__version__}")
        else:
            finish(4, "problem the test page loaded but its script did not run")

    def loaded(ok: bool) -> None:
        if ok:
            page.runJavaScript("document.title", 0, read_title)
        else:
            finish(2, "problem the test page did not load")

    def gone(status, exit_code: int) -> None:
        name = getattr(status, "name", str(status))
        finish(5, f"problem the page's process ended ({name}, exit code {exit_code})")

    page.loadFinished.connect(loaded)
    page.renderProcessTerminated.connect(gone)
    QTimer.singleShot(DEADLINE_MS, lambda: finish(
        3, f"problem the test page did not load within {DEADLINE_MS // 1000} seconds"))
    page.load(QUrl(_PAGE))
    app.exec()
    code, line = outcome[0] if outcome else (6, "problem the check ended early")
    import shiboken6

    # The page before its profile (Qt warns otherwise), all before the application.
    for thing in (view, page, profile):
        shiboken6.delete(thing)
    print(line, flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
