"""Replace credential: give an app-only connection a new client secret or certificate.

A secret is typed or pasted into a masked field, registered with the redactor as soon as
it is taken from the field, and handed to usecases.app_only.replace_secret off the GUI
thread. A certificate file is read and checked by ui.certificate_fields (the file once,
into memory) and handed to usecases.app_only.replace_with_certificate. Either way the old
credential, of either kind, and the tokens it got leave the keychain there.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from o365desk.core.connection import Connection
from o365desk.core.credential_words import is_certificate
from o365desk.core.text import visible
from o365desk.services import Services
from o365desk.ui.async_runner import TaskRunner, off_gui_thread
from o365desk.ui.certificate_fields import CertificateFields, credential_choice
from o365desk.ui.form_parts import captioned_row, main_and_cancel, masked_line
from o365desk.ui.wizard.common import help_label, problem_label, show_problem


class CredentialDialog(QDialog):
    """Client secret or certificate file; for a secret a masked field and an optional
    expiry date, for a certificate its file and password; Save and Cancel."""

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
        self._secret_intro = self.tr(
            "Give \u201c{name}\u201d a new client secret. Make one in Microsoft Entra "
            "(the app registration, Certificates & secrets, New client secret) and paste "
            "its Value here, not its Secret ID. The old credential is removed from this "
            "computer\u2019s keychain.").format(name=name)
        self._certificate_intro = self.tr(
            "Give \u201c{name}\u201d a {new}certificate. Upload its public part to the app "
            "registration in Microsoft Entra (Certificates & secrets, Certificates), then "
            "choose the file with the certificate and its private key here. The old "
            "credential is removed from this computer\u2019s keychain.").format(
            name=name, new=self.tr("new ") if is_certificate(connection) else "")
        self.intro = help_label(self._secret_intro, self, self.tr("About this step"))
        self.use_secret, self.use_certificate, self.kind_group, kinds = credential_choice(
            self, self.tr("Client secre&t"))
        self.secret = masked_line(self, self.tr("Client secret"))
        self.secret.setPlaceholderText(self.tr("Paste the secret\u2019s Value"))
        self.expires = QLineEdit(self)
        self.expires.setAccessibleName(self.tr("Expires on (optional)"))
        self.expires.setPlaceholderText(self.tr("YYYY-MM-DD, as Entra shows it"))
        self.expires.setMaxLength(40)
        self.certificate = CertificateFields(self)
        self.certificate.changed.connect(self._update_save)
        self.certificate.changed.connect(self._fit)
        form = QFormLayout()
        form.addRow(QLabel(self.tr("Signs in with:"), self), kinds)
        self._secret_captions = (
            captioned_row(form, self.tr("Client s&ecret:"), self.secret, self),
            captioned_row(form, self.tr("E&xpires on (optional):"), self.expires, self))
        self.certificate.add_to(form)
        self._form = form
        self.problem = problem_label(self, self.tr("Problem with the new credential"))
        self.buttons, self.save_button = main_and_cancel(
            self, self.tr("&Save"), self._on_save, QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        # The kind it has now comes first: a new certificate for a certificate, and so on.
        (self.use_certificate if is_certificate(connection) else self.use_secret
         ).setChecked(True)
        self.use_certificate.toggled.connect(self._on_kind)
        self._on_kind(self.use_certificate.isChecked(), focus=True)
        self.resize(640, 320)

    def _fit(self) -> None:
        """Taller when what was read needs it (wrapped text has no minimum height)."""
        layout = self.layout()
        need = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() \
            else layout.totalSizeHint().height()
        if need > self.height():
            self.resize(self.width(), need)

    def uses_certificate(self) -> bool:
        return self.use_certificate.isChecked()

    def _on_kind(self, certificate: bool, focus: bool = False) -> None:
        for caption in self._secret_captions:
            self._form.setRowVisible(caption, not certificate)
        self.certificate.set_shown(certificate)
        self.intro.setText(self._certificate_intro if certificate else self._secret_intro)
        show_problem(self.problem, "")
        if focus:
            (self.certificate.path if certificate else self.secret).setFocus(
                Qt.FocusReason.OtherFocusReason)
        self._update_save()

    def _update_save(self) -> None:
        """A certificate is saved once read and checked; a secret is checked on Save."""
        ready = not self.uses_certificate() or self.certificate.credential() is not None
        self.save_button.setEnabled(ready and not self._saving)

    def _on_save(self) -> None:
        if self._saving:
            return
        if self.uses_certificate():
            certificate = self.certificate.credential()
            if certificate is None:
                return  # not read yet, or refused: the fields say why
            self._start(self._save_certificate(certificate))
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
        self._start(self._save_secret(secret, expires_at))

    def _start(self, job) -> None:
        self._saving = True
        self.buttons.setEnabled(False)
        self.runner.start(job)

    async def _save_secret(self, secret: str, expires_at: datetime | None) -> None:
        from o365desk.usecases.app_only import replace_secret

        await self._save(replace_secret, secret, expires_at)

    async def _save_certificate(self, certificate) -> None:
        from o365desk.usecases.app_only import replace_with_certificate

        await self._save(replace_with_certificate, certificate)

    async def _save(self, replace, *values) -> None:
        from o365desk.storage.store import StoreError
        from o365desk.storage.vault import VaultError

        saved = None
        what = self.tr("certificate") if self.uses_certificate() else self.tr("secret")
        try:
            saved = await off_gui_thread(replace, self.services, self.connection, *values)
        except VaultError as exc:
            show_problem(self.problem, self.tr(
                "The new {what} could not be put in the keychain, so nothing changed. "
                "{reason}").format(what=what, reason=exc))
        except (StoreError, ValueError) as exc:  # CredentialError is a ValueError
            show_problem(self.problem, str(exc))
            if not self.uses_certificate():
                self.secret.setFocus()
        finally:
            if saved is None:
                self._saving = False
                self.buttons.setEnabled(True)
                self._update_save()
        if saved is None:
            return
        self._forget()
        self.replaced.emit(saved)
        self.accept()

    def _forget(self) -> None:
        self.secret.clear()
        self.certificate.clear()

    def reject(self) -> None:
        if self._saving:
            return  # the save finishes first
        self._forget()
        super().reject()
