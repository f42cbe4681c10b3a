"""The texts an index is made of as numbers of their words (atlas/search.py builds the index from
them): each text split once into its raw words (lower case, as atlas.words.Rules.words splits it) and
each distinct word numbered, so that a language's index makes the terms of each distinct word once
(IndexWords) and NumPy gathers them for every occurrence: 1,000 offers have ~300,000 words in each
language's index and ~6,000 distinct ones.

Every language's index holds each offer's German text, the same in all seven: a process splits it
for the first language it indexes and keeps it for the next ones (the build hands each process
several languages in turn, build.search_started).
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from atlas.postings import Flat, Numbered
from atlas.words import Rules, rules

GATHERED = 1 << 20  # words whose terms are gathered at a time: the temporary arrays of a large field stay small


@dataclass(frozen=True, eq=False)  # arrays have no truth value: compared field by field they would raise
class Split:
    """Texts, one per offer, as their raw words' numbers: all their words, one text after the other,
    and how many each text has."""

    words: np.ndarray  # int32
    sizes: np.ndarray  # int64, one per text


class Tokens:
    """The raw words of one site's index texts by number, and the German text's fields split (kept)."""

    def __init__(self) -> None:
        self.numbers = Numbered()  # raw word -> its number, in the order the words first occur
        self._kept: dict[str, list[Split]] = {}  # by the separators a language adds (Rules.apart)

    def forget(self) -> None:
        self.numbers.clear()
        self._kept.clear()

    def split(self, texts: Sequence[str], language: Rules) -> Split:
        if not any(texts):  # a field no offer has a translation of: most of them
            return Split(np.zeros(0, np.int32), np.zeros(len(texts), np.int64))
        words, sizes, number = array("i"), array("q"), self.numbers.__getitem__
        for text in texts:  # one text's words at a time: a field's all at once are 100 MB at 10,000 offers
            before = len(words)
            words.extend(map(number, language.words(text.lower())))
            sizes.append(len(words) - before)
        return Split(np.frombuffer(words, np.int32) if words else np.zeros(0, np.int32), np.frombuffer(sizes, np.int64))

    def kept(self, language: Rules, fields: Callable[[], list[list[str]]]) -> list[Split]:
        """Each field's texts (`fields`, the German ones, which every language's index holds) split as
        `language` splits them: by the first language that splits alike, kept for the next ones."""
        if language.apart not in self._kept:
            self._kept[language.apart] = [self._apart(split, language) for split in self.kept(rules("de"), fields)] \
                if language.apart else [self.split(texts, language) for texts in fields()]
        return self._kept[language.apart]

    def _apart(self, split: Split, language: Rules) -> Split:
        """`split`, split by white space alone, with those of its words that hold a separator of the language's
        own (Turkish apostrophes: "hanau'da") split further, as language.words splits them."""
        held = used([[split]])
        made = [tuple(map(self.numbers.__getitem__, language.words(word))) if language.split.search(word)
                else (number,) for number, word in zip(held.tolist(), self.words(held), strict=True)]
        words, texts, _ = Terms.of(made, held, len(self.numbers)).occurrences([split])
        return Split(words, np.bincount(texts, minlength=len(split.sizes)))

    def words(self, numbers: np.ndarray) -> list[str]:
        """The raw words of `numbers`."""
        raw = list(self.numbers)  # in the order of their numbers
        return [raw[n] for n in numbers.tolist()]


def used(fields: Sequence[Sequence[Split]]) -> np.ndarray:
    """The numbers of the raw words the fields' texts hold, each once, in order."""
    held = np.zeros(max((int(part.words.max(initial=-1)) + 1 for parts in fields for part in parts), default=0), bool)
    for parts in fields:
        for part in parts:
            held[part.words] = True
    return np.flatnonzero(held)


@dataclass(frozen=True, eq=False)
class Terms:
    """Each raw word's term numbers (IndexWords.numbers), by the word's number: word n's are
    flat[starts[n]:starts[n] + counts[n]] (none for a stop word)."""

    starts: np.ndarray  # int64, per raw word
    counts: np.ndarray  # int64, per raw word
    flat: np.ndarray  # int32

    @staticmethod
    def of(made: Sequence[Sequence[int]], numbers: np.ndarray, size: int) -> Terms:
        """From the term numbers `made` of the raw words `numbers` (ascending), of `size` raw words in all."""
        counts = np.zeros(size, np.int64)
        counts[numbers] = np.fromiter(map(len, made), np.int64, len(made))
        starts = np.zeros(size, np.int64)
        np.cumsum(counts[:-1], out=starts[1:])
        return Terms(starts, counts, np.fromiter(itertools.chain.from_iterable(made), np.int32))

    def occurrences(self, parts: Sequence[Split]) -> Flat:
        """A field as atlas.postings.invert_flat reads it, from its texts (the UI language's and the German
        of the same offers, each a Split): every term number of each word, the offer it is in, and per
        offer the field's length, the words that are indexed (have terms)."""
        count = len(parts[0].sizes) if parts else 0
        words = np.concatenate([np.zeros(0, np.int32)] + [part.words for part in parts])
        offers = np.concatenate([np.zeros(0, np.int32)] + [np.repeat(np.arange(count, dtype=np.int32), part.sizes)
                                                           for part in parts])
        sizes = self.counts[words]
        lengths = np.bincount(offers[sizes > 0], minlength=count).tolist()
        ends = np.cumsum(sizes)
        terms = np.empty(int(ends[-1]) if len(ends) else 0, np.int32)
        held = np.empty(len(terms), np.int32)
        for start in range(0, len(words), GATHERED):
            part = slice(start, start + GATHERED)
            size, first = sizes[part], ends[part] - sizes[part]  # where each word's terms go
            at = np.repeat(self.starts[words[part]] - first, size)
            at += np.arange(first[0], first[0] + len(at))
            terms[first[0]:first[0] + len(at)] = self.flat[at]
            held[first[0]:first[0] + len(at)] = np.repeat(offers[part], size)
        return terms, held, lengths
