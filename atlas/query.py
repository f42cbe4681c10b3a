"""Queries as the search page makes them (search-pipeline.js: clauses, rank; search-index.js:
the scoring), in Python: for the parity and relevance tests and the benchmark."""

from __future__ import annotations

from dataclasses import dataclass

from atlas import ranking
from atlas.model import Site
from atlas.ranking import Index, built_files, load_index  # noqa: F401 (the tests' and benchmark's way in)
from atlas.words import Rules, ascii_fold, fold, rules, stem, terms, trim

RESULTS_SCALE = ranking.SCALE  # scores are compared to six decimals, so ties sort alike in Python and JS


class Query:
    """lunr's clause constants by the names lunr.py gave them (atlas.ranking implements the model)."""

    WILDCARD_NONE, WILDCARD_TRAILING = ranking.WILDCARD_NONE, ranking.WILDCARD_TRAILING
    OPTIONAL, REQUIRED, PROHIBITED = ranking.OPTIONAL, ranking.REQUIRED, ranking.PROHIBITED


@dataclass(frozen=True)
class Clause:
    term: str
    boost: float
    wildcard: int = Query.WILDCARD_NONE
    edit_distance: int = 0
    word: int = 0  # which word of the query it stands for: results with more of the words rank first
    span: int = 1  # how many words from `word` on: "Sprach Café" as "sprachcafé" stands for two
    part: bool = False  # a possible part of a compound word: half a word's worth of evidence
    presence: int = Query.OPTIONAL  # required: an offer must match it; prohibited: must not


def clauses(text: str, lang: str = "de") -> list[Clause]:
    """Each word as its terms (German stem, and the UI language's form), as a prefix while typing,
    with one typo if it is long (against its stem and against the word as written: "Beratng"), and,
    if it is a long German word, in its parts ("Frauenschwimmkurs": frauen, schwimmkurs, kurs …).
    The word still being typed (no separator after it) keeps its prefix even when it is a stop
    word so far: "aus" on the way to "Ausbildung". A word's clauses (its terms, prefix, typos and parts)
    share its weight, each taking its boost over the number of the word's terms: "زنان" is
    looked up as written and as its stem "زن", "ورزش" as written alone; with a full weight per term, an
    offer holding both ("ورزش زنان", women's sport) owed twice as much to the women as to the sport, and
    the number of forms a word happens to have decided the ranking. As search-pipeline.js: clauses."""
    language = rules(lang)
    data = language.data
    boosts, (typo_min, typo_max) = data["boosts"], data["typo"]
    raws = language.split.split(text[: data["maxQuery"]].lower())
    found: dict[tuple[str, int, int], Clause] = {}  # a clause once, for the first word that gives it
    position, share = 0, 1.0

    def add(term: str, boost: float, wildcard: int = Query.WILDCARD_NONE, edit_distance: int = 0, span: int = 1,
            part: bool = False) -> None:
        # the word's share (set for each word below); a pair of words shares a word's weight by itself
        clause = Clause(term, boost * share if span == 1 else boost, wildcard, edit_distance, position, span, part)
        found.setdefault((term, wildcard, edit_distance), clause)

    for position, raw in enumerate(raws):
        word = trim(raw)
        typing = position == len(raws) - 1 and raw != ""
        stop = word in language.stopwords
        if len(word) < 2 or (stop and not typing):
            continue  # a single letter would find everything and tell nothing
        written = ascii_fold(word)
        own = [] if stop else terms(word, language)
        share = 1 / len(own) if own else 1.0
        for term in own:
            add(term, boosts["word"])
        if len(written) >= data["prefixMin"]:
            add(written, boosts["prefix"], wildcard=Query.WILDCARD_TRAILING)
        mark = data["written"]  # typos against stems, and against words as written (plural + typo: "Beratungne")
        marked = [(mark + t, t) for t in dict.fromkeys([written, *own])] if own else []
        for term, plain in [(term, term) for term in own] + marked:
            if typo_min <= len(plain) <= typo_max:
                add(term, boosts["typo"], edit_distance=1)
        for part, wildcard in [] if stop else compound_parts(fold(word), language):
            add(part, boosts["head" if wildcard else "part"], wildcard, part=True)
        following = trim(raws[position + 1]) if position + 1 < len(raws) else ""
        if not stop and len(following) >= 2 and following not in language.stopwords:
            pair = pair_terms(word, following, language)  # "Sprach Café" finds "Sprachcafé"
            for term in pair:
                add(term, boosts["word"] / len(pair), span=2)  # the pair's terms share a word's weight
    return list(found.values())


def joined(word: str, following: str) -> str:
    """The term two neighbouring query words (trimmed, lower case, no stop words) are looked up as,
    written together: "Sprach Café" as "sprachcafé". As search-pipeline.js: germanStem(fold(word + following))."""
    return stem(fold(word + following))


