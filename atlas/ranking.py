"""The atlas's search index read back and queried in Python, as search-index.js does in the
browser: lunr's clause model (a term, a trailing wildcard or not, an edit distance, a boost,
optional/required/prohibited) over the index's own term list, scored with the BM25 weights
that atlas/search.py computed. For the relevance and parity tests and the benchmark.

A query's score for an offer is the sum over matched terms and fields of the clause boosts
(summed per term) times the weight, divided by the length of the query vector: lunr's cosine
without the offer side's length, summed in the same order here and in JavaScript, so that both
give the same floating-point numbers.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

WILDCARD_NONE, WILDCARD_TRAILING = 0, 2  # lunr's numbers, which search-pipeline.js sends
OPTIONAL, REQUIRED, PROHIBITED = 1, 2, 3  # lunr's presence numbers


class Clause(Protocol):
    term: str
    boost: float
    wildcard: int
    edit_distance: int


@dataclass(frozen=True)
class Index:
    terms: tuple[str, ...]  # sorted
    postings: Mapping[str, list[list[tuple[int, int]]]]  # term -> per field [(offer, weight), …]
    by_length: Mapping[int, tuple[str, ...]]  # the terms by length, for typo clauses


def load_index(entry_file: bytes, read: Callable[[str], bytes]) -> Index:
    """The index of one language from its entry file and `read`, which gives the bytes of a
    file the entry names (a name inside suche/)."""
    from atlas.search import part_name  # the format's names; ranking is the browser's twin, not the build's

    entry = json.loads(entry_file)
    terms = unfront(entry["terms"])
    postings: dict[str, list[list[tuple[int, int]]]] = {}
    bounds = [*entry["shards"], len(terms)]
    for number, first in enumerate(entry["shards"]):
        part = json.loads(read(part_name("index", number, entry["parts"])))
        for term, per_field in zip(terms[first:bounds[number + 1]], part, strict=True):
            postings[term] = [_unflat(flat) for flat in per_field]
    by_length: dict[int, list[str]] = {}
    for term in terms:
        by_length.setdefault(len(term), []).append(term)
    return Index(terms, postings, {n: tuple(found) for n, found in by_length.items()})


def unfront(coded: str) -> tuple[str, ...]:
    """The sorted terms from the entry's front-coded list (atlas/search.py: front_coded)."""
    terms: list[str] = []
    previous = ""
    for line in coded.split("\n") if coded else []:
        previous = previous[: ord(line[0]) - 48] + line[1:]
        terms.append(previous)
    return tuple(terms)


def _unflat(flat: list[int] | int) -> list[tuple[int, int]]:
    refs, ref = [], 0
    for j in range(0, len(flat or ()), 2):
        ref += flat[j]  # type: ignore[index]
        refs.append((ref, flat[j + 1]))  # type: ignore[index]
    return refs


def expand(index: Index, term: str, wildcard: int, edits: int) -> list[str]:
    """The index terms a clause's term stands for, sorted."""
    if not edits:
        if not wildcard & WILDCARD_TRAILING:
            return [term] if term in index.postings else []
        start = bisect.bisect_left(index.terms, term)
        end = bisect.bisect_left(index.terms, term + "\U0010ffff")
        return list(index.terms[start:end])
    longest = max(index.by_length, default=0) if wildcard & WILDCARD_TRAILING else len(term) + edits
    candidates = [t for n in range(max(len(term) - edits, 0), longest + 1) for t in index.by_length.get(n, ())]
    return sorted(t for t in candidates if within(term, t, edits, bool(wildcard & WILDCARD_TRAILING)))


def built_files(files: Mapping[str, bytes], folder: str = "") -> Index:
    """The index of one language (`folder`: "", "en/" …) from the build's search files."""
    from atlas.search import INDEX  # ranking is read by the browser's twin, not by the build

    return load_index(files[folder + INDEX], lambda name: files[folder + "suche/" + name])


def within(query: str, word: str, edits: int, prefix: bool = False) -> bool:
    """Whether `word` (or, with prefix, a start of it) is at most `edits` insertions, deletions,
    substitutions or swaps of neighbours away from `query` (optimal string alignment distance,
    as lunr's typo automaton counts for one edit). A band of the table: |i - j| <= edits."""
    n, m = len(query), len(word)
    if not prefix and abs(n - m) > edits:
        return False
    if edits == 1 and not prefix:
        return _one_edit(query, word)
    big = edits + 1
    before: list[int] = []
    row = [j if j <= edits else big for j in range(m + 1)]
    for i in range(1, n + 1):
        current = [i if i <= edits else big] + [big] * m
        for j in range(max(1, i - edits), min(m, i + edits) + 1):
            cost = 0 if query[i - 1] == word[j - 1] else 1
            best = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and query[i - 1] == word[j - 2] and query[i - 2] == word[j - 1]:
                best = min(best, before[j - 2] + 1)
            current[j] = min(best, big)
        before, row = row, current
    if prefix:
        return min(row[max(0, n - edits):min(m, n + edits) + 1], default=big) <= edits
    return row[m] <= edits


def _one_edit(query: str, word: str) -> bool:
    """within(query, word, 1) without the table: past the common start, the rest is equal after one
    substitution, swap, insertion or deletion (search-index.js: oneEdit)."""
    n, m, i = len(query), len(word), 0
    while i < n and i < m and query[i] == word[i]:
        i += 1
    if n == m:
        return i == n or query[i + 1:] == word[i + 1:] or (
            i + 1 < n and query[i] == word[i + 1] and query[i + 1] == word[i] and query[i + 2:] == word[i + 2:])
    return query[i + 1:] == word[i:] if n > m else query[i:] == word[i + 1:]


def evaluate(index: Index, clauses: Iterable[Clause]) -> list[tuple[int, int, list[str]]]:
    """Ranked (ref, score scaled to integers, matched terms), ties broken by ref: lunr's query
    model. A clause's term is final (atlas.words made it as the index has it)."""
    boosts: dict[str, float] = {}
    required: set[int] | None = None
    prohibited: set[int] = set()
    for clause in clauses:
        presence = getattr(clause, "presence", OPTIONAL)
        matched: set[int] = set()
        expanded = expand(index, clause.term, clause.wildcard, clause.edit_distance)
        if not expanded and presence == REQUIRED:
            return []
        for found in expanded:
            if presence == OPTIONAL:
                boosts[found] = boosts.get(found, 0) + clause.boost
            else:
                matched.update(ref for refs in index.postings[found] for ref, _ in refs)
        if presence == PROHIBITED:
            prohibited |= matched
        elif presence == REQUIRED:
            required = matched if required is None else required & matched
    return _scored(index, boosts, required, prohibited)


def _scored(index: Index, boosts: dict[str, float], required: set[int] | None,
            prohibited: set[int]) -> list[tuple[int, int, list[str]]]:
    sums: dict[int, float] = {}
    terms: dict[int, list[str]] = {}
    length = math.sqrt(sum(boost * boost for _, boost in sorted(boosts.items())))
    for term, boost in sorted(boosts.items()):
        for refs in index.postings[term]:
            for ref, weight in refs:
                if (required is None or ref in required) and ref not in prohibited:
                    sums[ref] = sums.get(ref, 0.0) + boost * weight
                    found = terms.setdefault(ref, [])
                    if not found or found[-1] != term:
                        found.append(term)
    scaled = [(ref, math.floor(total / 1000 / length * SCALE + 0.5), terms[ref]) for ref, total in sums.items()]
    return sorted(scaled, key=lambda item: (-item[1], item[0]))


SCALE = 1_000_000  # scores compared to six decimals, as search-index.js compares them
