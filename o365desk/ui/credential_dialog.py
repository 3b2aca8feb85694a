"""Replace credential: give an app-only connection a new client secret.

The secret is typed or pasted into a masked field, registered with the redactor as soon as
it is taken from the field, and handed to usecases.app_only.replace_secret off the GUI
thread; the old secret and the tokens it got leave the keychain there.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from o365desk.core.connection import Connection
from o365desk.core.text import visible
from o365desk.services import Services
from o365desk.ui.async_runner import TaskRunner, off_gui_thread
from o365desk.ui.wizard.common import help_label, problem_label, show_problem


class CredentialDialog(QDialog):
    """A masked secret field, an optional expiry date, Save and Cancel."""

    replaced = Signal(object)  # the saved Connection

    def __init__(self, services: Services, connection: Connection, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.connection = connection
        self.runner = TaskRunner(self)
        self._saving = False
        name = visible(connection.nickname)
        self.setWindowTitle(self.tr("Replace credential \u2013 {name}").format(name=name))
        self.setAccessibleName(self.tr("Replace credential"))
        self.intro = help_label(self.tr(
            "Give \u201c{name}\u201d a new client secret. Make one in Microsoft Entra "
            "(the app registration, Certificates & secrets, New client secret) and paste "
            "its Value here, not its Secret ID. The old secret is removed from this "
            "computer\u2019s keychain.").format(name=name), self, self.tr("About this step"))
        self.secret = QLineEdit(self)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)  # paste works, nothing shows
        self.secret.setAccessibleName(self.tr("Client secret"))
        self.secret.setPlaceholderText(self.tr("Paste the secret\u2019s Value"))
        self.expires = QLineEdit(self)
        self.expires.setAccessibleName(self.tr("Expires on (optional)"))
        self.expires.setPlaceholderText(self.tr("YYYY-MM-DD, as Entra shows it"))
        self.expires.setMaxLength(40)
        form = QFormLayout()
        secret_caption = QLabel(self.tr("Client &secret:"), self)
        secret_caption.setBuddy(self.secret)
        expires_caption = QLabel(self.tr("E&xpires on (optional):"), self)
        expires_caption.setBuddy(self.expires)
        form.addRow(secret_caption, self.secret)
        form.addRow(expires_caption, self.expires)
        self.problem = problem_label(self, self.tr("Problem with the new secret"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("&Save"))
        self.save_button.setAccessibleName(self.tr("Save"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel"))
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(520, 260)

    def _on_save(self) -> None:
        if self._saving:
            return
        from o365desk.auth.credentials import CredentialError, parse_secret_expiry
        from o365desk.auth.redact import register_secret

        secret = self.secret.text()
        if secret.strip():
            register_secret(secret.strip())  # the moment it leaves the field
        expires_at = None
        if self.expires.text().strip():
            try:
                day = parse_secret_expiry(self.expires.text())
            except CredentialError as exc:
                show_problem(self.problem, str(exc))
                self.expires.setFocus()
                return
            expires_at = datetime(day.year, day.month, day.day, tzinfo=UTC)
        self._saving = True
        self.buttons.setEnabled(False)
        self.runner.start(self._save(secret, expires_at))

    async def _save(self, secret: str, expires_at: datetime | None) -> None:
        from o365desk.storage.store import StoreError
        from o365desk.storage.vault import VaultError
        from o365desk.usecases.app_only import replace_secret

        saved = None
        try:
            saved = await off_gui_thread(replace_secret, self.services, self.connection,
                                         secret, expires_at)
        except VaultError as exc:
            show_problem(self.problem, self.tr(
                "The new secret could not be put in the keychain, so nothing changed. "
                "{reason}").format(reason=exc))
        except (StoreError, ValueError) as exc:  # CredentialError is a ValueError
            show_problem(self.problem, str(exc))
            self.secret.setFocus()
        finally:
            if saved is None:
                self._saving = False
                self.buttons.setEnabled(True)
        if saved is None:
            return
        self.secret.clear()
        self.replaced.emit(saved)
        self.accept()

    def reject(self) -> None:
        if self._saving:
            return  # the save finishes first
        self.secret.clear()
        super().reject()
