"""Words as search sees them: the steps every word takes, here and in the browser
(themes/default/static/js/search-pipeline.js), so that what is indexed is what a query finds:

    trim      strip everything but letters, digits and marks at both ends (Unicode-aware)
    stop      drop German function words (STOPWORDS)
    fold      accents off but umlauts kept, ae/oe/ue -> ä/ö/ü ("Muetter" meets "Mütter", "cafe" "Café")
    stem      NLTK's German Snowball stemmer, which gives lunr-languages' stems word for word

lunr.js finds these steps by their labels when it loads the index; they are registered here
for lunr.py under the same labels.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import cache
from typing import Any

from lunr.pipeline import Pipeline
from lunr.token import Token

# White space and hyphens, spelled out: Python's \s and JavaScript's \s differ (U+001C–U+001F,
# U+0085, U+FEFF), and the browser must split exactly as the index was split.
SEPARATORS = "\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff-"
SPLIT = re.compile(f"[{SEPARATORS}]+")

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
    start, end = 0, len(word)
    while start < end and not _is_word_char(word[start]):
        start += 1
    while end > start and not _is_word_char(word[end - 1]):
        end -= 1
    return word[start:end]


_ACCENTS = re.compile("[\u0300-\u0307\u0309-\u036f]")  # combining marks but the umlaut's diaeresis


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


# -- the lunr pipeline ------------------------------------------------------------------------------
# lunr.js finds the functions of a loaded index by these labels; the browser registers the same.

def _trimmer(token: Token, i: int, tokens: list[Token]) -> Token | None:
    word = trim(str(token))
    return token.update(lambda s, m: word) if word else None


def _stop_words(token: Token, i: int, tokens: list[Token]) -> Token | None:
    return None if str(token) in STOPWORDS else token


def _folder(token: Token, i: int, tokens: list[Token]) -> Token:
    return token.update(lambda s, m: fold(s))


def _stemmer_de(token: Token, i: int, tokens: list[Token]) -> Token:
    return token.update(lambda s, m: stem(s))


SEARCH_PIPELINE = (("atlas-trimmer", _trimmer), ("atlas-stop-words-de", _stop_words), ("atlas-fold-de", _folder),
                   ("stemmer-de", _stemmer_de))
logging.getLogger("lunr").addHandler(logging.NullHandler())  # its warnings must not reach the CLI's stderr
for _label, _function in SEARCH_PIPELINE:
    Pipeline.register_function(_function, _label)  # lunr.py's registry is global; the labels are ours


