"""Coloured text readable in light, dark and high-contrast palettes (WCAG AA, measured on
the pixels drawn), and what a screen reader gets through Qt's accessibility interfaces."""

from __future__ import annotations

import ctypes
import glob
import os
from collections import Counter
from dataclasses import dataclass

import pytest
import shiboken6
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QAccessibleEvent,
    QColor,
    QPalette,
    QTextDocument,
)
from PySide6.QtGui import Qt as GuiQt  # Qt's namespace with QtGui's functions in it
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from o365desk.core.signin_errors import Explanation, TransportKind, explain_transport
from o365desk.ui import colors
from o365desk.ui.message_bar import Level, MessageBar
from o365desk.ui.wizard.new_connection import PageId
from o365desk.ui.wizard.signin_panels import ErrorPanel
from tests.ui.conftest import sample_connections
from tests.ui.palettes import PALETTES, make_palette, palette_from
from tests.ui.scope_helpers import open_browser
from tests.ui.wizard_helpers import fill_to_signin, sign_in_embedded

TEXT, ICON = colors.TEXT_CONTRAST, colors.UI_CONTRAST
# MSAL's note on every embedded sign-in flow it starts (the summary test signs in).
pytestmark = pytest.mark.filterwarnings("ignore:response_mode='form_post' is recommended")


# --- the contrast formula ------------------------------------------------------------------

def test_contrast_formula_matches_wcag():
    black, white = QColor("#000000"), QColor("#ffffff")
    assert colors.relative_luminance(white) == pytest.approx(1.0)
    assert colors.relative_luminance(black) == pytest.approx(0.0)
    assert colors.contrast(black, white) == pytest.approx(21.0)
    assert colors.contrast(white, black) == pytest.approx(21.0)  # order doesn't matter
    assert colors.contrast(QColor("#336699"), QColor("#336699")) == pytest.approx(1.0)
    # The well-known AA boundary on white: #767676 passes, #777777 just fails.
    assert colors.contrast(QColor("#767676"), white) == pytest.approx(4.54, abs=0.01)
    assert colors.contrast(QColor("#777777"), white) == pytest.approx(4.48, abs=0.01)
    assert colors.contrast(QColor("#ff0000"), white) == pytest.approx(4.0, abs=0.01)


# --- palettes --------------------------------------------------------------------------------

@pytest.fixture
def themes(qapp):
    """Switch the application palette (as a theme change does); the old one comes back."""
    old = qapp.palette()

    def switch(name: str) -> None:
        qapp.setPalette(make_palette(qapp, name))
        qapp.processEvents()

    yield switch
    qapp.setPalette(old)
    qapp.processEvents()


# --- what was drawn --------------------------------------------------------------------------

@dataclass
class Drawn:
    background: QColor  # the commonest pixel
    ink: QColor  # the pixel furthest from it: the text at the centre of its strokes

    @property
    def contrast(self) -> float:
        return colors.contrast(self.ink, self.background)


def drawn(widget: QWidget, rect: QRect | None = None) -> Drawn:
    """Grab `widget` (or `rect` in its coordinates) from its window, as it is on screen."""
    window = widget.window()
    rect = rect if rect is not None else widget.rect()
    image = window.grab(QRect(widget.mapTo(window, rect.topLeft()), rect.size())).toImage()
    counts: Counter[int] = Counter()
    for y in range(image.height()):
        for x in range(image.width()):
            counts[image.pixel(x, y)] += 1
    background = QColor.fromRgb(counts.most_common(1)[0][0])
    ink = max((QColor.fromRgb(rgb) for rgb in counts),
              key=lambda c: colors.contrast(c, background))
    return Drawn(background, ink)


def assert_readable(widget: QWidget, minimum: float, what: str, rect: QRect | None = None,
                    declared: QColor | None = None) -> Drawn:
    seen = drawn(widget, rect)
    assert seen.contrast >= minimum, (
        f"{what}: {seen.ink.name()} on {seen.background.name()} is "
        f"{seen.contrast:.2f}:1, under {minimum}:1")
    if declared is not None:  # the colour the widget says it uses is the one drawn
        assert colors.contrast(declared, seen.ink) < 1.25, (what, declared.name(),
                                                            seen.ink.name())
    return seen


