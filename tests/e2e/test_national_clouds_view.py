"""A US Government connection made in the wizard and signed in in the real embedded view
(QtWebEngine), with real MSAL, no authority or Graph override: the sign-in pages, the
scopes' resource, the token endpoint and the Graph calls are all the cloud's own hosts,
which resolve to the fake identity platform. QtWebEngine takes its host-resolver rules
only before it starts, so the wizard runs in a process of its own
(national_cloud_view_child.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from o365desk.core import webengine_sandbox

pytestmark = pytest.mark.process

ROOT = Path(__file__).resolve().parents[2]
US_LOGIN, US_GRAPH = "login.microsoftonline.us", "graph.microsoft.us"


@pytest.fixture(scope="module")
def report() -> dict:
    if webengine_sandbox.embedded_view_refused():
        pytest.skip("the embedded view can't start here (root with the sandbox on)")
    env = {k: v for k, v in os.environ.items()
           if k.lower() not in ("https_proxy", "http_proxy", "all_proxy")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run([sys.executable, "-m", "tests.e2e.national_cloud_view_child"],
                            capture_output=True, text=True, timeout=180, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_embedded_view_signs_in_on_the_clouds_own_login_host(report):
    assert report["fake_errors"] == []
    for page in ("sign_in_page_url", "consent_page_url"):
        assert urlsplit(report[page]).netloc == US_LOGIN, report[page]
    authorize = urlsplit(report["sign_in_page_url"])
    assert authorize.path.endswith("/oauth2/v2.0/authorize")
    assert f"https%3A%2F%2F{US_GRAPH}%2FUser.Read" in authorize.query
    assert "graph.microsoft.com" not in authorize.query
    assert report["signed_in_as"] == "admin@contoso.onmicrosoft.com"
    assert "US Government" in report["organisation"]
    saved = report["saved"]
    assert (saved["cloud"], saved["authority"], saved["graph_endpoint"]) == ("usgov", None, None)
    assert report["saved_effective"] == [f"https://{US_LOGIN}/contoso.onmicrosoft.com",
                                         f"https://{US_GRAPH}"]


def test_every_request_of_sign_in_token_and_test_went_to_the_clouds_own_hosts(report):
    requests = report["requests"]
    assert {r["host"] for r in requests} == {US_LOGIN, US_GRAPH}
    view_and_msal = [r for r in requests if r["host"] == US_LOGIN]
    paths = {(r["method"], r["path"].split("/", 2)[-1]) for r in view_and_msal}
    assert {("GET", "v2.0/.well-known/openid-configuration"),  # MSAL
            ("GET", "oauth2/v2.0/authorize"), ("POST", "login"), ("POST", "consent"),  # view
            ("POST", "oauth2/v2.0/token")} <= paths
    for r in view_and_msal:
        for scope in r["scope"].split():
            assert scope in ("openid", "profile", "offline_access") \
                or scope.startswith(f"https://{US_GRAPH}/"), scope


def test_the_token_and_the_connection_test_use_the_clouds_graph(report):
    assert report["token_aud"] == f"https://{US_GRAPH}"
    assert report["test_ok"] is True
    graph = [r for r in report["requests"] if r["host"] == US_GRAPH]
    assert graph and all(r["path"].startswith("/v1.0/") for r in graph)
    assert all(r["token"] == [f"https://{US_LOGIN}", f"https://{US_GRAPH}"] for r in graph)
