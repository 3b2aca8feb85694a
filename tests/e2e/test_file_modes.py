"""Every folder o365desk makes is 0700 and every file 0600, even under `umask 000`."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from o365desk.core import paths
from o365desk.storage import atomic

FIXTURES = Path(__file__).parent.parent / "fixtures" / "catalog"


def o365desk(*args: str) -> subprocess.CompletedProcess:
    """Run a real command with the most permissive umask there is."""
    return subprocess.run(
        [sys.executable, "-m", "o365desk", *args], capture_output=True, text=True,
        timeout=120, env=os.environ.copy(), preexec_fn=lambda: os.umask(0),
    )


def modes_under(root: Path) -> dict[str, str]:
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            found[str(path.relative_to(root))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


@pytest.mark.process
def test_commands_under_umask_000_make_only_owner_only_folders_and_files(tmp_path,
                                                                          monkeypatch):
    # The config dir is not overridden here: the platform's folders are made, parents too.
    monkeypatch.delenv(paths.CONFIG_ENV)
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(var, str(home / "xdg" / sub))
    monkeypatch.setenv("HOME", str(home))
    for args in (["add", "Payroll", "--tenant", "contoso.onmicrosoft.com"],
                 ["add", "Other", "--tenant", "fabrikam.onmicrosoft.com"],
                 ["list"], ["rename", "Other", "Other two"],
                 ["scopes", "--import-tenant", str(FIXTURES / "graph-sp-small.json")],
                 ["scopes", "--preset", "mail-automation", "--manifest"],
                 ["doctor"]):
        done = o365desk(*args)
        assert "Traceback" not in done.stderr, (args, done.stderr)
    # A damaged file (made by hand, readable by all) is moved aside owner-only.
    connections = home / "xdg" / "config" / "o365desk" / "connections.json"
    connections.write_text("{ damaged")
    connections.chmod(0o644)
    assert "kept unchanged at" in o365desk("list").stderr
    o365desk("add", "After", "--tenant", "contoso.onmicrosoft.com")

    # Not the cache folder: doctor's web engine check starts Chromium, whose GPU shader
    # cache (Mesa's, 0755) is not o365desk's to make.
    found = {f"{sub}/{p}": m for sub in ("config", "data", "state")
             for p, m in modes_under(home / "xdg" / sub).items()}
    found |= {sub: oct(stat.S_IMODE((home / "xdg" / sub).stat().st_mode))
              for sub in ("config", "data") if (home / "xdg" / sub).exists()}
    names = {Path(p).name for p in found}
    # What these commands are expected to have written: the check below covers them.
    assert {"connections.json", "connections.json.lock", "o365desk.log"} <= names, found
    assert any(n.startswith("connections.json.corrupt-") for n in names), found
    assert any("tenant" in n for n in names), found
    wrong = {p: m for p, m in found.items()
             if m != ("0o700" if (home / "xdg" / p).is_dir() else "0o600")}
    assert wrong == {}


def test_make_private_dir_makes_each_missing_level_owner_only(tmp_path):
    old = os.umask(0)
    try:
        made = paths.make_private_dir(tmp_path / "a" / "b" / "c")
    finally:
        os.umask(old)
    assert made.is_dir()
    for folder in (tmp_path / "a", tmp_path / "a" / "b", made):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    paths.make_private_dir(made)  # already there: fine
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileExistsError):
        paths.make_private_dir(tmp_path / "file")


def test_a_file_moved_aside_becomes_owner_only(tmp_path):
    source = tmp_path / "connections.json"
    source.write_text("{")
    source.chmod(0o666)
    target = tmp_path / "kept"
    atomic.move_aside(source, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_the_keychain_lock_and_its_folder_are_owner_only_under_umask_000(config_dir):
    from o365desk.storage.vault import MSAL_CACHE, Vault
    from tests.fakes.memory_keyring import MemoryKeyring

    old = os.umask(0)
    try:
        Vault(MemoryKeyring()).set("6b0f8f5e-8a51-4b8e-9d0c-3f1d2a7c9e10", MSAL_CACHE, "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(config_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((config_dir / "vault.lock").stat().st_mode) == 0o600


def test_a_log_file_left_readable_by_all_is_made_owner_only(tmp_path):
    from o365desk.auth.logfile import PrivateRotatingFileHandler

    path = tmp_path / "o365desk.log"
    path.write_text("from an older o365desk\n")
    path.chmod(0o666)
    handler = PrivateRotatingFileHandler(path, maxBytes=1000, backupCount=1, encoding="utf-8")
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_text().startswith("from an older o365desk")  # appended to, not lost
    finally:
        handler.close()
