"""Keeps the window true to the machine's IT policy: a damaged one shows a message bar for
IT and turns New connection off, saying why; Help > Managed settings shows what it sets."""

from __future__ import annotations

from PySide6.QtCore import QObject

from o365desk.core import effective_settings
from o365desk.core.effective_settings import EffectiveSettings
from o365desk.ui.main_window import MainWindow

NEW_TIP = "Save a new connection to a Microsoft 365 organisation"


class PolicyStatus(QObject):
    def __init__(self, window: MainWindow, connections, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self._connections = connections  # () -> the saved connections, for the notes
        self.current: EffectiveSettings | None = None
        self.dialog = None  # the open Managed settings dialog

    def load(self) -> None:
        """Read the policy and settings.json (small local files, read with a size limit and
        never from a pipe: core.safe_read) and show what they mean for the window."""
        from o365desk.ui.message_bar import curly_quotes

        self.current = effective_settings.load()
        problem = self.current.policy.problem
        w = self.window
        if problem:
            w.policy_bar.show_message(problem)
        else:
            w.policy_bar.dismiss()
        w.act_new.setEnabled(not problem)
        w.act_new.setToolTip(
            self.tr("New connections are turned off: the IT policy is damaged. {problem}")
            .format(problem=curly_quotes(problem)) if problem else self.tr(NEW_TIP))

    def show_dialog(self, _checked: bool = False) -> None:
        from o365desk.ui import dialogs
        from o365desk.ui.managed_settings_dialog import ManagedSettingsDialog

        if dialogs.bring_forward(self.dialog):
            return
        self.load()  # afresh: IT may have fixed the policy meanwhile
        self.dialog = ManagedSettingsDialog(self.current, self._connections(), self.window)
        self.dialog.show()
