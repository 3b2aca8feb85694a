"""Ctrl+C while a command waits on the network (here `test`, waiting for a slow Microsoft
Graph) ends it with one plain line and exit code 130, never a traceback, and leaves the
connection and its sign-in as they were."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from o365desk.storage.vault import MSAL_CACHE
from tests.e2e import test_cli_signin as cli
from tests.e2e.test_cli_signin import add_fake_connection, login_with_device_code, o365desk

cli_env = cli.cli_env
pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


def test_ctrl_c_while_waiting_is_a_plain_line_not_a_traceback(fake_identity, cli_env,
                                                              secret_service_vault):
    connection = add_fake_connection(fake_identity, cli_env)
    assert login_with_device_code(fake_identity, cli_env)[0] == 0
    saved = secret_service_vault.get(connection["id"], MSAL_CACHE)
    before = json.loads(o365desk(cli_env, "show", "Fake", "--json").stdout)["connection"]
    fake_identity.graph_delay = 60
    process = subprocess.Popen([sys.executable, "-m", "o365desk", "test", "Fake"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=cli_env)
    try:
        deadline = time.monotonic() + 60
        while not fake_identity.requests_to("/graph") and time.monotonic() < deadline:
            time.sleep(0.05)  # until the command is waiting for Graph's answer
        assert fake_identity.requests_to("/graph"), "the test never reached Graph"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        fake_identity.graph_delay = 0
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "stopped (Ctrl+C)" in err and out == ""
    assert secret_service_vault.get(connection["id"], MSAL_CACHE) == saved
    after = json.loads(o365desk(cli_env, "show", "Fake", "--json").stdout)["connection"]
    assert after == before
