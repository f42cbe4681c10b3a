"""Search: the lunr index prebuilt with lunr.py, and the documents the search page shows.

Words go through the same steps here and in the browser (themes/default/static/js/search-
pipeline.js), so that what is indexed is what a query finds:

    trim      strip everything but letters, digits and marks at both ends (Unicode-aware)
    stop      drop German function words (STOPWORDS)
    fold      accents off but umlauts kept, ae/oe/ue -> ä/ö/ü ("Muetter" meets "Mütter", "cafe" "Café")
    stem      NLTK's German Snowball stemmer, which gives lunr-languages' stems word for word

At index time only, two steps add words: compound parts from the atlas's own vocabulary
("Migrationsberatung" also indexes "beratung") and the synonyms from atlas.yaml.
"""

from __future__ import annotations

import gzip
import json
import logging
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import lunr
from lunr.builder import Builder
from lunr.index import Index
from lunr.pipeline import Pipeline
from lunr.query import Query
from lunr.token import Token

from atlas import languages, urls
from atlas.model import Site

INDEX = "suche/index.json"
DOCUMENTS = "suche/documents.json"
FIELDS = (("title", 10), ("summary", 3), ("topics", 3), ("audiences", 3), ("actor", 3), ("places", 3), ("body", 1))
_K1, _B = 1.2, 0.75  # lunr's BM25 parameters
RESULTS_SCALE = 1_000_000  # scores are compared to six decimals, so ties sort alike in Python and JS

# German function words: too common to tell offers apart. Words residents search for stay out.
STOPWORDS = frozenset("""
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes auch auf aus
bei beim bin bis bist da damit dann das dass dem den denn der des dessen die dies diese diesem diesen dieser
dieses doch dort du durch ein eine einem einen einer eines er es etwas euch euer eure für gegen hat hatte
hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in indem ins ist ja jede jedem jeden
jeder jedes jene jenem jenen jener jenes kann kein keine keinem keinen keiner man manche mein meine mich
mir mit muss nach nicht noch nun nur ob oder ohne sehr sein seine seinem seinen seiner sich sie sind so
solche soll sondern sonst über um und uns unser unsere unter vom von vor war waren warum was weil welche
welchem welchen welcher welches wenn wer werde werden wie wieder will wir wird wo wollen wurde würde zu zum
zur zwar zwischen
""".split())

# Heads of German compounds that offers are named by; the atlas's own words are added to these.
COMPOUND_HEADS = frozenset("""
kurs kurse beratung hilfe hilfen treff treffs treffen cafe café gruppe gruppen stelle dienst zentrum
verein schule training sprechstunde angebot angebote projekt arbeit ausbildung begleitung betreuung
unterricht sport fest garten lotsen paten patenschaft patenschaften schwimmen
""".split())

_UMLAUTS = (("ae", "ä"), ("oe", "ö"))
_TO_ASCII = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNM"


def trim(word: str) -> str:
    """Strip all but letters, digits and marks from both ends ("(Café)," -> "café", "B1." -> "b1")."""
    start, end = 0, len(word)
    while start < end and not _is_word_char(word[start]):
        start += 1
    while end > start and not _is_word_char(word[end - 1]):
        end -= 1
    return word[start:end]


_ACCENTS = re.compile("[\u0300-\u0307\u0309-\u036f]")  # combining marks but the umlaut's diaeresis


def fold(word: str) -> str:
    """Accents off but umlauts kept (café -> cafe, ş -> s, ü stays), and umlauts written as
    ae, oe, ue become umlauts (ue not after q: "Quelle" stays)."""
    word = unicodedata.normalize("NFC", _ACCENTS.sub("", unicodedata.normalize("NFD", word)))
    for pair, umlaut in _UMLAUTS:
        word = word.replace(pair, umlaut)
    return re.sub(r"(?<!q)ue", "ü", word)


def ascii_fold(word: str) -> str:
    """As the stemmer leaves words: no umlauts, ß as ss (for prefixes, which skip the stemmer)."""
    return fold(word).translate(_TO_ASCII)


@cache
def stem(word: str) -> str:
    return _stemmer().stem(word)


@cache
def _stemmer() -> Any:
    from nltk.stem.snowball import GermanStemmer  # imported on first use: nltk loads slowly

    return GermanStemmer()


