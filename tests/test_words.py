"""The word steps both sides share (atlas/words.py)."""

from __future__ import annotations

import sys
import unicodedata
from typing import Any

from atlas import thesaurus, words


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


def table_forms(word: str, table: dict[str, Any]) -> str:
    """The table's steps as the browser takes them (search-pipeline.js: forms), one by one."""
    word = "".join(table["map"].get(char, char) for char in unicodedata.normalize("NFC", word))
    for prefix, keep in table["prefixes"]:
        if word.startswith(prefix) and len(word) - len(prefix) >= keep:
            word = word[len(prefix):]
            break
    for _ in range(table["rounds"]):
        ending = next(((suffix, to) for suffix, to in table["suffixes"]
                       if word.endswith(suffix) and len(word) - len(suffix) >= table["min"]), None)
        if ending is None:
            break
        word = word[: len(word) - len(ending[0])] + ending[1]
    return word


def test_a_languages_forms_are_its_tables_steps() -> None:
    """Rules.forms (the character map for str.translate, the endings looked up by length) gives what
    the table's steps give, one by one: on every mapped character, every ending after stems of every
    length, stacked endings, and words of the thesaurus."""
    for lang in ("ar", "fa", "ru", "uk", "tr", "en"):
        rules = words.rules(lang)
        assert rules.forms is not None
        table = rules.forms.table
        samples = [*table["map"], *thesaurus_words(lang)]
        for suffix, _ in table["suffixes"]:
            for stem in ("", "a", "ab", "abc", "abcd", "abcdef"):
                samples += [stem + suffix, stem + suffix + suffix, stem + table["suffixes"][0][0] + suffix]
        samples += [prefix + word for prefix, _ in table["prefixes"] for word in samples[:50]]
        for word in samples:
            assert rules.forms(word.lower()) == table_forms(word.lower(), table) == \
                words.forms(word.lower(), table), (lang, word)


def thesaurus_words(lang: str) -> list[str]:
    return [word for concept in thesaurus.default_concepts() for word in concept.get(lang, ())]
