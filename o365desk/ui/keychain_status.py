"""Keeps the status bar, the keychain warning bar and the Status column true to the keychain."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from o365desk.services import KeychainState, Services
from o365desk.storage.vault import VaultError, VaultUnavailable
from o365desk.ui import dialogs
from o365desk.ui.async_runner import TaskRunner, off_gui_thread
from o365desk.ui.connections_model import ConnectionsModel
from o365desk.ui.main_window import MainWindow


class KeychainStatus(QObject):
    """Asks the keychain (off the GUI thread) whether it answers, and shows the answer."""

    changed = Signal()

    def __init__(
        self,
        window: MainWindow,
        services: Services,
        model: ConnectionsModel,
        runner: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.services = services
        self.model = model
        self.runner = runner
        self.state: KeychainState | None = None  # None until the first check has answered
        self._checking = False
        window.retry_button.clicked.connect(self._on_retry)
        window.keychain_details_button.clicked.connect(self._on_details)

    @property
    def available(self) -> bool:
        """False only once a check said so; before any check the keychain is presumed fine."""
        return self.state is None or self.state.available

    @property
    def backend(self) -> str | None:
        """The keychain's name, once a check found it working."""
        return self.state.backend if self.state is not None and self.state.available else None

    def start_check(self) -> None:
        if self._checking:
            return
        self._checking = True
        self.window.retry_button.setEnabled(False)
        self.window.keychain_label.setText(self.tr("Keychain: checking\u2026"))
        self.runner.start(self._check())

    async def _check(self) -> None:
        try:
            # Opening the vault imports keyring and may wait on D-Bus: never on this thread.
            state = await off_gui_thread(self.services.keychain_state)
        finally:
            self._checking = False
            self.window.retry_button.setEnabled(True)
        self.apply(state)

    def apply(self, state: KeychainState) -> None:
        self.state = state
        self.model.set_keychain_ok(state.available)
        w = self.window
        if state.available:
            w.keychain_label.setText(self.tr("Keychain: {name}").format(name=state.backend))
            w.keychain_label.setToolTip(
                self.tr("Saved sign-ins are kept in {name}.").format(name=state.backend)
            )
            w.keychain_bar.hide()
        else:
            w.keychain_label.setText(self.tr("Keychain unavailable"))
            w.keychain_label.setToolTip(state.problem)
            w.keychain_bar.show_message(
                self.tr(
                    "{problem} Meanwhile, signed-in connections can't be used; all your "
                    "connections are still listed."
                ).format(problem=state.problem)
            )
        self.changed.emit()

    def refused(self, exc: VaultError) -> str:
        """After an operation the keychain refused: its bar says what is wrong and what to
        do (when it is unavailable); the sentence returned is for the action's own bar,
        which then names the trouble without repeating the advice."""
        if not isinstance(exc, VaultUnavailable):
            return str(exc)  # busy or damaged: not the keychain's state, say it all here
        self.apply(KeychainState(self.backend or "", False, str(exc), exc.detail))
        return self.tr("{headline}; the keychain message above says what to do.").format(
            headline=exc.headline)

    def _on_retry(self) -> None:
        self.start_check()

    def _on_details(self) -> None:
        if self.state is None:
            return
        from o365desk.storage.vault_errors import headline

        # The banner says what to do; this says what the keychain itself answered.
        dialogs.show_raw(
            self.window,
            self.tr("Keychain details"),
            headline(self.state.problem),
            self.state.detail or self.state.problem,
        )