# -- the lunr pipeline ------------------------------------------------------------------------------
# lunr.js finds the functions of a loaded index by these labels; the browser registers the same.

def _trimmer(token: Token, i: int, tokens: list[Token]) -> Token | None:
    word = trim(str(token))
    return token.update(lambda s, m: word) if word else None


def _stop_words(token: Token, i: int, tokens: list[Token]) -> Token | None:
    return None if str(token) in STOPWORDS else token


def _folder(token: Token, i: int, tokens: list[Token]) -> Token:
    return token.update(lambda s, m: fold(s))


def _stemmer_de(token: Token, i: int, tokens: list[Token]) -> Token:
    return token.update(lambda s, m: stem(s))


SEARCH_PIPELINE = (("atlas-trimmer", _trimmer), ("atlas-stop-words-de", _stop_words), ("atlas-fold-de", _folder),
                   ("stemmer-de", _stemmer_de))
logging.getLogger("lunr").addHandler(logging.NullHandler())  # its warnings must not reach the CLI's stderr
for _label, _function in SEARCH_PIPELINE:
    Pipeline.register_function(_function, _label)  # lunr.py's registry is global; the labels are ours


class IndexWords:
    """The index-time pipeline, cached per distinct word: the search pipeline's steps, plus
    compound parts and synonyms as further words. The builder gets the finished words, so
    lunr.py's own pipeline stays empty (it would call its steps for each of ~1.5 million
    tokens of a large atlas)."""

    def __init__(self, vocabulary: set[str], synonyms: dict[str, tuple[str, ...]]) -> None:
        self.heads = {w for w in vocabulary | COMPOUND_HEADS if len(w) >= 4}
        self.vocabulary = vocabulary
        self.synonyms = synonyms
        self.cache: dict[str, list[str]] = {}

    def parts(self, word: str) -> list[str]:
        """'migrationsberatung' -> ['beratung', 'migration']: tails that are words, and the head.

        A tail from COMPOUND_HEADS is split off whatever comes before it ("Radfahrkurs");
        another word of the atlas only when what comes before is a word too, so that
        "betroffene" does not yield "offene"."""
        found: list[str] = []
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
        """One word as it is indexed: nothing (a stop word), or its stem, its parts' stems and
        the stems of their synonyms."""
        if raw not in self.cache:
            word = trim(raw)
            if not word or word in STOPWORDS:
                self.cache[raw] = []
            else:
                word = fold(word)
                terms = list(dict.fromkeys(stem(w) for w in [word, *self.parts(word)]))
                for term in list(terms):
                    terms += [s for s in self.synonyms.get(term, ()) if s not in terms]
                self.cache[raw] = terms
        return self.cache[raw]

    def field(self, text: str) -> list[str]:
        return [term for raw in _SPLIT.split(text.lower()) for term in self.words(raw)]


# -- the index ---------------------------------------------------------------------------------------

def index_text(site: Site) -> list[dict[str, str]]:
    """What is indexed of each published offer, one string per field; ref = its position."""
    config = site.config
    return [
        {
            "ref": str(number),
            "title": offer.title,
            "summary": offer.summary,
            "topics": " ".join(config.topic(t).label("de") for t in offer.topics),
            "audiences": " ".join(config.audience(a).label("de") for a in offer.audiences),
            "actor": site.actors[offer.actor].name,
            "places": " ".join([site.regions[r].name for r in offer.regions]
                               + [loc.city or "" for loc in offer.locations]),
            "body": offer.body,
        }
        for number, offer in enumerate(site.offers.values())
    ]


_SPLIT = re.compile(r"[\s\-]+")  # lunr's separator: white space and hyphens


def _vocabulary(texts: Iterable[dict[str, str]]) -> set[str]:
    """Every distinct word of the atlas (folded): the parts compounds are split into."""
    raw = {w for text in texts for value in text.values() for w in _SPLIT.split(value.lower())}
    words = {fold(trim(w)) for w in raw}
    return {w for w in words if len(w) >= 3 and w not in STOPWORDS}


