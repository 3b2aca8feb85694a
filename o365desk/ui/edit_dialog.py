"""Edit connection: the description and the permissions a saved connection asks for."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from o365desk import usecases
from o365desk.core.connection import Connection, Kind
from o365desk.core.connection_rules import DESCRIPTION_MAX
from o365desk.core.text import visible
from o365desk.services import Services
from o365desk.ui.async_runner import TaskRunner, off_gui_thread
from o365desk.ui.wizard.common import help_label, problem_label, show_problem
from o365desk.ui.wizard.permissions_page import PermissionsPage

log = logging.getLogger(__name__)


class EditConnectionDialog(QDialog):
    """The same permission picker as the wizard, presets and search included, plus a box
    for a pasted scope string. Saving a permission added to a signed-in connection leads
    straight into signing in again, which approves it."""

    saved = Signal(object)  # usecases.EditResult

    def __init__(self, services: Services, connection: Connection, parent=None, *,
                 tick: Iterable[str] = ()) -> None:
        super().__init__(parent)
        self.services = services
        self.connection = connection
        self.runner = TaskRunner(self)
        self._saving = False
        self._order: list[str] = [*connection.scopes, *tick]
        self.setWindowTitle(self.tr("Edit \u201c{name}\u201d").format(
            name=visible(connection.nickname)))
        self.help = help_label(self.tr(
            "Change what this connection is for and the permissions it asks for. Its "
            "organisation and sign-in stay as they are."), self, self.tr("About editing"))
        self.description = QLineEdit(connection.description, self)
        self.description.setMaxLength(DESCRIPTION_MAX)
        self.description.setAccessibleName(self.tr("Description (optional)"))
        self.description.setPlaceholderText(self.tr("Optional: a note for yourself"))
        # An app-only connection's permissions are application ones (app roles).
        self.app_only = connection.kind == Kind.APP_ONLY
        if self.app_only:
            self.help.setText(self.tr(
                "Change what this connection is for and the application permissions it "
                "lists. Its organisation, app and secret stay as they are."))
        self.permissions = PermissionsPage(self, application=self.app_only)
        self.permissions.help.hide()  # the wizard's words about choosing for the first time
        self.paste = QLineEdit(self)
        self.paste.setAccessibleName(self.tr("Paste permission names"))
        self.paste.setPlaceholderText(self.tr("Paste names to tick, e.g. User.Read Mail.Send"))
        self.paste_button = QPushButton(self.tr("&Tick these"), self)
        self.paste_button.setToolTip(self.tr("Tick the pasted permissions in the list"))
        self.paste_problem = problem_label(self, self.tr("Pasted permissions problem"))
        self.change_note = QLabel(self)
        self.change_note.setWordWrap(True)
        self.problem = problem_label(self, self.tr("Saving problem"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("Cancel"))
        form = QFormLayout()
        label = QLabel(self.tr("&Description:"), self)
        label.setBuddy(self.description)
        form.addRow(label, self.description)
        paste_form = QFormLayout()
        paste_row = QHBoxLayout()
        paste_row.addWidget(self.paste, 1)
        paste_row.addWidget(self.paste_button)
        paste_label = QLabel(self.tr("&Paste names:"), self)
        paste_label.setBuddy(self.paste)
        paste_form.addRow(paste_label, paste_row)
        paste_form.addRow("", self.paste_problem)
        self.permissions.layout().setContentsMargins(0, 0, 0, 0)  # aligned with the rest
        layout = QVBoxLayout(self)
        layout.addWidget(self.help)
        layout.addLayout(form)
        layout.addWidget(self.permissions, 1)
        layout.addLayout(paste_form)
        layout.addWidget(self.change_note)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.permissions.load()
        self.permissions.start_with([*connection.scopes, *tick])
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        self.paste_button.clicked.connect(self._on_paste)
        self.paste.returnPressed.connect(self._on_paste)
        self.permissions.model.selection_changed.connect(self._on_scopes_changed)
        self.description.setFocus()
        self._on_scopes_changed()
        self.resize(820, 680)

    def keyPressEvent(self, event) -> None:
        """Enter in the paste box ticks what was pasted (or says what is wrong with it); it
        doesn't also press Save, which would close the dialog without the pasted names."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.paste.hasFocus():
            event.accept()
            return
        super().keyPressEvent(event)

    # --- what is chosen ------------------------------------------------------------------

    def scopes(self) -> list[str]:
        """The ticked permissions: the connection's own in their order, then the new ones
        in the order they were ticked (or pasted), as the command line keeps them."""
        chosen = self.permissions.scopes()
        self._order += [s for s in chosen if s not in self._order]
        return [s for s in self._order if s in chosen]

    def added(self) -> list[str]:
        """Chosen permissions the last sign-in did not ask for (as usecases.edit counts)."""
        conn = self.connection
        approved = conn.approved_scopes if conn.approved_scopes is not None else conn.scopes
        draft = conn.replace(scopes=tuple(self.scopes()), approved_scopes=approved)
        return list(draft.awaiting_approval())

    def _on_scopes_changed(self) -> None:
        added = self.added()
        if self.app_only:  # no one signs in: an administrator grants them instead
            added = [s for s in self.scopes() if s not in self.connection.scopes]
            self.change_note.setText(self.tr(
                "Adding {names}. An administrator must grant consent to {it_or_them} before "
                "the app can use {it_or_them}; Test connection names any not granted yet."
            ).format(names=", ".join(added), it_or_them=self.tr("it") if len(added) == 1
                     else self.tr("them")) if added else "")
            self.save_button.setText(self.tr("&Save"))
        elif added:
            self.change_note.setText(self.tr(
                "Adding {names}. After saving you sign in again to approve "
                "{it_or_them}.").format(names=", ".join(added),
                                        it_or_them=self.tr("it") if len(added) == 1
                                        else self.tr("them")))
            self.save_button.setText(self.tr("&Save and sign in again\u2026"))
        else:
            self.change_note.setText("")
            self.save_button.setText(self.tr("&Save"))
        self.change_note.setVisible(bool(added))
        none = not self.scopes()
        self.save_button.setEnabled(not none and not self._saving)
        self.save_button.setToolTip(self.tr("Choose at least one permission first.")
                                    if none else "")

    def _on_paste(self) -> None:
        from o365desk.catalog.scope_input import (
            UnknownScopeError,
            check_scopes,
            parse_scope_list,
        )

        text = self.paste.text()
        if not text.strip():
            show_problem(self.paste_problem, self.tr(
                "Paste or type permission names first, separated by spaces or commas."))
            return
        try:
            names = check_scopes(parse_scope_list(text))
        except UnknownScopeError as exc:
            show_problem(self.paste_problem, self._unknown_text(exc))
            return
        if self.app_only and (problem := self._without_application(names)):
            show_problem(self.paste_problem, problem)
            return
        show_problem(self.paste_problem, "")
        current = self.scopes()
        self._order += [n for n in names if n not in self._order]
        self.permissions.set_scopes([*current, *names])
        self.paste.clear()

    def _without_application(self, names) -> str:
        """Why pasted names can't be an app-only connection's (no application variant);
        "" when each can."""
        catalog = self.permissions.model.catalog
        lacking = [n for n in names if (p := catalog.get(n)) is not None
                   and p.application is None]
        if not lacking:
            return ""
        return self.tr(
            "{names}: no application variant, so an app on its own can't be given "
            "{it_or_them}. Nothing was ticked: search the list above for application "
            "permissions.").format(names=", ".join(lacking), it_or_them=self.tr("it") if
                                   len(lacking) == 1 else self.tr("them"))

    def _unknown_text(self, exc) -> str:
        sentences = []
        for name, suggestions in exc.unknown:
            shown = name if len(name) <= 60 else name[:59] + "\u2026"
            shown = "".join(c if c.isprintable() else "\ufffd" for c in shown)
            sentence = self.tr("\u201c{name}\u201d is not a Microsoft Graph permission.") \
                .format(name=shown)
            if suggestions:
                sentence += " " + self.tr("Did you mean {names}?").format(
                    names=self.tr(" or ").join(suggestions))
            sentences.append(sentence)
        return " ".join(sentences) + " " + self.tr(
            "Nothing was ticked: correct the names, or search the list above.")

    # --- saving --------------------------------------------------------------------------

    def _on_save(self) -> None:
        if self._saving or not self.scopes():
            return
        self._saving = True
        self.save_button.setEnabled(False)
        show_problem(self.problem, "")
        self.runner.start(self._save())

    async def _save(self) -> None:
        from o365desk.storage.store import StoreError

        # Only what was changed here: a change made meanwhile elsewhere (the command line,
        # another window) to the other field stays.
        scopes = tuple(self.scopes())
        description = self.description.text()
        edit = functools.partial(
            usecases.edit, self.services, self.connection.id,
            description=None if description == self.connection.description else description,
            scopes=None if scopes == tuple(self.connection.scopes) else scopes)
        try:
            result: Any = await off_gui_thread(edit)
        except (StoreError, ValueError) as exc:
            show_problem(self.problem, self.tr("Nothing was changed. {reason}").format(
                reason=exc))
            return
        except Exception:  # a bug or a surprise: still a message, and Save back
            log.error("saving an edited connection failed unexpectedly", exc_info=True)
            show_problem(self.problem, self.tr(
                "Nothing was changed: something unexpected went wrong. Try again; if it "
                "happens again, send the log to your IT contact (Help menu)."))
            return
        finally:
            self._saving = False
            self._on_scopes_changed()
        self.saved.emit(result)
        self.accept()

    def reject(self) -> None:
        if not self._saving:  # Escape or Cancel while saving: the save finishes first
            super().reject()
