"""A proxy that asks for a password (a real proxy.py with --basic-auth on loopback): the CLI
asks on the terminal, says so when the password is wrong and asks again, keeps the login
in the keychain (its own entry, not a connection's), and the next command, with no
terminal, uses it for MSAL and Graph without asking. No password on disk or on screen."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

import pytest

from o365desk.auth.proxy import parse
from o365desk.auth.proxy_login import PROXY_LOGIN_NAME, PROXY_SERVICE, entry_id
from tests.e2e.test_cli_app_only import APP_ID, SECRET, add_app

pytestmark = pytest.mark.process

USER, PASSWORD = "ann.proxy", "Proxy-Pass-4e8f9a71"
WRONG = "not-the-Proxy-Pass-0000"


def _read_until(leader: int, seen: bytearray, everything: bytearray, wanted: bytes,
                timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while wanted not in seen and time.monotonic() < deadline:
        if select.select([leader], [], [], 1)[0]:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            seen += chunk
            everything += chunk
    assert wanted in seen, bytes(everything)


def on_terminal(env, *args: str, answers: list[tuple[bytes, bytes]]) -> tuple[int, bytes]:
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "o365desk", *args], stdin=follower,
                               stdout=follower, stderr=follower, env=env, close_fds=True)
    os.close(follower)
    seen, everything = bytearray(), bytearray()
    try:
        for question, answer in answers:
            _read_until(leader, seen, everything, question)
            del seen[:seen.index(question) + len(question)]
            os.write(leader, answer)
        code = process.wait(120)
        while select.select([leader], [], [], 0.5)[0]:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            everything += chunk
        return code, bytes(everything)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)


@pytest.fixture
def cli_env(fake_identity, tmp_path, no_proxy_env):
    """The CLI's environment: the fake trusted, no display, no proxy unless a test sets it."""
    no_proxy_env.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["HOME"] = str(tmp_path / "home")
    return env


@pytest.fixture
def proxy_vault(secret_service_vault):
    from o365desk.storage.vault import Vault

    return Vault(secret_service_vault.backend, service=PROXY_SERVICE)


def test_asked_once_on_the_terminal_then_kept_in_the_keychain(
        fake_identity, cli_env, proxy_vault, loopback_proxy, config_dir, tmp_path):
    fake_identity.register_app(APP_ID, SECRET, roles=("Organization.Read.All",))
    assert add_app(fake_identity, cli_env, "Daemon", "Organization.Read.All").returncode == 0
    proxy = loopback_proxy(basic_auth=f"{USER}:{PASSWORD}")
    entry = entry_id(parse(proxy.url))
    proxy_vault.delete(entry, PROXY_LOGIN_NAME)
    env = {**cli_env, "HTTPS_PROXY": proxy.url}
    try:
        code, seen = on_terminal(env, "test", "Daemon", answers=[
            (b"Proxy user name: ", USER.encode() + b"\n"),
            (b"Proxy password (not shown): ", WRONG.encode() + b"\n"),
            (b"didn't accept that user name and password", b""),
            (b"Proxy user name [" + USER.encode() + b"]: ", b"\n"),  # Enter: the same
            (b"Proxy password (not shown): ", PASSWORD.encode() + b"\n"),
        ])
        assert code == 0, seen
        assert b"asks for a user name and password" in seen
        assert PASSWORD.encode() not in seen and WRONG.encode() not in seen
        fake_port = f"127.0.0.1:{fake_identity.port}"
        assert proxy.wait_for_connect(fake_port)
        kept = proxy_vault.get(entry, PROXY_LOGIN_NAME)
        assert kept is not None and PASSWORD in kept and USER in kept

        before = len(proxy.connects())
        again = subprocess.run([sys.executable, "-m", "o365desk", "token", "Daemon"],
                               capture_output=True, text=True, timeout=120, env=env,
                               stdin=subprocess.DEVNULL)
        assert again.returncode == 0, again.stderr
        assert "Proxy user name" not in again.stderr
        assert len(proxy.connects()) > before  # through the proxy, with the kept login

        for folder in (config_dir, tmp_path):
            for path in folder.rglob("*"):
                if path.is_file():
                    assert PASSWORD.encode() not in path.read_bytes(), path
    finally:
        proxy_vault.delete(entry, PROXY_LOGIN_NAME)


def test_without_a_terminal_or_a_kept_password_it_says_how(
        fake_identity, cli_env, proxy_vault, loopback_proxy):
    fake_identity.register_app(APP_ID, SECRET, roles=("Organization.Read.All",))
    assert add_app(fake_identity, cli_env, "Daemon", "Organization.Read.All").returncode == 0
    proxy = loopback_proxy(basic_auth=f"{USER}:{PASSWORD}")
    proxy_vault.delete(entry_id(parse(proxy.url)), PROXY_LOGIN_NAME)
    result = subprocess.run([sys.executable, "-m", "o365desk", "test", "Daemon"],
                            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
                            env={**cli_env, "HTTPS_PROXY": proxy.url})
    assert result.returncode != 0
    assert f"Your network's proxy (127.0.0.1:{proxy.port}) asks for a user name and " \
           "password, and none was given." in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert proxy.connects() == []
