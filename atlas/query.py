"""Queries as the search page makes them (search-pipeline.js: clauses; search-index.js: the
ranking), in Python: for the parity and relevance tests and the benchmark."""

from __future__ import annotations

from dataclasses import dataclass

from atlas import ranking
from atlas.model import Site
from atlas.ranking import Index, built_files, load_index  # noqa: F401 (the tests' and benchmark's way in)
from atlas.words import SPLIT, STOPWORDS, ascii_fold, fold, stem, trim

RESULTS_SCALE = ranking.SCALE  # scores are compared to six decimals, so ties sort alike in Python and JS
MAX_QUERY = 200  # characters: a pasted page must not make the search work for minutes
TYPO_LENGTHS = range(5, 31)  # one typo for stems of 5 to 30 letters: shorter ones meet too many words
# ("eltern" stems to "elt", one edit from "alt"), longer ones cost lunr's typo search length²


class Query:
    """lunr's clause constants by the names lunr.py gave them (atlas.ranking implements the model)."""

    WILDCARD_NONE, WILDCARD_TRAILING = ranking.WILDCARD_NONE, ranking.WILDCARD_TRAILING
    OPTIONAL, REQUIRED, PROHIBITED = ranking.OPTIONAL, ranking.REQUIRED, ranking.PROHIBITED


@dataclass(frozen=True)
class Clause:
    term: str
    boost: float
    use_pipeline: bool = True
    wildcard: int = Query.WILDCARD_NONE
    edit_distance: int = 0
    presence: int = Query.OPTIONAL  # required: an offer must match it; prohibited: must not


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
    return [(str(ref), score / RESULTS_SCALE) for ref, score, _ in ranking.evaluate(index, clauses(text), _as_indexed)]


def _as_indexed(word: str) -> list[str]:
    """A clause's word as the index has it, for clauses that ask for the pipeline."""
    word = trim(word.lower())
    return [] if not word or word in STOPWORDS else [stem(fold(word))]


def ranked_slugs(site: Site, index: Index, text: str) -> list[str]:
    slugs = list(site.offers)
    return [slugs[int(ref)] for ref, _ in search(index, text)]
