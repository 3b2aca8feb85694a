"""Colours by meaning, for light, dark and high-contrast palettes.

Every coloured thing in the windows asks here instead of naming a colour: a role (error
text, a warning marker, a message bar's tint...) has a light and a dark value, picked by
the lightness of the application palette's window colour. A value that would still fall
short of WCAG AA against the palette it is shown in (4.5:1 for text, 3:1 for an edge),
and every value in a high-contrast palette, gives way to the palette's own colours.
`watcher().changed` fires after the application's palette changes (a theme switch), so
whatever was coloured can be coloured again.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette

TEXT_CONTRAST = 4.5  # WCAG AA, normal-size text
UI_CONTRAST = 3.0  # WCAG AA, non-text: icons, borders that carry meaning


class Role(enum.Enum):
    """Text colours; each is for text on the window or on a list's base colour."""

    ERROR = "error"  # something is wrong: a field's problem, a retired permission
    WARNING = "warning"  # take care: a deprecated permission
    MUTED = "muted"  # a hint standing in for content that isn't there


class Tint(enum.Enum):
    """The fill of a message bar or card, by what it says."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


_TEXT = {  # role: (on a light window, on a dark window)
    Role.ERROR: ("#a4262c", "#ff99a4"),
    Role.WARNING: ("#8a5300", "#ffc46b"),
    Role.MUTED: ("#5f5f5f", "#b4b4b4"),
}
_TINT = {  # tint: ((fill, edge) on a light window, (fill, edge) on a dark window)
    Tint.INFO: (("#e8f1fb", "#5a8ac0"), ("#1c2d40", "#6f9fd6")),
    Tint.WARNING: (("#fff4e0", "#a36a0a"), ("#3b2c10", "#d49a3a")),
    Tint.ERROR: (("#fdecea", "#c8574d"), ("#3f1d1d", "#e0786f")),
}
_CARD_TEXT = ("#1f1f1f", "#f0f0f0")  # text on a tint: (light, dark)
_HIGH_CONTRAST = 20.0  # window and text this far apart (pure black and white): high contrast


def relative_luminance(colour: QColor) -> float:
    """WCAG 2's relative luminance of an sRGB colour, 0 (black) to 1 (white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast(first: QColor, second: QColor) -> float:
    """WCAG 2's contrast ratio of two colours, 1 (the same) to 21 (black on white)."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _palette(palette: QPalette | None) -> QPalette:
    return palette if palette is not None else QGuiApplication.palette()


def is_dark(palette: QPalette | None = None) -> bool:
    return _palette(palette).color(QPalette.ColorRole.Window).lightness() < 128


def is_high_contrast(palette: QPalette | None = None) -> bool:
    """The system asks for high contrast, or the palette is (nearly) black and white."""
    style_hints = QGuiApplication.styleHints()  # held: its wrapper owns the next one
    if (style_hints.accessibility().contrastPreference()
            == Qt.ContrastPreference.HighContrast):
        return True
    p = _palette(palette)
    return contrast(p.color(QPalette.ColorRole.WindowText),
                    p.color(QPalette.ColorRole.Window)) >= _HIGH_CONTRAST


def _readable(candidates: list[QColor], backgrounds: list[QColor], minimum: float) -> QColor:
    """The first candidate that meets `minimum` against every background, else black or
    white, whichever is further from the backgrounds."""
    for colour in candidates:
        if all(contrast(colour, bg) >= minimum for bg in backgrounds):
            return colour
    black, white = QColor("#000000"), QColor("#ffffff")
    return max((black, white), key=lambda c: min(contrast(c, bg) for bg in backgrounds))


_text_cache: dict[tuple[Role, int], QColor] = {}


def text(role: Role, palette: QPalette | None = None) -> QColor:
    """The colour for text in `role`, readable on the palette's window and base colours."""
    p = _palette(palette)
    key = (role, p.cacheKey())
    if key not in _text_cache:  # models ask for each cell they paint
        if len(_text_cache) > 64:
            _text_cache.clear()
        _text_cache[key] = _text(role, p)
    return QColor(_text_cache[key])


