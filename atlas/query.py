"""Queries as the search page makes them (search-pipeline.js: clauses, search), in Python:
for the parity and relevance tests and the benchmark."""

from __future__ import annotations

import json
from dataclasses import dataclass

from lunr.index import Index
from lunr.query import Query

from atlas.model import Site
from atlas.search import expand
from atlas.words import SPLIT, STOPWORDS, ascii_fold, fold, stem, trim

RESULTS_SCALE = 1_000_000  # scores are compared to six decimals, so ties sort alike in Python and JS
MAX_QUERY = 200  # characters: a pasted page must not make the search work for minutes
TYPO_LENGTHS = range(5, 31)  # one typo for stems of 5 to 30 letters: shorter ones meet too many words
# ("eltern" stems to "elt", one edit from "alt"), longer ones cost lunr's typo search length²


@dataclass(frozen=True)
class Clause:
    term: str
    boost: float
    use_pipeline: bool = True
    wildcard: int = Query.WILDCARD_NONE
    edit_distance: int = 0


def clauses(text: str, stopwords: frozenset[str] = STOPWORDS) -> list[Clause]:
    """Each word as itself (stemmed), as a prefix while typing, and with one typo if it is long.
    The word still being typed (no separator after it) keeps its prefix even when it is a stop
    word so far: "aus" on the way to "Ausbildung"."""
    text = text[:MAX_QUERY].lower()
    raws = SPLIT.split(text)
    found: list[Clause] = []
    for position, raw in enumerate(raws):
        word = trim(raw)
        typing = position == len(raws) - 1 and raw != ""
        if len(word) < 2 or (word in stopwords and not typing):
            continue  # a single letter would find everything and tell nothing
        prefix = ascii_fold(word)
        if word not in stopwords:
            found.append(Clause(word, 10))
        if len(prefix) >= 2:
            found.append(Clause(prefix, 2, use_pipeline=False, wildcard=Query.WILDCARD_TRAILING))
        if word not in stopwords and len(stem(fold(word))) in TYPO_LENGTHS:
            found.append(Clause(word, 1, edit_distance=1))
    return found


def search(index: Index, text: str) -> list[tuple[str, float]]:
    """Ranked (ref, score) pairs, ties broken by ref, as the search page ranks them."""
    query = index.create_query()
    for clause in clauses(text):
        query.term(clause.term, boost=clause.boost, use_pipeline=clause.use_pipeline, wildcard=clause.wildcard,
                   edit_distance=clause.edit_distance)
    if not query.clauses:
        return []
    results = [(r["ref"], r["score"]) for r in index.query(query)]
    return sorted(results, key=lambda pair: (-int(pair[1] * RESULTS_SCALE + 0.5), int(pair[0])))


def load_index(data: bytes) -> Index:
    return Index.load(expand(json.loads(data)))


def ranked_slugs(site: Site, index: Index, text: str) -> list[str]:
    slugs = list(site.offers)
    return [slugs[int(ref)] for ref, _ in search(index, text)]

