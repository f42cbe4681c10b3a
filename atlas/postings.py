"""The index's postings and their BM25 weights (lunr's, computed directly), as arrays: atlas/search.py
hands in each field's term occurrences, numbered, with their offers (atlas.tokens gathers them:
invert_flat; as text, per offer: invert) and gets back, per field, every term's offers and weights
in the order the index shards carry them.

Vector arithmetic (NumPy), not a Python step per posting: 1,000 offers x 7 languages are ~1.9 million
postings, whose inversion and weights took a second of Python; here they take a tenth. Every weight is
the same double-precision arithmetic, in the same order, as lunr's formula written out in Python.
"""

from __future__ import annotations

import functools
import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

K1, B = 1.2, 0.75  # lunr's BM25 parameters
CHUNK = 1 << 18  # postings weighed at a time: the double-precision steps of a large field take 8 MB, not 100

Held = Iterable[str] | dict[str, int] | tuple[dict[str, int], int]


def counted(held: Held) -> tuple[dict[str, int], int]:
    """A field's terms of one offer with how often each occurs, and the field's length: it comes with
    the counts from IndexWords.field (its words); given terms alone, it is their number."""
    if isinstance(held, tuple) and len(held) == 2 and isinstance(held[0], dict):
        return held
    counts = held if isinstance(held, dict) else Counter(held)  # type: ignore[arg-type]
    return counts, sum(counts.values())


@dataclass(frozen=True, eq=False)  # arrays have no truth value: compared field by field they would raise
class Column:
    """One field's postings, grouped by term in the terms' order and by offer within a term: term n's
    are postings[2 * starts[n]:2 * starts[n + 1]], each its gap to the offer before (the first: its
    offer) and its weight, as they travel in a shard."""

    starts: np.ndarray  # int64, one more than the terms
    postings: np.ndarray  # int32: gap, weight, gap, weight, …


@dataclass(frozen=True, eq=False)
class Inverted:
    """An index: its terms and, per field, their postings."""

    terms: list[str]  # sorted
    found: list[int]  # per term: its postings over all fields (lunr's document frequency)
    columns: list[Column]  # per field

    def pairs(self, number: int, field: int) -> array:
        """Term `number`'s offers and weights in `field`: array("i", [offer, weight, …])."""
        column = self.columns[field]
        start, stop = column.starts[number:number + 2].tolist()
        flat = column.postings[2 * start:2 * stop].astype(np.int64)
        flat[0::2] = np.cumsum(flat[0::2])  # the gaps back to offers
        return array("i", flat.tolist())

    def shard(self, first: int, end: int) -> bytes:
        """Terms first … end-1 as a shard holds them, in JSON as json.dumps writes it: per term and field
        its postings (gap to the offer before, weight, …), 0 for none. The digits are made for all its
        postings at once (_decimal) and each term's lists cut from them, instead of a Python list of
        every number for json.dumps to turn into text one by one."""
        cuts = [column.starts[first:end + 1] for column in self.columns]
        text, bounds = _decimal(np.concatenate([column.postings[2 * starts[0]:2 * starts[-1]]
                                                for column, starts in zip(self.columns, cuts, strict=True)]))
        rows = [[b"0"] * len(self.columns) for _ in range(first, end)]
        base = 0  # the field's first number among the shard's
        for field, starts in enumerate(cuts):
            held = np.flatnonzero(starts[1:] > starts[:-1])  # most terms are in one or two fields only
            begins = bounds[base + 2 * (starts[held] - starts[0])]
            stops = bounds[base + 2 * (starts[held + 1] - starts[0])] - 1  # the comma after a term's last number
            for number, begin, stop in zip(held.tolist(), begins.tolist(), stops.tolist(), strict=True):
                rows[number][field] = b"[" + text[begin:stop] + b"]"
            base += 2 * int(starts[-1] - starts[0])
        return b"[" + b",".join(b"[" + b",".join(row) + b"]" for row in rows) + b"]"


