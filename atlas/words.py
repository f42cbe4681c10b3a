"""Words as search sees them: the steps every word takes, here and in the browser
(themes/default/static/js/search-pipeline.js), so that what is indexed is what a query finds:

    trim      strip everything but letters, digits and marks at both ends (Unicode-aware)
    stop      drop function words (STOPWORDS, and the UI language's own: wordforms.py)
    fold      accents off but umlauts kept, ae/oe/ue -> ä/ö/ü ("Muetter" meets "Mütter", "cafe" "Café")
    stem      NLTK's German Snowball stemmer, which gives lunr-languages' stems word for word
    forms     in the other UI languages also the language's own form of the word (atlas/wordforms.py:
              a character map and clitic and suffix tables, which travel to the browser as data)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

# White space and hyphens, spelled out: Python's \s and JavaScript's \s differ (U+001C–U+001F,
# U+0085, U+FEFF), and the browser must split exactly as the index was split.
SEPARATORS = "\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff-"
SPLIT = re.compile(f"[{SEPARATORS}]+")


def split(text: str) -> list[str]:
    """SPLIT.split(text) without the empty words at its ends, at str.split's speed (a third of the
    regular expression's time over an atlas's texts): SEPARATORS are Python's white space (str.isspace)
    with the hyphen and U+FEFF (tests/test_words.py checks every code point)."""
    return text.replace("-", " ").replace("\ufeff", " ").split()

# German function words: too common to tell offers apart. Words residents search for stay out.
STOPWORDS = frozenset("""
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes auch auf aus
bei beim bin bis bist da damit dann das dass dem den denn der des dessen die dies diese diesem diesen dieser
dieses doch dort du durch ein eine einem einen einer eines er es etwas euch euer eure für gegen hat hatte
hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in indem ins ist ja jede jedem jeden
jeder jedes jene jenem jenen jener jenes kann kein keine keinem keinen keiner man manche mein meine mich
mir mit muss nach nicht noch nun nur ob oder ohne sehr sein seine seinem seinen seiner sich sie sind so
solche soll sondern sonst über um und uns unser unsere unter vom von vor war waren warum was weil welche
welchem welchen welcher welches wenn wer werde werden wie wieder will wir wird wo wollen wurde würde zu zum
zur zwar zwischen
""".split())

_UMLAUTS = (("ae", "ä"), ("oe", "ö"))
_TO_ASCII = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNM"


def trim(word: str) -> str:
    """Strip all but letters, digits and marks from both ends ("(Café)," -> "café", "B1." -> "b1")."""
    if word[:1].isalnum() and word[-1:].isalnum():  # most words: str.isalnum is a letter or digit (test_words.py)
        return word
    start, end = 0, len(word)
    while start < end and not _is_word_char(word[start]):
        start += 1
    while end > start and not _is_word_char(word[end - 1]):
        end -= 1
    return word[start:end]


_ACCENTS = re.compile("[\u0300-\u0307\u0309-\u036f]")  # combining marks but the umlaut's diaeresis


@lru_cache(maxsize=1 << 18)  # the index folds each distinct word a few times, in every language; a query a few
def fold(word: str) -> str:
    """Accents off but umlauts kept (café -> cafe, ş -> s, ü stays), and umlauts written as
    ae, oe, ue become umlauts (ue not after q: "Quelle" stays)."""
    word = unicodedata.normalize("NFC", _ACCENTS.sub("", unicodedata.normalize("NFD", word)))
    for pair, umlaut in _UMLAUTS:
        word = word.replace(pair, umlaut)
    return re.sub(r"(?<!q)ue", "ü", word)


def ascii_fold(word: str) -> str:
    """As the stemmer leaves words: no umlauts, ß as ss (for prefixes, which skip the stemmer)."""
    return fold(word).translate(_TO_ASCII)


@cache
def stem(word: str) -> str:
    return _stemmer().stem(word)


@cache
def _stemmer() -> Any:
    from nltk.stem.snowball import GermanStemmer  # imported on first use: nltk loads slowly

    return GermanStemmer()


# -- the rules both sides share ------------------------------------------------------------------------
# Everything the browser needs to take the same steps travels in the search data as pipeline_data(lang);
# search-pipeline.js keeps none of these numbers or lists itself.

MAX_QUERY = 200  # characters: a pasted page must not make the search work for minutes
TYPO_LENGTHS = (5, 30)  # one typo for words of 5 to 30 letters: shorter ones meet too many words
# ("eltern" stems to "elt", one edit from "alt"), longer ones cost lunr's typo search length²
PREFIX_MIN = 2  # letters before a word being typed is looked up as a prefix
# A query word of 8 letters or more made of German letters is also looked up in its parts (at any split
# with 4 letters or more on either side, and the first part also without a linking s): "Frauenschwimmkurs"
# finds "Schwimmkurs für Frauen". Only parts that are index terms match anything.
COMPOUND = {"letters": "a-zäöüß", "min": 8, "part": 4}
# a compound's possible first part ("asyl*") says which words a result holds more than how well it matches
BOOSTS = {"word": 10, "part": 3, "prefix": 2, "typo": 1, "head": 0.1}
# A word as written ("beratung", stem "berat") is indexed behind this mark, for typo clauses only:
# unmarked, every prefix clause would meet each word twice (as stem and as written) and rank by it.
WRITTEN = "~"


def pipeline_data(lang: str) -> dict[str, Any]:
    """The word rules of one UI language as the browser gets them (atlasSearch.configure)."""
    from atlas.wordforms import TABLES  # the tables are data; this module is the steps

    table = TABLES.get(lang)
    stop = set(table["stop"].split()) if table else set()
    return {
        "separators": (table or {}).get("apart", "") + SEPARATORS,  # a language's own first: SEPARATORS ends in "-"
        "maxQuery": MAX_QUERY,
        "typo": list(TYPO_LENGTHS),
        "prefixMin": PREFIX_MIN,
        "compound": COMPOUND,
        "boosts": BOOSTS,
        "written": WRITTEN,
        "stopwords": sorted(STOPWORDS | stop),
        "forms": None if table is None else {key: value for key, value in table.items()
                                             if key not in ("stop", "apart")},
    }


@dataclass(frozen=True)
class Rules:
    """pipeline_data(lang) ready to use in Python, read from the very data the browser gets."""
    data: dict[str, Any]
    stopwords: frozenset[str]
    letters: re.Pattern[str] | None
    compound: re.Pattern[str]
    split: re.Pattern[str]  # SPLIT and the language's own separators ("apart")
    apart: str  # the language's own separators alone
    forms: Forms | None  # the language's own forms, when it has them

    @staticmethod
    def of(data: dict[str, Any]) -> Rules:
        forms = data["forms"]
        apart = data["separators"].removesuffix(SEPARATORS)
        return Rules(data, frozenset(data["stopwords"]), re.compile(f"[{forms['letters']}]") if forms else None,
                     re.compile(f"^[{data['compound']['letters']}]+$"), re.compile(f"[{data['separators']}]+"),
                     apart, Forms.of(forms) if forms else None)

    def words(self, text: str) -> list[str]:
        """self.split.split(text) without the empty words at its ends, at str.split's speed (split())."""
        for char in self.apart:  # single characters (Turkish apostrophes), no ranges
            text = text.replace(char, " ")
        return split(text)