def has_colour(widget: QWidget, colour: QColor) -> bool:
    """Some pixel of `widget` is drawn in (nearly) `colour`."""
    window = widget.window()
    image = window.grab(QRect(widget.mapTo(window, widget.rect().topLeft()),
                              widget.size())).toImage()
    want = (colour.red(), colour.green(), colour.blue())
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = QColor.fromRgb(image.pixel(x, y))
            if sum(abs(a - b) for a, b in zip((pixel.red(), pixel.green(), pixel.blue()),
                                               want, strict=True)) <= 24:
                return True
    return False


def assert_labels_readable(root: QWidget, what: str) -> int:
    """Every label showing text under `root`, whatever colours it has; how many."""
    labels = [label for label in root.findChildren(QLabel)
              if label.isVisible() and label.text().strip() and label.width() > 2]
    for label in labels:
        assert_readable(label, TEXT, f"{what}: {label.text()[:40]!r}")
    return len(labels)


def cell_rect(view, index) -> tuple[QWidget, QRect]:
    view.scrollTo(index)
    return view.viewport(), view.visualRect(index)


def foreground(index) -> QColor:
    return index.data(Qt.ItemDataRole.ForegroundRole).color()


# --- colours in each palette ----------------------------------------------------------------

def _bars(qtbot) -> tuple[QWidget, list[MessageBar]]:
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    bars = []
    for level in Level:
        bar = MessageBar(level, f"{level.value} message", host)
        bar.show_message(f"Something to know ({level.value}). Do this next.")
        layout.addWidget(bar)
        bars.append(bar)
    host.resize(520, 240)
    host.show()
    qtbot.waitExposed(host)
    return host, bars


def _check_bars(bars: list[MessageBar], palette: str) -> None:
    for bar in bars:
        what = f"{palette} {bar.level.value} bar"
        label = bar.label
        text = assert_readable(label, TEXT, what + " text",
                               declared=label.palette().color(label.foregroundRole()))
        # The bar's own fill, not the window's: the label is drawn on the tint.
        assert text.background == drawn(bar).background
        button = bar.close_button
        assert_readable(button, ICON, what + " close button",
                        declared=button.palette().color(button.foregroundRole()))


@pytest.mark.parametrize("palette", PALETTES)
def test_message_bars_made_in_each_palette_are_readable(qtbot, themes, palette):
    themes(palette)
    _, bars = _bars(qtbot)
    _check_bars(bars, palette)


def test_message_bars_follow_a_theme_switch(qtbot, themes):
    themes("light")
    _, bars = _bars(qtbot)
    before = drawn(bars[0]).background
    for palette in ("dark", "high-contrast", "light"):
        themes(palette)
        _check_bars(bars, palette)
    themes("dark")
    assert drawn(bars[0]).background != before  # repainted in the dark tint


def test_summary_not_granted_rows_and_note_in_each_palette(
        qtbot, make_wizard, fake_identity, themes):
    fake_identity.not_granted = {"User.Read.All"}
    wizard = make_wizard()
    fill_to_signin(qtbot, wizard, fake_identity)
    sign_in_embedded(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.SUMMARY, timeout=20000)
    page = wizard.summary_page
    assert page.missing == ("User.Read.All",)
    model, table = page.model, page.table
    table.clearSelection()
    table.setCurrentIndex(model.index(-1, -1))
    missing_row = next(r for r in range(model.rowCount())
                       if model.index(r, 0).data() == "User.Read.All")
    for palette in PALETTES:
        themes(palette)
        base = table.palette().color(QPalette.ColorRole.Base)
        for column in (0, 1):
            index = model.index(missing_row, column)
            colour = foreground(index)
            assert colors.contrast(colour, base) >= TEXT, (palette, colour.name())
            viewport, rect = cell_rect(table, index)
            seen = assert_readable(viewport, TEXT, f"{palette} not-granted cell", rect,
                                   declared=colour)
            assert seen.background == base
        if palette != "high-contrast":  # there every text takes the palette's own colour
            normal = foreground(model.index(missing_row, 0))
            assert normal != table.palette().color(QPalette.ColorRole.Text)
        assert page.missing_note.isVisible()
        assert_readable(page.missing_note, TEXT, f"{palette} not-granted note")
        assert assert_labels_readable(page, f"{palette} summary") >= 8


