"""The real window start (run_gui, in a process of its own): the proxy question and Qt's
proxy lookup are installed after the first paint, not before; then, with no HTTPS_PROXY
and Qt's proxy configuration naming a proxy that asks for a password (a real proxy.py
--basic-auth on loopback), Test connection (Ctrl+T) on an app-only US Government
connection asks in the dialog (a wrong password, said so, then the right one), gets
through that proxy only, and the login is kept in the real Secret Service under the
proxy logins' own service."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from o365desk.auth.proxy import parse
from o365desk.auth.proxy_login import PROXY_LOGIN_NAME, PROXY_SERVICE, entry_id
from o365desk.services import Services
from o365desk.storage.store import ConnectionStore
from o365desk.storage.vault import Vault
from o365desk.usecases.app_only import create_app_only
from tests.e2e.proxy_kit import APP_ID, GRAPH, LOGIN, SECRET, app_only_draft

pytestmark = pytest.mark.process

ROOT = Path(__file__).resolve().parents[2]
USER, PASSWORD = "ann.proxy", "Start-Proxy-Pass-3d5e"


def test_the_started_window_asks_for_the_system_proxys_password_after_the_first_paint(
        fake_identity, no_proxy_env, loopback_proxy, secret_service_vault, store_path,
        tmp_path):
    no_proxy_env.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    fake_identity.register_app(APP_ID, SECRET, roles=("Organization.Read.All",))
    backend = secret_service_vault.backend
    services = Services(ConnectionStore(store_path), vault_factory=lambda: Vault(backend))
    connection = create_app_only(services, app_only_draft(), SECRET)
    proxy = loopback_proxy(basic_auth=f"{USER}:{PASSWORD}")
    proxy_vault = Vault(backend, service=PROXY_SERVICE)
    entry = entry_id(parse(proxy.url))
    proxy_vault.delete(entry, PROXY_LOGIN_NAME)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), HOME=str(tmp_path / "home"),
               PYTHONFAULTHANDLER="1")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tests.e2e.window_proxy_child", str(proxy.port),
             f"{USER}:{PASSWORD}"], capture_output=True, text=True, timeout=240, env=env,
            cwd=ROOT, stdin=subprocess.DEVNULL)
        assert result.returncode == 0, result.stderr[-6000:]
        report = json.loads(result.stdout.strip().splitlines()[-1])
        nothing = {"asker": False, "qt_lookup": False}
        assert report["before_paint"] == nothing and report["at_paint"] == nothing
        assert report["after_paint"] == {"asker": True, "qt_lookup": True}
        assert "timed_out" not in report, report
        assert report["asked"] == [False, True], report  # told the wrong one was refused
        assert report["result"].startswith("Connected to "), report
        assert "\u201cDaemon\u201d" in report["result"]
        assert LOGIN in proxy.connects() and GRAPH in proxy.connects()
        kept = proxy_vault.get(entry, PROXY_LOGIN_NAME)
        assert kept is not None and PASSWORD in kept and USER in kept
        assert PASSWORD not in result.stdout + result.stderr
    finally:
        proxy_vault.delete(entry, PROXY_LOGIN_NAME)
        services.vault().delete_connection(connection.id)
