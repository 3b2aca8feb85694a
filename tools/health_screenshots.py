"""Render token health in the main window, light and dark, as PNGs: the Health column with
a sign-in lapsing, one ended, an app secret expiring; the details pane's refresh and lapse
rows; the "Needs attention only" filter (some, and none); and the words of the tray
notification, drawn in a frame like the tray's (the offscreen platform has no tray).

Usage: python tools/health_screenshots.py OUTPUT_DIR

Connections are written to a temporary store with an in-memory keychain, under temporary
HOME and config dirs: nothing real is touched.
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.fakes
from shot_runner import (  # noqa: E402 (beside this script)
    isolated_home,
    memory_services,
    open_main_window,
    run_async_tool,
)
from shot_runner import light_and_dark as both  # noqa: E402

_HOME = isolated_home()

# E402: after the environment is set. TID251: this tool is part of the GUI's tooling.
from PySide6.QtCore import Qt  # noqa: E402, TID251
from PySide6.QtWidgets import (  # noqa: E402, TID251
    QFrame,
    QHBoxLayout,
    QLabel,
    QStyle,
    QVBoxLayout,
)

from o365desk.core import health  # noqa: E402
from o365desk.core.connection import (  # noqa: E402
    Account,
    Connection,
    Credential,
    CredentialType,
    Kind,
    utcnow,
)
from o365desk.storage.vault import MSAL_CACHE  # noqa: E402
from o365desk.ui.health_notifier import combined  # noqa: E402
from o365desk.ui.message_bar import curly_quotes  # noqa: E402


def connections() -> list[Connection]:
    now = utcnow()

    def person(nickname: str, days_ago: int, **kwargs) -> Connection:
        return Connection(nickname, tenant="contoso.onmicrosoft.com", scopes=("User.Read",),
                          account=Account(f"admin@{nickname.split()[0].lower()}.com",
                                          f"{nickname}.tid", "tid"),
                          last_used_at=now - timedelta(days=days_ago),
                          last_refreshed_at=now - timedelta(days=days_ago, hours=2), **kwargs)

    return [
        person("Payroll", 85, description="The payroll team's mailbox exports"),
        person("Helpdesk", 3),
        person("Legal hold", 12, refresh_failure="AADSTS50173"),
        Connection("Nightly export", tenant="contoso.onmicrosoft.com", kind=Kind.APP_ONLY,
                   client_id="7d3f0b6a-1c2e-4d5f-8a9b-0c1d2e3f4a5b",
                   scopes=("User.Read.All",), credential=Credential(
                       CredentialType.SECRET, now + timedelta(days=5, hours=3))),
        Connection("New starter", tenant="fabrikam.com", scopes=("User.Read",)),
    ]


def cache_for(conn: Connection) -> dict:
    """An MSAL cache as the vault keeps it: the account, a refresh token and an access
    token an hour long, fetched at the connection's last refresh."""
    home = conn.account.home_account_id
    fetched = int((conn.last_refreshed_at or utcnow()).timestamp())
    expires = max(fetched, int(utcnow().timestamp()) - 600) + 3600
    return {"Account": {"a": {"home_account_id": home, "username": conn.account.username}},
            "RefreshToken": {"r": {"home_account_id": home, "secret": "x"}},
            "AccessToken": {"t": {"home_account_id": home, "target": "User.Read",
                                  "cached_at": str(fetched), "expires_on": str(expires),
                                  "secret": ""}}}


def notification_frame(title: str, message: str) -> QFrame:
    """The tray notification's title and words, as a desktop draws such a bubble."""
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setFixedWidth(420)
    icon = QLabel(frame)
    icon.setPixmap(frame.style().standardIcon(
        QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(32, 32))
    icon.setAlignment(Qt.AlignmentFlag.AlignTop)
    heading = QLabel(title, frame)
    font = heading.font()
    font.setBold(True)
    heading.setFont(font)
    body = QLabel(message, frame)
    body.setWordWrap(True)
    words = QVBoxLayout()
    words.addWidget(heading)
    words.addWidget(body)
    row = QHBoxLayout(frame)
    row.addWidget(icon)
    row.addLayout(words, 1)
    frame.adjustSize()
    return frame


async def main(out: Path) -> None:
    services = memory_services(_HOME)
    for conn in connections():
        services.store.add(conn)
        if conn.account is not None:
            services.vault().set(conn.id, MSAL_CACHE, json.dumps(cache_for(conn)))
    window, controller = await open_main_window(services, 1180, 760)
    for column, width in enumerate((110, 160, 170, 60, 110, 90)):
        window.table.setColumnWidth(column, width)
    controller.select(services.store.find("Payroll").id)
    await both(window, out, "health-list-payroll")
    controller.select(services.store.find("Legal hold").id)
    await both(window, out, "health-list-ended")
    window.attention_check.setChecked(True)
    await both(window, out, "health-attention-only")
    window.attention_check.setChecked(False)
    window.table.sortByColumn(6, Qt.SortOrder.AscendingOrder)
    await both(window, out, "health-sorted")
    now = utcnow()
    found = [(c, health.assess(c, now)) for c in services.store.connections]
    due = health.notices_due(found, now, {})
    one = notification_frame(due[0].title, curly_quotes(due[0].message))
    await both(one, out, "health-notification-one")
    title, message = combined(due)
    many = notification_frame(title, curly_quotes(message))
    await both(many, out, "health-notification-several")
    window.close()


if __name__ == "__main__":
    sys.exit(run_async_tool(main, Path(sys.argv[1] if len(sys.argv) > 1 else "shots")))
