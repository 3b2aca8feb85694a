"""Help > Open log folder: the folder with o365desk's log, in the file manager."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication

from o365desk.core import paths
from o365desk.ui.dialogs import printable


def log_folder() -> Path:
    from o365desk.auth.redact import default_log_file

    return default_log_file().parent


def open_log_folder(show_error: Callable[[str, str], None]) -> bool:
    """Open the log folder (made first if missing, owner-only); when that can't be done,
    say so through `show_error(text, detail)` with the path, which goes to the clipboard."""
    def tr(text: str) -> str:
        return QCoreApplication.translate("LogFolder", text)

    folder = log_folder()
    try:
        paths.make_private_dir(folder)
    except OSError as exc:
        problem = tr("The log folder could not be made ({reason}).").format(
            reason=printable(exc.strerror or str(exc)))
        detail = f"{type(exc).__name__}: {exc}"
    else:
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            return True
        problem = tr("No file manager opened the log folder.")
        detail = ""
    QGuiApplication.clipboard().setText(str(folder))
    show_error(tr("{problem} It is {path}; the path is copied, so you can open it yourself "
                  "or send it to your IT contact.").format(problem=problem,
                                                          path=printable(str(folder))), detail)
    return False
