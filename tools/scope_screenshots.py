"""Render the scope browser offscreen in its typical states and save each as a PNG.

Usage: python tools/scope_screenshots.py OUTPUT_DIR

Uses a temporary config dir, so no tenant import of the user's is shown; the tenant state
imports tests/fixtures/catalog/graph-sp-small.json.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["O365DESK_CONFIG_DIR"] = tempfile.mkdtemp(prefix="o365desk-scope-shots-")

# E402: after the environment is set. TID251: this tool is part of the GUI's tooling.
from PySide6.QtWidgets import QApplication  # noqa: E402, TID251

from o365desk.ui.scopes import open_scope_browser  # noqa: E402

SIZE = (1360, 820)
FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "catalog" / (
    "graph-sp-small.json")


def settle(app: QApplication, seconds: float = 0.15) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def fresh(app: QApplication):
    window = open_scope_browser()
    window.resize(*SIZE)
    settle(app)
    window.controller.finish_loading()
    settle(app)
    return window


def save(app: QApplication, widget, out: Path, name: str) -> None:
    settle(app)
    path = out / name
    widget.grab().save(str(path))
    print(path)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(["o365desk"])

    window = fresh(app)
    save(app, window, out, "01-tree.png")
    c = window.controller
    c.select_permission("Directory.ReadWrite.All")
    window.tree.setFocus()
    save(app, window, out, "02-tree-directory-details.png")

    window.search_edit.setText("/users/{id}/messages")
    c._on_search_return()  # noqa: SLF001 (Enter in the search box)
    save(app, window, out, "03-search-api-path.png")

    window.search_edit.setText("user read")
    save(app, window, out, "03b-search-user-read.png")

    window.search_edit.setText("zzz unknown words")
    save(app, window, out, "04-search-no-match.png")
    window.search_edit.clear()

    c.select_permission("ProgramControl.ReadWrite.All")
    save(app, window, out, "05-details-retired.png")

    window.status_combo.setCurrentIndex(window.status_combo.findData("retired"))
    save(app, window, out, "06-filter-retired.png")
    window.reset_button.click()

    c.selection.apply_preset("okta-o365-admin")
    window.tabs.setCurrentWidget(window.selection)
    save(app, window, out, "07-okta-preset.png")
    window.selection.only_flagged_button.setChecked(True)
    save(app, window, out, "07b-okta-preset-flagged.png")
    window.selection.only_flagged_button.setChecked(False)

    window.tabs.setCurrentWidget(window.export)
    save(app, window, out, "08-export-scope-string.png")
    window.export.manifest_radio.setChecked(True)
    save(app, window, out, "09-export-manifest.png")

    c.selection.model.set_items([("Mail.Send", "delegated"),
                                 ("AgentIdentity.Create.All", "delegated"),
                                 ("User.Read.All", "application")])
    save(app, window, out, "10-export-problem.png")
    c.selection.model.set_items([])
    save(app, window, out, "11-export-empty.png")
    window.tabs.setCurrentWidget(window.selection)
    save(app, window, out, "12-selection-empty.png")

    window.tabs.setCurrentWidget(window.details)
    c.start(c.import_tenant_file(FIXTURE))
    c.changes_dialog.hide()
    c.select_permission("User.Read")
    save(app, window, out, "13-tenant-wording.png")
    c.changes_dialog.show()
    save(app, c.changes_dialog, out, "14-tenant-changes.png")
    c.changes_dialog.hide()

    c.start(c.import_tenant_file(FIXTURE.with_name("not-json.json")))
    save(app, window, out, "15-tenant-error.png")
    sys.stdout.flush()
    os._exit(0)  # the pictures are saved: skip tearing down Qt


if __name__ == "__main__":
    sys.exit(main(sys.argv))
