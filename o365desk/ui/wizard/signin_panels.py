"""The sign-in page's panels besides the web view: what went wrong, and the device code."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from o365desk.core.signin_errors import Action, Explanation
from o365desk.core.text import visible
from o365desk.ui import colors
from o365desk.ui.message_bar import curly_quotes

# The actions the sign-in page carries out (SignInPage._on_action): each gets a button.
# Any other gets none, and the message says what to do: the clock and the trusted
# certificates are checked outside o365desk, an app-only connection's credential isn't
# replaced on this page, and an action added later has no button until it is carried
# out here.
BUTTON_ACTIONS = frozenset({
    Action.COPY_ADMIN_CONSENT_LINK, Action.CONTACT_ADMIN, Action.SIGN_IN_AGAIN, Action.RETRY,
    Action.USE_SYSTEM_BROWSER, Action.USE_DEVICE_CODE, Action.CHECK_ORGANISATION,
    Action.CHECK_CLIENT_ID, Action.CHECK_PERMISSIONS,
})


def _label(parent: QWidget, name: str, wrap: bool = True) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(wrap)
    label.setAccessibleDescription(name)  # the text is what a screen reader reads
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ErrorPanel(QWidget):
    """An Explanation: title, message, a button per action, the raw error behind a toggle."""

    action_chosen = Signal(object)  # an Action

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        # Actions the host can't carry out (a saved connection's settings are fixed).
        self.hidden_actions: frozenset[Action] = frozenset()
        self.setAccessibleName(self.tr("Sign-in problem"))
        # A tinted card at the top, the page's own background below it (as MessageBar).
        self.card = QFrame(self)
        self.card.setObjectName("errorPanel")
        self.card.setFrameShape(QFrame.Shape.StyledPanel)
        self._stopped = False
        colors.follow_palette(self.card, self._apply_colours)
        card = self.card
        self.title = _label(card, self.tr("Problem"))
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.message = _label(card, self.tr("What happened and what to do"))
        self.note = _label(card, self.tr("Result of the last action"))
        self.note.hide()
        self.buttons: dict[Action, QPushButton] = {}
        self._button_row = QHBoxLayout()
        self.details_button = QPushButton(self.tr("Show &details for IT"), card)
        self.details_button.setAccessibleName(self.tr("Show details for IT"))
        self.details_button.setCheckable(True)
        self.details = QPlainTextEdit(card)
        self.details.setReadOnly(True)
        self.details.setAccessibleName(self.tr("Error details for IT"))
        self.details.setMaximumHeight(120)
        self.details.hide()
        self.details_button.toggled.connect(self._on_details)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addLayout(self._button_row)
        layout.addWidget(self.note)
        details_row = QHBoxLayout()
        details_row.addWidget(self.details_button)
        details_row.addStretch(1)
        layout.addLayout(details_row)
        layout.addWidget(self.details)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        outer.addWidget(card)
        outer.addStretch(1)
        self.explanation: Explanation | None = None

    def show_explanation(self, explanation: Explanation, extra: tuple[Action, ...] = ()) -> None:
        self.explanation = explanation
        # The command line's words (straight quotes), in the window's quotes.
        # They can quote the server or the file (an error's code, a tenant): never raw.
        title = visible(curly_quotes(self.tr(explanation.title)))
        message = visible(curly_quotes(self.tr(explanation.message)))
        self.title.setText(title)
        self.message.setText(message)
        self.setAccessibleDescription(f"{title}. {message}")
        self.details.setPlainText(visible(explanation.raw, keep_newlines=True))
        self.details_button.setChecked(False)
        stopped = explanation.code == "cancelled"  # nothing went wrong, nothing for IT
        self._stopped = stopped
        self._apply_colours()
        self.details_button.setVisible(not stopped)
        self.note.hide()
        while self._button_row.count():  # the old buttons and stretch
            item = self._button_row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons = {}
        actions = [a for a in dict.fromkeys(explanation.actions + extra)
                   if a in BUTTON_ACTIONS and a not in self.hidden_actions]
        for action in actions:
            button = QPushButton(self.tr(action.label), self.card)
            button.setAccessibleName(self.tr(action.label))
            button.clicked.connect(lambda _=False, a=action: self.action_chosen.emit(a))
            self._button_row.addWidget(button)
            self.buttons[action] = button
        self._button_row.addStretch(1)
        if actions:
            self.buttons[actions[0]].setDefault(True)
        # Tab in reading order: the ways out, then the details below them (made first).
        chain = [*self.buttons.values(), self.details_button, self.details]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def _apply_colours(self) -> None:
        # Red for a problem; blue when the person stopped the sign-in themselves.
        tint = colors.Tint.INFO if self._stopped else colors.Tint.ERROR
        self.card.setStyleSheet(colors.card(tint).style_sheet("errorPanel"))

    def show_note(self, text: str) -> None:
        self.note.setText(curly_quotes(text))
        self.note.show()

    def _on_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText(
            self.tr("Hide &details") if shown else self.tr("Show &details for IT"))


class DeviceCodePanel(QWidget):
    """The code to type on another device, large, with Copy, the address, and Stop."""

    copy_requested = Signal()
    cancel_requested = Signal()
    open_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Sign in with a code on another device"))
        self.intro = _label(self, self.tr("Instructions"))
        self.intro.setText(self.tr(
            "On a phone or another computer, open the address below, type this code, and "
            "sign in there. This window continues by itself once you are done."
        ))
        self.code = _label(self, self.tr("Code"), wrap=False)
        font = QFont(self.code.font())
        font.setPointSizeF(font.pointSizeF() * 2.6)
        font.setBold(True)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 3)
        self.code.setFont(font)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.copy_button = QPushButton(self.tr("&Copy code"), self)
        self.copy_button.setAccessibleName(self.tr("Copy code"))
        self.copy_button.clicked.connect(self.copy_requested)
        self.url = _label(self, self.tr("Address to open"), wrap=False)
        self.url.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.open_button = QPushButton(self.tr("&Open in web browser"), self)
        self.open_button.setAccessibleName(self.tr("Open the address in the web browser"))
        self.open_button.clicked.connect(self.open_requested)
        self.status = _label(self, self.tr("Device sign-in status"))
        # "Stop", as for the browser: the window's own Cancel is the one Cancel here.
        self.cancel_button = QPushButton(self.tr("&Stop waiting"), self)
        self.cancel_button.setAccessibleName(self.tr("Stop waiting for the code sign-in"))
        self.cancel_button.setToolTip(self.tr(
            "Stop waiting for the sign-in on the other device, and choose another way"))
        self.cancel_button.clicked.connect(self.cancel_requested)
        code_row = QHBoxLayout()
        code_row.addStretch(1)
        code_row.addWidget(self.code)
        code_row.addWidget(self.copy_button)
        code_row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(12)
        layout.addLayout(code_row)
        layout.addWidget(self.url)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def show_code(self, user_code: str, url: str) -> None:
        # As the server sent them, with any control or bidi character as an escape.
        self.code.setText(visible(user_code))
        self.code.setAccessibleName(" ".join(visible(user_code)))  # read letter by letter
        self.url.setText(visible(url))
        self.cancel_button.setEnabled(True)
        self.set_status(self.tr("Waiting for you to sign in on the other device\u2026"))

    def set_status(self, text: str) -> None:
        self.status.setText(text)