def _decimal(numbers: np.ndarray) -> tuple[bytes, np.ndarray]:
    """Integers from 0 to 2³² - 1 as text, each followed by a comma ("12,3,456,"), and the offset where
    each begins, one more for the end: written right-aligned in rows of the widest's width, then the
    leading zeros left out."""
    rest = numbers.astype(np.uint32)
    width = len(str(int(rest.max(initial=0))))
    places = np.empty((width + 1, len(rest)), np.uint8)  # a place's digits side by side, then turned into rows
    places[width] = ord(",")
    digits = np.ones(len(rest), np.uint8)
    for place in range(width - 1, -1, -1):
        tens = rest // 10
        rest -= tens * 10
        rest += ord("0")
        places[place] = rest
        rest = tens
        digits += tens > 0
    rows = places.T.copy()
    bounds = np.zeros(len(rest) + 1, np.int64)
    np.cumsum(digits + 1, out=bounds[1:], dtype=np.int64)
    return rows[np.arange(width + 1, dtype=np.uint8) >= (width - digits)[:, None]].tobytes(), bounds


class Numbered(dict[str, int]):
    """Each term's number in the order terms first occur (map() looks them up without Python)."""

    def __missing__(self, term: str) -> int:
        self[term] = number = len(self)
        return number


# One offer's field: the number (Numbered) of each of its terms, as often as it occurs, and the field's length.
Occurrences = tuple[Iterable[int], int]


def invert(fields: Sequence[Iterable[Held]], boosts: Sequence[int]) -> Inverted:
    """From each field's terms per offer (a list, their counts, or their counts and the field's length; a
    field less than `boosts` holds none): lunr's BM25 weights (k1 1.2, b 0.75, the field's boost,
    thousandths as integers). The document frequency counts an offer once per field that holds the term,
    as lunr's does. The build hands its terms over as numbers already (invert_flat); this is the way
    in for terms as text (tests, search.weighted)."""
    numbered = Numbered()  # filled as the fields are read: every field is read before the terms are ranked
    read = [_read(_occurrences(held, numbered) for held in per_offer) for per_offer in fields]
    return invert_flat([functools.partial(read.pop, 0) for _ in read], numbered, boosts)  # each let go once grouped


def _occurrences(held: Held, numbered: Numbered) -> Occurrences:
    counts, length = counted(held)
    return [numbered[term] for term, tf in counts.items() for _ in range(tf)], length


# A field's occurrences: the number (Numbered) of each term as often as it occurs, the offer of each (int32
# arrays, in any order), and per offer the field's length.
Flat = tuple[np.ndarray, np.ndarray, list[int]]


def invert_flat(fields: Sequence[Callable[[], Flat]], numbered: Numbered, boosts: Sequence[int]) -> Inverted:
    """invert() from what makes each field's occurrences, called one at a time (the build makes each as
    it is grouped, atlas.tokens.Terms.occurrences, and lets it go); `numbered` holds every term already."""
    terms = sorted(numbered)
    rank = np.empty(len(terms), np.int64)
    rank[np.fromiter(map(numbered.__getitem__, terms), np.int64, len(terms))] = np.arange(len(terms))
    grouped = [_grouped(rank, made) for made in fields]
    count = len(grouped[0][3]) if grouped else 0
    found = sum((np.bincount(tid, minlength=len(terms)) for tid, *_ in grouped), np.zeros(len(terms), np.int64))
    idf = _idf(found.tolist(), count)
    columns = [_column(idf, *grouped.pop(0), count, boost) for boost in boosts[:len(grouped)]]
    columns += [Column(np.zeros(len(terms) + 1, np.int64), np.zeros(0, np.int32)) for _ in boosts[len(columns):]]
    return Inverted(terms, found.tolist(), columns)


Grouped = tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]  # term numbers, offers, counts; lengths


