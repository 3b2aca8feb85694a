"""Nickname rules: what a connection may be called, each broken rule with its own message."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

MAX_LENGTH = 64

# Characters that reorder text on screen; a nickname holding one can look like another.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


class NicknameError(ValueError):
    """A nickname broke a rule; str(error) is a sentence for the person who typed it."""


def normalize(raw: str) -> str:
    """The form a nickname is stored in: NFC, without surrounding white space."""
    return unicodedata.normalize("NFC", raw).strip()


def fold(nickname: str) -> str:
    """The key two nicknames are compared by: they clash when their keys are equal."""
    return unicodedata.normalize("NFC", normalize(nickname).casefold())


def validate(raw: str, taken: Iterable[str] = ()) -> str:
    """Return the normalized nickname, or raise NicknameError naming the broken rule.

    `taken` holds the nicknames already in use (by other connections).
    """
    name = normalize(raw)
    if not name:
        raise NicknameError("Type a nickname: it can't be empty.")
    if len(name) > MAX_LENGTH:
        raise NicknameError(
            f"A nickname can have at most {MAX_LENGTH} characters; this one has {len(name)}. "
            "Shorten it."
        )
    for ch in name:
        if ch in _BIDI_CONTROLS:
            raise NicknameError(
                "The nickname contains an invisible character that changes text direction "
                f"(U+{ord(ch):04X}). Retype it without copying it from elsewhere."
            )
        category = unicodedata.category(ch)
        if category == "Cc" or ch in "\u2028\u2029":
            raise NicknameError(
                f"The nickname contains a control character (U+{ord(ch):04X}), such as a line "
                "break or tab. Use letters, digits, spaces and punctuation only."
            )
        if category == "Cf":
            raise NicknameError(
                f"The nickname contains an invisible formatting character (U+{ord(ch):04X}). "
                "Retype it without copying it from elsewhere."
            )
        if category in ("Cs", "Co", "Cn"):
            raise NicknameError(
                f"The nickname contains a character that is not a valid letter or symbol "
                f"(U+{ord(ch):04X}). Remove it."
            )
    key = fold(name)
    for other in taken:
        if fold(other) == key:
            raise NicknameError(
                f'A connection called "{other}" already exists (nicknames ignore upper and '
                "lower case). Choose another nickname."
            )
    return name
