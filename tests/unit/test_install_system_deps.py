"""tools/install-system-deps.sh with the package manager stood in for by shell stubs."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "install-system-deps.sh"


def _listed(variable: str) -> list[str]:
    """A package list as the script itself spells it."""
    return re.search(rf'^{variable}="([^"]*)"', SCRIPT.read_text(), re.M).group(1).split()


QT_LIBS = _listed("qt_libs")
KEYCHAIN = _listed("keychain")

pytestmark = pytest.mark.skipif(not Path("/etc/debian_version").exists(),
                                reason="the script only acts on Debian or Ubuntu")

# dpkg-query as Debian's behaves for these calls: a known package prints its status; a
# name it has never heard of prints nothing on stdout and fails.
DPKG_QUERY = r"""#!/bin/sh
name=$(eval echo "\${$#}")
for p in $STUB_INSTALLED; do [ "$p" = "$name" ] && { printf installed; exit 0; }; done
for p in $STUB_KNOWN; do [ "$p" = "$name" ] && { printf not-installed; exit 0; }; done
echo "dpkg-query: no packages found matching $name" >&2
exit 1
"""
APT_CACHE = r"""#!/bin/sh
for p in $STUB_AVAILABLE; do [ "$p" = "$2" ] && exit 0; done
exit 100
"""
APT_GET = r"""#!/bin/sh
echo "$*" >> "$STUB_LOG"
"""
ID = r"""#!/bin/sh
echo "$STUB_UID"
"""


def _run(tmp_path, purpose="run", installed=(), known=(), available=(), uid=0):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, text in (("dpkg-query", DPKG_QUERY), ("apt-cache", APT_CACHE),
                       ("apt-get", APT_GET), ("id", ID)):
        stub = bin_dir / name
        stub.write_text(text)
        stub.chmod(0o755)
    log = tmp_path / "apt-get.log"
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "STUB_LOG": str(log), "STUB_UID": str(uid),
           "STUB_INSTALLED": " ".join(installed), "STUB_KNOWN": " ".join(known),
           "STUB_AVAILABLE": " ".join(available), "HOME": os.environ.get("HOME", "/tmp")}
    result = subprocess.run(["bash", str(SCRIPT), purpose], capture_output=True, text=True,
                            env=env, timeout=60)
    calls = log.read_text().splitlines() if log.exists() else []
    return result, calls


def test_all_installed_says_nothing_and_installs_nothing(tmp_path):
    result, calls = _run(tmp_path, "test", installed=QT_LIBS + KEYCHAIN)
    assert (result.returncode, result.stdout, result.stderr, calls) == (0, "", "", [])


def test_a_library_installed_under_its_t64_name_counts_as_installed(tmp_path):
    installed = [p for p in QT_LIBS if p != "libasound2"] + ["libasound2t64"]
    result, calls = _run(tmp_path, installed=installed, available=["libasound2t64"])
    assert (result.returncode, result.stdout, result.stderr, calls) == (0, "", "", [])


def test_a_known_but_removed_package_is_missing(tmp_path):
    installed = [p for p in QT_LIBS if p != "libgbm1"]
    result, calls = _run(tmp_path, installed=installed, known=["libgbm1"],
                         available=["libgbm1"])
    assert calls == ["install -y -q --no-install-recommends libgbm1"]


def test_as_root_only_what_is_really_missing_is_installed(tmp_path):
    installed = [p for p in QT_LIBS if p not in ("libxcb-cursor0", "libasound2")]
    installed += ["libasound2t64"]
    result, calls = _run(tmp_path, "test", installed=installed + KEYCHAIN,
                         available=["libxcb-cursor0", "libasound2t64"])
    assert result.returncode == 0, result.stderr
    assert calls == ["install -y -q --no-install-recommends libxcb-cursor0"]
    assert result.stdout == "install-system-deps: installing libxcb-cursor0\n"


def test_a_missing_t64_library_is_installed_by_the_name_the_archive_has(tmp_path):
    installed = [p for p in QT_LIBS if p != "libasound2"]
    result, calls = _run(tmp_path, installed=installed, available=["libasound2t64"])
    assert calls == ["install -y -q --no-install-recommends libasound2t64"]


def test_a_non_root_user_is_told_the_sudo_line_for_just_the_missing_one(tmp_path):
    installed = [p for p in QT_LIBS if p != "libxcb-cursor0"]
    result, calls = _run(tmp_path, installed=installed, available=["libxcb-cursor0"],
                         uid=1000)
    assert result.returncode == 0 and calls == [] and result.stdout == ""
    assert result.stderr.splitlines() == [
        "install-system-deps: missing Debian packages: libxcb-cursor0",
        "  install them with: sudo apt-get install libxcb-cursor0",
    ]


def test_the_keychain_packages_are_asked_for_only_for_the_tests(tmp_path):
    result, calls = _run(tmp_path, "run", installed=QT_LIBS)
    assert calls == [] and result.stdout == ""
    result, calls = _run(tmp_path, "test", installed=QT_LIBS + ["dbus"],
                         available=KEYCHAIN)
    assert calls == ["install -y -q --no-install-recommends gnome-keyring dbus-x11 "
                     "libsecret-tools"]
