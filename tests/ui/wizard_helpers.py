"""Driving the New connection wizard in tests: fill each page, click Next, sign in."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from o365desk.services import Services
from o365desk.storage.vault import SERVICE
from o365desk.ui.wizard.new_connection import NewConnectionWizard, PageId
from tests.fakes.identity import DEFAULT_PASSWORD, DEFAULT_USERNAME
from tests.ui.webengine_helpers import click, fill_sign_in


@pytest.fixture
def make_wizard(qtbot, services, fake_identity, monkeypatch):
    """A wizard whose connection signs in at the fake (its CA trusted via the env)."""
    monkeypatch.setenv("O365DESK_EXTRA_CA_CERTS", fake_identity.ca_pem_path)
    made = []

    def make(vault_factory=None, **options) -> NewConnectionWizard:
        """`vault_factory`: another keychain for the same store (say, none at all)."""
        chosen = services if vault_factory is None else \
            Services(services.store, vault_factory=vault_factory)
        wizard = NewConnectionWizard(chosen, **options)
        qtbot.addWidget(wizard)
        wizard.show()
        made.append(wizard)
        return wizard

    yield make
    for wizard in made:
        wizard.signin_page.stop()


def press_next(qtbot, wizard) -> None:
    button = wizard.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled(), f"Next is disabled on page {wizard.currentId()}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def fill_to_permissions(qtbot, wizard, fake, nickname: str = "Contoso admin",
                        tenant: str = "contoso.onmicrosoft.com") -> None:
    """Nickname and organisation (pointed at the fake through Advanced), then Next."""
    assert wizard.currentId() == PageId.NICKNAME
    qtbot.keyClicks(wizard.nickname_page.nickname, nickname)
    press_next(qtbot, wizard)
    org = wizard.organisation_page
    org.tenant.setText(tenant)
    org.show_advanced()
    org.authority.setText(fake.authority(tenant))
    org.graph.setText(fake.graph_url)
    press_next(qtbot, wizard)
    assert wizard.currentId() == PageId.PERMISSIONS


def fill_to_signin(qtbot, wizard, fake, scopes=("User.Read", "User.Read.All"), **kw) -> None:
    fill_to_permissions(qtbot, wizard, fake, **kw)
    wizard.permissions_page.set_scopes(scopes)
    press_next(qtbot, wizard)
    assert wizard.currentId() == PageId.SIGNIN


def sign_in_embedded(qtbot, wizard, username: str = DEFAULT_USERNAME,
                     password: str = DEFAULT_PASSWORD, consent: bool = True) -> None:
    view = wizard.signin_page.view
    qtbot.waitUntil(lambda: view.running, timeout=15000)
    fill_sign_in(qtbot, view, username, password)
    if consent:
        click(qtbot, view, "accept")


def vault_entries(keyring_backend, connection_id: str) -> set[str]:
    return {u for u in keyring_backend.usernames(SERVICE) if u.startswith(connection_id)}


def discard_question(qtbot, wizard):
    """The "Discard this new connection?" box the wizard has open (waits for it)."""
    qtbot.waitUntil(lambda: wizard.discard_question is not None
                    and wizard.discard_question.isVisible(), timeout=5000)
    return wizard.discard_question


def answer_discard_question(qtbot, wizard, discard: bool) -> None:
    box = discard_question(qtbot, wizard)
    button = box.discard_button if discard else box.keep_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)
