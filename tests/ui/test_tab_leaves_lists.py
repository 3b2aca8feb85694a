"""Tab leaves every list of the new pages and dialogs, as in any list box: a keyboard user
who tabs into the permissions, a template's preview, the managed settings or the summary's
permissions is not kept there cell by cell (arrows move inside; Tab goes on)."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView

from o365desk.ui.wizard.new_connection import PageId
from tests.ui.test_template_window import ONE, choose_from_the_file_menu, preview_dialog
from tests.ui.test_wizard_app_only import enter, focused, key, type_here
from tests.ui.wizard_helpers import make_wizard  # noqa: F401 (fixture)


def tab_leaves(qtbot, table: QTableView) -> None:
    table.setFocus()
    qtbot.waitUntil(lambda: focused() is table)
    key(qtbot, Qt.Key.Key_Down)  # arrows still move in the list
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is not table, "Tab stayed in the list"
    key(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is table  # and Shift+Tab comes back


def test_tab_leaves_the_wizards_permissions(qtbot, make_wizard):  # noqa: F811
    wizard = make_wizard()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    qtbot.waitUntil(lambda: focused() is wizard.nickname_page.nickname)
    type_here(qtbot, "Payroll")
    enter(qtbot, wizard, PageId.ORGANISATION)
    type_here(qtbot, "contoso.com")
    enter(qtbot, wizard, PageId.PERMISSIONS)
    tab_leaves(qtbot, wizard.permissions_page.table)


def test_tab_leaves_a_templates_preview(qtbot, make_window, monkeypatch, tmp_path):
    path = tmp_path / "payroll.o365template"
    path.write_text(json.dumps(ONE))
    window, _controller = make_window([])
    choose_from_the_file_menu(qtbot, window, monkeypatch, path)
    dialog = preview_dialog(qtbot, window)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    tab_leaves(qtbot, dialog.table)


def test_tab_leaves_the_managed_settings(qtbot, make_window):
    window, controller = make_window([])
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=5000)
    qtbot.keyClick(QApplication.activePopupWidget(), Qt.Key.Key_M)  # "&Managed settings…"
    qtbot.waitUntil(lambda: controller.policy.dialog is not None
                    and controller.policy.dialog.isVisible(), timeout=5000)
    dialog = controller.policy.dialog
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    tab_leaves(qtbot, dialog.table)


def test_tab_leaves_the_summarys_permissions(qtbot):
    from PySide6.QtGui import QStandardItem

    from o365desk.ui.wizard.summary_page import SummaryPage

    page = SummaryPage(None)  # its table alone: no sign-in needed to Tab through it
    qtbot.addWidget(page)
    for name in ("User.Read", "Mail.Send"):
        page.model.appendRow([QStandardItem(name), QStandardItem("granted")])
    page.copy_consent.show()
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    tab_leaves(qtbot, page.table)


def test_tab_goes_along_the_wizards_buttons_as_they_are_shown(qtbot, make_wizard):  # noqa: F811
    from PySide6.QtWidgets import QWizard

    wizard = make_wizard()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    qtbot.waitUntil(lambda: focused() is wizard.nickname_page.nickname)
    page = wizard.nickname_page
    type_here(qtbot, "Payroll")
    seen = []
    for _ in range(5):
        key(qtbot, Qt.Key.Key_Tab)
        seen.append(focused())
    assert seen == [page.description, page.person, wizard.button(QWizard.WizardButton.NextButton),
                    wizard.button(QWizard.WizardButton.CancelButton), page.nickname]
    enter(qtbot, wizard, PageId.ORGANISATION)
    type_here(qtbot, "contoso.com")
    enter(qtbot, wizard, PageId.PERMISSIONS)
    wizard.permissions_page.table.setFocus()
    seen = []
    for _ in range(5):
        key(qtbot, Qt.Key.Key_Tab)
        seen.append(focused())
    # Left to right, as on the screen: Save without signing in, Back, Next, Cancel.
    assert seen == [wizard.button(QWizard.WizardButton.CustomButton1),
                    wizard.button(QWizard.WizardButton.BackButton),
                    wizard.button(QWizard.WizardButton.NextButton),
                    wizard.button(QWizard.WizardButton.CancelButton),
                    wizard.permissions_page.preset]
