"""core.text.visible: outside text with nothing a terminal or a window would obey."""

from __future__ import annotations

import json
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from o365desk.core.text import escape_for_json, is_unsafe, visible

_ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)))


def test_escape_sequences_and_direction_changes_are_shown_as_escapes():
    assert visible("a\x1b[2Jb") == r"a\x1b[2Jb"
    assert visible("\x9b31m\x7f\x00") == r"\x9b31m\x7f\x00"
    assert visible("abc\u202edef\u2066\u2069") == r"abc\u202edef\u2066\u2069"
    assert visible("line\r\nnext\tcol\u2028") == r"line\r\nnext\tcol\u2028"
    assert visible("line\nnext\r", keep_newlines=True) == "line\nnext\\r"


def test_ordinary_text_in_any_script_is_left_as_it_is():
    for text in ("Contoso (GCC High)", "Ünïcødé – “quotes”", "東京 管理", "مرحبا", "👩‍💻 ops",
                 "a\u00a0b", "x\u200dy"):
        assert visible(text) == text


@given(_ANY_TEXT)
def test_nothing_unsafe_is_left_and_safe_characters_are_kept(text):
    shown = visible(text)
    assert not any(is_unsafe(ch) for ch in shown)
    assert visible(shown) == shown
    if not any(is_unsafe(ch) for ch in text):
        assert shown == text


@given(_ANY_TEXT)
def test_every_control_and_bidi_character_is_unsafe(text):
    for ch in text:
        if unicodedata.category(ch) == "Cc" or unicodedata.bidirectional(ch) in (
                "LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI", "LRM", "RLM",
                "ALM"):
            assert is_unsafe(ch)


@given(st.recursive(st.none() | _ANY_TEXT | st.integers(),
                    lambda inner: st.lists(inner) | st.dictionaries(_ANY_TEXT, inner),
                    max_leaves=10))
def test_json_keeps_its_value_with_every_unsafe_character_escaped(value):
    dumped = escape_for_json(json.dumps(value, ensure_ascii=False, indent=2))
    assert json.loads(dumped) == value
    assert not any(is_unsafe(ch) for ch in dumped if ch != "\n")
