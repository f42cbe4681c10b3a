"""German place names in Cyrillic letters, as readers of the Russian and Ukrainian pages type them:
Hanau as "Ханау" (Russian writes the German h as х) or "Ганау" (Ukrainian as г), Gelnhausen as
"Гельнхаузен" or "Гельнгаузен". The index of those languages holds each word of the atlas's
place names under both spellings (atlas.search.build_index), so that a town typed in Cyrillic finds
its offers. Index-side only: the browser looks a typed word up as any other, with one typo forgiven
where the customary spelling differs from these rules ("Нидерау" for "Ниддерау").

A table maps German letter groups (longest first) to Cyrillic; four rules need the neighbours:
s before a vowel is voiced (з), l before a consonant or at the end is soft (ль), c before a front
vowel is ц, and an h after a vowel that no vowel follows is silent (Bahnhof).
"""

from __future__ import annotations

from collections.abc import Iterable

from atlas.words import SPLIT, trim

_VOWELS = frozenset("aeiouyäöü")
_FRONT = frozenset("eiyäö")
_GERMAN = frozenset("abcdefghijklmnopqrstuvwxyzäöüß")

RUSSIAN: dict[str, dict[str, str]] = {
    "start": {"st": "шт", "sp": "шп", "e": "э", "ä": "э"},
    "groups": {
        "tsch": "ч", "sch": "ш", "chs": "кс", "ch": "х", "ck": "к", "tz": "ц", "th": "т", "ph": "ф", "qu": "кв",
        "ei": "ай", "ey": "ай", "ai": "ай", "eu": "ой", "äu": "ой", "ie": "и", "ee": "е", "aa": "а", "oo": "о",
        "oy": "ой", "ja": "я", "ju": "ю", "je": "е", "ss": "сс", "ß": "сс",
        "a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "й",
        "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р", "s": "с", "t": "т", "u": "у",
        "v": "ф", "w": "в", "x": "кс", "y": "и", "z": "ц", "ä": "е", "ö": "ё", "ü": "ю",
    },
}
UKRAINIAN: dict[str, dict[str, str]] = {
    "start": {"st": "шт", "sp": "шп"},
    "groups": {**RUSSIAN["groups"], "h": "г", "i": "і", "ie": "і", "y": "і", "je": "є", "ö": "е"},
}
TABLES = {"ru": RUSSIAN, "uk": UKRAINIAN}


def cyrillic(word: str, table: dict[str, dict[str, str]]) -> str:
    """One German word (lower case, German letters only) in the table's Cyrillic spelling."""
    groups = sorted(table["groups"], key=len, reverse=True)
    found, i = [], 0
    while i < len(word):
        before, after = word[i - 1] if i else "", word[i + 1] if i + 1 < len(word) else ""
        start = next((s for s in table["start"] if i == 0 and word.startswith(s)), None)
        group = start or next(g for g in groups if word.startswith(g, i))
        letters = (table["start"] if start else table["groups"])[group]
        if group == "s" and after in _VOWELS:
            letters = "з"
        elif group == "l" and after not in _VOWELS:
            letters = "ль"
        elif group == "c" and after in _FRONT:
            letters = "ц"
        elif group == "h" and before in _VOWELS and after not in _VOWELS:
            letters = ""
        found.append(letters)
        i += len(group)
    return "".join(found)


def place_names(names: Iterable[str], lang: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """For the index of `lang` (Russian or Ukrainian; none for the others): each word of the place
    names with its Russian and Ukrainian spellings, as groups of words treated alike."""
    if lang not in TABLES:
        return ()
    words = sorted({trim(word) for name in names for word in SPLIT.split(name.lower())})
    return tuple((lang, (word, *dict.fromkeys(cyrillic(word, table) for table in TABLES.values())))
                 for word in words if len(word) >= 3 and set(word) <= _GERMAN)
