"""What a sign-in server sends (the device-code message, the account name, the
organisation's name) never reaches the terminal raw; a token that can't be written to
standard output is a failure, said on stderr. Real processes against the fake over HTTPS
and the real Secret Service, as in test_cli_signin.py."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.e2e.test_cli_signin import (  # noqa: F401 (cli_env: the fixture)
    add_fake_connection,
    cli_env,
    device_code_login,
    login_with_device_code,
)
from tests.e2e.test_cli_signin import o365desk as run
from tests.e2e.test_cli_terminal_safety import HOSTILE, raw_controls
from tests.fakes.identity import DEFAULT_PASSWORD

pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")

# What the fake may carry in a JSON string and an ID token: no NUL.
SENT = HOSTILE.replace("\x00", "")


def login(fake, env, username: str) -> subprocess.CompletedProcess:
    program = [sys.executable, "-m", "o365desk"]
    code, out, err = device_code_login(fake, env, program, "Fake", username=username,
                                       text=False)  # bytes: no control byte hidden
    return subprocess.CompletedProcess([*program, "login", "Fake", "--device-code"], code,
                                       out, err)


def test_device_code_message_and_account_name_are_shown_visibly(
        fake_identity, cli_env, secret_service_vault):  # noqa: F811
    add_fake_connection(fake_identity, cli_env)
    username = f"ada{SENT}@{fake_identity.tenant_domain}"
    fake_identity.add_user(username, DEFAULT_PASSWORD)
    fake_identity.device_message_extra = " " + SENT
    fake_identity.org_name = "Contoso " + SENT

    result = login(fake_identity, cli_env, username)
    assert result.returncode == 0, result.stderr
    assert raw_controls(result.stdout) == [] and raw_controls(result.stderr) == []
    assert rb"to authenticate. \x1b]0;pwned\x07" in result.stderr
    assert rb"Signed in as ada\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil" in result.stdout

    for args in (("list",), ("show", "Fake"), ("list", "--json"), ("test", "Fake"),
                 ("test", "Fake", "--json"), ("sign-out", "Fake")):
        shown = subprocess.run([sys.executable, "-m", "o365desk", *args],
                               capture_output=True, timeout=120, env=cli_env)
        assert shown.returncode == 0, (args, shown.stderr)
        assert raw_controls(shown.stdout) == [] and raw_controls(shown.stderr) == [], args
        assert b"\\x1b" in shown.stdout or b"\\u001b" in shown.stdout, args
    assert run(cli_env, "delete", "Fake", "--yes").returncode == 0


def test_a_token_that_cannot_be_written_is_a_failure(fake_identity, cli_env,  # noqa: F811
                                                     secret_service_vault):
    add_fake_connection(fake_identity, cli_env)
    assert login_with_device_code(fake_identity, cli_env)[0] == 0
    read, write = os.pipe()
    os.close(read)  # `o365desk token Fake | head -0`, the reader gone before the token
    try:
        gone = subprocess.run([sys.executable, "-m", "o365desk", "token", "Fake"],
                              stdout=write, stderr=subprocess.PIPE, text=True, timeout=120,
                              env=cli_env)
    finally:
        os.close(write)
    assert gone.returncode == 1
    assert "the token could not be written to standard output" in gone.stderr
    assert "Traceback" not in gone.stderr and "Exception ignored" not in gone.stderr

    with open("/dev/full", "w") as full:  # a disk with no room left
        no_room = subprocess.run([sys.executable, "-m", "o365desk", "token", "Fake"],
                                 stdout=full, stderr=subprocess.PIPE, text=True,
                                 timeout=120, env=cli_env)
    assert no_room.returncode == 1
    assert "the token could not be written to standard output (No space left" in \
        no_room.stderr
    assert "Traceback" not in no_room.stderr and "Exception ignored" not in no_room.stderr

    closed = subprocess.run(["sh", "-c", 'exec "$0" -m o365desk token Fake >&-',
                             sys.executable], stderr=subprocess.PIPE, text=True,
                            timeout=120, env=cli_env)
    assert closed.returncode == 1 and "standard output is closed" in closed.stderr
    assert run(cli_env, "delete", "Fake", "--yes").returncode == 0
