"""A damaged connections.json in a folder o365desk may not change: the person is told the
file is damaged, where it is, and that it stays put because the folder is read-only."""

from __future__ import annotations

import errno
import os
import shlex
import subprocess
import sys
from pathlib import Path

import filelock
import pytest

from o365desk.core.connection import Connection
from o365desk.storage.store import ConnectionStore, ReadOnlyError

CUT_OFF = '{"schema_version": 1, "conn'


def run_in_read_only_folder(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """Run o365desk with `folder` really read-only. Root ignores folder permissions, so as
    root the folder is bind-mounted read-only in a private mount namespace (the rest of the
    machine never sees it); as anyone else the folder's write permission is taken away."""
    command = [sys.executable, "-m", "o365desk", *args]
    if os.geteuid() == 0:
        quoted = shlex.quote(str(folder))
        script = f"mount --bind -o ro {quoted} {quoted} && exec {shlex.join(command)}"
        command = ["unshare", "--mount", "sh", "-c", script]
        return subprocess.run(command, capture_output=True, text=True, timeout=120,
                              env=os.environ.copy())
    folder.chmod(0o500)
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=120,
                              env=os.environ.copy())
    finally:
        folder.chmod(0o700)


@pytest.mark.process
def test_list_and_add_say_the_file_is_damaged_and_stays_because_the_folder_is_read_only(
        config_dir):
    config_dir.mkdir(parents=True)
    path = config_dir / "connections.json"
    path.write_text(CUT_OFF)
    for args in (["list"], ["add", "Payroll", "--tenant", "contoso.onmicrosoft.com"]):
        done = run_in_read_only_folder(config_dir, *args)
        assert "Traceback" not in done.stderr, done.stderr
        assert "could not lock" not in done.stderr
        assert "because the file is cut off part-way" in done.stderr
        assert f"The damaged file is {path}" in done.stderr
        expected = "is read-only" if os.geteuid() == 0 else "you may not change files"
        assert "could not move it out of the way because" in done.stderr
        assert expected in done.stderr, done.stderr
    assert done.returncode == 1  # the add was refused
    assert path.read_text() == CUT_OFF
    assert sorted(p.name for p in config_dir.iterdir()) == ["connections.json"]


def test_a_lock_refused_by_a_read_only_file_system_is_reported_as_the_files_damage(
        config_dir, monkeypatch):
    # The OS error a read-only file system gives, injected where the lock file is opened.
    def read_only(self, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(self.lock_file))

    monkeypatch.setattr(filelock.FileLock, "acquire", read_only)
    config_dir.mkdir(parents=True)
    path = config_dir / "connections.json"
    path.write_text(CUT_OFF)
    store = ConnectionStore(path)
    assert store.load() == [] and store.read_only
    (notice,) = store.notices
    assert "cut off part-way" in notice and str(path) in notice
    assert f"its folder {config_dir} is read-only" in notice
    assert "could not lock" not in notice
    with pytest.raises(ReadOnlyError, match="damaged and could not be moved out of the way"):
        store.add(Connection(nickname="Payroll"))
    assert path.read_text() == CUT_OFF


def test_a_lock_refused_for_a_file_that_is_fine_still_says_it_could_not_lock(
        config_dir, monkeypatch):
    def read_only(self, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(self.lock_file))

    config_dir.mkdir(parents=True)
    path = config_dir / "connections.json"
    store = ConnectionStore(path)
    store.add(Connection(nickname="Payroll"))
    monkeypatch.setattr(filelock.FileLock, "acquire", read_only)
    assert [c.nickname for c in ConnectionStore(path).load()] == ["Payroll"]
    with pytest.raises(Exception, match="could not lock"):
        ConnectionStore(path).add(Connection(nickname="Other"))