def test_validation_error_in_each_palette(qtbot, make_wizard, themes):
    wizard = make_wizard()
    page = wizard.nickname_page
    qtbot.keyClicks(page.nickname, "Payroll")
    page.nickname.selectAll()
    qtbot.keyClick(page.nickname, Qt.Key.Key_Backspace)  # a nickname is needed
    qtbot.waitUntil(page.problem.isVisible)
    for palette in PALETTES:
        themes(palette)
        label = page.problem
        colour = label.palette().color(label.foregroundRole())
        seen = assert_readable(label, TEXT, f"{palette} nickname problem", declared=colour)
        if palette != "high-contrast":  # red, not the ordinary text colour
            assert colour.red() > colour.blue() + 40, colour.name()
        assert seen.background == label.palette().color(QPalette.ColorRole.Window)
        assert assert_labels_readable(page, f"{palette} nickname page") >= 3  # help too


def test_sign_in_error_cards_in_each_palette(qtbot, themes):
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    problem, stopped = ErrorPanel(host), ErrorPanel(host)
    problem.show_explanation(explain_transport(TransportKind.NETWORK))
    stopped.show_explanation(Explanation("cancelled", "Sign-in stopped",
                                         "You stopped the sign-in. Nothing was saved.",
                                         (), None, ""))
    layout.addWidget(problem)
    layout.addWidget(stopped)
    host.resize(560, 520)
    host.show()
    qtbot.waitExposed(host)
    for palette in PALETTES:
        themes(palette)
        fills = set()
        for panel, what in ((problem, "problem"), (stopped, "stopped")):
            for label in (panel.title, panel.message):
                seen = assert_readable(label, TEXT, f"{palette} {what} card")
                fills.add(seen.background.name())
        if palette != "high-contrast":
            assert len(fills) == 2  # red for a problem, blue when stopped


def test_scope_browser_markers_in_each_palette(qtbot, themes):
    window = open_browser(qtbot)
    controller = window.controller
    controller.selection.apply_preset("okta-o365-admin")
    controller.select_permission("ProgramControl.ReadWrite.All")
    tree = window.tree
    status_index = tree.currentIndex().siblingAtColumn(4)
    assert status_index.data() == "Retired"
    deprecated = [p for p in controller.tree_model.members for p in p
                  if p.status.state.value == "deprecated"]
    assert deprecated, "the catalog has deprecated permissions"
    for palette in PALETTES:
        themes(palette)
        tree.clearSelection()
        base = tree.palette().color(QPalette.ColorRole.Base)
        for index in (status_index,
                      controller.proxy.mapFromSource(controller.tree_model.index_for_name(
                          deprecated[0].name, 4))):
            tree.scrollTo(index)
            colour = foreground(index)
            assert colors.contrast(colour, base) >= TEXT, (palette, index.data())
            viewport, rect = cell_rect(tree, index)
            assert_readable(viewport, TEXT, f"{palette} {index.data()} marker", rect,
                            declared=colour)
        links = window.details.alternatives
        assert "<a " in links.text()
        # In this small window the variants are one above the other: scroll to the links.
        window.details.findChild(QScrollArea).ensureWidgetVisible(links)
        link = links.palette().color(QPalette.ColorRole.Link)
        assert has_colour(links, link), f"{palette}: links not drawn in {link.name()}"
        state = window.details.delegated.state
        assert state.text() == "Retired 2023-05-19"
        assert_readable(state, TEXT, f"{palette} details status",
                        declared=state.palette().color(state.foregroundRole()))
        table = window.selection.table
        model = table.model()
        flagged = [model.index(r, 2) for r in range(model.rowCount())
                   if model.index(r, 2).data()]
        assert flagged, "the preset has permissions that need attention"
        table_base = table.palette().color(QPalette.ColorRole.Base)
        for index in flagged:
            assert colors.contrast(foreground(index), table_base) >= TEXT, (
                palette, index.data())


