"""The light, dark and high-contrast palettes the colour tests and screenshots use."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

DARK = {"Window": "#202020", "WindowText": "#f0f0f0", "Base": "#2a2a2a",
        "AlternateBase": "#303030", "Text": "#f0f0f0", "Button": "#303030",
        "ButtonText": "#f0f0f0", "Highlight": "#3a6ea5", "HighlightedText": "#ffffff",
        "ToolTipBase": "#303030", "ToolTipText": "#f0f0f0", "PlaceholderText": "#a0a0a0",
        "Link": "#6cb4ff", "LinkVisited": "#c59cff", "Light": "#484848", "Midlight": "#3a3a3a",
        "Mid": "#2c2c2c", "Dark": "#151515", "Shadow": "#000000"}
DARK_DISABLED = {"WindowText": "#8a8a8a", "Text": "#8a8a8a", "ButtonText": "#8a8a8a"}
HIGH_CONTRAST = {"Window": "#000000", "WindowText": "#ffffff", "Base": "#000000",
                 "AlternateBase": "#000000", "Text": "#ffffff", "Button": "#000000",
                 "ButtonText": "#ffffff", "Highlight": "#ffff00", "HighlightedText": "#000000",
                 "ToolTipBase": "#000000", "ToolTipText": "#ffffff",
                 "PlaceholderText": "#ffffff", "Light": "#ffffff", "Dark": "#ffffff",
                 "Link": "#ffff00", "LinkVisited": "#00ff00"}
HIGH_CONTRAST_DISABLED = {"WindowText": "#00ff00", "Text": "#00ff00", "ButtonText": "#00ff00"}
PALETTES = ("light", "dark", "high-contrast")


def palette_from(values: dict[str, str], disabled: dict[str, str] | None = None) -> QPalette:
    """A palette with these colours in every group, and `disabled` for disabled text."""
    palette = QPalette()
    for role, colour in values.items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    for role, colour in (disabled or {}).items():
        palette.setColor(QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role),
                         QColor(colour))
    return palette


def make_palette(app, name: str) -> QPalette:
    """"light" is the style's own palette (Fusion's on these machines)."""
    if name == "light":
        return app.style().standardPalette()
    if name == "dark":
        return palette_from(DARK, DARK_DISABLED)
    return palette_from(HIGH_CONTRAST, HIGH_CONTRAST_DISABLED)
