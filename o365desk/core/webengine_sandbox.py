"""Whether the embedded sign-in's web engine (Chromium, in QtWebEngine) may start here.

As root, Chromium refuses to start with its sandbox on, and it does so by ending the whole
process. o365desk never switches the sandbox off by itself (the sign-in page shows pages
from the internet); it asks here first and, as root, signs in another way unless whoever
started o365desk switched the sandbox off on purpose.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

DISABLE_ENV = "QTWEBENGINE_DISABLE_SANDBOX"
FLAGS_ENV = "QTWEBENGINE_CHROMIUM_FLAGS"
_NO_SANDBOX = "--no-sandbox"


def running_as_root() -> bool:
    """Whether this process runs as root (POSIX; never on Windows)."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid is not None and geteuid() == 0


def sandbox_switched_off(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the environment turns Chromium's sandbox off, as QtWebEngine reads it:
    QTWEBENGINE_DISABLE_SANDBOX set (to anything), or --no-sandbox among the flags."""
    env = os.environ if environ is None else environ
    if DISABLE_ENV in env:
        return True
    flags = env.get(FLAGS_ENV, "").split()
    return any(flag == _NO_SANDBOX or flag.startswith(_NO_SANDBOX + "=") for flag in flags)


def embedded_view_refused(environ: Mapping[str, str] | None = None) -> bool:
    """True where creating the web engine would end the process: root, sandbox on."""
    return running_as_root() and not sandbox_switched_off(environ)


def refusal_detail() -> str:
    """What IT needs to know, for "details for IT" and the log."""
    return (f"running as root (effective user ID 0) without {DISABLE_ENV} or {_NO_SANDBOX} "
            f"in {FLAGS_ENV}, where Chromium ends the whole process rather than start")