def test_greyed_hints_are_readable_in_each_palette(qtbot, make_window, themes):
    window, _ = make_window(sample_connections())
    window.details.clear()  # as when nothing is selected
    hint = window.details.placeholder
    assert hint.isVisible()
    for palette in PALETTES:
        themes(palette)
        assert_readable(hint, TEXT, f"{palette} hint",
                        declared=hint.palette().color(hint.foregroundRole()))


def test_colour_roles_meet_aa_on_each_palette(qapp):
    for name in PALETTES:
        palette = make_palette(qapp, name)
        for role in colors.Role:
            colour = colors.text(role, palette)
            for bg in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
                assert colors.contrast(colour, palette.color(bg)) >= TEXT, (name, role)
        for tint in colors.Tint:
            card = colors.card(tint, palette)
            assert colors.contrast(card.text, card.fill) >= TEXT, (name, tint)
            assert colors.contrast(card.edge, card.fill) >= ICON, (name, tint)
    # A palette nothing was chosen for (mid grey) still gets readable text.
    grey = palette_from({"Window": "#808080", "WindowText": "#000000", "Base": "#808080",
                     "Text": "#000000", "AlternateBase": "#808080"})
    for role in colors.Role:
        assert colors.contrast(colors.text(role, grey), QColor("#808080")) >= TEXT


# --- screen readers --------------------------------------------------------------------------

def _plain(label: QLabel) -> str:
    text = label.text()
    if label.textFormat() == Qt.TextFormat.RichText or (
            label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)):
        document = QTextDocument()
        document.setHtml(text)
        text = document.toPlainText()
    return " ".join(text.split())


def hidden_label_texts(root: QWidget) -> list[str]:
    """Labels showing text that a screen reader would not read: their accessible name
    (what is read) is something else."""
    wrong = []
    for label in root.findChildren(QLabel):
        if not label.isVisibleTo(root) or not label.text() or label.buddy() is not None:
            continue
        name = QAccessible.queryAccessibleInterface(label).text(QAccessible.Text.Name)
        if " ".join(name.split()).replace(" ", "") != _plain(label).replace(" ", ""):
            wrong.append(f"{label.objectName() or type(label.parent()).__name__}: "
                         f"{name!r} hides {_plain(label)!r}")
    return wrong


def test_wizard_help_and_problem_texts_are_what_is_read(qtbot, make_wizard):
    wizard = make_wizard()
    for page_id in wizard.pageIds():
        page = wizard.page(page_id)
        help_iface = QAccessible.queryAccessibleInterface(page.help)
        assert help_iface.text(QAccessible.Text.Name) == page.help.text()
        assert help_iface.text(QAccessible.Text.Description) == "About this step"
        assert help_iface.role() == QAccessible.Role.StaticText
    page = wizard.nickname_page
    qtbot.keyClicks(page.nickname, "Payroll")
    page.nickname.selectAll()
    qtbot.keyClick(page.nickname, Qt.Key.Key_Backspace)
    qtbot.waitUntil(page.problem.isVisible)
    problem = QAccessible.queryAccessibleInterface(page.problem)
    assert problem.text(QAccessible.Text.Name) == page.problem.text() != ""
    assert problem.text(QAccessible.Text.Description) == "Nickname problem"
    assert hidden_label_texts(wizard) == []
    wizard.next()
    wizard.permissions_page.load()
    assert hidden_label_texts(wizard.currentPage()) == []


def test_main_window_and_browser_labels_are_read_as_shown(qtbot, make_window):
    window, controller = make_window(sample_connections(), check_keychain=True)
    window.table.selectRow(0)
    window.error_bar.show_message("The file could not be read. Check the disk.")
    assert hidden_label_texts(window) == []
    browser = open_browser(qtbot)
    browser.controller.select_permission("ProgramControl.ReadWrite.All")
    assert hidden_label_texts(browser) == []


