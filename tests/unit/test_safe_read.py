"""connections.json and settings.json read safely: only regular files, at most a few MB,
never nested deeper than o365desk writes; each refusal a plain message, never a hang."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from o365desk.core import safe_read, settings
from o365desk.core.connection import DEFAULT_CLIENT_ID
from o365desk.storage.store import ConnectionStore, ReadOnlyError

# A process that hangs (a named pipe) or never stops reading (/dev/zero) fails here, instead
# of hanging the test run; the memory limit keeps an endless read from hurting the machine.
DEADLINE = 90  # a hang is for ever; doctor starts a web engine, slow on a loaded machine
MEMORY_LIMIT = 1 << 30


@pytest.fixture(autouse=True)
def deadline():
    """A read that blocks (a named pipe opened without O_NONBLOCK) fails the test."""
    def give_up(*_):
        raise TimeoutError(f"still reading after {DEADLINE} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(DEADLINE)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def o365desk(*args: str) -> subprocess.CompletedProcess:
    def limit_memory() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run(
        [sys.executable, "-m", "o365desk", *args], capture_output=True, text=True,
        timeout=DEADLINE, env=os.environ.copy(), preexec_fn=limit_memory,
    )


def put(config_dir: Path, name: str, kind: str) -> Path:
    """Put a named pipe, a folder or a link to /dev/zero where the file `name` goes."""
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / name
    if kind == "named pipe":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero")
    return path


KINDS = ["named pipe", "folder", "link to /dev/zero"]


@pytest.mark.parametrize("kind", KINDS)
def test_something_other_than_a_file_as_connections_is_refused_and_left_alone(
        config_dir, kind):
    path = put(config_dir, "connections.json", kind)
    store = ConnectionStore(path)
    assert store.load() == []
    assert store.read_only
    (notice,) = store.notices
    what = "a device" if kind.startswith("link") else f"a {kind}"
    assert f"{what} rather than a file" in notice and "connections.json" in notice
    assert "Move it out of the way" in notice
    with pytest.raises(ReadOnlyError):
        store.add(store_connection())
    # Nothing was moved aside or created beside it: it may be a device reached by a link.
    assert sorted(p.name for p in config_dir.iterdir()) == ["connections.json"]
    assert os.path.exists("/dev/zero") and not os.path.exists("/dev/zero.lock")


@pytest.mark.parametrize("kind", KINDS)
def test_something_other_than_a_file_as_settings_gives_the_defaults_and_says_why(
        config_dir, kind):
    put(config_dir, "settings.json", kind)
    current = settings.load()
    assert current.client_id == DEFAULT_CLIENT_ID
    what = "a device" if kind.startswith("link") else f"a {kind}"
    assert f"settings.json is {what} rather than a file" in current.problem
    assert "uses its defaults" in current.problem


@pytest.mark.process
@pytest.mark.parametrize("name", ["connections.json", "settings.json"])
@pytest.mark.parametrize("kind", KINDS)
def test_list_add_and_doctor_neither_hang_nor_crash(config_dir, name, kind):
    put(config_dir, name, kind)
    for args in (["list"], ["add", "Payroll", "--tenant", "contoso.onmicrosoft.com"],
                 ["doctor"]):
        done = o365desk(*args)
        assert "Traceback" not in done.stderr, done.stderr
        assert done.returncode in (0, 1), done.stderr
        # The store's notice comes with every command; the settings' problem in doctor.
        if name == "connections.json" or args == ["doctor"]:
            assert "rather than a file" in done.stdout + done.stderr
        if name == "connections.json" and args == ["list"]:
            assert "Add one" not in done.stdout  # changes are off: adding can't work
            assert "changes are turned off" in done.stdout


def test_a_connections_file_over_4_mb_is_kept_aside_with_the_reason(config_dir):
    config_dir.mkdir(parents=True)
    path = config_dir / "connections.json"
    path.write_bytes(b" " * (4 << 20) + b'{"schema_version": 1, "connections": []}')
    store = ConnectionStore(path)
    assert store.load() == [] and not store.read_only
    (notice,) = store.notices
    assert "larger than 4 MB" in notice and "kept unchanged at" in notice
    (kept,) = config_dir.glob("connections.json.corrupt-*")
    assert kept.stat().st_size > 4 << 20


def test_a_connections_file_just_under_the_cap_is_read(config_dir):
    config_dir.mkdir(parents=True)
    path = config_dir / "connections.json"
    doc = b'{"schema_version": 1, "connections": []}'
    path.write_bytes(b" " * ((4 << 20) - len(doc)) + doc)
    store = ConnectionStore(path)
    assert store.load() == [] and store.notices == [] and path.exists()


def test_a_settings_file_over_1_mb_gives_the_defaults_and_says_why(config_dir):
    config_dir.mkdir(parents=True)
    (config_dir / "settings.json").write_text(
        json.dumps({"client_id": "11111111-2222-3333-4444-555555555555"}) + " " * (1 << 20))
    current = settings.load()
    assert current.client_id == DEFAULT_CLIENT_ID
    assert "larger than 1 MB" in current.problem and "settings.json" in current.problem


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_deep_nesting_in_settings_is_a_plain_problem(config_dir, opener):
    config_dir.mkdir(parents=True)
    (config_dir / "settings.json").write_text(opener * 100_000)
    current = settings.load()
    assert current.client_id == DEFAULT_CLIENT_ID
    assert "nests its contents far deeper" in current.problem


def test_nesting_deep_but_short_of_a_recursion_error_is_refused_too(config_dir):
    # 500 levels parse, but anything that walks them (a copy, a message) could recurse.
    config_dir.mkdir(parents=True)
    deep = "[" * 500 + "]" * 500
    (config_dir / "settings.json").write_text('{"extra_ca_certs": ' + deep + "}")
    assert "nests its contents far deeper" in settings.load().problem
    path = config_dir / "connections.json"
    path.write_text('{"schema_version": 1, "connections": [{"scopes": ' + deep + "}]}")
    store = ConnectionStore(path)
    store.load()
    assert "nests its contents far deeper" in store.notices[0]


@pytest.mark.process
@pytest.mark.parametrize("name", ["connections.json", "settings.json"])
def test_add_and_doctor_on_deeply_nested_files_say_so_without_a_traceback(config_dir, name):
    config_dir.mkdir(parents=True)
    (config_dir / name).write_text("[" * 100_000)
    for args in (["add", "Payroll", "--tenant", "contoso.onmicrosoft.com"], ["doctor"]):
        done = o365desk(*args)
        assert "Traceback" not in done.stderr, done.stderr
        assert "RecursionError" not in done.stderr
    if name == "settings.json":
        assert "nests its contents far deeper" in done.stdout


def test_a_link_to_a_regular_file_is_followed(config_dir, tmp_path):
    target = tmp_path / "kept-elsewhere.json"
    target.write_text(json.dumps({"client_id": "11111111-2222-3333-4444-555555555555"}))
    config_dir.mkdir(parents=True)
    (config_dir / "settings.json").symlink_to(target)
    assert settings.load().client_id == "11111111-2222-3333-4444-555555555555"


def test_read_capped_reads_up_to_the_limit_and_not_beyond(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10)
    assert safe_read.read_capped(path, 10) == b"x" * 10
    with pytest.raises(safe_read.TooLarge):
        safe_read.read_capped(path, 9)
    with pytest.raises(FileNotFoundError):
        safe_read.read_capped(tmp_path / "missing", 10)


def store_connection():
    from o365desk.core.connection import Connection

    return Connection(nickname="Payroll", tenant="contoso.onmicrosoft.com")


@pytest.mark.process  # importing requests probes IPv6 with a socket
@pytest.mark.parametrize("kind", ["named pipe", "link to /dev/zero"])
def test_an_extra_ca_file_that_is_not_a_file_is_refused_plainly(config_dir, tmp_path, kind):
    from o365desk.auth.http import TrustedCertificatesError, http_session

    pem = put(tmp_path, "proxy-ca.pem", kind)
    with pytest.raises(TrustedCertificatesError, match="rather than a file") as caught:
        http_session(extra_ca_files=[pem])
    assert str(pem) in str(caught.value) and caught.value.path == pem

