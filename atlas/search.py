"""The search data the build writes, once per UI language (`en/suche/…`): the atlas's own
index (BM25 weights as lunr computed them, without lunr) and the documents results show.

The first search loads one small entry file (`suche/index.<hash>.json`): the sorted term list,
which index shard holds which terms, the per-offer filter data (exact facet counts), the names
of the document pages and the word rules of the language. A query's clauses are matched against
the term list (exact, prefix, typo), and only the shards that hold the matched terms load
(`suche/index-<n>.<hash>.json`); the titles and summaries of the results shown load in pages
(`suche/docs-<n>.<hash>.json`). Every part has a content-hashed name: browsers keep them.
atlas/query.py and search-index.js read this format and rank alike.

Each language's index holds the offers' translations into it and the German text, so that a
reader with the Arabic interface who types "Bürgergeld" from a letter finds it. Every word takes
the German steps; a word in the UI language's letters also takes that language's own forms
(atlas.words.terms, from the tables in atlas/wordforms.py, which the browser gets as data).

Each word is indexed as atlas.words has it (the browser's queries take the same steps), and also
as written (accents folded), so that a typo in an ending the stemmer would cut is still one typo
away ("Beratng" from "beratung", whose stem is "berat"); at index time only, compound parts from
the atlas's own vocabulary ("Migrationsberatung" also indexes "beratung") and the synonyms from
atlas.yaml are added.
"""

from __future__ import annotations

import functools
import hashlib
import json
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from atlas import languages, nearnow, placenames, precompressed, thesaurus, urls
from atlas.indexwords import IndexWords
from atlas.model import Site
from atlas.record_types import Offer
from atlas.words import SPLIT, Rules, fold, pipeline_data, rules, stem, terms, trim

if TYPE_CHECKING:  # atlas.postings loads NumPy (0.1 s): where an index is made, not with every command
    from atlas.postings import Held, Inverted
    from atlas.tokens import Split, Tokens

INDEX = "suche/index.json"  # the entry file; the shards and document pages get hashed names when written
FORMAT = 2  # of the entry file: search-index.js reads what it knows
SHARD_BYTES = 32_000  # of postings per shard, roughly: a query's few shards, not the whole index (16 KB: more shards)
PAGE_SIZE = 10  # documents per page: the first 30 results touch at most 30 small pages
# Results whose documents a first answer waits for: a screen's worth (result cards are ~160 px high,
# 6 fit 1080 px); the worker answers with these and sends the rest of the page's 30 once their pages
# are in. A query's first time then waits for at most 6 document pages instead of 30: one round of
# requests, as a browser opens 6 connections to a host at a time over HTTP/1.1.
FIRST_SHOWN = 6
# Filter keys that only "near me" and "open now" read (atlas/nearnow.py): they travel in a file of
# their own that the worker loads on their first use; the facets' keys come with the entry file.
LATER = frozenset({"geo", "hours", "valid"})
MAX_SHARED = 40  # letters a term may share with the one before in the entry's front-coded term list
# term -> per field its offers and weights, flat: array("i", [offer, weight, offer, weight, …]); terms sorted
# (weighted(), which tests read; the build keeps the postings as atlas.postings.Inverted's arrays)
Postings = dict[str, list[array]]
# places: the regions an offer counts for (its own, its Kreis, a Kreis's towns); held: the postcodes and
# towns of its locations, where a resident goes to it, which say more of a place than an area it serves
# spoken: the languages an offer is held in, by their German, UI-language and own names ("Beratung auf
# Arabisch", "بالعربية"); German, which every offer speaks, tells nothing and is left out
FIELDS = (("title", 10), ("summary", 3), ("topics", 3), ("audiences", 3), ("actor", 3), ("places", 3), ("held", 3),
          ("spoken", 1), ("body", 1))

# -- the index ---------------------------------------------------------------------------------------

def index_text(site: Site, lang: str = "de") -> list[dict[str, str]]:
    """What is indexed of each published offer, one string per field; ref = its position.
    In another language: its translation (where there is one) and the German text."""
    german, local = german_text(site), local_text(site, lang)
    return [{"ref": str(number), **{name: "\n".join(filter(None, (mine[number], theirs[number])))
                                    for (name, _), mine, theirs in zip(FIELDS, local, german, strict=True)}}
            for number in range(len(site.offers))]


