"""Wizard page 2: the organisation (tenant), its cloud, and the advanced sign-in settings."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from o365desk.core.clouds import Cloud
from o365desk.core.connection import DEFAULT_CLIENT_ID
from o365desk.core.connection_rules import names_one_organisation
from o365desk.core.endpoints import (
    check_redirect_uri,
    normalize_authority,
    normalize_graph_endpoint,
)
from o365desk.core.ids import canonical_uuid
from o365desk.core.settings import DEFAULT_REDIRECT_URI
from o365desk.core.tenant import (
    DEFAULT_TENANT,
    TenantError,
    is_guid,
    parse_tenant,
    unicode_domain,
)
from o365desk.ui.wizard.common import help_label, problem_label, show_problem

PROBLEM_DELAY_MS = 700


class OrganisationPage(QWizardPage):
    """Which organisation to sign in to; the Advanced part is for IT (own app registration)."""

    def __init__(self, client_id: str = DEFAULT_CLIENT_ID,
                 redirect_uri: str = DEFAULT_REDIRECT_URI, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Choose the organisation"))
        self.help = help_label(self.tr(
            "Type your organisation's Microsoft 365 domain (for example contoso.com), "
            "paste an email address at it, or its tenant ID. Not sure? Tick \u201cLet me "
            "choose my organisation when I sign in\u201d: the work account you sign in with "
            "then decides."
        ), self, self.tr("About this step"))
        self.tenant = self._line(self.tr("Organisation"), "")
        self.tenant.setPlaceholderText(self.tr("contoso.com, admin@contoso.com or a tenant ID"))
        self.tenant_result = QLabel(self)  # what the entry was read as, live
        self.tenant_result.setAccessibleName(self.tr("Organisation signed in to"))
        self.tenant_result.setTextFormat(Qt.TextFormat.PlainText)
        self.tenant_result.setWordWrap(True)
        self.tenant_result.hide()
        self.tenant_problem = problem_label(self, self.tr("Organisation problem"))
        self.tenant_problem.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed
        # "contoso." is no domain yet while it is being typed: a new problem is shown once
        # typing pauses or the field is left (one already shown follows each key at once).
        self._tenant_problem_due = True
        self._tenant_checked = ""
        self.tenant_problem_delay = QTimer(self)
        self.tenant_problem_delay.setSingleShot(True)
        self.tenant_problem_delay.setInterval(PROBLEM_DELAY_MS)
        self.tenant_problem_delay.timeout.connect(self._tenant_problem_now)
        self.tenant.editingFinished.connect(self._tenant_problem_now)
        self.choose_at_sign_in = QCheckBox(
            self.tr("Let me c&hoose my organisation when I sign in"), self)
        self.choose_at_sign_in.setAccessibleName(
            self.tr("Let me choose my organisation when I sign in"))
        self.choose_at_sign_in.toggled.connect(self._on_choose_toggled)
        self.cloud = QComboBox(self)
        self.cloud.setAccessibleName(self.tr("Microsoft cloud"))
        for cloud in Cloud:
            self.cloud.addItem(self.tr(cloud.label), cloud)
        self.advanced_toggle = QToolButton(self)
        self.advanced_toggle.setText(self.tr("&Advanced (for IT)"))
        self.advanced_toggle.setAccessibleName(self.tr("Show advanced settings"))
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_toggle.setAutoRaise(True)
        self.advanced = QWidget(self)
        self.advanced.setAccessibleName(self.tr("Advanced settings"))
        self.client_id = self._line(self.tr("Client ID"), client_id, self.advanced)
        self.redirect_uri = self._line(self.tr("Redirect URI"), redirect_uri, self.advanced)
        self.authority = self._line(self.tr("Authority override"), "", self.advanced)
        self.authority.setPlaceholderText(self.tr("Empty: the cloud's usual sign-in address"))
        self.graph = self._line(self.tr("Graph address override"), "", self.advanced)
        self.graph.setPlaceholderText(self.tr("Empty: the cloud's usual Graph address"))
        self.advanced_problem = problem_label(self.advanced, self.tr("Advanced settings problem"))
        self.advanced_help = advanced_help = help_label(self.tr(
            "o365desk signs in as Microsoft's public \u201cMicrosoft Graph Command Line "
            "Tools\u201d app unless you change the client ID. Organisations that want to "
            "control exactly who can use which permissions register their own app in Entra "
            "ID: a public client (\u201cAllow public client flows\u201d on) with the redirect "
            "URI http://localhost under \u201cMobile and desktop applications\u201d, and the "
            "delegated Microsoft Graph permissions you will choose next. Then enter its "
            "client ID here. Change the authority and Graph address only for a custom or "
            "test cloud."
        ), self.advanced, self.tr("About the advanced settings"))
        self._advanced_form = form = QFormLayout(self.advanced)
        form.setContentsMargins(18, 0, 0, 0)
        form.addRow(advanced_help)
        form.addRow(self.tr("C&lient ID:"), self.client_id)
        form.addRow(self.tr("&Redirect URI:"), self.redirect_uri)
        form.addRow(self.tr("A&uthority:"), self.authority)
        form.addRow(self.tr("&Graph address:"), self.graph)
        form.addRow(self.advanced_problem)
        self.advanced.hide()
        main = QFormLayout()
        under_tenant = QVBoxLayout()  # hidden lines take no room here, unlike form rows
        under_tenant.setContentsMargins(0, 0, 0, 4)
        for widget in (self.tenant, self.tenant_result, self.tenant_problem,
                       self.choose_at_sign_in):
            under_tenant.addWidget(widget)
        organisation_label = QLabel(self.tr("&Organisation:"), self)
        organisation_label.setBuddy(self.tenant)
        main.addRow(organisation_label, under_tenant)
        main.addRow(self.tr("&Cloud:"), self.cloud)
        layout = QVBoxLayout(self)
        layout.addWidget(self.help)
        layout.addLayout(main)
        layout.addWidget(self.advanced_toggle)
        layout.addWidget(self.advanced)
        layout.addStretch(1)
        self.advanced_toggle.toggled.connect(self._on_advanced_toggled)
        self._app_only = False
        self._person_help = self.help.text()
        self.managed_note = QLabel(self)  # what the IT policy sets here (apply_policy)
        self.managed_note.setTextFormat(Qt.TextFormat.PlainText)
        self.managed_note.setWordWrap(True)
        self.managed_note.setAccessibleName(self.tr("Set by your IT team"))
        self.managed_note.hide()
        layout.insertWidget(1, self.managed_note)

    def apply_policy(self, current) -> None:
        """The fields the IT policy sets (core.effective_settings): read-only, and said so;
        only the clouds it allows are offered."""
        managed = []
        clouds = current.value("allowed_clouds")
        if clouds:
            for index in reversed(range(self.cloud.count())):
                if Cloud(self.cloud.itemData(index)) not in clouds:
                    self.cloud.removeItem(index)
            managed.append(self.tr("the cloud") if len(clouds) == 1
                           else self.tr("which clouds can be chosen"))
            self._mark_managed(self.cloud)
            self.cloud.setEnabled(len(clouds) > 1)
        for key, edit, words in (("client_id", self.client_id, self.tr("the client ID")),
                                 ("redirect_uri", self.redirect_uri,
                                  self.tr("the redirect URI"))):
            if current[key].managed:
                edit.setReadOnly(True)
                edit.setFrame(False)  # reads as a fact, not a field to type in
                label = self._advanced_form.labelForField(edit)
                if label is not None:
                    label.setText(label.text().removesuffix(":")
                                  + self.tr(" (set by IT):"))
                self._mark_managed(edit)
                managed.append(words)
        if managed:
            listed = managed[0] if len(managed) == 1 else (
                ", ".join(managed[:-1]) + self.tr(" and ") + managed[-1])
            self.managed_note.setText(self.tr(
                "Set by your IT team: {fields}. Ask them if these are wrong for you.").format(
                fields=listed))
            self.managed_note.show()

    def _mark_managed(self, widget: QWidget) -> None:
        widget.setToolTip(self.tr("Set by your IT team"))
        widget.setAccessibleDescription(self.tr("Set by your IT team"))

    def show_policy_refusal(self, reason: str) -> bool:
        """Show why the IT policy refuses what was chosen, under the organisation; True when
        it refuses nothing."""
        if reason:
            show_problem(self.tenant_problem, reason)
            self.tenant_problem_delay.stop()
        return not reason

    def set_app_only(self, on: bool) -> None:
        """An app signs in to one organisation, named here; its client ID is asked on a
        page of its own (so the Advanced part keeps only the cloud's addresses)."""
        if on == self._app_only:
            return
        self._app_only = on
        if on:
            self.choose_at_sign_in.setChecked(False)
        self.choose_at_sign_in.setVisible(not on)
        for row in (1, 2):  # client ID, redirect URI
            self._advanced_form.setRowVisible(row, not on)
        if on:
            self._person_advanced_help = self.advanced_help.text()
        self.advanced_help.setText(self.tr(
            "The app registration's client ID is asked on the next page. Change the "
            "authority and Graph address only for a custom or test cloud."
        ) if on else self._person_advanced_help)
        self.help.setText(self.tr(
            "Type the Microsoft 365 domain (for example contoso.com) or the tenant ID of the "
            "organisation whose app registration signs in. An app signs in to that one "
            "organisation only.") if on else self._person_help)
        self._tenant_problem_due = True
        self.completeChanged.emit()

    def _line(self, name: str, text: str, parent: QWidget | None = None) -> QLineEdit:
        edit = QLineEdit(text, parent or self)
        edit.setAccessibleName(name)
        edit.textChanged.connect(self.completeChanged)
        return edit

    def _tenant_problem_now(self) -> None:
        self.tenant_problem_delay.stop()
        self._tenant_problem_due = True
        self.completeChanged.emit()

    def _on_choose_toggled(self, choose: bool) -> None:
        self.tenant.setEnabled(not choose)  # what was typed stays, for unticking again
        self.completeChanged.emit()

    def _on_advanced_toggled(self, shown: bool) -> None:
        self.advanced.setVisible(shown)
        self.advanced_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.advanced_toggle.setAccessibleName(
            self.tr("Hide advanced settings") if shown else self.tr("Show advanced settings"))

    def show_advanced(self) -> None:
        self.advanced_toggle.setChecked(True)

    # --- values ----------------------------------------------------------------------------

    def tenant_value(self) -> str:
        """The tenant to store; TenantError (saying what is accepted) if there is none."""
        if self.choose_at_sign_in.isChecked():
            return DEFAULT_TENANT
        return parse_tenant(self.tenant.text())

    def _tenant_meaning(self, tenant: str) -> str:
        if tenant == DEFAULT_TENANT:
            return self.tr("You choose the organisation when you sign in")
        if is_guid(tenant):
            return self.tr("Signs in to the organisation with tenant ID {id}").format(id=tenant)
        shown = unicode_domain(tenant)
        if shown != tenant:  # an international name: its xn-- form shows a look-alike
            return self.tr("Signs in to {domain} ({ascii})").format(domain=shown, ascii=tenant)
        return self.tr("Signs in to {domain}").format(domain=tenant)

    def cloud_value(self) -> Cloud:
        return Cloud(self.cloud.currentData())  # Qt hands the StrEnum back as a str

    def client_id_value(self) -> str:
        return canonical_uuid(self.client_id.text().strip())

    def redirect_uri_value(self) -> str:
        return self.redirect_uri.text().strip() or DEFAULT_REDIRECT_URI

    def authority_value(self) -> str | None:
        return normalize_authority(self.authority.text(), self.cloud_value())

    def graph_value(self) -> str | None:
        return normalize_graph_endpoint(self.graph.text(), self.cloud_value())

    def _advanced_error(self) -> str:
        try:
            if not self._app_only:  # app only: the credential page asks for it
                self.client_id_value()
        except ValueError:
            return self.tr("The client ID must be a GUID, like {example}.").format(
                example=DEFAULT_CLIENT_ID)
        try:
            check_redirect_uri(self.redirect_uri_value())
            self.authority_value()
            self.graph_value()
        except TenantError as exc:
            return str(exc)
        return ""

    def isComplete(self) -> bool:
        tenant_error = meaning = ""
        try:
            typed = self.tenant.text()
            if self._app_only and typed.strip() and not names_one_organisation(typed):
                raise TenantError(self.tr(
                    "\u201c{typed}\u201d names no one organisation, and an app signs in to "
                    "one organisation only. Type its domain (contoso.com) or its tenant "
                    "ID.").format(typed=typed.strip()[:60]))
            meaning = self._tenant_meaning(self.tenant_value())
        except TenantError as exc:
            # Nothing typed yet is no mistake: the placeholder says what goes there.
            tenant_error = str(exc) if self.tenant.text().strip() else ""
        if self.tenant.text() != self._tenant_checked:
            self._tenant_checked = self.tenant.text()
            # Typed (or pasted) by the person: wait for a pause; set by code: at once.
            self._tenant_problem_due = not self.tenant.isModified()
            if self.tenant.isModified():
                self.tenant_problem_delay.start()
        if not tenant_error or self._tenant_problem_due or self.tenant_problem.isVisible():
            show_problem(self.tenant_problem, tenant_error)
        self.tenant_result.setText(meaning)
        self.tenant_result.setAccessibleDescription(meaning)
        self.tenant.setAccessibleDescription(meaning)  # read out with the field itself
        self.tenant_result.setVisible(bool(meaning))
        advanced_error = self._advanced_error()
        show_problem(self.advanced_problem, advanced_error)
        if advanced_error and not self.advanced.isVisible():
            self.show_advanced()  # the problem is in there: never hide what blocks Next
        return bool(meaning) and not advanced_error
