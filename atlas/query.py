"""Queries as the search page makes them (search-pipeline.js: clauses, search), in Python:
for the parity and relevance tests and the benchmark."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from lunr.index import Index
from lunr.query import Query

from atlas.model import Site
from atlas.search import expand
from atlas.words import SPLIT, Rules, ascii_fold, fold, rules, stem, terms, trim

RESULTS_SCALE = 1_000_000  # scores are compared to six decimals, so ties sort alike in Python and JS


@dataclass(frozen=True)
class Clause:
    term: str
    boost: float
    use_pipeline: bool = False  # the terms are final: atlas.words computed them as the index has them
    wildcard: int = Query.WILDCARD_NONE
    edit_distance: int = 0
    word: int = 0  # which word of the query it stands for: results with more of the words rank first


def clauses(text: str, lang: str = "de") -> list[Clause]:
    """Each word as its terms (German stem, and the UI language's form), as a prefix while typing,
    with one typo if it is long (against its stem and against the word as written: "Beratng"), and,
    if it is a long German word, in its parts ("Frauenschwimmkurs": frauen, schwimmkurs, kurs …).
    The word still being typed (no separator after it) keeps its prefix even when it is a stop
    word so far: "aus" on the way to "Ausbildung". As search-pipeline.js: clauses."""
    language = rules(lang)
    data = language.data
    boosts, (typo_min, typo_max) = data["boosts"], data["typo"]
    raws = SPLIT.split(text[: data["maxQuery"]].lower())
    found: dict[tuple[str, int, int], Clause] = {}  # a clause once, for the first word that gives it
    position = 0

    def add(term: str, boost: float, wildcard: int = Query.WILDCARD_NONE, edit_distance: int = 0) -> None:
        found.setdefault((term, wildcard, edit_distance), Clause(term, boost, False, wildcard, edit_distance, position))

    for position, raw in enumerate(raws):
        word = trim(raw)
        typing = position == len(raws) - 1 and raw != ""
        stop = word in language.stopwords
        if len(word) < 2 or (stop and not typing):
            continue  # a single letter would find everything and tell nothing
        written = ascii_fold(word)
        own = [] if stop else terms(word, language)
        for term in own:
            add(term, boosts["word"])
        if len(written) >= data["prefixMin"]:
            add(written, boosts["prefix"], wildcard=Query.WILDCARD_TRAILING)
        for term in dict.fromkeys([*own, written] if own else []):
            if typo_min <= len(term) <= typo_max:
                add(term, boosts["typo"], edit_distance=1)
        for part in [] if stop else compound_parts(fold(word), language):
            add(part, boosts["part"])
    return list(found.values())


def compound_parts(word: str, language: Rules) -> list[str]:
    """The stems of a long German word's possible parts, at every split with enough letters on both
    sides; the index holds those that are words of the atlas, and the others match nothing."""
    compound = language.data["compound"]
    if len(word) < compound["min"] or not language.compound.match(word):
        return []
    part = compound["part"]
    found: list[str] = []
    for i in range(part, len(word) - part + 1):
        head, tail = word[:i], word[i:]
        found += [stem(tail), stem(head)] + ([stem(head[:-1])] if head.endswith("s") and i > part else [])
    return list(dict.fromkeys(found))


def search(index: Index, text: str, lang: str = "de") -> list[tuple[str, float]]:
    """Ranked (ref, score) pairs as the search page ranks them: offers that match more of the
    query's words first ("Hausaufgabenhilfe Hanau": Hanau's homework help above Gründau's), then
    by score, ties broken by ref."""
    found = clauses(text, lang)
    if not found:
        return []
    results = _run(index, found)
    words = sorted({clause.word for clause in found})
    covered: Counter[str] = Counter()
    if len(words) > 1:  # wordforms: how many words each result matches, one query per word
        for word in words:
            covered.update(_run(index, [clause for clause in found if clause.word == word]).keys())
    return sorted(results.items(),
                  key=lambda pair: (-covered[pair[0]], -int(pair[1] * RESULTS_SCALE + 0.5), int(pair[0])))


def _run(index: Index, found: list[Clause]) -> dict[str, float]:
    query = index.create_query()
    for clause in found:
        query.term(clause.term, boost=clause.boost, use_pipeline=clause.use_pipeline, wildcard=clause.wildcard,
                   edit_distance=clause.edit_distance)
    return {r["ref"]: r["score"] for r in index.query(query)}


def load_index(data: bytes) -> Index:
    return Index.load(expand(json.loads(data)))


def ranked_slugs(site: Site, index: Index, text: str, lang: str = "de") -> list[str]:
    slugs = list(site.offers)
    return [slugs[int(ref)] for ref, _ in search(index, text, lang)]