def german_text(site: Site) -> list[list[str]]:
    """Per field (FIELDS), each published offer's German text: what every language's index holds."""
    config, serves = site.config, _serves(site)  # serves: a town's name finds the offers of its Ortsteile and Kreis
    return _by_field({
        "title": offer.title,
        "summary": offer.summary,
        "topics": " ".join(config.topic(t).label("de") for t in offer.topics),
        "audiences": " ".join(config.audience(a).label("de") for a in offer.audiences),
        "actor": site.actors[offer.actor].name,
        "places": " ".join(site.regions[r].name for r in serves[offer.slug]),
        "held": " ".join(f"{loc.postcode or ''} {loc.city or ''}" for loc in offer.locations),
        # the body ends with what the offer costs: "kostenlos" when it is free (the filter's word, which the
        # thesaurus gives in every language: "رایگان"), and the cost's note ("für Schulen kostenfrei")
        "body": f"{offer.body}\n{_cost(offer)}",
    } for offer in site.offers.values())


def local_text(site: Site, lang: str) -> list[list[str]]:
    """Per field (FIELDS), each published offer's text in `lang` beside the German (german_text): its
    translation where it has one, and the languages it is held in ("" where there is nothing)."""
    config = site.config

    def own(local: str, german: str) -> str:
        return "" if local == german else local

    # each topic's and audience's label in `lang` where it is not the German one, by slug
    topics = {term.slug: own(term.label(lang), term.label("de")) for term in config.topics}
    audiences = {term.slug: own(term.label(lang), term.label("de")) for term in config.audiences}
    rows = []
    for offer in site.offers.values():
        text = site.text(offer, lang)
        rows.append({
            "title": own(text.title, offer.title),
            "summary": own(text.summary, offer.summary),
            "topics": " ".join(filter(None, map(topics.__getitem__, offer.topics))),
            "audiences": " ".join(filter(None, map(audiences.__getitem__, offer.audiences))),
            "spoken": " ".join(dict.fromkeys(name for code in offer.languages if code != "de" for name in (
                languages.name_in(code, "de"), languages.name_in(code, lang), languages.autonym(code)))),
            "body": own(text.body, offer.body),
        })
    return _by_field(rows)


def _by_field(rows: Iterable[dict[str, str]]) -> list[list[str]]:
    """Each offer's texts (by field name) turned into one list per field (FIELDS) of every offer's text in it,
    "" where an offer has none."""
    rows = list(rows)
    return [[row.get(name, "") for row in rows] for name, _ in FIELDS]


def _cost(offer: Offer) -> str:
    cost = offer.cost
    return "" if cost is None else " ".join(filter(None, ("kostenlos" if cost.free else "", cost.amount, cost.note)))


def _vocabulary(tokens: Tokens, fields: list[list[Split]], stopwords: frozenset[str]) -> set[str]:
    """Every distinct word of the atlas (folded): the parts compounds are split into. As the words of the
    texts `fields` split by white space alone, as they were (tokens.Split), and the offers' refs."""
    from atlas.tokens import used

    raw = tokens.words(used(fields)) + [str(number) for number in range(len(fields[0][0].sizes))]
    words = {fold(trim(w)) for w in raw}
    return {w for w in words if len(w) >= 3 and w not in stopwords}


def preload(site: Site) -> None:
    """What every process that builds an index loads first (nltk's stemmer, 0.14 s; the thesaurus; NumPy,
    0.1 s; the holidays' package, 0.08 s, for the entry file's clock; Babel's names of the languages offers
    are held in): loaded before the build forks them, once instead of once per process (the pages and
    the exports need the holidays and names too)."""
    import atlas.query  # noqa: F401  (the thesaurus joins terms as queries do)
    import atlas.tokens  # noqa: F401  (and atlas.postings)

    stem("kurs")
    thesaurus.default_concepts()
    nearnow.clock(site)
    codes = {code for offer in site.offers.values() for code in offer.languages}
    for code in codes:
        languages.autonym(code)
        for lang in site.config.languages:
            languages.name_in(code, lang)


def _tokens() -> Tokens:
    from atlas.tokens import Tokens  # NumPy: loaded where an index is made (preload), not with every command

    return Tokens()


