"""Message boxes: the one blocking confirmation, and non-blocking notes and error details."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QWidget

from o365desk.core.connection import Connection
from o365desk.core.text import visible

# QMessageBox is imported where a box is made: its class and enums take ~2 ms to load,
# which the main window would otherwise spend before its first paint.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    informative: str,
    accept_label: str,
    accept_accessible_name: str,
) -> bool:
    """Ask before something that can't be undone; Cancel is the default and Esc answers it.

    Tests replace this function (monkeypatch dialogs.confirm) instead of clicking a modal box.
    """
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)  # names from the file, never HTML
    box.setText(printable(text))
    box.setInformativeText(printable(informative))
    box.setAccessibleName(title)
    accept = box.addButton(accept_label, QMessageBox.ButtonRole.DestructiveRole)
    accept.setAccessibleName(accept_accessible_name)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setAccessibleName(QCoreApplication.translate("Dialogs", "Cancel"))
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is accept


def confirm_delete(parent: QWidget | None, conn: Connection, keychain: str | None) -> bool:
    """Say exactly what deleting removes, and what it leaves alone; True to go ahead.

    `keychain` is the keychain's name once known, else None.
    """
    def tr(text: str) -> str:
        return QCoreApplication.translate("Dialogs", text)

    if conn.account is None:
        what = tr(
            "This removes the connection \u201c{name}\u201d from this computer. It has no "
            "saved sign-in."
        ).format(name=conn.nickname)
    else:
        what = tr(
            "This removes the connection \u201c{name}\u201d from this computer, and its "
            "saved sign-in for {user} (tokens in {where})."
        ).format(
            name=conn.nickname, user=conn.account.username, where=keychain or tr("the keychain")
        )
    unchanged = tr(
        "Nothing changes in your organisation or in the app registration: users, "
        "permissions and consents stay as they are."
    )
    return confirm(
        parent,
        tr("Delete connection"),
        tr("Delete \u201c{name}\u201d?").format(name=conn.nickname),
        what + "\n\n" + unchanged,
        tr("&Delete"),
        tr("Delete connection"),
    )


def sign_out_text(conn: Connection, keychain: str | None) -> str:
    """What signing out removes, and what it leaves, in plain words."""
    def tr(text: str) -> str:
        return QCoreApplication.translate("Dialogs", text)

    user = conn.account.username if conn.account else tr("the account")
    return tr(
        "This removes from this computer:\n"
        "\u2022 the sign-in tokens for {user}, kept in the keychain{where};\n"
        "\u2022 the account o365desk remembers for this connection.\n"
        "The sign-in page keeps no cookies: they are deleted after every sign-in.\n\n"
        "The connection stays, with its settings and permissions; sign in again to use it. "
        "Nothing changes in your organisation."
    ).format(user=user, where=f" ({keychain})" if keychain else "")


def confirm_sign_out(parent: QWidget | None, conn: Connection, keychain: str | None) -> bool:
    """Ask before removing a connection's saved sign-in; True to go ahead."""
    def tr(text: str) -> str:
        return QCoreApplication.translate("Dialogs", text)

    return confirm(
        parent,
        tr("Sign out"),
        tr("Sign out of \u201c{name}\u201d?").format(name=conn.nickname),
        sign_out_text(conn, keychain),
        tr("Sign &out"),
        tr("Sign out"),
    )


def inform(parent: QWidget | None, title: str, text: str, informative: str = "") -> QMessageBox:
    """A window-modal note that does not block the caller (open(), not exec())."""
    from PySide6.QtWidgets import QMessageBox

    box = _box(parent, QMessageBox.Icon.Information, title, text, informative)
    box.open()
    return box


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """A one-line answer, or None when cancelled."""
    from PySide6.QtWidgets import QInputDialog

    answer, ok = QInputDialog.getText(parent, title, printable(label), text=printable(text))
    return answer if ok else None


def show_details(
    parent: QWidget | None, title: str, text: str, detail: str, informative: str = ""
) -> QMessageBox:
    """A warning with the raw error one click away ("Show Details..."), for IT."""
    from PySide6.QtWidgets import QMessageBox

    box = _box(parent, QMessageBox.Icon.Warning, title, text, informative)
    box.setDetailedText(printable(
        detail or QCoreApplication.translate("Dialogs", "No further details.")))
    box.open()
    return box


def show_raw(parent: QWidget | None, title: str, text: str, raw: str) -> QMessageBox:
    """A warning whose raw error (for IT) is shown at once, selectable, not behind a button."""
    from PySide6.QtWidgets import QMessageBox

    informative = QCoreApplication.translate("Dialogs", "What the system said:") + "\n" + \
        printable(raw or QCoreApplication.translate("Dialogs", "No further details."))
    box = _box(parent, QMessageBox.Icon.Warning, title, text, informative)
    box.open()
    return box


def printable(text: str) -> str:
    """`text` with control and bidi characters as escapes, never raw (line breaks stay)."""
    return visible(text, keep_newlines=True)


def _box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, informative: str
) -> QMessageBox:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)  # a file's or server's words, never HTML
    box.setText(printable(text))
    box.setAccessibleName(title)
    if informative:
        box.setInformativeText(printable(informative))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    ok = box.addButton(QMessageBox.StandardButton.Ok)
    ok.setAccessibleName(QCoreApplication.translate("Dialogs", "OK"))
    box.setDefaultButton(ok)
    return box


# --- notes ---------------------------------------------------------------------------------


def about(parent: QWidget | None, version: str) -> None:
    inform(
        parent,
        QCoreApplication.translate("Dialogs", "About o365desk"),
        QCoreApplication.translate("Dialogs", "o365desk {version}").format(version=version),
        QCoreApplication.translate(
            "Dialogs",
            "A desktop connection manager for Microsoft 365 and Entra ID admin connections.",
        ),
    )


def bring_forward(window: QWidget | None) -> bool:
    """Raise a window that is already open and return True; False when none is showing."""
    if window is None or not window.isVisible():
        return False
    window.raise_()
    window.activateWindow()
    return True