def _read(per_offer: Iterable[Occurrences]) -> Flat:
    """A field's term numbers, one offer after the other, the offer of each, and its lengths."""
    ids, sizes, lengths = array("i"), array("i"), []
    for numbers, length in per_offer:
        before = len(ids)
        ids.extend(numbers)
        sizes.append(len(ids) - before)
        lengths.append(length)
    offers = np.repeat(np.arange(len(lengths), dtype=np.int32), np.frombuffer(sizes, np.intc) if sizes else 0)
    return (np.frombuffer(ids, np.intc) if ids else np.zeros(0, np.int32)), offers, lengths


def _grouped(rank: np.ndarray, made: Callable[[], Flat]) -> Grouped:
    """A field's postings by term (in the terms' order), and by offer within a term: term numbers,
    offers, how often the term occurs in the offer's field; and the field's lengths. Sorted as one
    64-bit number per occurrence, term and offer (NumPy's vectorised sort: faster than sorting by term
    alone, in a third of the memory), so that an offer's occurrences of a term are neighbours."""
    terms, offers, lengths = made()
    pairs = rank[terms]
    del terms  # the occurrences go once they are numbered by rank: nothing else holds them
    pairs <<= 32
    pairs |= offers
    del offers
    pairs.sort()
    first = np.ones(len(pairs), bool)  # each (term, offer) once, and how often: the length of its run
    np.not_equal(pairs[1:], pairs[:-1], out=first[1:])
    at = np.flatnonzero(first)
    tf = np.empty(len(at), np.int32)
    np.subtract(at[1:], at[:-1], out=tf[:-1], casting="unsafe")
    tf[-1:] = len(first) - at[-1:]
    del at
    pairs = pairs[first]  # the occurrences go: the temporary arrays stay at a few bytes per occurrence
    del first
    refs = (pairs & 0xFFFFFFFF).astype(np.int32)
    pairs >>= 32
    return pairs.astype(np.int32), refs, tf, lengths


def _idf(found: list[int], count: int) -> np.ndarray:
    """Per term lunr's inverse document frequency, by math.log as lunr's port computed it."""
    by_found = {n: math.log(1 + abs((count - n + 0.5) / (n + 0.5))) for n in set(found)}
    return np.array([by_found[n] for n in found], np.float64)


def _column(idf: np.ndarray, tid: np.ndarray, refs: np.ndarray, tf: np.ndarray, lengths: list[int], count: int,
            boost: int) -> Column:
    """A field's weights, each idf * ((k1 + 1) * tf) / (norm + tf) * boost * 1000 + 0.5 rounded down, the
    operations in this order (double precision, rounded at each as Python does), and its postings as
    they travel."""
    postings = np.empty(2 * len(tid), np.int32)
    norm = np.array(norms(lengths, count))
    for start in range(0, len(tid), CHUNK):
        part = slice(start, start + CHUNK)
        weight = idf[tid[part]]
        weight *= (K1 + 1) * tf[part]
        weight /= norm[refs[part]] + tf[part]
        weight *= boost
        weight *= 1000
        weight += 0.5
        postings[1::2][part] = np.floor(weight)
    starts = np.zeros(len(idf) + 1, np.int64)
    np.cumsum(np.bincount(tid, minlength=len(idf)), out=starts[1:])
    gaps = postings[0::2]
    gaps[:] = refs
    gaps[1:] -= refs[:-1]
    firsts = starts[:-1][starts[:-1] < starts[1:]]  # each term's first posting: its offer, not a gap
    gaps[firsts] = refs[firsts]
    return Column(starts, postings)


def norms(lengths: list[int], count: int) -> list[float]:
    """Per offer its field's length against the field's average, as lunr weighs it."""
    average = sum(lengths) / count if count else 0
    if not average:  # no offer has a word in this field: none of them needs a norm
        return [K1] * len(lengths)
    return [K1 * (1 - B + B * (length / average)) for length in lengths]


def shard_starts(found: Iterable[int], fields: int, size: int) -> Iterator[int]:
    """The number of each shard's first term, shards of about `size` bytes of postings (the JSON's
    digits and commas, ~6 bytes a number: offer and weight per posting, 2 per field)."""
    taken = size
    for number, n in enumerate(found):
        if taken >= size:
            yield number
            taken = 0
        taken += 2 * fields + 12 * n
