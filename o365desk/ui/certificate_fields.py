"""The certificate file fields the wizard and the Replace credential dialog share: a path
to type or paste, Choose file..., a masked password, and what the file holds once read.

The file is read once, bounded (auth.credentials.read_credential_file, 1 MiB at most),
into memory and parsed there off the GUI thread; a new password is tried on the bytes
already read, so the file is not needed again (the person may delete it). Nothing is
written anywhere. Each refusal of auth.credentials shows under the fields in its words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from o365desk.core.text import visible
from o365desk.ui.async_runner import TaskRunner, off_gui_thread
from o365desk.ui.wizard.common import problem_label, show_problem

if TYPE_CHECKING:
    from o365desk.auth.credentials import CertificateCredential

FILE_FILTERS = ("Certificate files (*.pem *.crt *.key *.pfx *.p12)", "All files (*)")
_QUOTES = "\"'\u201c\u201d"  # Windows' "Copy as path" puts the path in quotes


def credential_choice(parent: QWidget, secret_text: str
                      ) -> tuple[QRadioButton, QRadioButton, QButtonGroup, QHBoxLayout]:
    """The choice between a client secret and a certificate file, as one row: the two
    buttons (`secret_text` is the first's, with the &-letter its page leaves free), their
    group and the row to put beside "Signs in with:"."""
    use_secret = QRadioButton(secret_text, parent)
    use_secret.setAccessibleName(parent.tr("Client secret"))
    use_certificate = QRadioButton(parent.tr("Ce&rtificate file"), parent)
    use_certificate.setAccessibleName(parent.tr("Certificate file"))
    group = QButtonGroup(parent)
    row = QHBoxLayout()
    for button in (use_secret, use_certificate):
        group.addButton(button)
        row.addWidget(button)
    row.addStretch(1)
    return use_secret, use_certificate, group, row


class CertificateFields(QObject):
    """Three rows for a QFormLayout; `changed` when what was read (or not) changes."""

    changed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.runner = TaskRunner(self)
        self.path = QLineEdit(parent)
        self.path.setAccessibleName(self.tr("Certificate file"))
        self.path.setPlaceholderText(self.tr("Type or paste the file's location"))
        self.path.setMaxLength(4096)
        self.choose_button = QPushButton(self.tr("C&hoose file\u2026"), parent)
        self.choose_button.setAccessibleName(self.tr("Choose file"))
        self.choose_button.setAutoDefault(False)  # Enter in the fields is the page's
        self.choose_button.clicked.connect(self.choose_file)
        self.password = QLineEdit(parent)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password (if the file has one)"))
        self.password.setMaxLength(1024)
        self.problem = problem_label(parent, self.tr("Certificate file problem"))
        self.facts = QLabel(parent)
        self.facts.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the certificate
        self.facts.setWordWrap(True)
        self.facts.setAccessibleDescription(self.tr("The certificate read from the file"))
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts.hide()
        self.soon = QLabel(parent)
        self.soon.setTextFormat(Qt.TextFormat.PlainText)
        self.soon.setWordWrap(True)
        self.soon.setObjectName("certificateSoon")
        self.soon.setAccessibleDescription(self.tr("Certificate warning"))
        from o365desk.ui import colors

        colors.follow_palette(self.soon, lambda: self.soon.setStyleSheet(
            f"#certificateSoon {{ {colors.text_style(colors.Role.WARNING)} }}"))
        self.soon.hide()
        self.file_dialog: QFileDialog | None = None
        # The thumbprints (SHA-1 or SHA-256, upper-case hex) a template names, if any: the
        # file read is said to be that certificate, or warned to be another.
        self.expected_thumbprints: tuple[str, ...] = ()
        self._credential: CertificateCredential | None = None
        self._data: tuple[str, bytes] | None = None  # the path as typed, and its bytes
        self._tried: tuple[str, str] | None = None  # the path and password last read
        self._generation = 0
        self.reading = False
        for edit in (self.path, self.password):
            edit.textChanged.connect(self._on_edited)
            edit.editingFinished.connect(self.read)
        self._rows: list[QWidget] = []

    def add_to(self, form: QFormLayout) -> None:
        """The file, the password, and what was read, as rows of `form`."""
        file_caption = QLabel(self.tr("Certificate &file:"), self._parent)
        file_caption.setBuddy(self.path)
        line = QHBoxLayout()
        line.addWidget(self.path, 1)
        line.addWidget(self.choose_button)
        under = QVBoxLayout()
        under.setContentsMargins(0, 0, 0, 4)
        under.addLayout(line)
        password_caption = QLabel(self.tr("Pass&word (if the file has one):"), self._parent)
        password_caption.setBuddy(self.password)
        below = QVBoxLayout()
        below.setContentsMargins(0, 0, 0, 4)
        below.addWidget(self.password)
        below.addWidget(self.problem)
        below.addWidget(self.facts)
        below.addWidget(self.soon)
        form.addRow(file_caption, under)
        form.addRow(password_caption, below)
        self._rows = [file_caption, password_caption]
        self._form = form

    def set_shown(self, shown: bool) -> None:
        for caption in self._rows:
            self._form.setRowVisible(caption, shown)  # every widget of the row, so:
        self.problem.setVisible(shown and bool(self.problem.text()))
        self.facts.setVisible(shown and bool(self.facts.text()))
        self.soon.setVisible(shown and bool(self.soon.text()))

    def _show_facts(self, text: str, soon: str = "") -> None:
        self.facts.setText(text)
        self.facts.setVisible(bool(text))
        self.soon.setText(soon)
        self.soon.setVisible(bool(soon))

    # --- what was read ---------------------------------------------------------------

    def credential(self) -> CertificateCredential | None:
        """The certificate read and checked from the fields as they are now; None when
        not read yet, being read, or refused."""
        return self._credential

    def clear(self) -> None:
        """Forget the file's bytes, the password and what was read (a read under way
        stops: its window may be going)."""
        self.runner.cancel_all()
        self._generation += 1
        self._data, self._tried, self._credential = None, None, None
        self.password.clear()
        self._show_facts("")
        show_problem(self.problem, "")

    def _key(self) -> tuple[str, str]:
        return self.path.text().strip().strip(_QUOTES).strip(), self.password.text()

    def _on_edited(self) -> None:
        if self._credential is None and self._tried is None:
            return
        if self._key() == self._tried:
            return
        self._generation += 1  # a read under way is for the old text: its answer is dropped
        self._credential, self._tried, self.reading = None, None, False
        self._show_facts("")
        show_problem(self.problem, "")
        self.changed.emit()

    def read(self) -> None:
        """Read the file (once per path) and check it with the password, off the GUI
        thread; the answer shows under the fields."""
        key = self._key()
        path, password = key
        if not path or key == self._tried:
            return
        from o365desk.auth.redact import register_secret

        if password:
            register_secret(password)  # the moment it leaves the field
        self._tried = key
        self._generation += 1
        self._credential, self.reading = None, True
        data = self._data[1] if self._data is not None and self._data[0] == path else None
        self._show_facts(self.tr("Reading the file\u2026"))
        show_problem(self.problem, "")
        self.changed.emit()
        self.runner.start(self._read(self._generation, path, data, password or None))

    async def _read(self, generation: int, path: str, data: bytes | None,
                    password: str | None) -> None:
        from o365desk.auth.credentials import CredentialError

        credential, problem = None, ""
        try:
            if data is None:
                data = await off_gui_thread(_read_file, path)
                if generation == self._generation:
                    self._data = (path, data)
            credential = await off_gui_thread(_parse, data, password)
        except CredentialError as exc:
            problem = str(exc)
        except Exception:  # a surprise: still words, never a traceback
            import logging

            logging.getLogger(__name__).error("reading a certificate file failed",
                                              exc_info=True)
            problem = self.tr("o365desk could not read this file. Check it is the app's "
                              "certificate file and choose it again; if it happens again, "
                              "send the log to your IT contact.")
        if generation != self._generation:
            return  # the fields changed meanwhile
        self.reading = False
        self._credential = credential
        self._show_facts("" if credential is None else self._facts_text(credential),
                         " ".join(t for t in (self._expected_text(credential),
                                              self._soon_text(credential)) if t))
        show_problem(self.problem, problem)
        self.changed.emit()

    def _facts_text(self, credential: CertificateCredential) -> str:
        check = self.tr("Check it is the one uploaded to the app registration: Entra shows "
                        "its thumbprint under Certificates & secrets.")
        if self._is_expected(credential):
            check = self.tr("It is the certificate your IT team’s template names.")
        return self.tr(
            "The file holds this certificate:\nSubject: {subject}\nSHA-1 thumbprint: "
            "{sha1}\nValid until: {day}\n{check}").format(
            subject=visible(credential.subject), sha1=credential.sha1_thumbprint,
            day=f"{credential.not_after:%Y-%m-%d}", check=check)

    def _is_expected(self, credential: CertificateCredential) -> bool:
        return bool({credential.sha1_thumbprint.upper(), credential.sha256_thumbprint.upper()}
                    & set(self.expected_thumbprints))

    def _expected_text(self, credential: CertificateCredential | None) -> str:
        """A warning when a template names other certificates than this one, else ""."""
        if credential is None or not self.expected_thumbprints or \
                self._is_expected(credential):
            return ""
        return self.tr(
            "This is not the certificate your IT team’s template names (thumbprint "
            "{expected}), so the app may refuse it. Choose that certificate’s file, or "
            "ask your IT team which one to use.").format(
            expected=self.tr(" or ").join(self.expected_thumbprints))

    def _soon_text(self, credential: CertificateCredential | None) -> str:
        """A warning when it expires within 30 days (as the list warns of it), else ""."""
        from o365desk.core.connection import Credential, CredentialType

        if credential is None:
            return ""
        facts = Credential(CredentialType.CERTIFICATE, expires_at=credential.not_after)
        if not facts.expiring_soon():
            return ""
        days = facts.days_left()
        if days > 1:
            return self.tr("It expires in {days} days: make a new certificate before "
                           "then.").format(days=days)
        if days == 1:
            return self.tr("It expires in 1 day: make a new certificate now.")
        return self.tr("It expires within a day: make a new certificate now.")

    # --- Choose file... --------------------------------------------------------------

    def choose_file(self, _checked: bool = False) -> None:
        """Qt's file dialog (not a blocking one: the window keeps painting)."""
        dialog = QFileDialog(self._parent, self.tr("Choose the certificate file"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr(f) for f in FILE_FILTERS])
        dialog.fileSelected.connect(self._on_chosen)
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        dialog.open()

    def _on_chosen(self, path: str) -> None:
        if path:
            self.path.setText(path)
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)
            self.read()


def _read_file(path: str) -> bytes:
    from pathlib import Path

    from o365desk.auth.credentials import read_credential_file

    return read_credential_file(Path(path).expanduser())


def _parse(data: bytes, password: str | None) -> CertificateCredential:
    from o365desk.auth.credentials import load_certificate

    return load_certificate(data, password)
