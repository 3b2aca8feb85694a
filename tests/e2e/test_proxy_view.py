"""The real embedded sign-in page, MSAL and the Graph test of a wizard sign-in all go
through the proxy HTTPS_PROXY names (a real proxy.py on loopback): nothing else resolves
the cloud's hosts in that process (proxy_view_child.py), and the proxy saw the CONNECTs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from o365desk.core import webengine_sandbox

pytestmark = pytest.mark.process

ROOT = Path(__file__).resolve().parents[2]


def run_child(*args: str) -> dict:
    if webengine_sandbox.embedded_view_refused():
        pytest.skip("the embedded view can't start here (root with the sandbox on)")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run([sys.executable, "-m", "tests.e2e.proxy_view_child", *args],
                            capture_output=True, text=True, timeout=240, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_sign_in_page_msal_and_graph_go_through_the_proxy():
    report = run_child()
    assert report["fake_errors"] == []
    assert report["signed_in_as"] == "admin@contoso.onmicrosoft.com"
    assert report["test_ok"] is True
    assert report["hosts"] == ["graph.microsoft.us", "login.microsoftonline.us"]
    assert {"login.microsoftonline.us:443", "graph.microsoft.us:443"} <= set(report["connects"])


def test_a_proxy_password_is_asked_once_in_the_window_and_kept():
    """proxy.py --basic-auth: the window asks (a dialog typed into: a wrong password first,
    which it says was refused, then the right one); the sign-in page, MSAL and Graph then
    get through, and the login is in the keychain."""
    report = run_child("--proxy-password", "ann.proxy:Proxy-Pass-4e8f9a71")
    assert report["fake_errors"] == []
    assert report["asked"] == [False, True]  # the second time told the first was refused
    assert report["signed_in_as"] == "admin@contoso.onmicrosoft.com"
    assert report["test_ok"] is True
    assert report["kept"] is True
    assert {"login.microsoftonline.us:443", "graph.microsoft.us:443"} <= set(report["connects"])


def test_with_qts_proxy_configuration_the_page_msal_and_graph_share_its_password():
    """No HTTPS_PROXY: Qt's application proxy factory names proxy.py --basic-auth (as the
    desktop's settings would). The window asks once (a wrong password, said so, then the
    right one); the sign-in page, MSAL and Graph all get through that proxy with it, and
    it is kept in the keychain under that proxy's own entry."""
    from o365desk.auth.proxy import parse
    from o365desk.auth.proxy_login import entry_id

    report = run_child("--proxy-password", "ann.proxy:Proxy-Pass-4e8f9a71", "--system-proxy")
    assert report["fake_errors"] == []
    assert report["asked"] == [False, True]
    assert report["signed_in_as"] == "admin@contoso.onmicrosoft.com"
    assert report["test_ok"] is True
    assert report["kept"] is True
    assert report["kept_under"] == [entry_id(parse(report["proxy_url"]))]
    assert report["hosts"] == ["graph.microsoft.us", "login.microsoftonline.us"]
    assert {"login.microsoftonline.us:443", "graph.microsoft.us:443"} <= set(report["connects"])
