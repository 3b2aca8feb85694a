"""Driving the real QtWebEngine sign-in page from tests: wait for an element, fill, click."""

from __future__ import annotations

import json


def js_value(qtbot, view, script: str, timeout: int = 5000):
    """Run `script` in the login view's page and return its result."""
    box: list = []
    view.run_javascript(script, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=timeout)
    return box[0]


def wait_for_element(qtbot, view, element_id: str, timeout: int = 10000) -> None:
    """Wait until the page shows an element with that id."""
    script = f"!!document.getElementById({json.dumps(element_id)})"

    def present() -> bool:
        if view.page is None:
            raise AssertionError(f"the sign-in ended before #{element_id} appeared")
        return js_value(qtbot, view, script) is True

    qtbot.waitUntil(present, timeout=timeout)


def fill_sign_in(qtbot, view, username: str, password: str) -> None:
    wait_for_element(qtbot, view, "username")
    view.run_javascript(
        f"document.getElementById('username').value = {json.dumps(username)};"
        f"document.getElementById('password').value = {json.dumps(password)};"
        "document.getElementById('submit').click();"
    )


def click(qtbot, view, element_id: str) -> None:
    wait_for_element(qtbot, view, element_id)
    view.run_javascript(f"document.getElementById({json.dumps(element_id)}).click();")


def kill_page_process(qtbot, view) -> int:
    """End the process that renders the login view's page, as a crash or the system's
    out-of-memory killer would (SIGKILL); return its pid."""
    import os
    import signal

    page = view.page
    qtbot.waitUntil(lambda: page.renderProcessPid() > 0, timeout=10000)
    pid = page.renderProcessPid()
    os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
    return pid