def pair_terms(word: str, following: str, language: Rules) -> list[str]:
    """The terms two neighbouring words are also looked up as, written together: joined(), and where
    both are in the language's letters, their own forms together, so that an article or an ending
    does not keep them from a phrase of the thesaurus (which is indexed as these terms of its
    neighbours, atlas.thesaurus): "السيرة الذاتية" meets "سيرة ذاتية" as "سيرذات", "iş başvuruları"
    meets "iş başvurusu". As search-pipeline.js: pairTerms."""
    found = [joined(word, following)]
    own, letters = language.forms, language.letters
    if own is not None and letters is not None and letters.search(word) and letters.search(following):
        found.append(own(word) + own(following))
    return list(dict.fromkeys(found))


def compound_parts(word: str, language: Rules) -> list[tuple[str, int]]:
    """A long German word's possible parts, at every split with enough letters on both sides: the
    stem of each tail, and each head as a prefix as written (with and without a linking s), for a
    head may begin a compound of the index ("asyl" in "asylverfahrensberatung"). Parts that are not
    in the index match nothing."""
    compound = language.data["compound"]
    if len(word) < compound["min"] or not language.compound.match(word):
        return []
    part = compound["part"]
    found: list[tuple[str, int]] = []
    for i in range(part, len(word) - part + 1):
        head, tail = ascii_fold(word[:i]), word[i:]
        found += [(stem(tail), Query.WILDCARD_NONE), (head, Query.WILDCARD_TRAILING)]
        if head.endswith("s") and i > part:
            found.append((head[:-1], Query.WILDCARD_TRAILING))
    return list(dict.fromkeys(found))


def search(index: Index, text: str, lang: str = "de") -> list[tuple[str, float]]:
    """Ranked (ref, score) pairs as the search page ranks them: offers that match more of the
    query's words first ("Hausaufgabenhilfe Hanau": Hanau's homework help above Gründau's), then
    by score, ties broken by ref."""
    found = whole_words(index, clauses(text, lang))
    if not found:
        return []
    results = _run(index, found)
    covered = _covered(index, found, {ref: held for ref, (_, held) in results.items()})
    ranked = sorted(results, key=lambda ref: (-covered[ref], -results[ref][0], ref))
    return [(str(ref), results[ref][0] / RESULTS_SCALE) for ref in ranked]


def whole_words(index: Index, found: list[Clause]) -> list[Clause]:
    """The clauses without the compound parts of a word the index holds whole: "Gelnhausen" is a
    town, not Geln + hausen (whose "haus" would find every Frauenhaus); a word the index lacks
    ("Frauenschwimmkurs") is looked up in its parts. As search-pipeline.js: wholeWords."""
    whole = {c.word for c in found if c.span == 1 and not c.part and not c.wildcard and not c.edit_distance
             and c.term in index.postings}
    return [c for c in found if not (c.part and c.word in whole)]


def _covered(index: Index, found: list[Clause], matched: dict[int, set[str]]) -> dict[int, float]:
    """wordforms: how many of the query's words each result matches. A word counts whole where its
    own clauses match, and half for each of its compound parts the result holds (at most whole):
    "Asylberatung" in "Asylverfahrensberatung" counts more than "beratung" alone."""
    covered: dict[int, float] = dict.fromkeys(matched, 0.0)
    words = sorted({clause.word for clause in found})
    if len(words) < 2:
        return covered
    for word in words:
        whole = _run(index, [c for c in found if c.word <= word < c.word + c.span and not c.part])
        parts = [c for c in found if c.word == word and c.part]
        tails = [c.term for c in parts if not c.wildcard]
        for ref, held_terms in matched.items():
            kinds = [max((_holds(t, c, tails) for t in held_terms), default=NOT_HELD) for c in parts]
            held = kinds.count(HELD) + kinds.count(BARE) * (HELD in kinds)
            covered[ref] += 1.0 if ref in whole else min(1.0, 0.5 * held)
    return covered


NOT_HELD, BARE, HELD = 0, 1, 2  # how a result holds a compound part of a query word


def _holds(term: str, part: Clause, tails: list[str]) -> int:
    """How an index term holds a compound part of a query word. A tail ("beratung" of "Asylberatung")
    or a compound that begins with the head and ends as the query word does ("Asylverfahrensberatung")
    holds it; the head as a word of its own ("asyl") only BARE: a head is a guess at every split
    ("selb" of "selbstständig"), which counts only beside a part that holds. Another compound that
    merely begins with the head ("Asylbewerber", "Asylb…") is a different thing."""
    if not part.wildcard:
        return HELD if term == part.term else NOT_HELD
    if not term.startswith(part.term):
        return NOT_HELD
    rest = term[len(part.term):]
    return BARE if rest == "" else HELD if any(rest.endswith(tail) for tail in tails) else NOT_HELD


def _run(index: Index, found: list[Clause]) -> dict[int, tuple[int, set[str]]]:
    """ref -> (score scaled to an integer, the index terms it matched)."""
    return {ref: (score, set(held)) for ref, score, held in ranking.evaluate(index, found)}


def ranked_slugs(site: Site, index: Index, text: str, lang: str = "de") -> list[str]:
    slugs = list(site.offers)
    return [slugs[int(ref)] for ref, _ in search(index, text, lang)]