class AccessibilityEvents:
    """Qt's own accessibility update handler, installed through its C++ entry point (not
    wrapped by PySide6): every event Qt would pass to a screen reader's bridge."""

    _SYMBOL = "_ZN11QAccessible20installUpdateHandlerEPFvP16QAccessibleEventE"
    _HANDLER = ctypes.CFUNCTYPE(None, ctypes.c_void_p)

    def __init__(self) -> None:
        import PySide6

        paths = glob.glob(os.path.join(os.path.dirname(PySide6.__file__), "Qt", "lib",
                                       "libQt6Gui.so*"))
        assert paths, "libQt6Gui not found beside PySide6"
        self._install = getattr(ctypes.CDLL(paths[0]), self._SYMBOL)
        self._install.argtypes = [self._HANDLER]
        self._install.restype = ctypes.c_void_p
        self.seen: list[tuple[QAccessible.Event, int, str]] = []
        self._callback = self._HANDLER(self._record)

    def _record(self, pointer: int) -> None:
        event = shiboken6.wrapInstance(pointer, QAccessibleEvent)
        kind = event.type()
        message = ""
        if kind == QAccessible.Event.Announcement:
            message = shiboken6.wrapInstance(pointer, QAccessibleAnnouncementEvent).message()
        target = event.object()
        self.seen.append((kind, shiboken6.getCppPointer(target)[0] if target else 0, message))

    def start(self) -> None:
        QAccessible.setActive(True)
        self._install(self._callback)

    def stop(self) -> None:
        self._install(self._HANDLER())  # none: Qt's own platform bridge again
        QAccessible.setActive(False)

    def for_object(self, obj) -> list[tuple[QAccessible.Event, str]]:
        """The alerts and announcements sent for `obj`."""
        pointer = shiboken6.getCppPointer(obj)[0]
        return [(kind, message) for kind, target, message in self.seen
                if target == pointer
                and kind in (QAccessible.Event.Alert, QAccessible.Event.Announcement)]


@pytest.fixture
def accessibility_events():
    events = AccessibilityEvents()
    events.start()
    yield events
    events.stop()


def test_message_bar_sends_an_alert_and_its_text_when_it_appears(qtbot, accessibility_events):
    host = QWidget()
    qtbot.addWidget(host)
    bar = MessageBar(Level.ERROR, "Problem", host)
    QVBoxLayout(host).addWidget(bar)
    host.show()
    qtbot.waitExposed(host)
    assert accessibility_events.for_object(bar) == []  # hidden: nothing said
    text = "The keychain is locked. Unlock it, then press Retry."
    bar.show_message(text)
    said = accessibility_events.for_object(bar)
    assert (QAccessible.Event.Alert, "") in said
    assert (QAccessible.Event.Announcement, text) in said
    iface = QAccessible.queryAccessibleInterface(bar)
    label = QAccessible.queryAccessibleInterface(bar.label)
    assert label.text(QAccessible.Text.Name) == text  # the message itself is read
    assert any(iface.child(i).object() is bar.label for i in range(iface.childCount()))

    accessibility_events.seen.clear()
    bar.show_message(text)  # the same words again, still showing: said once is enough
    assert (QAccessible.Event.Announcement, text) not in accessibility_events.for_object(bar)
    newer = "Still locked. Unlock the keychain in your system settings."
    bar.show_message(newer)
    assert (QAccessible.Event.Announcement, newer) in accessibility_events.for_object(bar)

    accessibility_events.seen.clear()
    bar.dismiss()
    bar.show_message(newer)  # shown again: announced again
    assert (QAccessible.Event.Announcement, newer) in accessibility_events.for_object(bar)


def test_window_message_bars_announce_themselves(qtbot, make_window, accessibility_events):
    window, _ = make_window(sample_connections())
    window.error_bar.show_message("The file could not be saved. Check the disk.")
    said = accessibility_events.for_object(window.error_bar)
    assert (QAccessible.Event.Alert, "") in said
    assert (QAccessible.Event.Announcement,
            "The file could not be saved. Check the disk.") in said

