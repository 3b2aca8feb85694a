"""Slots for the selection and export tabs: presets, adding and removing, copy and save."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, Signal
from PySide6.QtGui import QGuiApplication

from o365desk.catalog import export
from o365desk.catalog.model import DELEGATED, PermissionStatus
from o365desk.catalog.presets import PRESETS
from o365desk.ui.message_bar import Level
from o365desk.ui.scopes import export_panel
from o365desk.ui.scopes.export_panel import MANIFEST
from o365desk.ui.scopes.selection_model import (
    FlagRole,
    KindRole,
    NameRole,
    make_selection_proxy,
)

_DEFAULT_DIR = Path.home()


class SelectionController(QObject):
    """Owns the SelectionModel; the browser controller tells it which catalog to use."""

    show_permission = Signal(str)  # a selection row asked to be shown in the tree

    def __init__(self, window, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.catalog = None
        self.model, self.proxy = make_selection_proxy(self)
        self._bad: list[tuple[str, str]] = []  # items the current export can't take
        self._applied = None  # the preset last applied, while the selection started from it
        panel, exp = window.selection, window.export
        panel.set_model(self.proxy)
        self.remove_bad_button = exp.problem_bar.add_button(
            self.tr("Remove from the selection"),
            self.tr("Remove the permissions that can't be exported"))
        panel.preset_combo.currentIndexChanged.connect(self._on_preset_changed)
        panel.apply_button.clicked.connect(self._on_apply_preset)
        panel.remove_button.clicked.connect(self._on_remove_chosen)
        panel.delete_shortcut.activated.connect(self._on_remove_chosen)
        panel.clear_button.clicked.connect(self._on_clear)
        panel.show_button.clicked.connect(self._on_show_chosen)
        panel.table.activated.connect(self._on_row_activated)
        panel.only_flagged_button.toggled.connect(self._on_only_flagged)
        exp.formats.buttonToggled.connect(self._on_format_changed)
        exp.copy_button.clicked.connect(self._on_copy_export)
        exp.save_button.clicked.connect(self._on_save_export)
        self.remove_bad_button.clicked.connect(self._on_remove_bad)
        window.act_new_connection.triggered.connect(self._on_new_connection)
        self.model.selection_changed.connect(self._on_selection_changed)
        self._on_preset_changed(panel.preset_combo.currentIndex())
        self._update_new_connection()

    def set_catalog(self, catalog) -> None:
        self.catalog = catalog
        self.model.set_catalog(catalog)  # emits selection_changed, which refreshes

    # --- editing -------------------------------------------------------------------------

    def toggle(self, name: str, kind: str) -> None:
        if not self.model.remove(name, kind):
            self.model.add(name, kind)

    def add(self, name: str, kind: str) -> bool:
        return self.model.add(name, kind)

    def apply_preset(self, key: str) -> None:
        preset = next(p for p in PRESETS if p.key == key)
        self._applied = preset
        self.model.set_items(preset.selection())

    def _on_preset_changed(self, row: int) -> None:
        if 0 <= row < len(PRESETS):
            preset = PRESETS[row]
            self.window.selection.preset_summary.setText(self.tr(
                "{summary} All {count} are granted as {kind} permissions.").format(
                summary=preset.summary, count=len(preset.scopes), kind=preset.kind))

    def _on_apply_preset(self) -> None:
        key = self.window.selection.preset_combo.currentData()
        if key:
            self.apply_preset(key)
            self.window.selection.table.setFocus()

    def _chosen(self) -> list[tuple[str, str]]:
        table = self.window.selection.table
        rows = table.selectionModel().selectedRows() if table.selectionModel() else []
        if not rows and table.currentIndex().isValid():
            rows = [table.currentIndex()]
        return [(i.data(NameRole), i.data(KindRole)) for i in rows]

    def _on_remove_chosen(self) -> None:
        table = self.window.selection.table
        row = table.currentIndex().row()
        for name, kind in self._chosen():
            self.model.remove(name, kind)
        if self.proxy.rowCount():
            table.setCurrentIndex(self.proxy.index(min(max(row, 0), self.proxy.rowCount() - 1),
                                                   0))

    def _on_clear(self) -> None:
        self.model.set_items([])

    def _on_show_chosen(self) -> None:
        chosen = self._chosen()
        if chosen:
            self.show_permission.emit(chosen[0][0])

    def _on_row_activated(self, index: QModelIndex) -> None:
        self.show_permission.emit(index.data(NameRole))

    def _on_only_flagged(self, only: bool) -> None:
        self.proxy.setFilterRole(FlagRole)
        self.proxy.setFilterRegularExpression(".+" if only else "")

    def _on_remove_bad(self) -> None:
        for name, kind in list(self._bad):
            self.model.remove(name, kind)

    def _summary(self, count: int) -> str:
        """How many are selected, and whether that is still the preset applied last."""
        preset = self._applied
        if not count:
            self._applied = None  # emptied: whatever comes next starts from nothing
        if not count or preset is None:
            return self.tr("{count} selected.").format(count=count)
        if set(self.model.items()) == set(preset.selection()):
            return self.tr("{count} selected: the \u201c{preset}\u201d preset.").format(
                count=count, preset=preset.title)
        return self.tr("{count} selected: custom, started from the \u201c{preset}\u201d "
                       "preset.").format(count=count, preset=preset.title)

    def _on_selection_changed(self) -> None:
        count = self.model.rowCount()
        self.window.selection.show_count(count, self.model.flag_states(), self._summary(count))
        self.window.set_tab_counts(count)
        self.refresh_export()
        self._update_new_connection()

    # --- a new connection ----------------------------------------------------------------

    def _delegated(self) -> tuple[list[str], int]:
        """The selection's delegated names, and how many application ones it leaves out:
        a connection signs in as a person, with delegated permissions."""
        items = self.model.items()
        names = [n for n, k in items if k == DELEGATED]
        return names, len(items) - len(names)

    def _update_new_connection(self) -> None:
        names, left_out = self._delegated()
        if not self.model.rowCount():
            tip = self.tr("Add permissions to the selection first: the new connection starts "
                          "with them ticked.")
        elif not names:
            tip = self.tr("The selection holds only application permissions. A connection "
                          "signs in as a person and asks for delegated permissions: add "
                          "those to the selection.")
        else:
            tip = (self.tr("Open the New connection wizard with the delegated permission of "
                           "the selection ticked.") if len(names) == 1 else
                   self.tr("Open the New connection wizard with the {count} delegated "
                           "permissions of the selection ticked.").format(count=len(names)))
            if left_out:
                tip += " " + self._left_out(left_out)
        for widget in (self.window.act_new_connection, self.window.selection.new_connection_button):
            widget.setEnabled(bool(names))
            widget.setToolTip(tip)

    def _on_new_connection(self) -> None:
        names, left_out = self._delegated()
        if not names:
            return
        if left_out:
            self.window.statusBar().showMessage(self._left_out(left_out), 8000)
        self.window.new_connection_requested.emit(names)

    def _left_out(self, count: int) -> str:
        return (self.tr("The application permission is left out: a connection signs in as "
                        "a person.") if count == 1 else
                self.tr("The {count} application permissions are left out: a connection "
                        "signs in as a person.").format(count=count))

    # --- export --------------------------------------------------------------------------

    def export_text(self) -> tuple[str, list[str], list[str]]:
        """(text, problems, notes) for the current format and selection."""
        items = self.model.items()
        if not items or self.catalog is None:
            self._bad = []
            return "", [], []
        manifest = self.window.export.current_format() == MANIFEST
        chosen = items if manifest else [(n, k) for n, k in items if k == DELEGATED]
        notes = []
        if not manifest and len(chosen) < len(items):
            notes.append(self.tr(
                "{count} application permissions are left out: they are not requested by "
                "name. An app that signs in as itself asks for "
                "https://graph.microsoft.com/.default and gets the application permissions "
                "granted to it.").format(count=len(items) - len(chosen)))
        self._bad, problems = [], []
        for item in chosen:
            try:
                if manifest:
                    export.required_resource_access([item], self.catalog)
                else:
                    export.scope_string([item], self.catalog)
            except export.ExportError as exc:
                self._bad.append(item)
                problems.extend(exc.problems)
        if problems:
            return "", problems, notes
        stale = [n for n, k in chosen if (p := self.catalog.get(n)) is not None
                 and p.status.for_kind(k) is not PermissionStatus.ACTIVE]
        if stale:
            notes.append(self.tr(
                "{count} of these are retired or deprecated: they export, but their APIs no "
                "longer answer or are going away: {names}.").format(
                count=len(stale), names=", ".join(stale)))
        if manifest:
            return export.manifest_json(chosen, self.catalog), [], notes
        return export.scope_string(chosen, self.catalog), [], notes

    def refresh_export(self) -> None:
        text, problems, notes = self.export_text()
        if not self.model.rowCount():
            empty = self.tr("Nothing to export yet: add permissions to the selection, or apply "
                            "a preset on the Selection tab.")
        elif not problems and not text:
            empty = self.tr("The selection holds no delegated permissions, so there is no scope "
                            "string. Choose the manifest format for application permissions.")
        elif problems:
            empty = self.tr("Nothing to copy until the permissions named above are changed or "
                            "removed.")
        else:
            empty = ""
        self.window.export.show_export(text, problems, notes, empty)

    def _on_format_changed(self, _button, checked: bool) -> None:
        if checked:
            self.refresh_export()

    def _kind_word(self) -> str:
        return (self.tr("manifest JSON") if self.window.export.current_format() == MANIFEST
                else self.tr("scope string"))

    def _on_copy_export(self) -> None:
        text = self.window.export.preview.toPlainText()
        if text:
            QGuiApplication.clipboard().setText(text)
            self.window.export.show_done(self.tr("Copied the {what} to the clipboard.").format(
                what=self._kind_word()))

    def _on_save_export(self) -> None:
        text = self.window.export.preview.toPlainText()
        if not text:
            return
        manifest = self.window.export.current_format() == MANIFEST
        suggested = str(_DEFAULT_DIR / ("requiredResourceAccess.json" if manifest
                                        else "graph-scopes.txt"))
        filters = (self.tr("JSON files (*.json);;All files (*)") if manifest
                   else self.tr("Text files (*.txt);;All files (*)"))
        path = export_panel.ask_save_path(self.window, self.tr("Save export"), suggested, filters)
        if not path:
            return
        try:
            # A new file is owner-only, like every file o365desk writes, whatever the umask.
            with open(path, "w", encoding="utf-8",
                      opener=lambda name, flags: os.open(name, flags, 0o600)) as out:
                out.write(text if text.endswith("\n") else text + "\n")
        except OSError as exc:
            self.window.export.show_done(self.tr(
                "Could not save to {path}: {reason}. Choose another folder, or copy the text "
                "instead.").format(path=path, reason=exc.strerror or exc), Level.ERROR)
            return
        self.window.export.show_done(self.tr("Saved the {what} to {path}.").format(
            what=self._kind_word(), path=path))

