"""The pane beside the list that shows everything about the selected connection."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from o365desk.core import connection_rules
from o365desk.core.connection import Connection, Kind, Status, utcnow
from o365desk.core.text import visible
from o365desk.core.words import plural
from o365desk.ui.connection_state import expires_in, status_text, token_expiry
from o365desk.ui.connections_model import format_date, format_datetime, relative_time
from o365desk.ui.message_bar import curly_quotes
from o365desk.ui.widgets import hint_label

if TYPE_CHECKING:  # the sign-in modules load after the first paint
    from o365desk.auth.token_state import TokenState


class DetailsPane(QWidget):
    """Read-only facts about one connection, plus its action buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Connection details"))
        self.stack = QStackedWidget(self)
        self.placeholder = hint_label(self.tr("Select a connection to see its details."), self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self._build_details())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def _build_details(self) -> QWidget:
        page = QWidget(self)
        self.title = self._value(page)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        # Alt+E is Test's here, so Alt+N (free in this window) edits.
        self.edit_button = QPushButton(self.tr("Edit co&nnection\u2026"), page)
        self.edit_button.setAccessibleName(self.tr("Edit connection"))
        self.rename_button = QPushButton(self.tr("&Rename"), page)
        self.rename_button.setAccessibleName(self.tr("Rename connection"))
        self.delete_button = QPushButton(self.tr("&Delete\u2026"), page)
        self.delete_button.setAccessibleName(self.tr("Delete connection"))
        self.sign_in_button = QPushButton(self.tr("Sign in a&gain\u2026"), page)
        self.sign_in_button.setAccessibleName(self.tr("Sign in again"))
        self.sign_out_button = QPushButton(self.tr("Sign &out\u2026"), page)
        self.sign_out_button.setAccessibleName(self.tr("Sign out"))
        # App only: nobody signs in, so its credential is what can be replaced.
        self.replace_credential_button = QPushButton(self.tr("Re&place credential\u2026"), page)
        self.replace_credential_button.setAccessibleName(self.tr("Replace credential"))
        self.replace_credential_button.hide()  # shown for an app-only connection
        self.admin_consent_button = QPushButton(self.tr("As&k for admin consent\u2026"), page)
        self.admin_consent_button.setAccessibleName(self.tr("Ask for admin consent"))
        self.admin_consent_button.hide()  # shown for an app-only connection
        self.test_button = QPushButton(self.tr("T&est connection"), page)
        self.test_button.setAccessibleName(self.tr("Test connection"))
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        for button in (self.test_button, self.sign_in_button, self.sign_out_button,
                       self.replace_credential_button, self.admin_consent_button,
                       self.edit_button,
                       self.rename_button, self.delete_button):
            header.addWidget(button)

        self.description = self._value(page)
        self.status = self._value(page)
        self.status.setAccessibleDescription(self.tr("Status"))
        bold = QFont(self.status.font())
        bold.setBold(True)
        self.status.setFont(bold)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.status.setWordWrap(False)  # two or three words: the sentence beside it wraps
        self.status_text = self._value(page)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status)
        status_row.addWidget(self.status_text, 1)

        # Two columns: who and where on the left, how (app, permissions, dates) on the right.
        left, right = self._form(), self._form()
        self.account = self._row(left, page, self.tr("Account:"))
        self.tenant = self._row(left, page, self.tr("Tenant:"))
        self.cloud = self._row(left, page, self.tr("Cloud:"))
        self.kind = self._row(left, page, self.tr("Kind:"))
        self.authority = self._row(right, page, self.tr("Authority:"))
        self.client_id = self._row(right, page, self.tr("Client ID:"))
        self.credential = self._row(right, page, self.tr("Credential:"))
        self.scopes = self._row(right, page, self.tr("Permissions:"))
        self.expiry = self._row(right, page, self.tr("Access token:"))
        self.last_refresh = self._row(right, page, self.tr("Last refresh:"))
        self.lapse = self._row(right, page, self.tr("Sign-in lapses:"))
        self.granted = self._row(right, page, self.tr("Consent:"))
        self.consent_button = QPushButton(self.tr("Co&py admin-consent link"), page)
        self.consent_button.setAccessibleName(self.tr("Copy admin-consent link"))
        self.consent_button.setToolTip(self.tr(
            "Copy the link an administrator opens to approve the missing permissions"))
        consent_row = QHBoxLayout()
        consent_row.addWidget(self.consent_button)
        consent_row.addStretch(1)  # a button its own size, not the column's width
        right.addRow("", consent_row)
        self.token_facts = self._row(right, page, self.tr("Token says:"))
        self.created = self._row(right, page, self.tr("Created:"))
        self.last_used = self._row(right, page, self.tr("Last used:"))
        columns = QHBoxLayout()
        for form in (left, right):
            column = QVBoxLayout()  # rows their own height, the shorter column's space below
            column.addLayout(form)
            column.addStretch(1)
            columns.addLayout(column, 1)
            if form is left:
                columns.addSpacing(24)

        inner = QWidget(page)
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(4, 0, 4, 0)
        inner_layout.addWidget(self.description)
        inner_layout.addLayout(status_row)
        inner_layout.addSpacing(4)
        inner_layout.addLayout(columns)
        inner_layout.addStretch(1)
        scroll = QScrollArea(page)
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setAccessibleName(self.tr("Connection details"))

        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 6, 0, 0)
        layout.addLayout(header)
        layout.addWidget(scroll, 1)
        return page

    @staticmethod
    def _form() -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(3)
        return form

    def _value(self, parent: QWidget) -> QLabel:
        label = QLabel(parent)
        label.setTextFormat(Qt.TextFormat.PlainText)  # a file's or server's words, never HTML
        label.setWordWrap(True)
        # Mouse-selectable so a tenant or client ID can be copied; not keyboard-selectable,
        # which would add a dozen tab stops between the list and the buttons.
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _row(self, form: QFormLayout, parent: QWidget, caption: str) -> QLabel:
        value = self._value(parent)
        caption_label = QLabel(caption, parent)
        # As tall as its row, text at the top: beside the first line of a value that wraps.
        caption_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        caption_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        caption_label.setBuddy(value)
        form.addRow(caption_label, value)
        value.setAccessibleDescription(caption.rstrip(":"))
        return value

    def clear(self) -> None:
        self.stack.setCurrentIndex(0)

    def show_connection(
        self, conn: Connection, status: Status, backend: str | None, now: datetime,
        state: TokenState | None = None,
    ) -> None:
        """Fill the pane; `backend` is the keychain's name once known, else None."""
        self.stack.setCurrentIndex(1)
        expiry = token_expiry(conn, state, now)
        self._show_tokens(conn, status, state, expiry, now)
        # Names and words from the file or a sign-in server: control and bidi characters
        # as escapes, never drawn (or obeyed) as they are.
        self.title.setText(visible(conn.nickname))
        self.description.setText(visible(conn.description, keep_newlines=True))
        self.description.setVisible(bool(conn.description))
        self.status.setText(status_text(status))
        self.status_text.setText(self._explain(conn, status, backend, utcnow()))
        app_only = conn.kind == Kind.APP_ONLY
        if app_only:
            self.account.setText(self.tr("none: the app signs in as itself"))
        else:
            self.account.setText(visible(conn.account.username) if conn.account
                                 else self.tr("none yet"))
        # The credential's expiry against the real clock, as the status column has it.
        self.credential.setText(self._credential(conn, utcnow()) if app_only else "")
        self.credential.setVisible(app_only)
        self._form_label(self.credential).setVisible(app_only)
        self.tenant.setText(visible(conn.tenant))
        self.cloud.setText(conn.cloud.label)
        self.authority.setText(visible(conn.effective_authority()))
        self.client_id.setText(visible(conn.client_id))
        self.kind.setText(
            self.tr("Delegated (acts as the person who signs in)")
            if conn.kind == Kind.DELEGATED
            else self.tr("App only (no person signs in)")
        )
        self.scopes.setText(visible(", ".join(conn.scopes)) if conn.scopes
                            else self.tr("none chosen"))
        self.created.setText(format_datetime(conn.created_at))
        ago = relative_time(conn.last_used_at, now)
        if conn.last_used_at is None:
            self.last_used.setText(ago)
        elif ago == format_date(conn.last_used_at):  # long ago: the date says it, once
            self.last_used.setText(format_datetime(conn.last_used_at))
        else:
            self.last_used.setText(self.tr("{when} ({ago})").format(
                when=format_datetime(conn.last_used_at), ago=ago))

    @staticmethod
    def _form_label(value: QLabel) -> QWidget:
        form = value.parentWidget().findChildren(QLabel)
        return next(label for label in form if label.buddy() is value)

    def _credential(self, conn: Connection, now: datetime) -> str:
        """"client secret, expires in 12 days (2026-12-16)"; a certificate with its
        thumbprint and subject: the words the command line uses."""
        from o365desk.core.connection import CredentialType
        from o365desk.core.credential_words import credential_words

        credential = conn.credential
        if credential is None:
            return self.tr("none yet: choose Replace credential to give it a client secret")
        words = credential_words(conn, now)
        if credential.expires_at is not None and not credential.expired(now):
            words += f" ({credential.expires_at:%Y-%m-%d})"
        if credential.type == CredentialType.CERTIFICATE:
            words = self.tr("{words}; thumbprint {sha1}, subject {subject}").format(
                words=words, sha1=credential.sha1 or self.tr("not known"),
                subject=credential.subject or self.tr("not known"))
        else:
            words = self.tr("client {words}").format(words=words)
        return visible(words)

    def _show_tokens(self, conn: Connection, status: Status, state: TokenState | None,
                     expiry: datetime | None, now: datetime) -> None:
        app_only = conn.kind == Kind.APP_ONLY
        # An app's token isn't read from a cache here (no sign-in to show): no such row.
        for row in (self.token_facts, self.last_refresh, self.lapse):
            row.setVisible(not app_only)
            self._form_label(row).setVisible(not app_only)
        if app_only:
            self.expiry.setText(self.tr("fetched with the credential whenever one is needed"))
            self.granted.setText(self.tr("an administrator grants it for the organisation; "
                                         "Test connection shows what the token carries"))
            self.consent_button.setVisible(False)
            return
        signed = conn.account is not None and status not in (Status.KEYCHAIN_UNAVAILABLE,
                                                             Status.DAMAGED)
        if not signed:
            self.expiry.setText(self.tr("none"))
        elif state is not None and state.needs_sign_in:
            self.expiry.setText(self.tr("no longer accepted: sign in again"))
        elif expiry is not None and conn.refresh_failure:
            self.expiry.setText(self.tr(
                "valid until {when} (in {time}); it can't be renewed: sign in again")
                .format(when=format_datetime(expiry), time=expires_in(expiry, now)))
        elif conn.refresh_failure:
            self.expiry.setText(self.tr("no longer accepted: sign in again"))
        elif expiry is not None:
            self.expiry.setText(self.tr(
                "valid until {when} (in {time}); renews by itself while the sign-in lasts")
                .format(when=format_datetime(expiry), time=expires_in(expiry, now)))
        elif state is not None and state.has_refresh_token:
            self.expiry.setText(self.tr("expired; a new one is fetched when needed"))
        else:
            self.expiry.setText(self.tr("not known"))
        missing = state.missing if state is not None and signed else ()
        if not signed or state is None or state.granted is None:
            self.granted.setText(self.tr("not known yet (shown after a sign-in or a test)")
                                 if signed else self.tr("none"))
        else:
            names = sorted(state.granted, key=str.lower)
            text = self.tr("granted: {names}").format(
                names=", ".join(names) if names else self.tr("none"))
            if missing:
                text += self.tr(
                    "; not granted: {names} (ask an administrator to approve: copy the "
                    "admin-consent link below)").format(names=", ".join(missing))
            self.granted.setText(visible(text))  # the names the server granted
        self.consent_button.setVisible(bool(missing))
        self._show_health(conn, status, state, now, signed)
        self.token_facts.setText(self._token_facts(state.claims if state and signed else None))

    def _show_health(self, conn: Connection, status: Status, state: TokenState | None,
                     now: datetime, signed: bool) -> None:
        """When the sign-in was last refreshed, and when Entra ends it if it isn't used."""
        from o365desk.core.health import assess, days_until

        if not signed:
            self.last_refresh.setText(self.tr("none"))
            self.lapse.setText(self.tr("none"))
            return
        health = assess(conn, now, token_expires_at=state.expires_at if state else None,
                        cached_at=state.cached_at if state else None)
        last = health.last_refreshed_at
        if last is None:
            self.last_refresh.setText(self.tr("not known"))
        else:
            days = (now - last).days
            ago = relative_time(last, now) if days < 2 else self.tr(
                "{count} days ago").format(count=days)
            self.last_refresh.setText(self.tr("{when} ({ago})").format(
                when=format_datetime(last), ago=ago))
        lapses = health.refresh_lapses_at
        if conn.refresh_failure or lapses is None or lapses <= now:
            text = health.words if lapses is not None or conn.refresh_failure \
                else self.tr("not known")
        else:
            days = days_until(lapses, now)
            if days == 0:
                when = self.tr("today")
            else:
                when = plural(days, self.tr("in 1 day"), self.tr("in {count} days"))
            text = self.tr("{when} ({date}) if not used").format(
                when=when, date=format_date(lapses))
            if health.needs_attention:
                text += ". " + health.action
        self.lapse.setText(curly_quotes(visible(text)))
        self.lapse.setToolTip(self.tr(
            "Microsoft ends a saved sign-in that is not used for 90 days; every use starts "
            "the 90 days again. A password change or an administrator can end it sooner."))

    def _token_facts(self, claims) -> str:
        """What the cached access token says of itself, decoded offline (never trusted)."""
        if claims is None:
            return self.tr("not known yet")
        methods = {"pwd": self.tr("password"), "mfa": self.tr("second step (MFA)"),
                   "rsa": self.tr("certificate or smart card"), "otp": self.tr("one-time code")}
        how = ", ".join(methods.get(m, m) for m in claims.auth_methods) or self.tr("not stated")
        return visible(self.tr("for {audience}; organisation {tenant}; signed in with {how}")
                       .format(audience=claims.audience or self.tr("an unnamed service"),
                               tenant=claims.tenant_id or self.tr("not stated"), how=how))

    def _explain(self, conn: Connection, status: Status, backend: str | None,
                 now: datetime) -> str:
        from o365desk.ui.message_bar import curly_quotes  # the CLI's words, our quotes

        if status == Status.DAMAGED:
            return curly_quotes(connection_rules.message(conn))
        if conn.kind == Kind.APP_ONLY:
            return self._explain_app_only(conn, status, backend, now)
        if status == Status.NOT_SIGNED_IN:
            return self.tr(
                "Nobody has signed in with this connection yet, so it holds no tokens."
            )
        if status == Status.SIGN_IN_NEEDED:
            return self.tr(
                "The saved sign-in has expired or was withdrawn. Sign in again to use "
                "this connection."
            )
        if status == Status.WAITING_FOR_APPROVAL:
            added = conn.awaiting_approval()
            return plural(len(added), self.tr(
                "A permission was added since the last sign-in ({names}). Sign in again to "
                "approve it; until then the connection works with the permissions it had."
            ), self.tr(
                "Permissions were added since the last sign-in ({names}). Sign in again to "
                "approve them; until then the connection works with the permissions it had."
            ), names=visible(", ".join(added)))
        if status == Status.CONSENT_MISSING:
            return self.tr(
                "Signed in, but some of the permissions it asks for were not granted. An "
                "administrator can approve them; then sign in again."
            )
        if status == Status.KEYCHAIN_UNAVAILABLE:
            return self.tr(
                "Its saved sign-in is in the keychain, which can't be reached right now. "
                "The message at the top of the window says what to do."
            )
        user = visible(conn.account.username) if conn.account else ""
        if backend:
            return self.tr("The saved sign-in for {user} is kept in {backend}.").format(
                user=user, backend=backend
            )
        return self.tr("The saved sign-in for {user} is kept in the keychain.").format(
            user=user
        )

    def _explain_app_only(self, conn: Connection, status: Status, backend: str | None,
                          now: datetime) -> str:
        from o365desk.core.credential_words import credential_warning
        from o365desk.ui.message_bar import curly_quotes

        if status == Status.KEYCHAIN_UNAVAILABLE:
            return self.tr(
                "Its client secret is in the keychain, which can't be reached right now. "
                "The message at the top of the window says what to do.")
        if conn.credential is None:
            return self.tr("It has no client secret yet, so it can't get tokens. Make one "
                           "in the app registration, then choose Replace credential.")
        warning = credential_warning(conn, now, fix=self.tr("choose Replace credential."))
        if warning:
            return visible(curly_quotes(warning))
        where = backend or self.tr("the keychain")
        return self.tr("It signs in as its app whenever a token is needed, with the "
                       "credential kept in {where}.").format(where=where)
