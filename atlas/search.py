"""The search data the build writes: the lunr index (built by lunr.py, written compact) and
the documents that results show and filters match on, once per UI language (`en/suche/…`).

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

import gzip
import json
import math
from collections.abc import Iterable
from typing import Any

import brotli
import lunr
from lunr.builder import Builder

from atlas import languages, nearnow, thesaurus, urls
from atlas.model import Site
from atlas.words import SEARCH_PIPELINE, SPLIT, Rules, ascii_fold, fold, pipeline_data, rules, stem, terms, trim

INDEX = "suche/index.json"
DOCUMENTS = "suche/documents.json"
FIELDS = (("title", 10), ("summary", 3), ("topics", 3), ("audiences", 3), ("actor", 3), ("places", 3), ("body", 1))
_K1, _B = 1.2, 0.75  # lunr's BM25 parameters

# Heads of German compounds that offers are named by; the atlas's own words are added to these.
COMPOUND_HEADS = frozenset("""
kurs kurse beratung hilfe hilfen treff treffs treffen cafe café gruppe gruppen stelle dienst zentrum
verein schule training sprechstunde angebot angebote projekt arbeit ausbildung begleitung betreuung
unterricht sport fest garten lotsen paten patenschaft patenschaften schwimmen
""".split())

MAX_COMPOUND = 64  # letters; the longest German compounds in real use have about 40


class IndexWords:
    """The index-time pipeline, cached per distinct word: the search pipeline's steps, plus
    compound parts and synonyms as further words. The builder gets the finished words, so
    lunr.py's own pipeline stays empty (it would call its steps for each of ~1.5 million
    tokens of a large atlas)."""

    def __init__(self, vocabulary: set[str], synonyms: dict[str, tuple[str, ...]],
                 language: Rules | None = None) -> None:
        self.heads = {w for w in vocabulary | COMPOUND_HEADS if len(w) >= 4}
        self.vocabulary = vocabulary
        self.synonyms = synonyms
        self.language = language or rules("de")
        self.cache: dict[str, list[str]] = {}

    def parts(self, word: str) -> list[str]:
        """'migrationsberatung' -> ['beratung', 'migration']: tails that are words, and the head.

        A tail from COMPOUND_HEADS is split off whatever comes before it ("Radfahrkurs");
        another word of the atlas only when what comes before is a word too, so that
        "betroffene" does not yield "offene"."""
        found: list[str] = []
        if len(word) > MAX_COMPOUND:  # each split point copies and hashes the word: quadratic in its length
            return found
        for i in range(3, len(word) - 3):
            tail, head = word[i:], self._known_head(word[:i])
            if tail in COMPOUND_HEADS or (tail in self.vocabulary and head):
                found += [w for w in (tail, head) if w and w not in found]
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
            if not word or word in self.language.stopwords:
                self.cache[raw] = []
            else:
                found = terms(word, self.language)
                found += [stem(w) for w in self.parts(fold(word))]
                found = list(dict.fromkeys(found))
                for term in list(found):
                    found += [s for s in self.synonyms.get(term, ()) if s not in found]
                written = ascii_fold(word)
                self.cache[raw] = found + ([] if written in found else [self.language.data["written"] + written])
        return self.cache[raw]

    def field(self, text: str) -> list[str]:
        return [term for raw in SPLIT.split(text.lower()) for term in self.words(raw)]


# -- the index ---------------------------------------------------------------------------------------

def index_text(site: Site, lang: str = "de") -> list[dict[str, str]]:
    """What is indexed of each published offer, one string per field; ref = its position.
    In another language: its translation (where there is one) and the German text."""
    config = site.config

    def both(local: str, german: str) -> str:
        return german if local == german else f"{local}\n{german}"

    serves = _serves(site)  # wordforms: a town's name finds the offers of its Ortsteile and of its Kreis
    texts = []
    for number, offer in enumerate(site.offers.values()):
        text = site.text(offer, lang)
        texts.append({
            "ref": str(number),
            "title": both(text.title, offer.title),
            "summary": both(text.summary, offer.summary),
            "topics": " ".join(both(config.topic(t).label(lang), config.topic(t).label("de")) for t in offer.topics),
            "audiences": " ".join(both(config.audience(a).label(lang), config.audience(a).label("de"))
                                  for a in offer.audiences),
            "actor": site.actors[offer.actor].name,
            "places": " ".join([site.regions[r].name for r in serves[offer.slug]]
                               + [loc.city or "" for loc in offer.locations]),
            "body": both(text.body, offer.body),
        })
    return texts


def _vocabulary(texts: Iterable[dict[str, str]], stopwords: frozenset[str]) -> set[str]:
    """Every distinct word of the atlas (folded): the parts compounds are split into."""
    raw = {w for text in texts for value in text.values() for w in SPLIT.split(value.lower())}
    words = {fold(trim(w)) for w in raw}
    return {w for w in words if len(w) >= 3 and w not in stopwords}


def build_index(site: Site, lang: str = "de") -> Builder:
    """lunr.py's builder with every offer added: it holds the inverted index, the term
    frequencies and the field lengths that `compact` writes. Its build() would compute the
    field vectors too, which expand() computes where the index is loaded, so it is not called."""
    texts = index_text(site, lang)
    # the default thesaurus and atlas.yaml's synonyms, by stem, so that word forms count alike
    synonyms = thesaurus.expansions(lang, site.config.synonyms, lambda word: stem(fold(word.lower())))
    language = rules(lang)
    words = IndexWords(_vocabulary(texts, language.stopwords), synonyms, language)
    builder = Builder()
    builder.search_pipeline.add(*(function for _, function in SEARCH_PIPELINE))  # for build(), in the tests
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost, extractor=lambda text, name=name: words.field(text[name]))
    for text in texts:
        builder.add(text)
    return builder


def compact(builder: Builder) -> dict[str, Any]:
    """The index as it travels: per term and field, the documents (as gaps between document
    numbers) with their term frequencies, and the field lengths. lunr's own JSON also carries a
    vector per field and document that follows from these numbers; that is three quarters of
    its gzipped size, so `expand` (here and in search-pipeline.js) recomputes it instead.
    A gap g stands alone for a frequency of 1 (nine in ten); otherwise as -(g + 1), frequency."""
    names = [name for name, _ in FIELDS]
    count = builder.document_count
    terms = []
    for term, posting in sorted(builder.inverted_index.items(), key=lambda item: item[1]["_index"]):
        per_field: list[Any] = []
        for name in names:
            flat, previous = [], 0
            for ref in sorted(int(r) for r in posting[name]):
                frequency = builder.field_term_frequencies[f"{name}/{ref}"][term]
                flat += [ref - previous] if frequency == 1 else [-(ref - previous) - 1, frequency]
                previous = ref
            per_field.append(flat or 0)
        terms.append([term, per_field])
    return {
        "version": lunr.__TARGET_JS_VERSION__,
        "fields": names,
        "boosts": [boost for _, boost in FIELDS],
        "pipeline": [label for label, _ in SEARCH_PIPELINE],
        "documentCount": count,
        "lengths": [[builder.field_lengths[f"{name}/{ref}"] for ref in range(count)] for name in names],
        "terms": terms,
    }


def expand(data: dict[str, Any]) -> dict[str, Any]:
    """The compact index back to lunr's JSON, with BM25 weights computed as lunr.py's builder does
    (k1 1.2, b 0.75), rounded as Math.round does: the browser computes the very same numbers."""
    fields, boosts, count, lengths = data["fields"], data["boosts"], data["documentCount"], data["lengths"]
    average = [sum(field_lengths) / count for field_lengths in lengths]
    vectors: dict[tuple[int, int], list[float]] = {}
    inverted = []
    for term_index, (term, per_field) in enumerate(data["terms"]):
        posting: dict[str, Any] = {"_index": term_index}
        entries = []
        for f, flat in enumerate(per_field):
            refs: dict[str, dict[str, Any]] = {}
            ref, j = 0, 0
            while j < len(flat or ()):
                gap, tf, j = (flat[j], 1, j + 1) if flat[j] >= 0 else (-flat[j] - 1, flat[j + 1], j + 2)
                ref += gap
                refs[str(ref)] = {}
                entries.append((f, ref, tf))
            posting[fields[f]] = refs
        found = sum(len(posting[name]) for name in fields)
        idf = math.log(1 + abs((count - found + 0.5) / (found + 0.5)))
        for f, ref, tf in entries:
            score = idf * ((_K1 + 1) * tf) / (_K1 * (1 - _B + _B * (lengths[f][ref] / average[f])) + tf)
            score *= boosts[f]
            vectors.setdefault((f, ref), []).extend([term_index, math.floor(score * 1000 + 0.5) / 1000])
        inverted.append([term, posting])
    return {
        "version": data["version"],
        "fields": fields,
        "fieldVectors": [[f"{fields[f]}/{ref}", vector] for (f, ref), vector in sorted(vectors.items())],
        "invertedIndex": sorted(inverted, key=lambda entry: entry[0]),
        "pipeline": data["pipeline"],
    }


# -- the documents ------------------------------------------------------------------------------------

def documents(site: Site, lang: str = "de") -> dict[str, Any]:
    """What a result shows and what the filters match on, in the order of the index's refs.
    A result without a translation into `lang` shows the German text, marked "lang": "de".

    An offer counts for a region when a resident there would find it on the region's page:
    offers for the region, for a place inside it, or for a region around it.
    """
    serves = _serves(site)
    texts = [site.text(offer, lang) for offer in site.offers.values()]
    return {
        "docs": [
            {
                "url": urls.offer(offer.slug),
                "title": text.title,
                "summary": text.summary,
                **({"lang": text.lang} if text.lang != lang else {}),
                "actor": site.actors[offer.actor].name,
                "places": [site.regions[r].name for r in offer.regions],
                "region": serves[offer.slug],
                "thema": list(offer.topics),
                "zielgruppe": list(offer.audiences),
                "sprache": list(offer.languages),
                "kostenlos": bool(offer.cost and offer.cost.free),
                **nearnow.offer_filter(offer),  # nearnow: geo, hours, valid (js/hours.js, js/nearby.js)
            }
            for offer, text in zip(site.offers.values(), texts, strict=True)
        ],
        "pipeline": pipeline_data(lang),  # the word rules the browser's queries take (atlasSearch.configure)
        "clock": nearnow.clock(site),  # nearnow: time zone and public holidays for "geoeffnet=jetzt"
    }


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
    # lunr.py writes in a fixed order and so does documents(): no key sorting needed to be deterministic
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def search_files(site: Site) -> dict[str, bytes]:
    """The index and the documents per UI language, each also compressed for servers that send
    such files as they are (nginx gzip_static/brotli_static, Apache): gzip (mtime 0,
    reproducible), and brotli, 12 % smaller than gzip on the demo; quality 10 costs ~0.6 ms per offer, 11 twice
    that for 2 % less."""
    files: dict[str, bytes] = {}
    for lang in site.config.languages:
        folder = urls.in_language(lang, "")
        files[folder + INDEX] = _json(compact(build_index(site, lang)))
        files[folder + DOCUMENTS] = _json(documents(site, lang))
    for path, data in list(files.items()):
        files[path + ".gz"] = gzip.compress(data, compresslevel=9, mtime=0)
        files[path + ".br"] = brotli.compress(data, quality=10, mode=brotli.MODE_TEXT)
    return files


