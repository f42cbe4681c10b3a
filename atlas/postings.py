"""The index's postings and their BM25 weights (lunr's, computed directly), as arrays: atlas/search.py
hands in each field's terms per offer and gets back, per field, every term's offers and weights in
the order the index shards carry them.

Vector arithmetic (NumPy), not a Python step per posting: 1,000 offers x 7 languages are ~1.9 million
postings, whose inversion and weights took a second of Python; here they take a tenth. Every weight is
the same double-precision arithmetic, in the same order, as lunr's formula written out in Python.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

K1, B = 1.2, 0.75  # lunr's BM25 parameters

Held = Iterable[str] | dict[str, int] | tuple[dict[str, int], int]


def counted(held: Held) -> tuple[dict[str, int], int]:
    """A field's terms of one offer with how often each occurs, and the field's length: it comes with
    the counts from IndexWords.field (its words); given terms alone, it is their number."""
    if isinstance(held, tuple) and len(held) == 2 and isinstance(held[0], dict):
        return held
    counts = held if isinstance(held, dict) else Counter(held)  # type: ignore[arg-type]
    return counts, sum(counts.values())


@dataclass(frozen=True)
class Column:
    """One field's postings, grouped by term in the terms' order and by offer within a term: term n's
    are postings[2 * starts[n]:2 * starts[n + 1]], each its gap to the offer before (the first: its
    offer) and its weight, as they travel in a shard."""

    starts: np.ndarray  # int64, one more than the terms
    postings: np.ndarray  # int32: gap, weight, gap, weight, …


@dataclass(frozen=True)
class Inverted:
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
        postings at once (_decimal), each term's lists cut from them: a third of json.dumps's time."""
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
    rows = np.empty((len(rest), width + 1), np.uint8)
    rows[:, width] = ord(",")
    digits = np.ones(len(rest), np.uint8)
    for place in range(width - 1, -1, -1):
        tens = rest // 10
        rows[:, place] = rest - tens * 10
        rest = tens
        digits += tens > 0
    rows[:, :width] += ord("0")
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
    as lunr's does."""
    numbered = Numbered()
    return invert_numbered([(_occurrences(held, numbered) for held in per_offer) for per_offer in fields],
                           numbered, boosts)


def _occurrences(held: Held, numbered: Numbered) -> Occurrences:
    counts, length = counted(held)
    return [numbered[term] for term, tf in counts.items() for _ in range(tf)], length


def invert_numbered(fields: Sequence[Iterable[Occurrences]], numbered: Numbered, boosts: Sequence[int]) -> Inverted:
    """invert() from each field's term numbers per offer (IndexWords.occurrences), read as they come
    (atlas.search makes them as they are read): a field is held as two small integers per occurrence."""
    read = [_read(per_offer) for per_offer in fields]
    count = len(read[0][2]) if read else 0
    terms = sorted(numbered)
    rank = np.empty(len(terms), np.int32)
    rank[np.fromiter(map(numbered.__getitem__, terms), np.int64, len(terms))] = np.arange(len(terms), dtype=np.int32)
    grouped = [_grouped(rank, *held) for held in read]
    del read
    found = sum((np.bincount(tid, minlength=len(terms)) for tid, *_ in grouped), np.zeros(len(terms), np.int64))
    idf = _idf(found.tolist(), count)
    columns = [_column(idf, *held, count, boost) for held, boost in zip(grouped, boosts, strict=False)]
    columns += [Column(np.zeros(len(terms) + 1, np.int64), np.zeros(0, np.int32)) for _ in boosts[len(columns):]]
    return Inverted(terms, found.tolist(), columns)


def _read(per_offer: Iterable[Occurrences]) -> tuple[array, array, list[int]]:
    """A field's term numbers, one offer after the other, how many each offer has, and its lengths."""
    ids, sizes, lengths = array("i"), array("i"), []
    for numbers, length in per_offer:
        before = len(ids)
        ids.extend(numbers)
        sizes.append(len(ids) - before)
        lengths.append(length)
    return ids, sizes, lengths


def _grouped(rank: np.ndarray, ids: array, sizes: array,
             lengths: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """A field's postings by term (in the terms' order), and by offer within a term (a stable sort of
    the occurrences, which come offer after offer): term numbers, offers, how often the term occurs in
    the offer's field; and the field's lengths."""
    tid = rank[np.frombuffer(ids, np.intc)] if ids else np.zeros(0, np.int32)
    refs = np.repeat(np.arange(len(lengths), dtype=np.int32), np.frombuffer(sizes, np.intc) if sizes else 0)
    order = _stable_order(tid)
    tid, refs = tid[order], refs[order]
    first = np.ones(len(tid), bool)  # a term's first occurrence in an offer: they are neighbours now
    first[1:] = (tid[1:] != tid[:-1]) | (refs[1:] != refs[:-1])
    at = np.flatnonzero(first)
    return tid[at], refs[at], np.diff(np.append(at, len(tid))).astype(np.int32), lengths


def _stable_order(numbers: np.ndarray) -> np.ndarray:
    """The order that sorts `numbers` (below 2³²) and keeps equal ones as they were: radix sorts of 16 bits
    at a time, a tenth of a merge sort's time."""
    if not len(numbers) or numbers.max() < 1 << 16:
        return np.argsort(numbers.astype(np.uint16), kind="stable")
    order = np.argsort((numbers & 0xFFFF).astype(np.uint16), kind="stable")
    return order[np.argsort((numbers[order] >> 16).astype(np.uint16), kind="stable")]


def _idf(found: list[int], count: int) -> np.ndarray:
    """Per term lunr's inverse document frequency, by math.log as lunr's port computed it."""
    by_found = {n: math.log(1 + abs((count - n + 0.5) / (n + 0.5))) for n in set(found)}
    return np.array([by_found[n] for n in found], np.float64)


def _column(idf: np.ndarray, tid: np.ndarray, refs: np.ndarray, tf: np.ndarray, lengths: list[int], count: int,
            boost: int) -> Column:
    """A field's weights, each idf * ((k1 + 1) * tf) / (norm + tf) * boost * 1000 + 0.5 rounded down, the
    operations in this order (double precision, rounded at each as Python does), and its postings as
    they travel."""
    weight = idf[tid]
    weight *= (K1 + 1) * tf
    weight /= np.array(norms(lengths, count))[refs] + tf
    weight *= boost
    weight *= 1000
    weight += 0.5
    starts = np.zeros(len(idf) + 1, np.int64)
    np.cumsum(np.bincount(tid, minlength=len(idf)), out=starts[1:])
    postings = np.empty(2 * len(tid), np.int32)
    postings[1::2] = np.floor(weight)
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
