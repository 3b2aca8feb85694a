"""The moment every start-up figure is taken: the first frame has been painted in full.

A window's first Paint event arrives before its children paint; a zero timer started
there fires once the whole frame (list, header, toolbar) has been painted and flushed.
The baselines use this, and `o365desk --smoke` takes the same moment (o365desk/app.py).
"""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from o365desk.core.procstart import first_paint_line


class FirstFrame(QObject):
    """Prints the "first paint: ..." line on stderr once the first frame is done; quits."""

    def __init__(self, window) -> None:
        super().__init__(window)
        window.installEventFilter(self)

    def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        print(first_paint_line(), file=sys.stderr, flush=True)
        QApplication.quit()