def _text(role: Role, p: QPalette) -> QColor:
    backgrounds = [p.color(QPalette.ColorRole.Window), p.color(QPalette.ColorRole.Base),
                   p.color(QPalette.ColorRole.AlternateBase)]
    own = [p.color(QPalette.ColorRole.WindowText), p.color(QPalette.ColorRole.Text)]
    if is_high_contrast(p):
        return _readable(own, backgrounds, TEXT_CONTRAST)
    light, dark = _TEXT[role]
    first, second = (dark, light) if is_dark(p) else (light, dark)
    return _readable([QColor(first), QColor(second), *own], backgrounds, TEXT_CONTRAST)


class CardColours:
    """What a tinted bar or card draws: its fill, its edge and the text on it."""

    def __init__(self, fill: QColor, edge: QColor, text_colour: QColor) -> None:
        self.fill, self.edge, self.text = fill, edge, text_colour

    def style_sheet(self, object_name: str) -> str:
        """A style sheet for the frame named `object_name`: fill, edge, and the colour of
        its labels and tool buttons (a close button's cross is text)."""
        return (f"#{object_name} {{ background: {self.fill.name()};"
                f" border: 1px solid {self.edge.name()}; border-radius: 4px; }}"
                f" #{object_name} QLabel {{ color: {self.text.name()}; background: transparent; }}"
                f" #{object_name} QToolButton {{ color: {self.text.name()}; }}")


def card(tint: Tint, palette: QPalette | None = None) -> CardColours:
    """The colours of a bar or card tinted `tint`. In high contrast: the window's own
    colours, with the highlight (or the text colour) as the edge."""
    p = _palette(palette)
    window = p.color(QPalette.ColorRole.Window)
    own = p.color(QPalette.ColorRole.WindowText)
    if is_high_contrast(p):
        edge = _readable([p.color(QPalette.ColorRole.Highlight), own], [window], UI_CONTRAST)
        return CardColours(window, edge, _readable([own], [window], TEXT_CONTRAST))
    dark = is_dark(p)
    fill, edge = (QColor(c) for c in _TINT[tint][dark])
    text_colour = _readable([QColor(_CARD_TEXT[dark]), own], [fill], TEXT_CONTRAST)
    return CardColours(fill, _readable([edge, own], [fill, window], UI_CONTRAST), text_colour)


def text_style(role: Role, bold: bool = False) -> str:
    """A style sheet declaration list for a label's text in `role`."""
    weight = " font-weight: bold;" if bold else ""
    return f"color: {text(role).name()};{weight}"


class _Watcher(QObject):
    changed = Signal()


_watcher: _Watcher | None = None


def watcher() -> _Watcher:
    """The one object whose `changed` signal follows the application's palette.

    It relays QGuiApplication.paletteChanged: the ApplicationPaletteChange event reaches
    only the application object and windows, and an event filter on the application
    would run Python for every event of every object."""
    global _watcher
    if _watcher is None:
        app = QGuiApplication.instance()
        _watcher = _Watcher(app)
        app.paletteChanged.connect(_watcher.changed)
    return _watcher


class _Restyle(QObject):
    """Lives as long as its widget; calls `apply` again after each palette change."""

    def __init__(self, widget, apply) -> None:
        super().__init__(widget)
        self._apply = apply
        watcher().changed.connect(self.run)

    def run(self) -> None:
        self._apply()


def follow_palette(widget, apply) -> None:
    """Call `apply()` now and again whenever the application palette changes, for as long
    as `widget` lives."""
    _Restyle(widget, apply)
    apply()


def mute(label) -> None:
    """Grey a label's text (a hint, not content) in the muted role, readable unlike a
    disabled label's, and still read out by screen readers as text."""
    follow_palette(label, lambda: label.setStyleSheet(f"QLabel {{ {text_style(Role.MUTED)} }}"))


def follow_links(label) -> None:
    """Links in a rich-text label take the palette's link colour when the text is set;
    set it again after a palette change, or a theme switch leaves them in the old one."""

    def relink() -> None:
        text = label.text()
        if "<a " in text:
            label.setText("")
            label.setText(text)

    _Restyle(label, relink)
