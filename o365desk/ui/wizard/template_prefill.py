"""A template's values in the New connection wizard, its locked fields read-only.

Staff given a template with locked fields only type a nickname and sign in: each locked
field shows its value, can't be changed (read-only, still focusable and read out), and
says why beside it and on its page ("Set by your IT team").
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget, QWizardPage

from o365desk.core.connection import Kind
from o365desk.core.template import LOCKED_WHY, TemplateEntry
from o365desk.core.tenant import DEFAULT_TENANT
from o365desk.ui.message_bar import Level, MessageBar

# What each lockable field is called on the page that shows it.
_NAMES = {"description": "description", "kind": "kind of connection", "tenant": "organisation",
          "cloud": "cloud", "client_id": "client ID", "redirect_uri": "redirect URI",
          "authority": "authority", "graph_endpoint": "Graph address",
          "scopes": "permissions"}


def apply(wizard: Any, entry: TemplateEntry) -> None:
    """Fill the NewConnectionWizard's pages with `entry`'s values; make its locked fields
    read-only."""
    names = wizard.nickname_page
    names.nickname.setText(entry.nickname)  # a suggestion: selected, so typing replaces it
    names.nickname.selectAll()
    names.description.setText(entry.description)
    (names.app_only if entry.kind == Kind.APP_ONLY else names.person).setChecked(True)
    org = wizard.organisation_page
    choose = entry.tenant in (DEFAULT_TENANT, "common")
    org.choose_at_sign_in.setChecked(choose)
    org.tenant.setText("" if choose else entry.tenant)
    org.cloud.setCurrentIndex(org.cloud.findData(entry.cloud))
    org.client_id.setText(entry.client_id)
    if entry.redirect_uri:
        org.redirect_uri.setText(entry.redirect_uri)
    org.authority.setText(entry.authority or "")
    org.graph.setText(entry.graph_endpoint or "")
    credential_client_id = getattr(wizard.app_credential_page, "client_id", None)
    if entry.kind == Kind.APP_ONLY and isinstance(credential_client_id, QLineEdit):
        credential_client_id.setText(entry.client_id)
    if entry.kind == Kind.APP_ONLY and entry.certificate_thumbprints:
        # IT named the certificate: the page asks for its file, and says if it is another.
        wizard.app_credential_page.use_certificate.setChecked(True)
        wizard.app_credential_page.certificate.expected_thumbprints = \
            entry.certificate_thumbprints
    if not entry.locked:
        return
    # A page opens with the keyboard in its first field that can be typed into, not in a
    # locked one (Tab still reaches those, and a screen reader reads them).
    wizard.currentIdChanged.connect(lambda _id: QTimer.singleShot(
        0, lambda: _past_locked_fields(wizard.currentPage())))
    locked = set(entry.locked)
    if "scopes" in locked:
        locked.add("kind")  # another kind would start the (locked) permissions over
    _lock(names, [w for f, w in (("description", names.description),
                                 ("kind", names.person), ("kind", names.app_only))
                  if f in locked], [f for f in ("description", "kind") if f in locked])
    org_fields = [f for f in ("tenant", "cloud", "client_id", "redirect_uri", "authority",
                              "graph_endpoint") if f in locked]
    widgets = {"tenant": [org.tenant, org.choose_at_sign_in], "cloud": [org.cloud],
               "client_id": [org.client_id], "redirect_uri": [org.redirect_uri],
               "authority": [org.authority], "graph_endpoint": [org.graph]}
    _lock(org, [w for f in org_fields for w in widgets[f]], org_fields)
    if {"client_id", "redirect_uri", "authority", "graph_endpoint"} & locked \
            and entry.kind != Kind.APP_ONLY:
        org.show_advanced()  # what IT fixed there is shown, not folded away
    if entry.kind == Kind.APP_ONLY and "client_id" in locked and \
            isinstance(credential_client_id, QLineEdit):
        _lock(wizard.app_credential_page, [credential_client_id], ["client_id"])
    if "scopes" in locked:
        wizard.permissions_page.lock_choice()
        _lock(wizard.permissions_page, [wizard.permissions_page.table], ["scopes"])


def _lock(page: QWizardPage, widgets: list[QWidget], fields: list[str]) -> None:
    if not fields:
        return
    why = page.tr(LOCKED_WHY)
    for widget in widgets:
        if isinstance(widget, QLineEdit):
            widget.setReadOnly(True)  # still focusable: read out, copied
            widget.setFrame(False)  # reads as a fixed value, not a box to type in
            widget.setStyleSheet("QLineEdit { background: transparent; }")
        elif widget.__class__.__name__ == "QTableView":
            pass  # its model refuses ticks (PermissionsPage.lock_choice)
        else:
            widget.setEnabled(False)
        widget.setToolTip(why)
        widget.setAccessibleDescription(why)
        widget.setProperty("locked_by_template", True)
    shown = [page.tr(_NAMES[f]) for f in fields]
    names = shown[0] if len(shown) == 1 else page.tr("{first} and {last}").format(
        first=", ".join(shown[:-1]), last=shown[-1])
    note = MessageBar(Level.INFO, why, page)
    note.setProperty("template_lock_note", True)
    note.close_button.hide()  # true for as long as the wizard is open
    note.show_message(page.tr("{why}: the {names} can't be changed here.").format(
        why=why, names=names))
    layout = page.layout()
    help_label = getattr(page, "help", None)
    place = layout.indexOf(help_label) + 1 if help_label is not None else 0
    layout.insertWidget(max(place, 0), note)


def _past_locked_fields(page: QWizardPage | None) -> None:
    """When the keyboard is in a locked field, move it to the page's first field that can
    be typed into (in Tab order); none: it stays."""
    focus = QApplication.focusWidget()
    if page is None or focus is None or not focus.property("locked_by_template"):
        return
    widget = page.nextInFocusChain()
    while widget is not None and widget is not page:
        if isinstance(widget, QLineEdit) and page.isAncestorOf(widget) and \
                widget.isVisible() and widget.isEnabled() and not widget.isReadOnly():
            widget.setFocus()
            return
        widget = widget.nextInFocusChain()
