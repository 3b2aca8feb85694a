"""The New connection wizard making an app-only connection, by the keyboard alone: the
kind, the organisation, the app's client ID and secret, application permissions; then the
saved connection gets a token from the command line, against the fake's client
credentials grant over HTTPS, with the real Secret Service as the keychain."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWizard

from o365desk.auth.claims import decode_claims
from o365desk.catalog import get_catalog
from o365desk.core.connection import Kind
from o365desk.storage.vault import CLIENT_SECRET
from o365desk.ui.wizard.new_connection import NewConnectionWizard, PageId
from o365desk.ui.wizard.permissions_model import Col
from tests.e2e.test_cli_app_only import APP_ID, SECRET, cli_env, o365desk  # noqa: F401
from tests.ui.wizard_helpers import make_wizard  # noqa: F401 (fixture)

ALT = Qt.KeyboardModifier.AltModifier


def focused():
    return QApplication.focusWidget()


def type_here(qtbot, text: str) -> None:
    """Keys into whatever has the keyboard focus, as a person types."""
    qtbot.keyClicks(focused(), text)


def key(qtbot, which, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), which, modifier)


def enter(qtbot, wizard, then: PageId) -> None:
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.currentId() == then, timeout=10000)


def start(qtbot, wizard, nickname: str = "Payroll") -> None:
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)  # keyboard focus and shortcuts need this
    qtbot.waitUntil(lambda: focused() is wizard.nickname_page.nickname)
    type_here(qtbot, nickname)
    key(qtbot, Qt.Key.Key_A, ALT)  # "&App only, no person signs in"
    qtbot.waitUntil(wizard.nickname_page.app_only.isChecked)  # a mnemonic clicks soon after
    assert focused() is wizard.nickname_page.app_only
    enter(qtbot, wizard, PageId.ORGANISATION)
    qtbot.waitUntil(lambda: focused() is wizard.organisation_page.tenant)


def to_credential(qtbot, wizard, fake, tenant: str = "contoso.com") -> None:
    start(qtbot, wizard)
    org = wizard.organisation_page
    assert not org.choose_at_sign_in.isVisible()  # an app signs in to one organisation
    type_here(qtbot, tenant)
    # The fake stands in for Microsoft: its addresses go in the Advanced part, by keys.
    key(qtbot, Qt.Key.Key_A, ALT)
    qtbot.waitUntil(org.advanced.isVisible)
    assert not org.client_id.isVisible()  # asked on the app's own page instead
    assert org.advanced_help.text().startswith("The app registration's client ID is asked")
    key(qtbot, Qt.Key.Key_U, ALT)
    assert focused() is org.authority
    type_here(qtbot, fake.authority(tenant))
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is org.graph
    type_here(qtbot, fake.graph_url)
    enter(qtbot, wizard, PageId.APP_CREDENTIAL)
    qtbot.waitUntil(lambda: focused() is wizard.app_credential_page.client_id)


@pytest.fixture
def app_wizard(make_wizard, secret_service_vault):  # noqa: F811
    return make_wizard(vault_factory=lambda: secret_service_vault)


@pytest.mark.usefixtures("qasync_loop")
def test_an_app_only_connection_made_by_keyboard_gets_a_token(
        qtbot, app_wizard, fake_identity, cli_env, secret_service_vault):  # noqa: F811
    fake_identity.register_app(APP_ID, SECRET, roles=("User.Read.All",))
    wizard = app_wizard
    to_credential(qtbot, wizard, fake_identity)
    page = wizard.app_credential_page
    type_here(qtbot, APP_ID)
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is page.use_secret and page.use_secret.isChecked()  # the usual kind
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is page.secret
    QGuiApplication.clipboard().setText(SECRET)
    key(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)  # pasted, as from Entra
    assert page.secret.text() == SECRET and page.secret.displayText() != SECRET  # masked
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is page.expires
    type_here(qtbot, "2099-06-30")
    enter(qtbot, wizard, PageId.PERMISSIONS)
    permissions = wizard.permissions_page
    assert permissions.model.application and not permissions.preset.isVisible()
    assert permissions.scopes() == []  # nothing chosen for the app until ticked
    key(qtbot, Qt.Key.Key_S, ALT)  # "&Search:"
    assert focused() is permissions.search
    type_here(qtbot, "User.Read.All")
    key(qtbot, Qt.Key.Key_Return)  # to the best match, not Next
    assert focused() is permissions.table and wizard.currentId() == PageId.PERMISSIONS
    best = permissions.table.currentIndex()
    assert best.data() == "User.Read.All"
    role = best.siblingAtColumn(Col.ADMIN).data()
    assert role == get_catalog().require("User.Read.All").application.id  # its app role ID
    key(qtbot, Qt.Key.Key_Space)
    assert permissions.scopes() == ["User.Read.All"]
    assert not wizard.button(QWizard.WizardButton.CustomButton1).isVisible()  # no sign-in
    permissions.search.setFocus()  # back in the search box, Enter goes to the list ...
    key(qtbot, Qt.Key.Key_Tab)  # ... so Tab on, and Enter there is Next
    enter(qtbot, wizard, PageId.APP_SUMMARY)  # saved (off the GUI thread) on the way

    saved = services_connection(wizard)
    assert saved.kind == Kind.APP_ONLY and saved.tenant == "contoso.com"
    assert saved.client_id == APP_ID and saved.scopes == ("User.Read.All",)
    assert saved.credential.expires_at.strftime("%Y-%m-%d") == "2099-06-30"
    assert secret_service_vault.get(saved.id, CLIENT_SECRET) == SECRET
    summary = wizard.app_summary_page
    assert "an administrator of the organisation must grant consent" in summary.help.text()
    assert "Test connection" in summary.help.text()
    assert summary.permissions.text() == "User.Read.All"
    assert "expires on 2099-06-30" in summary.secret.text()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()
    assert focused() is summary.copy_consent
    key(qtbot, Qt.Key.Key_Space)
    link = QGuiApplication.clipboard().text()
    assert "/contoso.com/v2.0/adminconsent?" in link and f"client_id={APP_ID}" in link
    assert "scope=https%3A%2F%2Fgraph.microsoft.com%2F.default" in link
    assert summary.copied.text() == "Copied \u2013 send it to an administrator"
    from tests.ui.test_colours_and_screen_readers import hidden_label_texts

    assert hidden_label_texts(summary) == []  # each value is read as shown
    key(qtbot, Qt.Key.Key_Left, ALT)  # no way back to saving it twice
    wizard.back()  # nor by code (a button's "back to the settings")
    assert wizard.currentId() == PageId.APP_SUMMARY
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.text() == "&Close" and finish.accessibleName() == "Close"  # saved already
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.isVisible())

    token = o365desk(cli_env, "token", "Payroll")
    assert token.returncode == 0, token.stderr
    claims = decode_claims(token.stdout.strip())
    assert claims.app_only and claims.scopes == ("User.Read.All",)
    sent = fake_identity.requests_to("/oauth2/v2.0/token", "POST")
    assert sent[-1].form["grant_type"] == "client_credentials"
    assert sent[-1].form["client_id"] == APP_ID


def services_connection(wizard: NewConnectionWizard):
    return wizard.services.store.find("Payroll")


def test_organizations_is_refused_for_an_app(qtbot, make_wizard):  # noqa: F811
    wizard = make_wizard()
    start(qtbot, wizard)
    org = wizard.organisation_page
    for typed in ("organizations", "common"):
        org.tenant.clear()
        type_here(qtbot, typed)
        org.tenant.editingFinished.emit()  # the field left: the problem shows at once
        assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
        assert org.tenant_problem.isVisible()
        assert f"\u201c{typed}\u201d names no one organisation" in org.tenant_problem.text()
        assert "an app signs in to one organisation only" in org.tenant_problem.text()
    key(qtbot, Qt.Key.Key_Return)
    assert wizard.currentId() == PageId.ORGANISATION


def test_a_bad_client_id_and_an_empty_secret_are_refused(qtbot, make_wizard,  # noqa: F811
                                                        fake_identity):
    wizard = make_wizard()
    to_credential(qtbot, wizard, fake_identity)
    page = wizard.app_credential_page
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    type_here(qtbot, "not-a-guid")
    assert not next_button.isEnabled() and page.client_id_problem.isVisible()
    assert page.client_id_problem.text().startswith("That is not a client ID.")
    assert "Application (client) ID" in page.client_id_problem.text()
    page.client_id.clear()
    type_here(qtbot, APP_ID)
    assert next_button.isEnabled() and not page.client_id_problem.isVisible()
    enter(qtbot, wizard, PageId.APP_CREDENTIAL)  # Enter with no secret: refused, in words
    assert page.secret_problem.isVisible()
    assert "Paste the client secret's value" in page.secret_problem.text()
    assert focused() is page.secret
    type_here(qtbot, "8d2f1a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b")  # the secret's ID, not its value
    key(qtbot, Qt.Key.Key_Return)
    assert wizard.currentId() == PageId.APP_CREDENTIAL
    assert "That is the secret's ID, not the secret itself" in page.secret_problem.text()
    page.secret.clear()
    type_here(qtbot, SECRET)
    key(qtbot, Qt.Key.Key_Tab)
    type_here(qtbot, "2001-01-01")  # already past
    assert not next_button.isEnabled() and "already past" in page.expires_problem.text()
    assert services_store_empty(wizard)


def services_store_empty(wizard) -> bool:
    return wizard.services.store.connections == []


def test_back_to_a_signed_in_person_gives_delegated_permissions_again(qtbot, make_wizard,  # noqa: F811
                                                                       fake_identity):
    wizard = make_wizard()
    to_credential(qtbot, wizard, fake_identity)
    type_here(qtbot, APP_ID)
    key(qtbot, Qt.Key.Key_E, ALT)  # "Client s&ecret:"
    type_here(qtbot, SECRET)
    enter(qtbot, wizard, PageId.PERMISSIONS)
    assert wizard.permissions_page.model.application
    for _ in range(3):
        wizard.back()
    assert wizard.currentId() == PageId.NICKNAME
    key(qtbot, Qt.Key.Key_P, ALT)  # "Signed-in &person"
    qtbot.waitUntil(wizard.nickname_page.person.isChecked)
    assert not wizard.permissions_page.model.application
    assert wizard.permissions_page.scopes() == ["User.Read"]  # the usual start again
    org = wizard.organisation_page
    assert org.choose_at_sign_in.isVisibleTo(org)
    assert org.client_id.isVisibleTo(org) and "unless you change the client ID" in \
        org.advanced_help.text()


def test_the_app_only_pages_read_as_shown_and_name_every_field(qtbot, make_wizard,  # noqa: F811
                                                                fake_identity):
    from PySide6.QtWidgets import QAbstractButton, QLineEdit

    from tests.ui.test_colours_and_screen_readers import hidden_label_texts

    wizard = make_wizard()
    to_credential(qtbot, wizard, fake_identity)
    type_here(qtbot, APP_ID)
    key(qtbot, Qt.Key.Key_E, ALT)  # "Client s&ecret:"
    type_here(qtbot, SECRET)
    pages = [wizard.nickname_page, wizard.organisation_page, wizard.app_credential_page]
    enter(qtbot, wizard, PageId.PERMISSIONS)
    pages.append(wizard.permissions_page)
    for page in pages:
        if page is not wizard.organisation_page:  # its "signed in to" line is named so
            assert hidden_label_texts(page) == [], type(page).__name__
        for field in page.findChildren(QLineEdit) + page.findChildren(QAbstractButton):
            if field.isVisibleTo(page) and field.parent() is not None and \
                    not isinstance(field.parent(), QLineEdit):  # a line edit's own buttons
                assert field.accessibleName(), f"{type(page).__name__}: {field!r}"
    assert wizard.nickname_page.app_only.accessibleDescription().startswith(
        "Your organisation's own app registration")


@pytest.mark.usefixtures("qasync_loop")
def test_a_nickname_taken_meanwhile_leads_back_to_it_and_keeps_no_secret(
        qtbot, make_wizard, fake_identity, dialog_log, keyring_backend):  # noqa: F811
    from o365desk.core.connection import Connection

    wizard = make_wizard()
    to_credential(qtbot, wizard, fake_identity)
    type_here(qtbot, APP_ID)
    key(qtbot, Qt.Key.Key_E, ALT)  # "Client s&ecret:"
    type_here(qtbot, SECRET)
    enter(qtbot, wizard, PageId.PERMISSIONS)
    wizard.permissions_page.set_scopes(["User.Read.All"])
    wizard.services.store.add(Connection("Payroll", tenant="contoso.com"))  # elsewhere
    wizard.next()
    qtbot.waitUntil(lambda: bool(dialog_log.infos), timeout=10000)
    [info] = dialog_log.infos
    assert info["text"].startswith("The connection was not saved.")
    assert "Payroll" in info["text"]
    assert wizard.currentId() == PageId.NICKNAME  # where it is changed
    assert [c.kind for c in wizard.services.store.connections] == [Kind.DELEGATED]
    assert not [u for u in keyring_backend.usernames("o365desk") if "client-secret" in u]
