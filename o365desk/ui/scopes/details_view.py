"""The details pane: both variants (side by side when there is room), status, risk, API
paths and alternatives."""

from __future__ import annotations

import html

from PySide6.QtCore import QDate, QLocale, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from o365desk.catalog.model import APPLICATION, DELEGATED, Permission, PermissionStatus, Variant
from o365desk.core.text import visible
from o365desk.ui import colors
from o365desk.ui.message_bar import Level, MessageBar
from o365desk.ui.scopes.paths_model import PathColumn
from o365desk.ui.widgets import hint_label


def tenant_date(imported_at: str) -> str:
    """The import's date as the locale writes it; ISO 8601 in the C locale."""
    date = QDate.fromString(imported_at[:10], Qt.DateFormat.ISODate)
    locale = QLocale()
    if not date.isValid() or locale.language() == QLocale.Language.C:
        return imported_at[:10]
    return locale.toString(date, QLocale.FormatType.LongFormat)


def _value(parent: QWidget, selectable: bool = True) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _fixed_bar(level: Level, name: str, parent: QWidget) -> MessageBar:
    """A message strip that stays while its permission is shown: no close button."""
    bar = MessageBar(level, name, parent)
    bar.close_button.hide()
    return bar


class VariantBox(QGroupBox):
    """One variant (delegated or application): ID with a copy button, consent, privilege,
    reach, Microsoft's wording when a tenant import has it, and Add to selection."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        delegated = kind == DELEGATED
        self.setTitle(self.tr("Delegated (Scope)") if delegated else self.tr("Application (Role)"))
        self.setAccessibleName(self.tr("Delegated variant") if delegated
                               else self.tr("Application variant"))
        self.id_label = _value(self)
        self.id_label.setWordWrap(False)  # a GUID cut in two can't be read or copied
        self.id_label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.id_label.setMinimumWidth(
            self.id_label.fontMetrics().horizontalAdvance("0" * 36) + 4)
        self.id_label.setAccessibleDescription(self.tr("Delegated ID") if delegated
                                               else self.tr("Application ID"))
        self.copy_button = QToolButton(self)
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setAccessibleName(self.tr("Copy delegated ID") if delegated
                                           else self.tr("Copy application ID"))
        self.copy_button.setToolTip(self.copy_button.accessibleName())
        # The ID row spans the box (no caption column), so two GUIDs fit side by side.
        id_row = QWidget(self)
        id_layout = QHBoxLayout(id_row)
        id_layout.setContentsMargins(0, 0, 0, 0)
        id_layout.addWidget(self._caption(self.tr("ID"), self.id_label))
        id_layout.addWidget(self.id_label)
        id_layout.addStretch(1)
        id_layout.addWidget(self.copy_button)
        self.consent = _value(self)
        self.privilege = _value(self)
        self.reach = _value(self)
        self.state = _value(self)
        self._state_role: colors.Role | None = None  # its colour: None while active
        colors.follow_palette(self.state, self._colour_state)
        self.tenant_caption = QLabel(self)
        self.tenant_text = _value(self)
        self.tenant_text.setAccessibleDescription(self.tr("Microsoft's wording"))
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(4)
        self.form.addRow(id_row)
        for caption, label in ((self.tr("Consent:"), self.consent),
                               (self.tr("Privilege:"), self.privilege),
                               (self.tr("Reaches:"), self.reach),
                               (self.tr("Status:"), self.state)):
            label.setAccessibleDescription(caption.rstrip(":"))
            self.form.addRow(self._caption(caption, label), label)
        self.tenant_caption.setWordWrap(True)
        self.tenant_caption.setBuddy(self.tenant_text)
        self.form.addRow(self.tenant_caption)
        self.form.addRow(self.tenant_text)
        self.missing = _value(self)
        self.missing.setAccessibleDescription(self.tr("No variant"))
        self.add_button = QPushButton(self)
        self.add_button.setAccessibleName(self.tr("Add delegated variant to selection") if delegated
                                          else self.tr("Add application variant to selection"))
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.missing)
        layout.addStretch(1)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def _colour_state(self) -> None:
        role = self._state_role
        self.state.setStyleSheet(colors.text_style(role, bold=True) if role else "")

    def _caption(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def show_variant(self, p: Permission, variant: Variant | None, in_selection: bool,
                     tenant=None) -> None:
        has = variant is not None
        for row in range(self.form.rowCount()):
            self.form.setRowVisible(row, has)
        self.missing.setVisible(not has)
        self.add_button.setVisible(has)
        self.add_button.setText(self.tr("Remove from selection") if in_selection
                                else self.tr("Add to selection"))
        if not has:
            other = APPLICATION if self.kind == DELEGATED else DELEGATED
            words = {DELEGATED: self.tr("delegated"), APPLICATION: self.tr("application")}
            self.missing.setText(self.tr(
                "No {kind} variant: Microsoft defines {name} only as {other}.").format(
                kind=words[self.kind], name=p.name, other=words[other]))
            return
        self.id_label.setText(variant.id or self.tr("none provisioned"))
        self.copy_button.setEnabled(bool(variant.id))
        self.consent.setText({True: self.tr("Needs an admin's consent"),
                              False: self.tr("A user may consent for themselves"),
                              None: self.tr("Microsoft's data does not say")}[
            variant.admin_consent])
        self.privilege.setText(
            self.tr("{level} of 4").format(level=variant.privilege) if variant.privilege
            else self.tr("Not given by Microsoft"))
        self.reach.setText(variant.reach)
        state = p.status.for_kind(self.kind)
        if state is PermissionStatus.ACTIVE:
            self.state.setText(self.tr("Active"))
            self._state_role = None
        else:
            when = f" {p.status.date}" if p.status.date else ""
            self.state.setText(f"{state.label}{when}")
            self._state_role = (colors.Role.ERROR if state is PermissionStatus.RETIRED
                                else colors.Role.WARNING)
        self._colour_state()
        text = tenant.text(p.name, self.kind) if tenant is not None else None
        show_tenant = text is not None
        self.form.setRowVisible(self.tenant_caption, show_tenant)
        self.form.setRowVisible(self.tenant_text, show_tenant)
        if show_tenant:
            self.tenant_caption.setText(self.tr("Microsoft's wording, from your tenant, "
                                                "{date}:").format(
                date=tenant_date(tenant.imported_at)))
            # The tenant's words, from an imported file: escaped twice, as HTML and as text
            # (control and bidi characters shown, not obeyed).
            self.tenant_text.setText(f"<b>{html.escape(visible(text.display_name))}</b><br>"
                                     f"{html.escape(visible(text.description))}")


class VariantPair(QWidget):
    """The two variants side by side when there is room for both, else one above the other:
    on a laptop's screen the pane then leaves the permission names their room."""

    def __init__(self, first: QWidget, second: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pair = (first, second)
        self._box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.addWidget(first, 1)
        self._box.addWidget(second, 1)

    def side_by_side(self) -> bool:
        return self._box.direction() == QBoxLayout.Direction.LeftToRight

    def width_for_both(self) -> int:
        """Room for two boxes that both show an ID (the widest thing in either), so that
        moving from one permission to the next doesn't rearrange the pane."""
        return 2 * max(w.minimumSizeHint().width() for w in self._pair) + self._box.spacing()

    def minimumSizeHint(self) -> QSize:
        """As narrow as one above the other; as tall as the way they are shown now."""
        hint = super().minimumSizeHint()
        return QSize(max(w.minimumSizeHint().width() for w in self._pair), hint.height())

    def resizeEvent(self, event) -> None:
        wide = event.size().width() >= self.width_for_both()
        if wide != self.side_by_side():
            self._box.setDirection(QBoxLayout.Direction.LeftToRight if wide
                                   else QBoxLayout.Direction.TopToBottom)
        super().resizeEvent(event)


class PermissionDetails(QWidget):
    """Everything about one permission; the controller fills it and answers its signals."""

    copy_id_requested = Signal(str)  # kind
    selection_toggled = Signal(str)  # kind
    alternative_activated = Signal(str)  # permission name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Permission details"))
        self.stack = QStackedWidget(self)
        self.placeholder = hint_label(self.tr("Select a permission to see its details."), self,
                                      self.tr("No permission selected"))
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self._build_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def width_side_by_side(self) -> int:
        """The pane's narrowest width with the two variants side by side."""
        return max(self.minimumSizeHint().width(),
                   self._beside_variants + self.variants.width_for_both())

    def _build_page(self) -> QWidget:
        page = QSplitter(Qt.Orientation.Vertical, self)
        page.setChildrenCollapsible(False)
        facts = QWidget(page)
        self.title = _value(facts)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # a tenant import's name: not HTML
        self.title.setAccessibleDescription(self.tr("Permission name"))
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.group = _value(facts)
        self.group.setAccessibleDescription(self.tr("Group"))
        self.status_bar = _fixed_bar(Level.ERROR, self.tr("Status warning"), facts)
        self.description = _value(facts)
        self.description.setTextFormat(Qt.TextFormat.PlainText)
        self.description.setAccessibleDescription(self.tr("Description"))
        self.danger_bar = _fixed_bar(Level.WARNING, self.tr("Why it is risky"), facts)
        self.delegated = VariantBox(DELEGATED, facts)
        self.application = VariantBox(APPLICATION, facts)
        self.variants = VariantPair(self.delegated, self.application, facts)
        self.remarks = _value(facts)
        self.remarks.setAccessibleDescription(self.tr("Remarks"))
        self.alternatives = QLabel(facts)
        self.alternatives.setWordWrap(True)
        self.alternatives.setAccessibleDescription(self.tr("Less privileged alternatives"))
        self.alternatives.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.alternatives.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.alternatives.linkActivated.connect(self.alternative_activated)
        colors.follow_links(self.alternatives)

        inner = QVBoxLayout(facts)
        inner.setContentsMargins(6, 6, 6, 6)
        inner.addWidget(self.title)
        inner.addWidget(self.group)
        inner.addWidget(self.status_bar)
        inner.addWidget(self.description)
        inner.addWidget(self.danger_bar)
        inner.addWidget(self.variants)
        inner.addWidget(self.remarks)
        inner.addWidget(self.alternatives)
        inner.addStretch(1)
        scroll = QScrollArea(page)
        scroll.setWidget(facts)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setAccessibleName(self.tr("Permission facts"))
        scroll.setMinimumWidth(facts.minimumSizeHint().width()
                               + scroll.verticalScrollBar().sizeHint().width())
        # What the facts need besides the variants: with them side by side, this much more.
        self._beside_variants = scroll.minimumWidth() - self.variants.minimumSizeHint().width()
        page.addWidget(scroll)
        page.addWidget(self._build_paths(page))
        # Half each: the facts rarely fill more, and a permission has up to hundreds of paths.
        page.setStretchFactor(0, 1)
        page.setStretchFactor(1, 1)
        for kind, box in ((DELEGATED, self.delegated), (APPLICATION, self.application)):
            box.copy_button.clicked.connect(lambda _=False, k=kind: self.copy_id_requested.emit(k))
            box.add_button.clicked.connect(lambda _=False, k=kind: self.selection_toggled.emit(k))
        return page

    def _build_paths(self, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        self.paths_caption = QLabel(box)
        self.paths_table = QTableView(box)
        self.paths_table.setAccessibleName(self.tr("API paths"))
        self.paths_caption.setBuddy(self.paths_table)
        self.paths_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.paths_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.paths_table.setSortingEnabled(True)
        self.paths_table.setWordWrap(False)
        self.paths_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.paths_table.setShowGrid(False)
        self.paths_table.setAlternatingRowColors(True)
        self.paths_table.setTabKeyNavigation(False)
        self.paths_table.verticalHeader().hide()
        self.paths_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.paths_table.horizontalHeader()
        header.setAccessibleName(self.tr("API path columns"))
        header.setHighlightSections(False)
        self.no_paths = QLabel(self.tr("Microsoft lists no API paths for this permission."), box)
        colors.mute(self.no_paths)
        self.no_paths.setAccessibleDescription(self.tr("No API paths"))
        layout = QVBoxLayout(box)
        layout.setContentsMargins(6, 4, 6, 0)
        layout.addWidget(self.paths_caption)
        layout.addWidget(self.paths_table, 1)
        layout.addWidget(self.no_paths)
        return box

    def set_paths_model(self, model) -> None:
        self.paths_table.setModel(model)
        self.paths_table.sortByColumn(PathColumn.PATH, Qt.SortOrder.AscendingOrder)
        self._size_path_columns()

    def _size_path_columns(self) -> None:
        """Again after each model reset, which puts the header's modes back to default."""
        header = self.paths_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(PathColumn.METHODS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PathColumn.PATH, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PathColumn.KINDS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PathColumn.LEAST, QHeaderView.ResizeMode.ResizeToContents)

    # --- filling -------------------------------------------------------------------------

    def clear(self) -> None:
        self.stack.setCurrentIndex(0)

    def is_cleared(self) -> bool:
        return self.stack.currentIndex() == 0

    def show_permission(self, p: Permission, alternatives: list[str],
                        selected_kinds: frozenset[str], path_count: int, tenant=None) -> None:
        self.stack.setCurrentIndex(1)
        self.title.setText(visible(p.name))
        group = self.tr("Group: {group}").format(group=p.group)
        if p.origin == "tenant":
            group += self.tr(" \u00b7 known only from your tenant import")
        self.group.setText(group)
        self._show_status(p)
        self.description.setText(visible(p.description, keep_newlines=True))
        self.danger_bar.setVisible(bool(p.danger))
        if p.danger:
            self.danger_bar.show_message(self.tr("Why it is risky: {text}").format(text=p.danger))
        self.delegated.show_variant(p, p.delegated, DELEGATED in selected_kinds, tenant)
        self.application.show_variant(p, p.application, APPLICATION in selected_kinds, tenant)
        notes = list(p.remarks)
        if p.rsc:
            notes.append(self.tr("Granted per team, chat or user by resource-specific consent."))
        self.remarks.setText("\n".join(notes))
        self.remarks.setVisible(bool(notes))
        if alternatives:
            links = " \u00b7 ".join(f'<a href="{html.escape(n)}">{html.escape(n)}</a>'
                                    for n in alternatives)
            self.alternatives.setText(self.tr("Less privileged in the same family: ") + links)
        else:
            self.alternatives.setText(self.tr("Less privileged in the same family: none known."))
        self.paths_caption.setText(self.tr("API &paths that accept it ({count}):").format(
            count=path_count))
        self._size_path_columns()
        self.paths_table.setVisible(path_count > 0)
        self.no_paths.setVisible(path_count == 0)

    def _show_status(self, p: Permission) -> None:
        state = p.status.state
        if state is PermissionStatus.ACTIVE:
            self.status_bar.hide()
            return
        only = {DELEGATED: self.tr(" (delegated variant only)"),
                APPLICATION: self.tr(" (application variant only)")}.get(p.status.applies_to, "")
        when = self.tr(" since {date}").format(date=p.status.date) if p.status.date else ""
        # A message bar shows plain text: no markup.
        text = f"{state.label}{when}{only}. "
        self.status_bar.show_message(text + p.status.note, Level.ERROR
                                     if state is PermissionStatus.RETIRED else Level.WARNING)
