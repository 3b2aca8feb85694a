"""The suite's two halves: in-process tests, and `process` tests that need more.

A test is marked `process` when it starts other processes (the CLI as scripts run it, a
second o365desk, QtWebEngine's renderer) or talks over a socket (the HTTPS fake identity
platform, a loopback listener, gnome-keyring on D-Bus). That is decided here, from the
fixtures a test uses and the modules listed below, so no test file needs to say it; a
test may also say it itself with ``@pytest.mark.process``.

``make test-fast`` runs the rest (``-m "not process"``). In such a run a test that starts
a process or opens a socket all the same fails, naming what it did, so a test that
belongs in the other half can't hide in the fast one.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sysconfig
import traceback
from pathlib import Path

import pytest

MARK = "process"

# Fixtures that start a server, a listener or reach another process.
PROCESS_FIXTURES = frozenset({
    "fake_identity_server",  # the HTTPS fake identity platform (and everything using it)
    "fake_redirect_listener",
    "secret_service_vault",  # gnome-keyring over D-Bus
})

# Modules whose tests run o365desk (or a helper) in another process, serve HTTPS, or load
# QtWebEngine pages; paths relative to tests/.
PROCESS_MODULES = frozenset({
    "e2e/test_cli.py",
    "e2e/test_cli_signin.py",
    "e2e/test_cli_words.py",
    "e2e/test_doctor_webengine.py",
    "e2e/test_no_display.py",
    "ui/test_none_guard.py",
    "ui/test_root_sign_in.py",
    "ui/test_startup.py",
    "unit/test_auth_http.py",
    "unit/test_browser_sign_in.py",
    "unit/test_install_system_deps.py",
    "unit/test_split.py",
    "unit/test_store_faults.py",
    "unit/test_vault_processes.py",
})

# Single tests elsewhere that run Python afresh (to see what an import loads), hold a
# lock from another process, or reach D-Bus: "path::name" (a class covers its methods).
PROCESS_TESTS = frozenset({
    "ui/test_list_follows_changes.py::"
    "test_a_rename_while_another_process_holds_the_file_says_busy_at_once",
    "ui/test_list_follows_changes.py::"
    "test_a_rename_doesnt_wait_behind_a_worker_waiting_for_the_file",
    "ui/test_scope_browser.py::test_opening_the_package_does_not_load_the_catalog",
    "unit/test_catalog_data.py::test_importing_the_package_loads_no_data",
    "unit/test_keychain.py::test_importing_the_vault_and_keychain_does_not_import_keyring",
    "unit/test_keychain.py::test_fail_null_unrecommended_and_unviable_backends_are_refused",
    "unit/test_keychain.py::test_open_vault_without_a_session_bus_is_unavailable_not_a_hang",
    "unit/test_store.py::test_lock_is_held_across_processes",
    "unit/test_store.py::test_storage_imports_nothing_heavy",
})

# Markers that already say a test needs another process: a real Secret Service, or
# (`slow`) several o365desk processes at once.
PROCESS_MARKERS = (MARK, "secret_service", "slow")

_TESTS = Path(__file__).resolve().parent


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", f"{MARK}: starts processes or opens sockets (HTTPS fake, D-Bus, "
        "QtWebEngine); `make test-fast` leaves these out")


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if _is_process_test(item):
            item.add_marker(MARK)


def _is_process_test(item) -> bool:
    if any(item.get_closest_marker(name) for name in PROCESS_MARKERS):
        return True
    if PROCESS_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        return True
    try:
        where = Path(str(item.path)).resolve().relative_to(_TESTS).as_posix()
    except ValueError:
        return False
    if where in PROCESS_MODULES:
        return True
    # The test's name without parameters, and its class's, as "path::name".
    names = item.nodeid.split("::")[1:]
    names[-1] = names[-1].split("[")[0]
    return any(f"{where}::{name}" in PROCESS_TESTS for name in names)


def _fast_run(config) -> bool:
    """Whether this run leaves the process tests out (`-m "not process"`)."""
    expression = (config.getoption("markexpr", "") or "").replace(" ", "")
    return f"not{MARK}" in expression


# A library looking something up with a helper program (ctypes.util.find_library runs
# ldconfig; keyring imports it for macOS' backend) is no process a test depends on.
_ALLOWED_CALLERS = (f"ctypes{os.sep}util.py",)


class _Guard:
    """Makes starting a process or opening a socket fail the current test."""

    def __init__(self, test: str) -> None:
        self.test = test
        self.broken: list[str] = []
        self._saved: list[tuple[object, str, object, bool]] = []

    def _wrap(self, original, what, applies=lambda *args: True):
        guard = self

        def guarded(*args, **kwargs):
            stack = traceback.extract_stack()[:-1]
            if not applies(*args) or any(f.filename.endswith(_ALLOWED_CALLERS) for f in stack):
                return original(*args, **kwargs)
            message = (f"{guard.test} {what(*args)} ({_caller(stack)}), but it is not "
                       f"marked `{MARK}`: mark it, or list it in tests/split.py")
            guard.broken.append(message)
            raise OSError(message)
        return guarded

    def install(self) -> None:
        patches = [(subprocess.Popen, "_execute_child", lambda *a: "started a process",
                    lambda *a: True)]
        for name in ("fork", "forkpty", "posix_spawn", "posix_spawnp", "system",
                     "execv", "execve"):
            if hasattr(os, name):
                patches.append((os, name, lambda *a, n=name: f"started a process (os.{n})",
                                lambda *a: True))
        networked = (socket.AF_INET, socket.AF_INET6, getattr(socket, "AF_UNIX", None))
        for name in ("connect", "connect_ex", "bind"):
            patches.append((socket.socket, name,
                            lambda sock, *a, n=name: f"opened a socket ({n} {a[:1]!r})",
                            lambda sock, *a: sock.family in networked))
        for owner, name, what, applies in patches:
            original = getattr(owner, name)
            self._saved.append((owner, name, original, name in vars(owner)))
            setattr(owner, name, self._wrap(original, what, applies))

    def uninstall(self) -> None:
        for owner, name, original, own in reversed(self._saved):
            if own:
                setattr(owner, name, original)
            else:  # inherited (socket methods): inherit it again
                delattr(owner, name)
        self._saved.clear()


def _caller(stack) -> str:
    """The innermost call from the project or its tests (not the standard library or an
    installed package), for the message."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for frame in reversed(stack):
        path = Path(frame.filename)
        if (path.name == "split.py" or path.is_relative_to(stdlib)
                or "site-packages" in path.parts or not path.is_absolute()):
            continue
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            pass
        return f"{path}:{frame.lineno}"
    return "in a library"


