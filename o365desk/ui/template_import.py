"""New connection from template: choose a file, read it off the GUI thread, preview it,
then the wizard (one connection) or create them all (several)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFileDialog, QWidget

from o365desk.core import template as tpl
from o365desk.core.text import visible
from o365desk.services import Services
from o365desk.ui import dialogs
from o365desk.ui.async_runner import TaskRunner, off_gui_thread
from o365desk.ui.message_bar import curly_quotes


def tr(text: str) -> str:
    return QCoreApplication.translate("TemplateImport", text)


def ask_open_path(parent: QWidget | None) -> str:
    """The template file to open, or "" when cancelled. Tests replace this."""
    path, _filter = QFileDialog.getOpenFileName(
        parent, tr("New connection from template"), "",
        tr("o365desk templates (*{ext});;All files (*)").format(ext=tpl.EXTENSION))
    return path


class TemplateImport(QObject):
    """`start_wizard(entry)` opens the New connection wizard with a template entry;
    `created(connections)` tells the window what was saved."""

    def __init__(self, window: QWidget, services: Services,
                 start_wizard: Callable[[tpl.TemplateEntry], None],
                 created: Callable[[list], None]) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.start_wizard = start_wizard
        self.created = created
        self.runner = TaskRunner(self)
        self.dialog = None  # the open preview

    def choose(self) -> None:
        path = ask_open_path(self.window)
        if path:
            self.open(Path(path))

    def open(self, path: Path) -> None:
        """Read and check the template at `path`, then show its preview."""
        if self.dialog is not None and dialogs.bring_forward(self.dialog):
            return
        self.runner.start(self._open(path))

    async def _open(self, path: Path) -> None:
        from o365desk.storage.store import StoreError
        from o365desk.usecases.templates import preview

        try:
            result = await off_gui_thread(preview, self.services, path)
        except (tpl.TemplateError, StoreError, ValueError) as exc:
            dialogs.inform(self.window, tr("Template can't be used"),
                           curly_quotes(visible(str(exc))),
                           tr("Ask whoever gave you the file for a corrected one. Nothing "
                              "was changed."))
            return
        from o365desk.ui.template_preview import TemplatePreviewDialog

        self.dialog = dialog = TemplatePreviewDialog(result, path.name, self.window)
        dialog.accepted.connect(lambda: self._go(result))
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(self._forget)
        dialog.open()

    def _forget(self, *_args) -> None:
        self.dialog = None

    def _go(self, result) -> None:
        if len(result.items) == 1:
            self.start_wizard(result.items[0].entry)
            return
        self.runner.start(self._create(result))

    async def _create(self, result) -> None:
        from o365desk.storage.store import StoreError
        from o365desk.usecases.templates import import_template

        try:
            saved = await off_gui_thread(import_template, self.services, result)
        except (StoreError, ValueError) as exc:
            dialogs.inform(self.window, tr("Not created"), curly_quotes(visible(str(exc))),
                           tr("Nothing was created. Open the template again to see what "
                              "changed."))
            return
        self.created(saved)
