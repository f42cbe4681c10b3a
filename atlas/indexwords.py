"""The words an offer's text is indexed as (atlas/search.py builds the index from them): the search's
word steps (atlas/words.py), plus compound parts from the atlas's own vocabulary and synonyms, each
distinct word's terms made once (a large atlas has ~1.5 million tokens and far fewer words).
"""

from __future__ import annotations

import itertools
import weakref
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from atlas.words import Rules, ascii_fold, fold, rules, stem, terms, trim

# Heads of German compounds that offers are named by; the atlas's own words are added to these.
COMPOUND_HEADS = frozenset("""
kurs kurse beratung hilfe hilfen treff treffs treffen cafe café gruppe gruppen stelle dienst zentrum
verein schule training sprechstunde angebot angebote projekt arbeit ausbildung begleitung betreuung
unterricht sport fest garten lotsen paten patenschaft patenschaften schwimmen
""".split())

MAX_COMPOUND = 64  # letters; the longest German compounds in real use have about 40


class IndexWords:
    """The index-time word steps, cached per distinct word (a large atlas has ~1.5 million
    tokens and far fewer words): the search's steps, plus compound parts and synonyms as
    further words."""

    def __init__(self, vocabulary: set[str], synonyms: dict[str, tuple[str, ...]],
                 language: Rules | None = None, names: frozenset[str] = frozenset()) -> None:
        self.vocabulary = vocabulary
        self.names = names  # folded words of place names: "Tümpelgarten" is a place, not a garden
        self.synonyms = synonyms
        self.language = language or rules("de")
        # atlas.postings loads NumPy (0.1 s): where an index is made, not with every command
        from atlas.postings import Numbered

        self.cache: dict[str, list[str]] = _Made(self.words)
        self.trimmed: dict[str, list[str]] = {}  # the same by the word trimmed: "Kurs," and "(Kurs)" are "kurs"
        self.numbered = Numbered()  # the index's terms by number (atlas.postings), as they first occur

    def parts(self, word: str) -> list[str]:
        """'migrationsberatung' -> ['beratung', 'migration']: tails that are words, and the head.

        A tail from COMPOUND_HEADS is split off whatever comes before it ("Radfahrkurs");
        another word of the atlas only when what comes before is a word too, so that
        "betroffene" does not yield "offene". A word of the atlas followed by the linking s is split off
        any tail of five letters or more ("Ehrenamts|börse": an Ehrenamt, which the thesaurus names)."""
        found: list[str] = []
        if len(word) > MAX_COMPOUND or word in self.names:  # each split point copies and hashes the word
            return found
        for i in range(3, len(word) - 3):
            tail = word[i:]
            if not (tail in COMPOUND_HEADS or tail in self.vocabulary) and (word[i - 1] != "s" or len(word) - i < 5):
                continue  # neither way of splitting can hold here: the head is not looked for
            head = self._known_head(word[:i])
            if tail in COMPOUND_HEADS or (tail in self.vocabulary and head):
                found += [w for w in (tail, head) if w and w not in found]
            elif head and word[i - 1] == "s" and head == word[:i - 1] and len(word) - i >= 5 and head not in found:
                found.append(head)  # a linking s after a word of the atlas: Ehrenamts|börse
        return found[:4]

    def _known_head(self, head: str) -> str:
        """The word a compound's first part stands for, allowing German linking letters:
        Migration-s-, Sprach(e)-, Radfahr(en)-, Frau-en-."""
        candidates = (head, head[:-1] if head.endswith("s") else "", head[:-2] if head.endswith("es") else "",
                      head + "e", head + "en", head + "n")
        return next((c for c in candidates if len(c) >= 3 and c in self.vocabulary), "")

    def words(self, raw: str) -> list[str]:
        """One word as it is indexed: nothing (a stop word), or its terms (atlas.words.terms),
        its parts' stems, the stems of their synonyms, and the word as written."""
        if raw not in self.cache:
            word = trim(raw)
            if word not in self.trimmed:
                self.trimmed[word] = self._words(word)
            self.cache[raw] = self.trimmed[word]
        return self.cache[raw]

    def _words(self, word: str) -> list[str]:
        if not word or word in self.language.stopwords:
            return []
        found = terms(word, self.language)
        found += [stem(w) for w in self.parts(fold(word))]
        found = list(dict.fromkeys(found))
        for term in list(found):
            found += [s for s in self.synonyms.get(term, ()) if s not in found]
        written = ascii_fold(word)
        return found + ([] if written in found else [self.language.data["written"] + written])

    def field(self, text: str) -> tuple[dict[str, int], int]:
        """A field's terms and how often each occurs (each distinct word's terms looked up once), and
        its length for BM25: the words that are indexed, however many terms each adds. Stems, own
        forms, parts, synonyms and the written form are the index's doing, not a longer text; counted,
        they made a title with a compound or a thesaurus word weigh less in every query. As text, for
        postings.invert (tests); the build hands the index its terms as numbers (numbered_terms)."""
        found = list(map(self.cache.__getitem__, self.language.words(text.lower())))  # looked up in C; made on a miss
        return Counter(itertools.chain.from_iterable(found)), len(found) - found.count([])

    def numbered_terms(self, raws: Iterable[str]) -> list[tuple[int, ...]]:
        """Each raw word's terms by number (self.numbered), as field() has them as text, for words that are
        looked up once each (atlas.tokens numbers a text's words): without the caches of raw words."""
        trimmed, number, made = self.trimmed, self.numbered.__getitem__, []
        for word in map(trim, raws):
            found = trimmed.get(word)
            if found is None:
                trimmed[word] = found = self._words(word)
            made.append(tuple(map(number, found)))
        return made


class _Made(dict[str, Any]):
    """Each raw word's index terms, made by `make` on first use (map() looks words up without Python).
    It holds its IndexWords's method weakly: a cycle would keep every language's words (tens of MB at
    10,000 offers) until the cyclic collector runs, which a build holds back (build._fewer_collections)."""

    def __init__(self, make: Callable[[str], Any]) -> None:
        super().__init__()
        self.make = weakref.WeakMethod(make)  # type: ignore[arg-type]

    def __missing__(self, raw: str) -> Any:
        return self.make()(raw)  # type: ignore[misc]  # IndexWords.words, which keeps it here
