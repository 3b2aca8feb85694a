"""An inline, non-modal message strip for the top of a window (info, warning or error)."""

from __future__ import annotations

import enum
import re

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStatusBar,
    QToolButton,
)

from o365desk.core.text import visible


class StatusBar(QStatusBar):
    """The window's status bar. Its messages name connections as the file holds them: any
    control or bidi character in them is shown as an escape, never drawn as it is."""

    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 (Qt's name)
        super().showMessage(visible(text), timeout)


class Level(enum.Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


# A pair of straight double quotes in a message from below the UI (shared with the CLI,
# which keeps them): the window shows curly ones, as in all its own text.
_STRAIGHT_QUOTED = re.compile(r'"([^"\n]*)"')


def curly_quotes(text: str) -> str:
    return _STRAIGHT_QUOTED.sub("\u201c\\1\u201d", text)


class MessageBar(QFrame):
    """A sentence the user can act on, with optional buttons and a close button."""

    shown = Signal()  # a message was shown (a group then hides the other bars of its kind)

    def __init__(self, level: Level, accessible_name: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setAccessibleName(accessible_name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._icon = QLabel(self)
        self._icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # a file's or server's words, never HTML
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.close_button = QToolButton(self)
        self.close_button.setText("\u2715")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(self.tr("Dismiss this message"))
        self.close_button.setAccessibleName(self.tr("Dismiss message"))
        self.close_button.clicked.connect(self.dismiss)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(10, 6, 6, 6)
        self._layout.addWidget(self._icon)
        self._layout.addWidget(self.label, 1)
        self._buttons = QHBoxLayout()
        self._layout.addLayout(self._buttons)
        self._layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.level = level
        self._styled: Level | None = None  # the level the colours and icon show
        self.hide()
        from o365desk.ui import colors

        colors.watcher().changed.connect(self._on_palette_changed)

    def set_level(self, level: Level) -> None:
        self.level = level
        if not self.isHidden():
            self._apply_level()

    def setVisible(self, visible: bool) -> None:
        # Colours and icon wait until the bar is shown: most bars are never shown, and the
        # first style call loads QStyle's enums, ~5 ms before the main window's first paint.
        appears = visible and self.isHidden()
        if visible:
            self._apply_level()
        super().setVisible(visible)
        if appears:
            self._announce()

    def _announce(self) -> None:
        """Tell screen readers the bar has something to say: an alert (as a message box
        sends), and its text as an announcement, which they read out at once."""
        if not QAccessible.isActive():
            return
        QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))
        if self.label.text():
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(
                self, self.label.text()))

    def _on_palette_changed(self) -> None:
        self._styled = None  # the colours come from the palette: pick them again
        if not self.isHidden():
            self._apply_level()

    def _apply_level(self) -> None:
        if self._styled == self.level:
            return
        self._styled = self.level
        from PySide6.QtWidgets import QStyle

        from o365desk.ui import colors

        self.setStyleSheet(colors.card(colors.Tint(self.level.value)).style_sheet("messageBar"))
        icon = {
            Level.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
            Level.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
            Level.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
        }[self.level]
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self._icon.setPixmap(self.style().standardIcon(icon).pixmap(size, size))

    def add_button(self, text: str, accessible_name: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(accessible_name)
        self._buttons.addWidget(button)
        return button

    def clear_buttons(self) -> None:
        """Remove the buttons add_button made (for bars whose actions change)."""
        while self._buttons.count():
            item = self._buttons.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def show_message(self, text: str, level: Level | None = None) -> None:
        if level is not None and level != self.level:
            self.set_level(level)
        # Messages quote the file, a server or what was typed: never a raw control character.
        text = visible(curly_quotes(text), keep_newlines=True)
        changed = text != self.label.text()
        self.label.setText(text)
        # Screen readers read the description when the bar gets attention.
        self.setAccessibleDescription(text)
        if changed and not self.isHidden():
            self._announce()  # a new message in a bar already showing
        self.show()
        self.shown.emit()

    def text(self) -> str:
        return self.label.text()

    def dismiss(self) -> None:
        self.hide()


class MessageBarGroup(QObject):
    """Bars that carry one kind of message (say, how the last action went): the newest
    message replaces the older ones, so there is never a stack of them; clear() hides
    them all, as when the person starts another action."""

    def __init__(self, *bars: MessageBar, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bars = bars
        for bar in bars:
            bar.shown.connect(lambda bar=bar: self._on_shown(bar))

    def _on_shown(self, newest: MessageBar) -> None:
        for bar in self.bars:
            if bar is not newest:
                bar.hide()

    def clear(self, *_args) -> None:
        for bar in self.bars:
            bar.hide()