def _children() -> set[int]:
    """This process's child processes (Linux; elsewhere nothing is known)."""
    found: set[int] = set()
    try:
        tasks = list(Path("/proc/self/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found.update(int(pid) for pid in (task / "children").read_text().split())
        except OSError:
            continue
    return found


_GUARD = pytest.StashKey["_Guard"]()
_CHILDREN = pytest.StashKey[set]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if not _fast_run(item.config) or item.get_closest_marker(MARK):
        yield
        return
    guard = _Guard(item.nodeid)
    item.stash[_GUARD] = guard
    item.stash[_CHILDREN] = _children()
    guard.install()
    try:
        yield
    finally:
        guard.uninstall()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    guard = item.stash.get(_GUARD, None)
    if guard is None:
        return
    if call.when == "teardown":
        # A process started where Python can't see it (Qt's own, QtWebEngine's renderer).
        started = _children() - item.stash[_CHILDREN]
        if started:
            guard.broken.append(f"{item.nodeid} left child processes {sorted(started)} "
                                f"running, but it is not marked `{MARK}`")
    if guard.broken:  # fail this phase, even if the code under test swallowed the error
        report = outcome.get_result()
        report.outcome = "failed"
        report.longrepr = "\n".join(dict.fromkeys(guard.broken))
        guard.broken.clear()
