"""A keep-alive refresh that Microsoft refused, said once in the window: what happened and
a Sign in again button for that connection.

The refusal is recorded in connections.json (the Health column then says "Sign-in ended"),
and keep-alive leaves that connection alone until a new sign-in, so it is not tried again
every hour; the same refusal is still said only once per window, should it come again
(a refusal that could not be recorded, a hand edit of the file). After a new sign-in, a
refusal is news again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from o365desk.core.connection import Connection
from o365desk.ui.message_bar import MessageBar


class KeepAliveNotice(QObject):
    """Shows refused keep-alive refreshes in `bar`, one at a time; `sign_in(connection)`
    is what its Sign in again button does."""

    def __init__(self, bar: MessageBar, sign_in: Callable[[Connection], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bar = bar
        self._sign_in = sign_in
        # What was said: (connection id, refusal code, its last refresh). A new sign-in
        # changes the last refresh, so a refusal after it is news again.
        self._said: set[tuple[str, str, object]] = set()
        self._waiting: list[tuple[Connection, str]] = []  # (connection, its words) to show
        self._showing: Connection | None = None
        # Alt+B: the details pane's Sign in again (Alt+G) is for the selected connection.
        self.button = bar.add_button(self.tr("Sign &back in\u2026"),
                                     self.tr("Sign in again to this connection"))
        self.button.clicked.connect(self._on_sign_in)
        bar.close_button.clicked.connect(self._next)

    @property
    def showing(self) -> Connection | None:
        return self._showing

    def show_refused(self, outcomes: list) -> None:
        """A round's keep-alive outcomes (usecases.KeepAliveOutcome): each refusal that
        needs a new sign-in and was not said yet, in turn."""
        for outcome in outcomes:
            conn = outcome.connection
            key = (conn.id, outcome.failure, conn.last_refreshed_at)
            if outcome.ok or not outcome.failure or key in self._said:
                continue
            self._said.add(key)
            self._waiting.append((outcome.connection, outcome.message))
        if self._showing is None:
            self._next()

    def _next(self, *_args) -> None:
        if not self._waiting:
            self._showing = None
            self.bar.hide()
            return
        connection, words = self._waiting.pop(0)
        self._showing = connection
        words = " ".join(words.split())
        if not words.endswith(self.tr("Sign in again.")):
            words += " " + self.tr("Sign in again to keep using it.")
        self.bar.show_message(self.tr(
            "o365desk tried to refresh the sign-in of \u201c{name}\u201d so it would not "
            "lapse, but Microsoft refused. {words}").format(name=connection.nickname, words=words))

    def _on_sign_in(self) -> None:
        connection = self._showing
        self._next()
        if connection is not None:
            self._sign_in(connection)
