"""The word steps both sides share (atlas/words.py)."""

from __future__ import annotations

import sys

from atlas import words


def test_the_fast_split_splits_where_the_browsers_separators_do() -> None:
    """words.split stands for SPLIT, whose SEPARATORS the browser gets: the same on every code point,
    alone and between words, and at the ends it only leaves out the empty words."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert (words.split(f"a{char}b") == ["a", "b"]) == bool(words.SPLIT.fullmatch(char)), hex(code)
    text = "\ufeff Sprach-Café\u00a0für\u2003Frauen – (Hanau)\u3000\t-"
    assert words.split(text) == [w for w in words.SPLIT.split(text) if w] == \
        ["Sprach", "Café", "für", "Frauen", "–", "(Hanau)"]


def test_a_languages_own_separators_split_as_its_pattern_does() -> None:
    """Rules.words (the index) and Rules.split (the query, and the browser's separators) agree: Turkish
    apostrophes separate words ("Gelnhausen'de"), in other languages they stay in the word."""
    text = "Gelnhausen'de danışmanlık\u2019ı Sprach-Café `x´ ʼy"
    for lang in ("de", "tr", "ar", "ru"):
        rules = words.rules(lang)
        assert rules.words(text) == [w for w in rules.split.split(text) if w], lang
    assert words.rules("tr").words("Gelnhausen'de")[0] == "Gelnhausen"
    assert words.rules("de").words("Gelnhausen'de") == ["Gelnhausen'de"]
