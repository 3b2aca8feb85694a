"""Nickname rules, checked as properties over many generated names, and through the store."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from o365desk.core import nickname as nick
from o365desk.core.connection import Connection
from o365desk.storage.store import ConnectionStore

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# The fixed opening of each rule's message: the rest names the character or the count.
RULES = {
    "empty": "Type a nickname: it can't be empty.",
    "length": "A nickname can have at most 64 characters",
    "bidi": "The nickname contains an invisible character that changes text direction",
    "control": "The nickname contains a control character",
    "format": "The nickname contains an invisible formatting character",
    "invalid": "The nickname contains a character that is not a valid letter or symbol",
    "clash": "A connection called ",
}

# Letters, digits, marks, punctuation, symbols and plain spaces: what people type.
typed = st.characters(categories=["L", "M", "N", "P", "S", "Zs"])
names = st.text(typed, min_size=1, max_size=40)
word = st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=20)


def refusal(raw: str, taken: tuple[str, ...] = ()) -> str:
    with pytest.raises(nick.NicknameError) as caught:
        nick.validate(raw, taken)
    return str(caught.value)


def rule_of(message: str) -> str:
    matches = [rule for rule, opening in RULES.items() if message.startswith(opening)]
    assert len(matches) == 1, message
    return matches[0]


@given(st.text())
def test_normalize_is_idempotent(raw: str) -> None:
    once = nick.normalize(raw)
    assert nick.normalize(once) == once


@given(st.text())
def test_fold_ignores_normalization(raw: str) -> None:
    assert nick.fold(nick.normalize(raw)) == nick.fold(raw)


@given(st.text())
def test_validate_returns_the_normalized_form_or_refuses_with_a_rule(raw: str) -> None:
    try:
        name = nick.validate(raw)
    except nick.NicknameError as exc:
        rule_of(str(exc))
    else:
        assert name == nick.normalize(raw)
        assert nick.validate(name) == name


@given(word, st.sampled_from(BIDI), word)
def test_bidi_controls_are_refused_with_their_rule(before: str, ch: str, after: str) -> None:
    assert rule_of(refusal(before + ch + after)) == "bidi"


@given(word, st.characters(categories=["Cc"]), word)
def test_control_characters_are_refused_with_their_rule(before: str, ch: str, after: str) -> None:
    assert rule_of(refusal(before + ch + after)) == "control"


@given(word, st.characters(categories=["Cf"]), word)
def test_format_characters_are_refused_with_their_rule(before: str, ch: str, after: str) -> None:
    expected = "bidi" if ch in BIDI else "format"
    assert rule_of(refusal(before + ch + after)) == expected


@pytest.mark.parametrize("ch", ["\u2028", "\u2029"])
def test_line_and_paragraph_separators_count_as_control(ch: str) -> None:
    assert rule_of(refusal(f"a{ch}b")) == "control"


hidden_chars = (
    st.sampled_from(BIDI) | st.characters(categories=["Cc", "Cf"]) | st.sampled_from("\u2028\u2029")
)


def rule_for(ch: str) -> str:
    if ch in BIDI:
        return "bidi"
    return "format" if unicodedata.category(ch) == "Cf" else "control"


@given(st.text(typed, max_size=25), hidden_chars, st.text(typed, max_size=25))
def test_any_typed_text_with_a_hidden_character_inside_gets_that_rule(
    before: str, ch: str, after: str
) -> None:
    assert rule_of(refusal(f"x{before}{ch}{after}x")) == rule_for(ch)


@given(st.text(), hidden_chars, st.text())
def test_any_text_with_a_hidden_character_inside_is_refused(
    before: str, ch: str, after: str
) -> None:
    # Other characters may break a rule first, but the name is never accepted.
    rule_of(refusal(f"x{before}{ch}{after}x"))


@given(st.text(typed, min_size=65, max_size=200))
def test_more_than_64_characters_are_refused(raw: str) -> None:
    assume(len(nick.normalize(raw)) > nick.MAX_LENGTH)
    message = refusal(raw)
    assert rule_of(message) == "length"
    assert f"this one has {len(nick.normalize(raw))}" in message


def test_exactly_64_characters_are_allowed() -> None:
    assert nick.validate("a" * 64) == "a" * 64
    assert rule_of(refusal("a" * 65)) == "length"


@pytest.mark.parametrize("raw", ["", " ", "\t\n", "\u3000"])
def test_empty_and_blank_are_refused(raw: str) -> None:
    assert rule_of(refusal(raw)) == "empty"


@given(st.text(st.characters(codec="ascii", categories=["L", "N", "P", "Zs"]), min_size=1))
def test_names_differing_only_in_case_clash(name: str) -> None:
    assume(nick.normalize(name))
    assert rule_of(refusal(name.swapcase(), (name,))) == "clash"
    assert rule_of(refusal(name.upper(), ("x", name.lower()))) == "clash"


@pytest.mark.parametrize(
    ("taken", "raw"),
    [
        ("Straße", "STRASSE"),
        ("ångström", "A\u030aNGSTRÖM"),  # decomposed Å: the same text once normalized
        ("Contoso", "  contoso  "),
        ("ΣΊΣΥΦΟΣ", "σίσυφος"),
    ],
)
def test_unicode_case_variants_clash(taken: str, raw: str) -> None:
    assert rule_of(refusal(raw, (taken,))) == "clash"


@given(names, names)
def test_clash_exactly_when_folded_forms_are_equal(a: str, b: str) -> None:
    assume(nick.normalize(a) and nick.normalize(b))
    assume(len(nick.normalize(a)) <= 64 and len(nick.normalize(b)) <= 64)
    try:
        nick.validate(a)
        nick.validate(b)
    except nick.NicknameError:
        assume(False)
    if nick.fold(a) == nick.fold(b):
        assert rule_of(refusal(b, (a,))) == "clash"
    else:
        assert nick.validate(b, (a,)) == nick.normalize(b)


def test_each_rule_has_its_own_message() -> None:
    examples = {
        "empty": "",
        "length": "a" * 65,
        "bidi": "a\u202eb",
        "control": "a\tb",
        "format": "a\u200bb",
        "invalid": "a\ue000b",
        "clash": "ALPHA",
    }
    messages = {rule: refusal(raw, ("alpha",)) for rule, raw in examples.items()}
    assert {rule: rule_of(m) for rule, m in messages.items()} == {r: r for r in examples}
    # Distinct even once the character code and counts are taken out.
    templates = {re.sub(r"U\+[0-9A-F]{4,6}|\d+|\"[^\"]*\"", "#", m) for m in messages.values()}
    assert len(templates) == len(examples)
    for message in messages.values():
        assert message.endswith(".") and message[0].isupper()


def test_unassigned_and_private_use_characters_are_refused() -> None:
    unassigned = next(
        chr(c) for c in range(0x0378, 0x10000) if unicodedata.category(chr(c)) == "Cn"
    )
    assert rule_of(refusal(f"a{unassigned}b")) == "invalid"
    assert rule_of(refusal("a\ue000b")) == "invalid"


@settings(max_examples=40, deadline=None)
@given(names)
def test_valid_names_round_trip_through_the_store(raw: str) -> None:
    try:
        expected = nick.validate(raw)
    except nick.NicknameError:
        assume(False)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "connections.json"
        stored = ConnectionStore(path).add(Connection(nickname=raw))
        assert stored.nickname == expected
        fresh = ConnectionStore(path)
        fresh.load()
        assert fresh.notices == []
        assert fresh.find(raw).nickname == expected
        other_case = expected.swapcase()
        if nick.fold(other_case) == nick.fold(expected):  # not so for e.g. Turkish "ı"
            assert fresh.find(other_case).id == stored.id
