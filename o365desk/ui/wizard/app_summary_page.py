"""Wizard's last page for an app-only connection: what was saved, and the admin's consent."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from o365desk.core.text import visible
from o365desk.ui.wizard.common import help_label

# Where the administrator's browser goes after approving: the address the command line's
# link names too (an app registration lists it under its redirect URIs, or Entra says so).
CONSENT_REDIRECT = "http://localhost"


def _value(parent, name: str) -> QLabel:
    label = QLabel(parent)
    label.setAccessibleDescription(name)  # the value is what a screen reader reads
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class AppSummaryPage(QWizardPage):
    """Shown once the app-only connection and its secret are saved; Finish closes."""

    def __init__(self, wizard, parent=None) -> None:
        super().__init__(parent)
        self._wizard = wizard
        self.setTitle(self.tr("Saved: now an administrator grants consent"))
        self.help = help_label(self._help_text(self.tr("its credential is")), self,
                               self.tr("About this step"))
        self.nickname = _value(self, self.tr("Nickname"))
        self.organisation = _value(self, self.tr("Organisation"))
        self.app = _value(self, self.tr("App (client ID)"))
        self.secret = _value(self, self.tr("Credential"))
        self.secret_caption = QLabel(self.tr("Client secret:"), self)
        self.warning = _value(self, self.tr("Credential warning"))
        self.warning.setObjectName("credentialWarning")
        from o365desk.ui import colors

        colors.follow_palette(self.warning, lambda: self.warning.setStyleSheet(
            f"#credentialWarning {{ {colors.text_style(colors.Role.WARNING)} }}"))
        self.warning.hide()
        self.permissions = _value(self, self.tr("Application permissions"))
        # Alt+L: Alt+C is the wizard's Close on this page.
        self.copy_consent = QPushButton(self.tr("Copy admin-consent &link"), self)
        self.copy_consent.setAccessibleName(self.tr("Copy admin-consent link"))
        self.copy_consent.clicked.connect(self._on_copy_consent)
        self.copied = QLabel(self)
        self.copied.setAccessibleDescription(self.tr("Admin-consent link"))
        form = QFormLayout()
        form.addRow(self.tr("Nickname:"), self.nickname)
        form.addRow(self.tr("Organisation:"), self.organisation)
        form.addRow(self.tr("App (client ID):"), self.app)
        credential = QVBoxLayout()  # the warning under the value, not a row of its own
        credential.setContentsMargins(0, 0, 0, 0)
        credential.addWidget(self.secret)
        credential.addWidget(self.warning)
        form.addRow(self.secret_caption, credential)
        form.addRow(self.tr("Application permissions:"), self.permissions)
        consent_row = QHBoxLayout()
        consent_row.addWidget(self.copy_consent)
        consent_row.addWidget(self.copied, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.help)
        layout.addLayout(form)
        layout.addLayout(consent_row)
        layout.addStretch(1)

    def initializePage(self) -> None:
        conn = self._wizard.saved_connection
        if conn is None:
            return
        self.nickname.setText(visible(conn.nickname))
        self.organisation.setText(f"{visible(conn.tenant)} \u2013 {self.tr(conn.cloud.label)}")
        self.app.setText(conn.client_id)
        self._show_credential(conn)
        self.permissions.setText(", ".join(conn.scopes))
        self.copied.setText("")
        self.copy_consent.setFocus(Qt.FocusReason.OtherFocusReason)

    def _help_text(self, what: str) -> str:
        return self.tr(
            "The connection is saved, and {what} in this computer's keychain. Before it "
            "can do anything, an administrator of the organisation must grant consent to "
            "the application permissions below: copy the admin-consent link and send it "
            "to them. Then select the connection in the list and choose Test connection "
            "to check it works.").format(what=what)

    def _show_credential(self, conn) -> None:
        from o365desk.core.credential_words import credential_warning, is_certificate

        credential = conn.credential
        expires = credential.expires_at if credential is not None else None
        certificate = is_certificate(conn)
        what = self.tr("its certificate's private key and the certificate are") \
            if certificate else self.tr("its client secret is")
        self.help.setText(self._help_text(what))
        if certificate:
            self.secret_caption.setText(self.tr("Certificate:"))
            self.secret.setText(self.tr(
                "{subject}\nSHA-1 thumbprint {sha1}\nkept in the keychain; it expires on "
                "{day}").format(subject=visible(credential.subject), sha1=credential.sha1,
                                day=f"{expires:%Y-%m-%d}"))
        else:
            self.secret_caption.setText(self.tr("Client secret:"))
            self.secret.setText(self.tr(
                "kept in the keychain; it expires on {day}").format(
                day=expires.strftime("%Y-%m-%d")) if expires is not None else self.tr(
                "kept in the keychain; its expiry date was not given"))
        from o365desk.ui.message_bar import curly_quotes

        warning = credential_warning(conn, fix=self.tr(
            "choose Replace credential in the list."))
        self.warning.setText(curly_quotes(warning))
        self.warning.setVisible(bool(warning))

    def consent_link(self) -> str:
        import secrets

        from o365desk.auth.admin_consent import consent_link_for

        return consent_link_for(self._wizard.saved_connection, CONSENT_REDIRECT,
                                secrets.token_urlsafe(24))

    def _on_copy_consent(self) -> None:
        if self._wizard.saved_connection is None:
            return
        QGuiApplication.clipboard().setText(self.consent_link())
        self.copied.setText(self.tr("Copied \u2013 send it to an administrator"))
