"""Render token health in the main window, light and dark, as PNGs: the Health column with
a sign-in lapsing, one ended, an app secret expiring; the details pane's refresh and lapse
rows; the "Needs attention only" filter (some, and none); the bar a refused keep-alive
refresh shows; and the words the tray notification gets from the notifier, drawn in a
frame like the tray's (the offscreen platform has no tray); the window over a window.ini
saved before the Health column.

Usage: python tools/health_screenshots.py OUTPUT_DIR

Connections are written to a temporary store with an in-memory keychain, under temporary
HOME and config dirs: nothing real is touched.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.fakes
from shot_runner import isolated_home, run_async_tool  # noqa: E402 (beside this script)

_HOME = isolated_home()

# E402: after the environment is set. TID251: this tool is part of the GUI's tooling.
from PySide6.QtCore import Qt  # noqa: E402, TID251
from PySide6.QtWidgets import (  # noqa: E402, TID251
    QApplication,
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
from o365desk.services import Services  # noqa: E402
from o365desk.storage.store import ConnectionStore  # noqa: E402
from o365desk.storage.vault import MSAL_CACHE, Vault  # noqa: E402
from o365desk.ui.health_notifier import HealthNotifier, NotifiedLog  # noqa: E402
from o365desk.ui.main_controller import MainController  # noqa: E402
from o365desk.ui.main_window import MainWindow  # noqa: E402
from o365desk.usecases.health import KeepAliveOutcome  # noqa: E402
from tests.fakes.memory_keyring import MemoryKeyring  # noqa: E402
from tests.ui.palettes import make_palette  # noqa: E402


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


async def both(widget, out: Path, name: str) -> None:
    app = QApplication.instance()
    for palette in ("light", "dark"):
        app.setPalette(make_palette(app, palette))
        await asyncio.sleep(0.2)
        QApplication.processEvents()
        widget.grab().save(str(out / f"{name}-{palette}.png"))
        print(out / f"{name}-{palette}.png")
    app.setPalette(make_palette(app, "light"))


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
    keyring = MemoryKeyring()
    services = Services(ConnectionStore(_HOME / "config" / "connections.json"),
                        vault_factory=lambda: Vault(keyring))
    for conn in connections():
        services.store.add(conn)
        if conn.account is not None:
            services.vault().set(conn.id, MSAL_CACHE, json.dumps(cache_for(conn)))
    window = MainWindow()
    controller = MainController(window, services)
    controller.load()
    window.resize(1180, 760)
    window.show()
    controller.start_keychain_check()
    await asyncio.sleep(0.5)
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
    # A keep-alive refresh Microsoft refused: the bar the window shows once.
    ended = services.store.find("Legal hold")
    controller.keep_alive_notice.show_refused([KeepAliveOutcome(
        ended, False, health.refresh_failure_words(ended).removeprefix(
            "Its last refresh failed. ") + " " + health.SIGN_IN_AGAIN, "AADSTS50173")])
    controller.select(services.store.find("Helpdesk").id)
    await both(window, out, "health-keep-alive-refused")
    window.keep_alive_bar.hide()
    # The tray notification: what the notifier hands the tray, word for word, drawn in a
    # frame like the tray's (the offscreen platform has no tray to grab).
    now = utcnow()
    found = [(c, health.assess(c, now)) for c in services.store.connections]
    for name, shown in (("one", found[:1]), ("several", found)):
        tray = RecordingTray()
        HealthNotifier(tray, NotifiedLog(_HOME / f"notified-{name}.json")).notify(shown, now)
        (title, message), = tray.shown
        await both(notification_frame(title, message), out, f"health-notification-{name}")
    window.close()
    await old_layout(services, out)


async def old_layout(services: Services, out: Path) -> None:
    """The window opened over a window.ini from before the Health column (six columns)."""
    from PySide6.QtGui import QStandardItemModel  # noqa: TID251
    from PySide6.QtWidgets import QHeaderView, QTableView  # noqa: TID251

    from o365desk.ui.main_window import window_settings

    old = QTableView()
    old.setModel(QStandardItemModel(0, 6))
    header = old.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionsMovable(True)
    old.resize(1100, 200)
    old.show()
    for column, width in enumerate((130, 200, 190, 70, 120, 90)):
        old.setColumnWidth(column, width)
    await asyncio.sleep(0.1)
    settings = window_settings()
    settings.remove("window/columns")
    settings.setValue("window/header", header.saveState())
    settings.sync()
    old.close()
    window = MainWindow()
    controller = MainController(window, services)
    controller.load()
    window.resize(1180, 760)
    window.show()
    await asyncio.sleep(0.3)
    await both(window, out, "health-old-window-ini")
    window.close()


class RecordingTray:
    """Takes what HealthNotifier shows, as QSystemTrayIcon.showMessage would."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def showMessage(self, title, message, _icon, _msecs) -> None:  # noqa: N802 (Qt's name)
        self.shown.append((title, message))


if __name__ == "__main__":
    sys.exit(run_async_tool(main, Path(sys.argv[1] if len(sys.argv) > 1 else "shots")))
