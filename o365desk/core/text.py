"""Text from outside o365desk (files, servers, arguments) made safe to show.

A nickname, description or account name read from connections.json, a server's error
text or a device-code message can hold characters that a terminal obeys instead of
showing (ESC starts a sequence that can move the cursor, clear the screen or set the
window title) or that reorder what a reader sees (bidi overrides). `visible` shows each
such character as an escape instead (ESC as \\x1b, U+202E as \\u202e), so the text reads
as what it is and nothing is hidden.
"""

from __future__ import annotations

# Characters that change the direction text is drawn in: a name holding one can look like
# another, or show its end first.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

# Line and paragraph separators: a line break to a window and to some terminals.
_SEPARATORS = "\u2028\u2029"

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# C0 controls, DEL, C1 controls (U+0080-U+009F: 8-bit escapes some terminals obey).
_UNSAFE = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))] + sorted(BIDI_CONTROLS) + \
    list(_SEPARATORS)
_TABLE = {ord(ch): _escape(ch) for ch in _UNSAFE}
_TABLE_KEEPING_LINES = {**_TABLE, ord("\n"): "\n"}


def is_unsafe(ch: str) -> bool:
    """Whether `visible` escapes this character."""
    return ord(ch) in _TABLE


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with control characters, bidi controls and line separators as escapes.

    keep_newlines: "\\n" stays a line break (for text that is meant to have lines, such
    as a block of details); every other such character is still escaped.
    """
    return text.translate(_TABLE_KEEPING_LINES if keep_newlines else _TABLE)


def escape_for_json(dumped: str) -> str:
    """JSON text with every unsafe character as a \\u escape: the same JSON value.

    json.dumps already escapes C0 controls; with ensure_ascii=False it leaves DEL, C1
    controls and bidi controls raw, and those can only occur inside strings there.
    """
    return dumped.translate(_JSON_TABLE)


_JSON_TABLE = {ord(ch): f"\\u{ord(ch):04x}" for ch in _UNSAFE if ord(ch) >= 0x20}
