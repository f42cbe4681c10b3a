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
