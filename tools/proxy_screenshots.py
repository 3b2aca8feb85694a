"""Render the proxy sign-in question, offscreen, in every palette (light and dark).

Usage: python tools/proxy_screenshots.py OUTPUT_DIR

Shots: the first question, one with a typed user name and password, the question after
the proxy refused an answer, and the question for a proxy the sign-in page met that is
known by its host only (the web engine names no port).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.*
from shot_runner import isolated_home, run_async_tool  # noqa: E402 (beside this script)

isolated_home()

from PySide6.QtWidgets import QApplication  # noqa: E402, TID251

from o365desk.ui.proxy_auth_dialog import ProxyAuthDialog  # noqa: E402
from tests.ui.palettes import PALETTES, make_palette  # noqa: E402


async def main(out: Path) -> None:
    app = QApplication.instance()
    first = ProxyAuthDialog("proxy.contoso.example:3128")
    typed = ProxyAuthDialog("proxy.contoso.example:3128")
    typed.username.setText("CONTOSO\\ann.smith")
    typed.password.setText("not a real password")
    refused = ProxyAuthDialog("proxy.contoso.example:3128", "CONTOSO\\ann.smith", True)
    by_host = ProxyAuthDialog("webproxy.contoso.example")
    for dialog in (first, typed, refused, by_host):
        dialog.show()
    for palette in PALETTES:
        app.setPalette(make_palette(app, palette))
        await asyncio.sleep(0.2)
        app.processEvents()
        for name, dialog in (("first", first), ("typed", typed), ("refused", refused),
                             ("by-host", by_host)):
            dialog.grab().save(str(out / f"proxy-{name}-{palette}.png"))


if __name__ == "__main__":
    sys.exit(run_async_tool(main, Path(sys.argv[1])))