@cache
def rules(lang: str) -> Rules:
    return Rules.of(pipeline_data(lang))


def forms(word: str, table: dict[str, Any]) -> str:
    """A word (trimmed, lower case) in the language's own form: characters mapped, at most one
    clitic off the front, endings off the back (search-pipeline.js: forms, the same steps). For one
    word; a language's words go through its Rules.forms, made ready once."""
    return Forms.of(table)(word)


@dataclass(frozen=True)
class Forms:
    """A language's table of forms (atlas/wordforms.py) made ready to apply to many words: its
    character map as str.translate takes it, its endings by length, longest first."""

    table: dict[str, Any]
    mapped: dict[int, str]
    endings: tuple[tuple[int, dict[str, str]], ...]  # per length the endings, the first of a duplicate kept

    @staticmethod
    def of(table: dict[str, Any]) -> Forms:
        endings: dict[int, dict[str, str]] = {}
        for suffix, to in table["suffixes"]:  # the first of a duplicate kept, as the browser's loop takes it
            endings.setdefault(len(suffix), {}).setdefault(suffix, to)
        longest_first = tuple(sorted(endings.items(), reverse=True))  # the order the first match is taken in
        return Forms(table, str.maketrans(table["map"]), longest_first)

    def __call__(self, word: str) -> str:
        word = unicodedata.normalize("NFC", word).translate(self.mapped)
        for prefix, keep in self.table["prefixes"]:
            if word.startswith(prefix) and len(word) - len(prefix) >= keep:
                word = word[len(prefix):]
                break
        for _ in range(self.table["rounds"]):
            word, cut = self._ending_off(word)
            if not cut:
                break
        return word

    def _ending_off(self, word: str) -> tuple[str, bool]:
        """The word without the longest ending of the table that leaves `min` letters (first in the
        table's order among the same), and whether there was one: one look-up per length."""
        for length, endings in self.endings:
            if len(word) - length < self.table["min"]:
                continue
            to = endings.get(word[len(word) - length:])
            if to is not None:
                return word[:len(word) - length] + to, True
        return word, False


def terms(word: str, rules: Rules) -> list[str]:
    """What a word (trimmed, lower case, no stop word) is indexed and looked up as: its German stem,
    and, if it is written in the UI language's letters, the language's own form (German words in
    an Arabic text take the German steps only)."""
    german = stem(fold(word))
    own = rules.forms(word) if rules.letters is not None and rules.forms and rules.letters.search(word) else ""
    return [term for term in (german, own if own != german else "") if term]