def build_index(site: Site) -> Builder:
    """lunr.py's builder, built: it holds the term frequencies and lengths `compact` writes."""
    texts = index_text(site)
    synonyms: dict[str, tuple[str, ...]] = {}  # by stem, so that word forms count alike
    for group in site.config.synonyms:
        stems = list(dict.fromkeys(stem(fold(w.lower())) for w in group))
        for one in stems:
            synonyms[one] = tuple(s for s in stems if s != one)
    words = IndexWords(_vocabulary(texts), synonyms)
    builder = Builder()
    builder.search_pipeline.add(*(function for _, function in SEARCH_PIPELINE))
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost, extractor=lambda text, name=name: words.field(text[name]))
    for text in texts:
        builder.add(text)
    builder.build()
    return builder


def compact(builder: Builder) -> dict[str, Any]:
    """The index as it travels: per term, the documents and term frequencies (as gaps between
    document numbers), and the field lengths. lunr's own JSON also carries a vector per field
    and document that follows from these numbers; that is three quarters of its gzipped size,
    so `expand` (here and in search-pipeline.js) recomputes it instead."""
    names = [name for name, _ in FIELDS]
    count = builder.document_count
    terms = []
    for term, posting in sorted(builder.inverted_index.items(), key=lambda item: item[1]["_index"]):
        per_field: list[Any] = []
        for name in names:
            flat, previous = [], 0
            for ref in sorted(int(r) for r in posting[name]):
                flat += [ref - previous, builder.field_term_frequencies[f"{name}/{ref}"][term]]
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
            refs, ref = {}, 0
            for j in range(0, len(flat or ()), 2):
                ref += flat[j]
                refs[str(ref)] = {}
                entries.append((f, ref, flat[j + 1]))
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

def documents(site: Site) -> dict[str, Any]:
    """What a result shows and what the filters match on, in the order of the index's refs.

    An offer counts for a region when a resident there would find it on the region's page:
    offers for the region, for a place inside it, or for a region around it.
    """
    serves: dict[str, list[str]] = {slug: [] for slug in site.offers}
    for region in site.regions:
        for offer in site.offers_within.get(region, ()) + site.offers_around.get(region, ()):
            serves[offer.slug].append(region)
    return {
        "docs": [
            {
                "url": urls.offer(offer.slug),
                "title": offer.title,
                "summary": offer.summary,
                "actor": site.actors[offer.actor].name,
                "places": [site.regions[r].name for r in offer.regions],
                "region": serves[offer.slug],
                "thema": list(offer.topics),
                "zielgruppe": list(offer.audiences),
                "sprache": list(offer.languages),
                "kostenlos": bool(offer.cost and offer.cost.free),
            }
            for offer in site.offers.values()
        ],
        "stopwords": sorted(STOPWORDS),
    }


def language_options(site: Site) -> list[tuple[str, str]]:
    """The languages offers are held in, as (code, own name), for the search filter."""
    codes = sorted({code for offer in site.offers.values() for code in offer.languages},
                   key=lambda code: (code != "de", languages.autonym(code).casefold()))
    return [(code, languages.autonym(code)) for code in codes]


def _json(data: Any) -> bytes:
    # lunr.py writes in a fixed order and so does documents(): no key sorting needed to be deterministic
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def search_files(site: Site) -> dict[str, bytes]:
    """The index and the documents, each also gzipped (mtime 0) for servers with gzip_static."""
    files = {INDEX: _json(compact(build_index(site))), DOCUMENTS: _json(documents(site))}
    for path, data in list(files.items()):
        files[path + ".gz"] = gzip.compress(data, compresslevel=9, mtime=0)
    return files


# -- queries (the browser's search.js builds the same) -------------------------------------------------

@dataclass(frozen=True)
class Clause:
    term: str
    boost: float
    use_pipeline: bool = True
    wildcard: int = Query.WILDCARD_NONE
    edit_distance: int = 0


def clauses(text: str, stopwords: frozenset[str] = STOPWORDS) -> list[Clause]:
    """Each word as itself (stemmed), as a prefix while typing, and with one typo if it is long."""
    found: list[Clause] = []
    for raw in _SPLIT.split(text.lower()):
        word = trim(raw)
        if not word or word in stopwords:
            continue
        found.append(Clause(word, 10))
        prefix = ascii_fold(word)
        if len(prefix) >= 2:
            found.append(Clause(prefix, 2, use_pipeline=False, wildcard=Query.WILDCARD_TRAILING))
        if len(word) >= 5:
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