@dataclass(frozen=True, eq=False)
class Kept:
    """What a process makes for one language's search data and keeps for the next language it takes
    (build.search_started; search_files for all of its languages): the German text split (atlas.tokens),
    the filter data, the same in every language (as the entry file's columns and the later file), and
    the compressed copies of the files the last language made (precompressed.Repeated)."""

    tokens: Tokens = field(default_factory=_tokens)
    filters: dict[str, Any] = field(default_factory=dict)
    repeated: precompressed.Repeated = field(default_factory=precompressed.Repeated)

    @staticmethod
    def of(site: Site) -> Kept:
        """For `site`'s languages: a one-language atlas has no next language to keep copies for."""
        return Kept(repeated=precompressed.Repeated(len(site.config.languages) > 1))

    def shown(self, site: Site) -> dict[str, Any]:
        """The filter data the entry file holds (columns)."""
        return self._filters(site)["shown"]

    def later(self, site: Site) -> bytes:
        """The filter data that loads later (LATER), as its file."""
        return self._filters(site)["later"]

    def forget(self) -> None:
        """Lets go of what is kept (tens of MB at 10,000 offers), once no language follows."""
        self.tokens.forget()
        self.filters.clear()
        self.repeated.turn()
        self.repeated.done()

    def _filters(self, site: Site) -> dict[str, Any]:
        if not self.filters:
            rows = filter_data(site)
            self.filters["shown"] = columns([{k: v for k, v in row.items() if k not in LATER} for row in rows])
            self.filters["later"] = _json(columns([{k: v for k, v in row.items() if k in LATER} for row in rows]))
        return self.filters


def build_index(site: Site, lang: str = "de", tokens: Tokens | None = None) -> Inverted:
    """Every offer's fields as atlas.words has them, and per term the BM25 weight of each offer
    and field that holds it. `tokens` keeps the German text split for the next language (atlas.tokens)."""
    from atlas.postings import invert_flat
    from atlas.tokens import Terms, Tokens, used

    tokens = tokens or Tokens()
    language, local = rules(lang), local_text(site, lang)

    def split_by(splitting: Rules) -> list[list[Split]]:  # per field: the texts in `lang`, the German ones
        german = tokens.kept(splitting, lambda: german_text(site))
        return [[tokens.split(mine, splitting), theirs] for mine, theirs in zip(local, german, strict=True)]

    fields = split_by(language)
    # the vocabulary's words are split by white space alone (split), a language's own separators aside
    plain = split_by(rules("de")) if language.apart else fields
    # the default thesaurus, atlas.yaml's synonyms and the atlas's own groups, by the terms of their words (German
    # stem and own form), so that word forms count alike: "немецкого" finds "немецкий" as "немецк"
    synonyms = thesaurus.expansions(lang, site.config.synonyms + _own_groups(site, lang),
                                    cache(lambda word: terms(trim(word.lower()), language)),  # asked again and again
                                    german=cache(lambda word: terms(trim(word.lower()), rules("de"))))
    words = IndexWords(_vocabulary(tokens, plain, language.stopwords), synonyms, language, _place_words(site))
    held = used(fields)  # each distinct raw word's terms made once, and numbered (words.numbered)
    made = Terms.of(words.numbered_terms(tokens.words(held)), held, len(tokens.numbers))
    return invert_flat([functools.partial(made.occurrences, parts) for parts in fields], words.numbered,
                       [boost for _, boost in FIELDS])


def _place_words(site: Site) -> frozenset[str]:
    """The words of the atlas's place names, folded (atlas.words.fold), which are names and not
    compounds: Tümpelgarten, Gelnhausen (no "haus"), Großkrotzenburg."""
    return frozenset(fold(trim(word)) for name in _towns(site) for word in SPLIT.split(name.lower()))


def _towns(site: Site) -> set[str]:
    towns = {region.name for region in site.regions.values()}
    return towns | {loc.city for offer in site.offers.values() for loc in offer.locations if loc.city}


