"""The New connection wizard started from a template: its values filled in, its locked
fields read-only; the person types a nickname and signs in. Real wizard, MSAL and
QtWebEngine against the fake, driven by key presses."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from o365desk.core import template as tpl
from o365desk.ui.message_bar import MessageBar
from o365desk.ui.wizard.new_connection import PageId
from tests.fakes.identity import DEFAULT_USERNAME
from tests.ui.wizard_helpers import sign_in_embedded

pytestmark = [
    pytest.mark.usefixtures("qasync_loop"),
    pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended"),
]

TENANT = "contoso.onmicrosoft.com"


def entry(**changes) -> tpl.TemplateEntry:
    data = {"nickname": "Payroll (suggested)", "description": "Payroll team",
            "tenant": TENANT, "scopes": ["User.Read", "Mail.Read"],
            "locked": ["tenant", "scopes"], **changes}
    doc = {"format": tpl.FORMAT, "version": 1, "connections": [data]}
    [one] = tpl.parse_bytes(json.dumps(doc).encode()).entries
    return one


def lock_notes(page) -> list[str]:
    return [bar.label.text() for bar in page.findChildren(MessageBar)
            if bar.property("template_lock_note") and bar.isVisibleTo(page)]


def test_locked_fields_are_read_only_and_the_saved_connection_has_the_templates_values(
        qtbot, make_wizard, fake_identity, services):
    wizard = make_wizard(template=entry())
    names = wizard.nickname_page
    assert names.nickname.text() == "Payroll (suggested)"
    assert names.description.text() == "Payroll team" and not names.description.isReadOnly()
    # Locked permissions fix the kind too: another kind would start them over.
    assert not names.person.isEnabled() and not names.app_only.isEnabled()
    names.nickname.setFocus()
    qtbot.keyClick(names.nickname, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(names.nickname, "Payroll")
    assert names.nickname.text() == "Payroll"
    qtbot.keyClick(names.nickname, Qt.Key.Key_Return)  # Next
    assert wizard.currentId() == PageId.ORGANISATION

    org = wizard.organisation_page
    assert org.tenant.text() == TENANT and org.tenant.isReadOnly()
    assert org.tenant.toolTip() == "Set by your IT team"
    assert not org.choose_at_sign_in.isEnabled()
    [note] = lock_notes(org)
    assert "Set by your IT team" in note and "organisation" in note
    org.tenant.setFocus()
    qtbot.keyClicks(org.tenant, "x")  # typing into a locked field changes nothing
    qtbot.keyClick(org.tenant, Qt.Key.Key_Backspace)
    assert org.tenant.text() == TENANT
    # The test's own plumbing: the fake stands in for Microsoft (not locked here).
    org.show_advanced()
    org.authority.setFocus()
    qtbot.keyClicks(org.authority, fake_identity.authority(TENANT))
    org.graph.setFocus()
    qtbot.keyClicks(org.graph, fake_identity.graph_url)
    qtbot.keyClick(org.graph, Qt.Key.Key_Return)
    assert wizard.currentId() == PageId.PERMISSIONS

    perms = wizard.permissions_page
    assert perms.scopes() == ["Mail.Read", "User.Read"]
    assert not perms.preset.isEnabled()
    assert "permissions" in lock_notes(perms)[0]
    perms.table.setFocus()
    perms.table.setCurrentIndex(perms.proxy.index(0, 0))
    qtbot.keyClick(perms.table, Qt.Key.Key_Space)  # would untick it, were it not locked
    assert perms.scopes() == ["Mail.Read", "User.Read"]
    qtbot.keyClick(perms.table, Qt.Key.Key_Return)  # Next
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SIGNIN, timeout=10000)

    sign_in_embedded(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=20000)
    qtbot.keyClick(QApplication.focusWidget() or wizard, Qt.Key.Key_S,
                   Qt.KeyboardModifier.AltModifier)  # "&Save connection"
    qtbot.waitUntil(lambda: wizard.saved_connection is not None, timeout=20000)
    [saved] = services.store.load()
    assert (saved.nickname, saved.tenant, set(saved.scopes), saved.description) == \
        ("Payroll", TENANT, {"User.Read", "Mail.Read"}, "Payroll team")
    assert saved.account.username == DEFAULT_USERNAME


def test_without_locks_every_field_can_still_be_changed(make_wizard):
    wizard = make_wizard(template=entry(locked=[], cloud="usgov", tenant="fabrikam.com"))
    org = wizard.organisation_page
    assert org.tenant.text() == "fabrikam.com" and not org.tenant.isReadOnly()
    assert org.cloud_value().value == "usgov" and org.cloud.isEnabled()
    assert wizard.nickname_page.person.isEnabled()
    assert lock_notes(org) == [] and lock_notes(wizard.nickname_page) == []
