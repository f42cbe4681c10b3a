"""The word steps both sides share (atlas/words.py)."""

from __future__ import annotations

import sys
import unicodedata

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


def test_trim_keeps_what_str_isalnum_calls_a_letter_or_digit() -> None:
    """trim's shortcut (a word that begins and ends with str.isalnum's characters is whole) on every
    code point: isalnum is true only for letters and digits (Unicode categories L and N), which trim keeps."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isalnum():
            assert words.trim(f"{char}x{char}") == f"{char}x{char}", hex(code)
    assert words.trim("(Café),") == "Café" and words.trim("\u0301a\u0301") == "\u0301a\u0301"
    assert words.trim("«x»") == "x" and words.trim("...") == ""


def test_a_languages_forms_map_each_character_as_its_table_says() -> None:
    """forms() maps characters with the table's map made for str.translate (Rules.mapped): each mapped
    character alone becomes what the table says (the browser's map), and whole words come out alike
    with the map made on the spot."""
    for lang in ("ar", "fa", "ru", "uk", "tr", "en"):
        rules = words.rules(lang)
        table = rules.data["forms"]
        for char, mapped in table["map"].items():
            if unicodedata.normalize("NFC", char) == char:
                assert words.forms(char, table, rules.mapped) == mapped, (lang, hex(ord(char)))
        for word in ("للنساء", "كِتابٌ", "ёлка", "курсів", "kursları", "İstanbul'da", "women’s", "classes"):
            assert words.forms(word.lower(), table, rules.mapped) == words.forms(word.lower(), table), (lang, word)
