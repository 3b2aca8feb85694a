"""Run by test_window_proxy_start.py in a process of its own: the real window start
(o365desk.app.run_gui, as `o365desk` with no command), with Qt's application proxy
factory naming a proxy that asks for a password (a real proxy.py on loopback) and no
HTTPS_PROXY in the environment. Notes whether the proxy question and Qt's proxy lookup
are installed before the first paint, at it, and after it; then presses Ctrl+T on the
saved connection "Daemon", types the answers to the proxy's question (a wrong password
first), waits for the result bar and prints one JSON line.

Usage: python -m tests.e2e.window_proxy_child PROXY_PORT USER:PASSWORD
"""

from __future__ import annotations

import json
import sys
import time

_DEADLINE_S = 120.0


def main(argv: list[str]) -> int:
    port, login = int(argv[0]), argv[1]
    user, password = login.split(":", 1)

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtNetwork import QNetworkProxy, QNetworkProxyFactory
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import o365desk.ui.main_controller as mc
    from o365desk.app import run_gui
    from o365desk.auth import proxy, proxy_login

    class OneProxy(QNetworkProxyFactory):
        def queryProxy(self, query):  # noqa: N802 (Qt's name)
            return [QNetworkProxy(QNetworkProxy.ProxyType.HttpProxy, "127.0.0.1", port)]

    factory = OneProxy()
    QNetworkProxyFactory.setApplicationProxyFactory(factory)  # what the desktop would say
    report: dict = {"asked": []}

    def state() -> dict:
        return {"asker": proxy_login.installed() is not None,
                "qt_lookup": proxy.system_lookup() is not None}

    load, check = mc.MainController.load, mc.MainController.start_keychain_check

    def hooked_load(self, *args, **kwargs):
        report["before_paint"] = state()
        self.window.first_painted.connect(lambda: report.setdefault("at_paint", state()))
        load(self, *args, **kwargs)

    def hooked_check(self):  # run_gui calls it right after installing the proxy question
        report["after_paint"] = state()
        check(self)
        window, started = self.window, time.monotonic()

        def drive() -> None:
            if time.monotonic() - started > _DEADLINE_S:
                report["timed_out"] = True
                QApplication.quit()
                return
            dialog = QApplication.activeModalWidget()
            from o365desk.ui.proxy_auth_dialog import ProxyAuthDialog

            if isinstance(dialog, ProxyAuthDialog) and not getattr(dialog, "answered", False):
                dialog.answered = True
                report["asked"].append(dialog.problem.isVisible())
                if not dialog.username.text():
                    QTest.keyClicks(dialog.username, user)
                QTest.keyClick(dialog.username, Qt.Key.Key_Tab)
                typed = "wrong-" + password if len(report["asked"]) == 1 else password
                QTest.keyClicks(dialog.password, typed)
                QTest.keyClick(dialog.password, Qt.Key.Key_Return)
            elif "pressed" not in report and window.isActiveWindow():
                for row in range(self.proxy.rowCount()):
                    if self.proxy.index(row, 0).data() == "Daemon":
                        window.table.selectRow(row)
                window.table.setFocus()
                window.result_bar.hide()
                QTest.keyClick(window.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
                report["pressed"] = True
            elif ("pressed" in report and window.result_bar.isVisible()
                  and not self.runner.busy):
                report["result"] = window.result_bar.text()
                QApplication.quit()
                return
            QTimer.singleShot(100, drive)

        window.activateWindow()
        QTimer.singleShot(100, drive)

    mc.MainController.load = hooked_load
    mc.MainController.start_keychain_check = hooked_check
    code = run_gui([sys.argv[0]])
    report["exit_code"] = code
    # Qt deletes the factory it was given now, not at exit after Python freed it.
    QNetworkProxyFactory.setUseSystemConfiguration(True)
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
