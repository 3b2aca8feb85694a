"""Wizard page for an app-only connection: its app registration's client ID and its
credential, a client secret or a certificate file."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWizardPage,
)

from o365desk.core.ids import canonical_uuid
from o365desk.ui.wizard.common import help_label, problem_label, show_problem

EXAMPLE_ID = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"


class AppCredentialPage(QWizardPage):
    """The client ID (a GUID, required), then how the app signs in: a client secret
    (masked; pasting works) with its expiry date (optional), or a certificate file with
    its password. The secret is checked when Next is pressed, not as it is typed: each
    check registers what it is given with the log redactor. A certificate file is read
    and checked when its fields are left (ui.certificate_fields); Next waits for it."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        from o365desk.ui.certificate_fields import CertificateFields, credential_choice

        self.setTitle(self.tr("The app and its credential"))
        self.help = help_label(self.tr(
            "In Microsoft Entra, open your organisation's app registration. Copy the "
            "\u201cApplication (client) ID\u201d from its Overview page. Then either copy "
            "the value of a client secret from \u201cCertificates & secrets\u201d (it is "
            "shown only when the secret is made), or choose the certificate file whose "
            "public part was uploaded there. The secret or the certificate's key is kept "
            "in this computer's keychain, nowhere else."
        ), self, self.tr("About this step"))
        self.client_id = self._line(self.tr("Client ID"))
        self.client_id.setPlaceholderText(self.tr("e.g. {example}").format(example=EXAMPLE_ID))
        self.client_id_problem = problem_label(self, self.tr("Client ID problem"))
        self.use_secret, self.use_certificate, self.kind_group, kinds = credential_choice(
            self, self.tr("Client &secret"))
        self.use_secret.setChecked(True)
        self.secret = self._line(self.tr("Client secret"))
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)  # pasting works, copying not
        self.secret.setPlaceholderText(self.tr("Paste the secret's value"))
        self.secret_problem = problem_label(self, self.tr("Client secret problem"))
        self.expires = self._line(self.tr("Secret expires on (optional)"))
        self.expires.setPlaceholderText(self.tr("Optional: YYYY-MM-DD, as Entra shows it"))
        self.expires_problem = problem_label(self, self.tr("Expiry date problem"))
        self.certificate = CertificateFields(self)  # made last: the Tab order
        self.certificate.changed.connect(self.completeChanged)
        form = QFormLayout()
        self._secret_captions = []
        for text, field, problem in ((self.tr("C&lient ID:"), self.client_id,
                                      self.client_id_problem),
                                     (None, None, None),
                                     (self.tr("Client s&ecret:"), self.secret,
                                      self.secret_problem),
                                     (self.tr("Secret e&xpires on:"), self.expires,
                                      self.expires_problem)):
            if text is None:
                form.addRow(QLabel(self.tr("Signs in with:"), self), kinds)
                continue
            label = QLabel(text, self)
            label.setBuddy(field)
            under = QVBoxLayout()  # a hidden problem line takes no room here, unlike a row
            under.setContentsMargins(0, 0, 0, 4)
            under.addWidget(field)
            under.addWidget(problem)
            form.addRow(label, under)
            if field is not self.client_id:
                self._secret_captions.append(label)
        self.certificate.add_to(form)
        self._form = form
        self.use_certificate.toggled.connect(self._on_kind)
        self._on_kind(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.help)
        layout.addLayout(form)
        layout.addStretch(1)
        self._secret_value = ""

    def _on_kind(self, certificate: bool) -> None:
        for caption in self._secret_captions:
            self._form.setRowVisible(caption, not certificate)  # its problem line too, so:
        for problem in (self.secret_problem, self.expires_problem):
            problem.setVisible(not certificate and bool(problem.text()))
        self.certificate.set_shown(certificate)
        self.completeChanged.emit()

    def _line(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        edit.textChanged.connect(self.completeChanged)
        return edit

    # --- values ----------------------------------------------------------------------

    def client_id_value(self) -> str:
        return canonical_uuid(self.client_id.text().strip())

    def uses_certificate(self) -> bool:
        return self.use_certificate.isChecked()

    def certificate_value(self):
        """The certificate read and checked (auth.credentials.CertificateCredential)."""
        return self.certificate.credential()

    def secret_value(self) -> str:
        """The secret as checked when Next was pressed."""
        return self._secret_value

    def expires_value(self) -> datetime | None:
        """That day's start, UTC (as the command line keeps it); None when not given."""
        from o365desk.auth.credentials import parse_secret_expiry

        if not self.expires.text().strip():
            return None
        day = parse_secret_expiry(self.expires.text())
        return datetime(day.year, day.month, day.day, tzinfo=UTC)

    def _client_id_error(self) -> str:
        if not self.client_id.text().strip():
            return ""  # nothing typed yet: the placeholder says what goes there
        try:
            self.client_id_value()
        except ValueError:
            return self.tr(
                "That is not a client ID. A client ID looks like {example}: copy the "
                "\u201cApplication (client) ID\u201d from the app registration's Overview "
                "page.").format(example=EXAMPLE_ID)
        return ""

    def _expires_error(self) -> str:
        from o365desk.auth.credentials import CredentialError

        try:
            self.expires_value()
        except CredentialError as exc:
            return str(exc)
        return ""

    def isComplete(self) -> bool:
        certificate = self.uses_certificate()
        id_error = self._client_id_error()
        expires_error = "" if certificate else self._expires_error()
        show_problem(self.client_id_problem, id_error)
        show_problem(self.expires_problem, expires_error)
        if not self.secret.text():
            show_problem(self.secret_problem, "")
        if certificate and self.certificate.credential() is None:
            return False  # not read yet, being read, or refused (the page says why)
        return bool(self.client_id.text().strip()) and not id_error and not expires_error

    def validatePage(self) -> bool:
        """Next: the secret is checked now (an empty one, a secret's ID, a hidden
        character are refused in words)."""
        from o365desk.auth.credentials import CredentialError, check_client_secret

        if self.uses_certificate():
            return self.certificate.credential() is not None
        try:
            self._secret_value = check_client_secret(self.secret.text())
        except CredentialError as exc:
            show_problem(self.secret_problem, str(exc))
            self.secret.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        show_problem(self.secret_problem, "")
        return True
