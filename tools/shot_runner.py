"""Runs an async screenshot script on a qasync loop over an offscreen QApplication."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path


def isolated_home() -> Path:
    """Point HOME, the XDG dirs and o365desk's config at a new temp folder (nothing real
    is touched) and Qt at the offscreen platform; call before PySide6 is imported."""
    home = Path(tempfile.mkdtemp(prefix="o365desk-shots-home-"))
    os.environ.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                      XDG_CACHE_HOME=str(home / ".cache"), XDG_DATA_HOME=str(home / ".local"),
                      O365DESK_CONFIG_DIR=str(home / "config"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    return home


def run_async_tool(main: Callable[[Path], Awaitable[None]], out: Path, *,
                   quit_on_last_window_closed: bool = True) -> int:
    """Create `out`, then run `main(out)` to completion with Qt and asyncio together."""
    import qasync  # after PySide6: qasync binds to the Qt it finds imported
    from PySide6.QtWidgets import QApplication

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    # Tools that close one window and open the next must not end with the first.
    app.setQuitOnLastWindowClosed(quit_on_last_window_closed)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main(out))
    return 0
