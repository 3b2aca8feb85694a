"""Render the main window offscreen in its typical states and save each as a PNG.

Usage: python tools/screenshots.py OUTPUT_DIR

Each state gets its own temporary config dir, the real connection store, and a keychain
state set directly (no keychain is opened), so the pictures are the same on every machine.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# E402: after the platform is chosen. TID251: this tool is part of the GUI's tooling.
from PySide6.QtCore import QCoreApplication  # noqa: E402, TID251
from PySide6.QtWidgets import QApplication  # noqa: E402, TID251

from o365desk.core.clouds import Cloud  # noqa: E402
from o365desk.core.connection import Account, Connection, Kind, utcnow  # noqa: E402
from o365desk.services import KeychainState, Services  # noqa: E402
from o365desk.storage.store import ConnectionStore  # noqa: E402
from o365desk.storage.vault import LOCKED_MESSAGE, VaultUnavailable  # noqa: E402
from o365desk.ui.main_controller import MainController  # noqa: E402
from o365desk.ui.main_window import MainWindow  # noqa: E402

SIZE = (1180, 660)
GNOME = KeychainState("GNOME Keyring (Secret Service)", True)
LOCKED = KeychainState(
    "GNOME Keyring (Secret Service)",
    False,
    LOCKED_MESSAGE,
    "keyring.errors.KeyringLocked: Failed to unlock the collection!",
)


def _account(user: str) -> Account:
    return Account(user, f"uid.{user}", "6e1c3d4b-1f2a-4b5c-8d9e-0a1b2c3d4e5f")


def five_connections() -> list[Connection]:
    now = utcnow()
    return [
        Connection(
            nickname="Contoso Production",
            description="Main tenant: users, licences and groups for the Contoso head office.",
            tenant="contoso.onmicrosoft.com",
            account=_account("admin@contoso.onmicrosoft.com"),
            scopes=("User.ReadWrite.All", "Group.ReadWrite.All", "Directory.Read.All"),
            created_at=now - timedelta(days=40),
            last_used_at=now - timedelta(minutes=5),
        ),
        Connection(
            nickname="Fabrikam Helpdesk",
            tenant="fabrikam.com",
            account=_account("helpdesk@fabrikam.com"),
            scopes=("User.Read.All",),
            created_at=now - timedelta(days=12),
            last_used_at=now - timedelta(hours=2),
        ),
        Connection(
            nickname="Northwind GCC High",
            tenant="northwind.onmicrosoft.us",
            cloud=Cloud.USGOV,
            account=_account("it-admin@northwind.onmicrosoft.us"),
            created_at=now - timedelta(days=90),
            last_used_at=now - timedelta(days=3),
        ),
        Connection(
            nickname="Woodgrove Bank (China)",
            tenant="woodgrove.partner.onmschina.cn",
            cloud=Cloud.CHINA,
            created_at=now - timedelta(days=1),
        ),
        Connection(
            nickname="Tailspin test tenant",
            tenant="8f4e2a10-3b7c-4d5e-9f60-1a2b3c4d5e6f",
            kind=Kind.APP_ONLY,
            scopes=("https://graph.microsoft.com/.default",),
            created_at=now - timedelta(days=200),
            last_used_at=now - timedelta(days=1, hours=2),
        ),
    ]


KINDS = ("Retail", "Legal", "Clinic", "School")


def many_connections(count: int = 200) -> list[Connection]:
    now = utcnow()
    clouds = list(Cloud)
    result = []
    for n in range(1, count + 1):
        signed_in = n % 3 != 0
        result.append(
            Connection(
                nickname=f"Customer {n:03d} \u2013 {KINDS[n % 4]}",
                tenant=f"customer{n:03d}.onmicrosoft.com",
                cloud=clouds[n % 7 == 0 and n % len(clouds) or 0],
                account=_account(f"admin@customer{n:03d}.onmicrosoft.com") if signed_in else None,
                last_used_at=now - timedelta(minutes=n * 37) if n % 5 else None,
            )
        )
    return result


def _no_vault():
    raise VaultUnavailable("Screenshots do not open a keychain.")


def _settle(app: QApplication, seconds: float = 0.15) -> None:
    # A grab right after show() can be blank or half-laid-out: let events run a while.
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def scene(
    app, out: Path, name: str, connections, keychain=GNOME, prepare=None, size=SIZE,
    hand_edit=None,
) -> Path:
    with tempfile.TemporaryDirectory(prefix="o365desk-shot-") as tmp:
        os.environ["O365DESK_CONFIG_DIR"] = tmp
        store = ConnectionStore(Path(tmp) / "connections.json")
        for conn in connections:
            store.add(conn)
        if hand_edit is not None:  # what someone typed into the file since
            path = Path(tmp) / "connections.json"
            document = json.loads(path.read_text(encoding="utf-8"))
            hand_edit(document["connections"])
            path.write_text(json.dumps(document), encoding="utf-8")
            store = ConnectionStore(path)
        services = Services(store, vault_factory=_no_vault)
        window = MainWindow()
        controller = MainController(window, services)
        controller.load()
        window.resize(*size)
        window.show()
        if keychain is not None:
            controller.apply_keychain_state(keychain)
        if prepare is not None:
            prepare(window, controller)
        _settle(app)
        path = out / f"{name}.png"
        window.grab().save(str(path))
        window.close()
        window.deleteLater()
        _settle(app, 0.02)
    return path


def _select(nickname: str):
    def prepare(window, controller):
        proxy = controller.proxy
        for row in range(proxy.rowCount()):
            if proxy.index(row, 0).data() == nickname:
                window.table.selectRow(row)

    return prepare


def _rename_error(window, controller):
    _select("Fabrikam Helpdesk")(window, controller)
    index = window.table.selectionModel().selectedRows(0)[0]
    controller.proxy.setData(index, "contoso production")


def _hand_edited(entries: list[dict]) -> None:
    """A plain-http Graph endpoint on one connection (damaged: never used) and escape
    sequences in another's description (shown as escapes, never obeyed)."""
    entries[1]["graph_endpoint"] = "http://127.0.0.1:8080"
    entries[0]["description"] = "Production \x1b]0;pwned\x07\x1b[2J tenant \u202eevil"


def _filtered(window, controller):
    window.filter_edit.setText("gcc")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(argv[:1])
    QCoreApplication.setOrganizationName("o365desk")
    shots = [
        scene(app, out, "1-empty", [], keychain=None),
        scene(app, out, "2-five", five_connections(), prepare=_select("Contoso Production")),
        scene(app, out, "3-two-hundred", many_connections()),
        scene(app, out, "4-keychain-unavailable", five_connections(), keychain=LOCKED,
              prepare=_select("Contoso Production")),
        scene(app, out, "5-rename-error", five_connections(), prepare=_rename_error),
        scene(app, out, "6-filtered", five_connections(), prepare=_filtered),
        scene(app, out, "7-small-window", five_connections(), keychain=LOCKED, size=(800, 560)),
        scene(app, out, "8-damaged", five_connections(), prepare=_select("Fabrikam Helpdesk"),
              hand_edit=_hand_edited),
        scene(app, out, "9-outside-text", five_connections(),
              prepare=_select("Contoso Production"), hand_edit=_hand_edited),
    ]
    for shot in shots:
        print(shot)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
