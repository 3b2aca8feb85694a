"""The pieces the dialogs share (ui/form_parts.py): a caption's &-letter moves the focus to
its field, a masked field shows nothing, the main button and Cancel have screen-reader
names, Return accepts and Esc cancels; the proxy sign-in dialog built from them keeps its
names, mnemonics and Tab order."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
)

from o365desk.ui.form_parts import captioned_row, main_and_cancel, masked_line, read_only_table
from o365desk.ui.proxy_auth_dialog import ProxyAuthDialog

ALT = Qt.KeyboardModifier.AltModifier


def focused():
    return QApplication.focusWidget()


def shown(qtbot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


class Sample(QDialog):
    def __init__(self) -> None:
        super().__init__()
        self.accepted_by_ok = 0
        self.name = QLineEdit(self)
        self.secret = masked_line(self, "Secret")
        form = QFormLayout()
        self.name_caption = captioned_row(form, "&Name:", self.name, self)
        self.secret_caption = captioned_row(form, "S&ecret:", self.secret, self)
        self.table = read_only_table(self, QStringListModel(["one", "two"], self), "Rows")
        self.buttons, self.main = main_and_cancel(self, "&Go on", self._on_ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)

    def _on_ok(self) -> None:
        self.accepted_by_ok += 1
        self.accept()


def test_the_pieces_by_keyboard(qtbot):
    dialog = shown(qtbot, Sample())
    assert dialog.secret.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.secret.accessibleName() == "Secret"
    assert dialog.name_caption.buddy() is dialog.name
    assert dialog.secret_caption.buddy() is dialog.secret
    dialog.name.setFocus()
    qtbot.waitUntil(lambda: focused() is dialog.name)
    qtbot.keyClick(focused(), Qt.Key.Key_E, ALT)
    assert focused() is dialog.secret
    qtbot.keyClick(focused(), Qt.Key.Key_N, ALT)
    assert focused() is dialog.name
    assert dialog.table.accessibleName() == "Rows"
    assert dialog.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert dialog.table.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
    assert not dialog.table.verticalHeader().isVisible()
    assert dialog.main.text() == "&Go on" and dialog.main.accessibleName() == "Go on"
    assert dialog.buttons.buttonRole(dialog.main) == QDialogButtonBox.ButtonRole.AcceptRole
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.accessibleName() == "Cancel"
    qtbot.keyClicks(dialog.secret, "s3cret")
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    assert dialog.accepted_by_ok == 1 and dialog.result() == QDialog.DialogCode.Accepted


def test_esc_cancels_without_the_main_action(qtbot):
    dialog = shown(qtbot, Sample())
    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)
    assert dialog.accepted_by_ok == 0 and dialog.result() == QDialog.DialogCode.Rejected


def test_a_standard_main_button_keeps_its_kind(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    box, save = main_and_cancel(dialog, "&Save", dialog.accept,
                                QDialogButtonBox.StandardButton.Save)
    assert box.button(QDialogButtonBox.StandardButton.Save) is save
    assert save.text() == "&Save" and save.accessibleName() == "Save"


def test_the_proxy_dialog_keeps_its_names_mnemonics_and_tab_order(qtbot):
    dialog = shown(qtbot, ProxyAuthDialog("proxy.contoso.example:3128"))
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert ok is dialog.ok_button and ok.text() == "&Sign in to the proxy"
    assert ok.accessibleName() == "Sign in to the proxy"
    assert cancel.accessibleName() == "Cancel"
    assert dialog.username.accessibleName() == "User name"
    assert dialog.password.accessibleName() == "Password"
    assert dialog.password.maxLength() == 256
    qtbot.waitUntil(lambda: focused() is dialog.username)
    qtbot.keyClick(focused(), Qt.Key.Key_P, ALT)
    assert focused() is dialog.password
    qtbot.keyClick(focused(), Qt.Key.Key_U, ALT)
    assert focused() is dialog.username
    order = []
    for _ in range(4):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        order.append(focused())
    assert order == [dialog.password, ok, cancel, dialog.username]
