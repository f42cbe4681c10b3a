"""German place names in the letters of the other interface languages, as their readers type them:
Hanau as "Ханау" (Russian writes the German h as х), "Ганау" (Ukrainian, as г) or "هاناو" (Arabic
and Persian), Gelnhausen as "Гельнхаузен", "Гельнгаузен", "غلنهاوزن" or "گلنهاوزن". The index of
those languages holds each word of the atlas's place names also in the spellings of its script
(atlas.search.build_index), so that a town typed in Cyrillic or Arabic letters finds its offers.
Index-side only: the browser looks a typed word up as any other, with one typo forgiven where the
customary spelling differs from these rules ("Нидерау" for "Ниддерау", "غيلنهاوزن" with a ya).

A spelling is a list of rules, German letters (a regular expression, which may look at the
neighbours) -> letters of the script, tried in order at each position: the first that matches
there wins. Context says what letters alone cannot: s before a vowel is voiced (з, ز), Russian l
before a consonant is soft (ль), an h after a vowel that no vowel follows is silent (Bahnhof), and
Arabic and Persian write no short e inside a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from atlas.words import SPLIT, trim

_V = "[aeiouyäöü]"  # German vowels, for the rules' context
GERMAN = frozenset("abcdefghijklmnopqrstuvwxyzäöüß")

RUSSIAN: dict[str, str] = {
    "^st": "шт", "^sp": "шп", "^[eä]": "э",
    "tsch": "ч", "sch": "ш", "chs": "кс", "ch": "х", "ck": "к", "tz": "ц", "th": "т", "ph": "ф", "qu": "кв",
    "e[iy]|ai": "ай", "eu|äu|oy": "ой", "ie": "и", "ee": "е", "aa": "а", "oo": "о",
    "ja": "я", "ju": "ю", "je": "е", "ss|ß": "сс",
    f"s(?={_V})": "з", f"l(?!{_V})": "ль", "c(?=[eiyäö])": "ц", f"(?<={_V})h(?!{_V})": "",
    "a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "й", "k": "к",
    "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р", "s": "с", "t": "т", "u": "у", "v": "ф",
    "w": "в", "x": "кс", "y": "и", "z": "ц", "ä": "е", "ö": "ё", "ü": "ю",
}
UKRAINIAN: dict[str, str] = {pattern: letters for pattern, letters in RUSSIAN.items() if pattern != "^[eä]"} | {
    "h": "г", "i": "і", "ie": "і", "y": "і", "je": "є", "ö": "е",
}
PERSIAN: dict[str, str] = {
    "^st": "اشت", "^sp": "اشپ", "^e[iy]|^ai": "ای", "^au": "آو", "^eu|^äu": "اوی", "^ie|^i": "ای", "^[ou]": "او",
    "^[aäe]": "ا", "^[öü]": "او",
    "tsch": "چ", "sch": "ش", "chs": "کس", "ch": "خ", "ck": "ک", "tz|z": "تس", "th": "ت", "ph": "ف", "qu": "کو",
    "e[iy]|ai": "ای", "au": "او", "eu|äu": "وی", "ie": "ی", "ee$|e$": "ه", "aa": "ا", "oo": "و", "ss|ß": "س",
    # a doubled consonant is written once (Arabic script marks it, if at all, with a shadda)
    "bb": "ب", "dd": "د", "ff": "ف", "gg": "گ", "kk": "ک", "ll": "ل", "mm": "م", "nn": "ن", "pp": "پ", "rr": "ر",
    "tt": "ت",
    f"s(?={_V})": "ز", f"(?<={_V})h(?!{_V})": "", "c(?=[eiyäö])": "تس",
    "a": "ا", "b": "ب", "c": "ک", "d": "د", "e|ä": "", "f|v": "ف", "g": "گ", "h": "ه", "i|y": "ی", "j": "ی",
    "k": "ک", "l": "ل", "m": "م", "n": "ن", "o|u|ö|ü": "و", "p": "پ", "q": "ک", "r": "ر", "s": "س", "t": "ت",
    "w": "و", "x": "کس",
}
# Arabic has no letters for p, g, tsch and writes w as f ("فيسبادن" for Wiesbaden)
ARABIC: dict[str, str] = PERSIAN | {"^sp": "اشب", "tsch": "تش", "p": "ب", "pp": "ب", "g": "غ", "gg": "غ", "w": "ف",
                                    "c": "ك", "k": "ك", "kk": "ك",
                                    "chs": "كس", "ck": "ك", "qu": "كو", "x": "كس", "i|y": "ي", "j": "ي",
                                    "^e[iy]|^ai": "اي", "^ie|^i": "اي", "^eu|^äu": "اوي", "e[iy]|ai": "اي",
                                    "eu|äu": "وي", "ie": "ي"}
SCRIPTS: dict[str, tuple[dict[str, str], ...]] = {"ru": (RUSSIAN, UKRAINIAN), "uk": (RUSSIAN, UKRAINIAN),
                                                   "ar": (ARABIC, PERSIAN), "fa": (ARABIC, PERSIAN)}


@cache
def _compiled(rules: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    # each rule a named group: the one that matched is the match's lastgroup (the outermost group to
    # close), so a rule may hold groups of its own
    pattern = re.compile("|".join(f"(?P<r{number}>{rule})" for number, (rule, _) in enumerate(rules)))
    return pattern, {f"r{number}": letters for number, (_, letters) in enumerate(rules)}


def spell(word: str, rules: dict[str, str]) -> str:
    """One German word (lower case, German letters only) as `rules` spell it."""
    pattern, letters = _compiled(tuple(rules.items()))
    return pattern.sub(lambda match: letters[match.lastgroup or ""], word)


def place_names(names: Iterable[str], lang: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """For the index of `lang`: each word of the place names with its spellings in the letters of
    `lang` (both Cyrillic ones, or the Arabic and the Persian one; none for the Latin languages),
    as groups of words treated alike."""
    if lang not in SCRIPTS:
        return ()
    words = sorted({trim(word) for name in names for word in SPLIT.split(name.lower())})
    return tuple((lang, (word, *dict.fromkeys(spell(word, rules) for rules in SCRIPTS[lang])))
                 for word in words if len(word) >= 3 and set(word) <= GERMAN)
