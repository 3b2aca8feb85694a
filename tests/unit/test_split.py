"""The fast half of the suite really is in-process: a test that isn't fails, named."""

from __future__ import annotations

from pathlib import Path

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]

INNER = '''
import ctypes, os, socket, subprocess, sys, time
import pytest

def test_runs_a_process():
    subprocess.run([sys.executable, "-c", "pass"], check=True)

def test_swallows_the_refusal():
    try:
        subprocess.run([sys.executable, "-c", "pass"])
    except Exception:
        pass

def test_connects():
    server = socket.create_server(("127.0.0.1", 0)) if os.environ.get("UNGUARDED") else None
    try:
        socket.create_connection(("127.0.0.1", server.getsockname()[1] if server else 9))
    except OSError:
        pass

def test_binds():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))

def test_forks_behind_pythons_back():
    pid = ctypes.CDLL(None).fork()  # as a library's own code would, not through Python
    if pid == 0:
        time.sleep(2)
        os._exit(0)

def test_uses_a_socketpair_as_event_loops_do():
    a, b = socket.socketpair()
    a.close(); b.close()

def test_plain():
    assert sum([1, 2]) == 3

@pytest.mark.process
def test_marked():
    subprocess.run([sys.executable, "-c", "pass"], check=True)
'''


def _run(pytester, monkeypatch, *args):
    pytester.makepyfile(test_inner=INNER)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # for -p tests.split
    return pytester.runpytest_subprocess("-p", "tests.split", "-p", "no:cacheprovider",
                                         "-p", "no:randomly", *args)


def test_in_the_fast_run_a_process_or_socket_fails_the_test(pytester, monkeypatch):
    result = _run(pytester, monkeypatch, "-m", "not process", "-rfE")
    # The fork is seen once the test is over: its teardown fails.
    result.assert_outcomes(passed=3, failed=4, errors=1, deselected=1)
    out = result.stdout.str()
    for name in ("test_runs_a_process", "test_swallows_the_refusal", "test_connects",
                 "test_binds"):
        assert f"FAILED test_inner.py::{name}" in out
    assert "ERROR test_inner.py::test_forks_behind_pythons_back" in out
    assert "test_runs_a_process started a process (test_inner.py:5)" in out
    assert "opened a socket (bind (('127.0.0.1', 0),)) (test_inner.py:22)" in out
    assert "test_forks_behind_pythons_back left child processes" in out


def test_the_whole_run_leaves_every_test_alone(pytester, monkeypatch):
    monkeypatch.setenv("UNGUARDED", "1")
    result = _run(pytester, monkeypatch)
    result.assert_outcomes(passed=8)