def _own_groups(site: Site, lang: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The words the atlas itself treats alike in the index of `lang`: the names of each language its
    offers are held in ("Arabic" finds "auf Arabisch") and, on the pages in Cyrillic and Arabic letters,
    its places in those letters ("Ханау", "Ганау", "هاناو")."""
    codes = {code for offer in site.offers.values() for code in offer.languages}
    return thesaurus.language_names(codes, lang) + placenames.place_names(_towns(site), lang)


def weighted(fields: Sequence[Iterable[Held]]) -> Postings:
    """{term: [array([offer, weight, …]) per field]} from each field's terms per offer (a list, their
    counts, or their counts and the field's length): lunr's BM25 weights (k1 1.2, b 0.75, the field's
    boost, thousandths as integers), computed directly by atlas.postings, whose arrays the build keeps as
    they are (build_index); this dict of them is for reading a term's weights (tests)."""
    from atlas.postings import invert

    inverted = invert(fields, [boost for _, boost in FIELDS])
    return {term: [inverted.pairs(number, field) for field in range(len(FIELDS))]
            for number, term in enumerate(inverted.terms)}


def front_coded(terms: Iterable[str]) -> str:
    """The sorted terms as one string, a line each: how many letters it shares with the term before
    (a character, "0" + n) and the rest. A third of the plain list's gzip size: sorted neighbours
    share most of their letters. search-index.js: terms(), atlas/ranking.py: unfront."""
    lines, previous = [], ""
    for term in terms:
        shared = 0
        limit = min(len(term), len(previous), MAX_SHARED)
        while shared < limit and term[shared] == previous[shared]:
            shared += 1
        lines.append(chr(48 + shared) + term[shared:])
        previous = term
    return "\n".join(lines)


def part_name(kind: str, number: int | None, digest: str) -> str:
    """A part of the search data by the name the entry file implies: index-3.<digest>.json (a shard),
    docs-3.<digest>.json (a page of documents), filters.<digest>.json (search-index.js: partName)."""
    return f"{kind}{'' if number is None else f'-{number}'}.{digest}.json"


def shards(index: Inverted) -> list[tuple[int, bytes]]:
    """The sorted terms cut into runs of about SHARD_BYTES of postings: (first term's number, the
    shard's JSON). Each shard's lists are made as it is written: the postings are never held twice over."""
    from atlas.postings import shard_starts

    starts = list(shard_starts(index.found, len(index.columns), SHARD_BYTES))
    ends = starts[1:] + [len(index.terms)] if starts else []
    return [(first, index.shard(first, end)) for first, end in zip(starts, ends, strict=True)]


# -- the documents ------------------------------------------------------------------------------------

def filter_data(site: Site) -> list[dict[str, Any]]:
    """What the filters match on and count, one dict per offer in the order of the index's refs, the
    same in every language (Kept makes it once per process).
    Other features add keys here; the browser gets all of it with the first search (`filters` in
    the entry file, stored by column), so that facet counts are exact without the documents.

    An offer counts for a region when a resident there would find it on the region's page:
    offers for the region, for a place inside it, or for a region around it.
    """
    serves = _serves(site)
    return [
        {
            "region": serves[offer.slug],
            "thema": list(offer.topics),
            "zielgruppe": list(offer.audiences),
            "sprache": list(offer.languages),
            "kostenlos": bool(offer.cost and offer.cost.free),
            **nearnow.offer_filter(offer),  # nearnow: geo, hours, valid (js/hours.js, js/nearby.js)
        }
        for offer in site.offers.values()
    ]


def documents(site: Site, lang: str = "de") -> list[dict[str, Any]]:
    """What a result shows, in the order of the index's refs; the browser loads them in pages
    of PAGE_SIZE as results are shown. A result without a translation into `lang` shows the
    German text, marked "lang": "de"."""
    texts = [site.text(offer, lang) for offer in site.offers.values()]
    return [
        {
            "url": urls.offer(offer.slug),
            "title": text.title,
            "summary": text.summary,
            **({"lang": text.lang} if text.lang != lang else {}),
            "actor": site.actors[offer.actor].name,
            "places": [site.regions[r].name for r in offer.regions],
        }
        for offer, text in zip(site.offers.values(), texts, strict=True)
    ]


def columns(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-offer dicts stored by key: a key whose values are all lists of strings as its distinct
    values and each offer's numbers of them (a tenth of the size), any other key as its values
    (null where an offer lacks it). search-index.js: rows() turns them back into the dicts."""
    stored: dict[str, Any] = {}
    for key in sorted({key for row in rows for key in row}):
        values = [row.get(key) for row in rows]
        if all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in values):
            distinct = sorted({x for v in values for x in v})
            number = {x: i for i, x in enumerate(distinct)}
            stored[key] = {"values": distinct, "lists": [[number[x] for x in v] for v in values]}
        else:
            stored[key] = {"raw": values}
    return stored


def _serves(site: Site) -> dict[str, list[str]]:
    """The regions each offer counts for: its own, those it lies within, those inside them."""
    serves: dict[str, list[str]] = {slug: [] for slug in site.offers}
    for region in site.regions:
        for offer in site.offers_within.get(region, ()) + site.offers_around.get(region, ()):
            serves[offer.slug].append(region)
    return serves


def language_options(site: Site) -> list[tuple[str, str]]:
    """The languages offers are held in, as (code, own name), for the search filter."""
    codes = sorted({code for offer in site.offers.values() for code in offer.languages},
                   key=lambda code: (code != "de", languages.autonym(code).casefold()))
    return [(code, languages.autonym(code)) for code in codes]


def _json(data: Any) -> bytes:
    # everything is built in a fixed order: no key sorting needed to be deterministic
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def index_parts(site: Site, lang: str, tokens: Tokens | None = None) -> tuple[str, list[tuple[int, bytes]]]:
    """One language's index as it travels: the front-coded term list and the shards. The postings
    are let go here, before the documents are made (50,000 offers: ~120 MB)."""
    index = build_index(site, lang, tokens)
    return front_coded(index.terms), shards(index)


def language_files(site: Site, lang: str, kept: Kept | None = None) -> dict[str, bytes]:
    """One UI language's search files, under suche/: the entry file (INDEX) that the first search
    loads, the index shards (`index-<n>.<hash>.json`), the document pages (`docs-<n>.<hash>.json`)
    and the filter data that loads later (`filters.<hash>.json`, LATER). These parts share one
    content hash, of all of them together, which the entry file names once: listing a hash per
    part would cost the first search ~10 bytes per part (19 KB at 10,000 offers); a change
    renames them all, as it renames the entry file."""
    from atlas.fingerprint import HASH_LENGTH  # fingerprint names INDEX: imported here, not at the top

    kept = kept or Kept()
    terms, cuts = index_parts(site, lang, kept.tokens)
    docs = documents(site, lang)
    parts = [("index", n, part) for n, (_, part) in enumerate(cuts)]
    parts += [("docs", n // PAGE_SIZE, _json(docs[n:n + PAGE_SIZE])) for n in range(0, len(docs), PAGE_SIZE)]
    parts.append(("filters", None, kept.later(site)))
    digest = hashlib.sha256(b"\n".join(content for *_, content in parts)).hexdigest()[:HASH_LENGTH]  # no raw \n in JSON
    files = {"suche/" + part_name(kind, number, digest): content for kind, number, content in parts}
    entry = {
        "version": FORMAT,
        "fields": [name for name, _ in FIELDS],
        "count": len(docs),
        "terms": terms,
        "shards": [first for first, _ in cuts],  # the number of each shard's first term
        "parts": digest,
        "pageSize": PAGE_SIZE,
        "first": FIRST_SHOWN,  # search-worker.js: a first answer with these results, then all of them
        "filters": kept.shown(site),
        "pipeline": pipeline_data(lang),  # the word rules the browser's queries take (atlasSearch.configure)
        "clock": nearnow.clock(site),  # time zone and public holidays for "geoeffnet=jetzt" (js/hours.js)
    }
    files[INDEX] = _json(entry)
    return files


def search_files(site: Site, languages: Sequence[str] | None = None, kept: Kept | None = None) -> dict[str, bytes]:
    """The search files per UI language (all, or `languages`: the build spreads them over its cores),
    each with its gzip and brotli copies (atlas.precompressed). What one language makes for the next
    is kept from one language to the next, and across calls that hand in the same `kept`."""
    files: dict[str, bytes] = {}
    kept = kept or Kept.of(site)
    for lang in site.config.languages if languages is None else languages:
        folder = urls.in_language(lang, "")
        kept.repeated.turn()
        for path, data in language_files(site, lang, kept).items():
            kind = _kind(path)
            files[folder + path] = data
            files.update(precompressed.copies(folder + path, data, kind) if kind == "entry"  # never the same
                         else kept.repeated.copies(folder + path, data, kind))
        kept.repeated.done()
    return files


def _kind(path: str) -> precompressed.Kind:
    if path.endswith(INDEX):
        return "entry"
    return "filters" if "/filters." in path else "shard" if "/index-" in path else "page"
