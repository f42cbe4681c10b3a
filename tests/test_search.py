"""Search in Python: the word pipeline, compounds, typos, synonyms, relevance, the index files."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import math
from datetime import date
from pathlib import Path

import brotli
import pytest
import yaml

from atlas import placenames, query, ranking, search, thesaurus, urls, words
from atlas.config import load_config
from atlas.model import Site, build_model
from atlas.ranking import Index
from atlas.records import parse_records
from atlas.sources import read_sources
from atlas.words import fold, stem
from tests.conftest import CONFIG, published

ROOT = Path(__file__).resolve().parent.parent
QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yaml").read_text(encoding="utf-8"))


def _site(project: Path) -> Site:
    config, problems = load_config(project)
    assert config is not None, problems
    sources, _ = read_sources(project)
    records, _ = parse_records(sources, config)
    return build_model(config, records, date(2026, 9, 21))


def _offer(slug: str, title: str, body: str = "") -> dict[str, str]:
    return {f"content/offers/{slug}.md": f"""\
        ---
        title: {title}
        summary: Ein Angebot.
        actor: caritas
        regions: [hanau]
        topics: [beratung]
        reviewed: 2026-01-01
        ---
        {body}
        """}


@pytest.fixture
def searched(atlas):  # type: ignore[no-untyped-def]
    """`searched(records, config)` -> a function from query text to ranked slugs."""

    def make(records: dict[str, str], config: str = CONFIG):  # type: ignore[no-untyped-def]
        site = _site(atlas(records, config))
        index = ranking.built_files(search.search_files(site))
        return lambda text: query.ranked_slugs(site, index, text)

    return make


def test_words_that_lunr_pys_german_trimmer_loses_are_found(searched) -> None:  # type: ignore[no-untyped-def]
    # lunr.py's languages="de" indexes Pflege as "fleg", Yoga as "oga", B1 as "b", Café as "caf"
    find = searched(_offer("mix", "Treffpunkt", "Pflege, Projekt, Yoga (B1) und ein Café."))
    for word in ["Pflege", "Projekt", "Yoga", "B1", "pflegen"]:
        assert find(word) == ["mix"], word
    for word in ["Café", "cafe"]:  # the scratch atlas has a Sprachcafé too
        assert sorted(find(word)) == ["mix", "sprachcafe"], word


def test_umlauts_and_sharp_s_however_they_are_typed(searched) -> None:  # type: ignore[no-untyped-def]
    # a compound's part is split off when the atlas also uses it as a word of its own
    find = searched({**_offer("muetter", "Stadtteilmütter", "Mütter aus dem Stadtteil begleiten Familien."),
                     **_offer("strasse", "Straße der Kulturen")})
    for text in ["Mütter", "Muetter", "Mutter", "stadtteilmuetter"]:
        assert find(text) == ["muetter"], text
    for text in ["Straße", "Strasse", "STRASSE"]:
        assert find(text) == ["strasse"], text


def test_parts_of_compounds_are_found(searched) -> None:  # type: ignore[no-untyped-def]
    find = searched({**_offer("sprachkurs", "Sprachkurs für Frauen"), **_offer("ik", "Integrationskurs"),
                     **_offer("mbe", "Migrationsberatung"), **_offer("sport", "Radfahren lernen")})
    assert sorted(find("kurs")) == ["ik", "sprachkurs"]
    # every offer here has the topic Beratung; those with it in their title come first
    assert sorted(find("beratung")[:2]) == ["mbe", "migrationsberatung"]
    assert sorted(find("Migration")) == ["mbe", "migrationsberatung"]


def test_one_typo_in_a_long_word_and_prefixes_while_typing(searched) -> None:  # type: ignore[no-untyped-def]
    find = searched({**_offer("ik", "Integrationskurs"), **_offer("sk", "Sprachkurse am Abend")})
    assert find("Integratoinskurs")[0] == "ik"  # two letters swapped ("sk" follows: its part "kurs")
    assert find("Integrazionskurs")[0] == "ik"  # one letter wrong
    assert find("Sprachk") == ["sk"] and find("Integr") == ["ik"]
    assert find("Kurz") == []  # four letters: no typo allowed, or every short word finds everything


def test_synonyms_from_atlas_yaml_work_both_ways(searched) -> None:  # type: ignore[no-untyped-def]
    config = CONFIG + "synonyms:\n  - [Deutschkurs, Sprachkurs]\n  - [Kita, Kindertagesstätte]\n"
    find = searched({**_offer("sk", "Sprachkurs"), **_offer("dk", "Deutschkurs"), **_offer("kita", "Kita-Hilfe"),
                     **_offer("kts", "Anmeldung in der Kindertagesstätte")}, config)
    # (the Sprachcafé of the scratch atlas follows: "Sprach…" may begin a compound)
    assert sorted(find("Deutschkurs")[:2]) == ["dk", "sk"] and sorted(find("Sprachkurs")[:2]) == ["dk", "sk"]
    assert sorted(find("Kindertagesstätte")) == ["kita", "kts"] and sorted(find("Kita")) == ["kita", "kts"]


def test_stop_words_alone_find_nothing(searched) -> None:  # type: ignore[no-untyped-def]
    assert searched(_offer("x", "Hilfe für die Familie"))("und die für") == []


@pytest.fixture(scope="module")
def demo(demo_loaded, demo_search_files) -> tuple[Site, Index]:  # type: ignore[no-untyped-def]
    # loaded and indexed once per session (tests/conftest.py)
    return demo_loaded.site, ranking.built_files(demo_search_files)


@pytest.fixture(scope="module")
def demo_indexes(demo_loaded, demo_search_files) -> tuple[Site, dict[str, Index]]:  # type: ignore[no-untyped-def]
    """The demo's index per UI language: a query with `lang: ar` is typed into the Arabic page."""
    site = demo_loaded.site
    return site, {lang: ranking.built_files(demo_search_files, urls.in_language(lang, ""))
                  for lang in site.config.languages}


@pytest.mark.parametrize("case", QUERIES, ids=[f"{c.get('lang', 'de')}-{c['q']}-top{c['top']}" for c in QUERIES])
def test_relevance_over_the_demo_atlas(demo_indexes, case: dict, request) -> None:  # type: ignore[no-untyped-def, type-arg]
    if case.get("known"):  # a known miss stays on the list, said and checked: it must fail until it is fixed
        request.applymarker(pytest.mark.xfail(reason=case["known"], strict=True))
    site, indexes = demo_indexes
    lang = case.get("lang", "de")
    ranked = query.ranked_slugs(site, indexes[lang], case["q"], lang)[: case["top"]]
    assert [e for e in case["expect"] if e not in ranked] == [], ranked


def built_index(out: Path, folder: str = "") -> Index:
    """The index as a built site publishes it: the entry file and the shards it names."""
    entry = published(out, folder + search.INDEX)
    return query.load_index(entry.read_bytes(), lambda name: (entry.parent / name).read_bytes())


def built_documents(out: Path, folder: str = "") -> dict[str, dict]:  # type: ignore[type-arg]
    """Per offer slug: what a result shows (from the document pages) and its filter data."""
    entry_file = published(out, folder + search.INDEX)
    entry = json.loads(entry_file.read_bytes())
    pages = range(-(-entry["count"] // entry["pageSize"]))
    docs = [doc for n in pages for doc in json.loads((entry_file.parent / search.part_name("docs", n, entry["parts"]))
                                                     .read_bytes())]
    later = json.loads((entry_file.parent / search.part_name("filters", None, entry["parts"])).read_bytes())
    columns = {**entry["filters"], **later}
    for number, doc in enumerate(docs):
        for key, column in columns.items():
            doc[key] = [column["values"][n] for n in column["lists"][number]] if "values" in column \
                else column["raw"][number]
    return {d["url"].rstrip("/").rsplit("/", 1)[-1]: d for d in docs}


def test_weights_are_lunrs_bm25_computed_directly() -> None:
    """Two fields, three offers: the numbers lunr's builder gives (idf over the offers and fields
    holding a term, k1 1.2, b 0.75, length against the field's average, boost), in thousandths."""
    fields = [[["kurs"], ["kurs", "frauen"], ["treff"]]] + [[[] for _ in range(3)] for _ in search.FIELDS[1:]]
    postings = search.weighted(fields)
    assert list(postings) == ["frauen", "kurs", "treff"]  # sorted
    idf = math.log(1 + abs((3 - 2 + 0.5) / (2 + 0.5)))
    average = 4 / 3
    expected = [idf * 2.2 / (1.2 * (0.25 + 0.75 * length / average) + 1) * 10 for length in (1, 2)]
    assert postings["kurs"][0].tolist() == [0, round(expected[0] * 1000), 1, round(expected[1] * 1000)]  # offer, weight
    assert [pairs.tolist() for pairs in postings["kurs"][1:]] == [[]] * (len(search.FIELDS) - 1)
    assert postings["treff"][0][1] > postings["kurs"][0][1]  # the rarer word weighs more


def test_a_fields_length_is_its_words_not_the_terms_the_index_adds() -> None:
    """"Sprachkurs" is indexed as its stem, its parts, their synonyms and as written; "Kurs" as fewer
    terms. Both titles are one word long, so the term they share weighs the same in both."""
    words = search.IndexWords({"sprach", "kurs"}, {"kur": ("lehrgang",)})
    titles = [words.field("Sprachkurs"), words.field("Kurs")]
    assert [length for _, length in titles] == [1, 1] and len(titles[0][0]) > len(titles[1][0]) > 1
    assert words.field("Sprachkurs für Frauen")[1] == 2  # a stop word is not indexed, so it is no length
    empty: list[list[dict[str, int]]] = [[{}, {}] for _ in search.FIELDS[1:]]
    postings = search.weighted([titles, *empty])
    assert postings["kur"][0].tolist()[1] == postings["kur"][0].tolist()[3]  # offer, weight, offer, weight
    by_terms = search.weighted([[counts for counts, _ in titles], *empty])  # lunr's way: the terms are the length
    assert by_terms["kur"][0].tolist()[1] < by_terms["kur"][0].tolist()[3]


def test_typo_distance_counts_as_lunr_does() -> None:
    assert ranking.within("beratung", "beratung", 1) and ranking.within("beratng", "beratung", 1)
    assert ranking.within("bertaung", "beratung", 1)  # neighbours swapped: one edit
    assert not ranking.within("bretaung", "beratung", 1) and ranking.within("bretaung", "beratung", 2)
    assert ranking.within("berat", "beratungen", 1, prefix=True) and ranking.within("bxrat", "beratung", 1, True)
    assert not ranking.within("bxrat", "beratung", 0, prefix=True)


def test_one_typo_is_every_word_one_edit_away_and_no_other() -> None:
    """ranking.within's shortcut for one typo (and search-index.js's twin) against the words one
    substitution, insertion, deletion or swap of neighbours away, every pair of short words."""
    letters = "abc"
    words = ["".join(letters) for n in range(5) for letters in itertools.product("abc", repeat=n)]

    def one_away(word: str) -> set[str]:
        found = {word[:i] + word[i + 1:] for i in range(len(word))}
        found |= {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in letters}
        found |= {word[:i] + c + word[i + 1:] for i in range(len(word)) for c in letters}
        found |= {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
        return found | {word}

    for query_word in words:
        near = one_away(query_word)
        assert [w for w in words if ranking.within(query_word, w, 1)] == [w for w in words if w in near], query_word


def test_clauses_required_and_prohibited_as_lunr_has_them(demo) -> None:  # type: ignore[no-untyped-def]
    site, index = demo
    slugs = list(site.offers)

    def find(*clauses: query.Clause) -> list[str]:
        return [slugs[ref] for ref, _, _ in ranking.evaluate(index, clauses)]

    hanau = query.Clause("hanau", 1)
    kita = query.Clause("kita", 1)
    both = find(query.Clause("kita", 1, presence=query.Query.REQUIRED), hanau)
    assert both and set(both) <= set(find(kita))
    without = find(kita, query.Clause("hanau", 1, presence=query.Query.PROHIBITED))
    assert without and not set(without) & set(find(hanau)) and set(without) < set(find(kita))
    assert find(kita, query.Clause("zzzz", 1, presence=query.Query.REQUIRED)) == []


def test_build_writes_a_small_entry_shards_pages_and_their_gzip(demo_built) -> None:  # type: ignore[no-untyped-def]
    _, out = demo_built  # the demo built once per session (tests/conftest.py)
    entry_file = published(out, "suche/index.json")
    entry = json.loads(entry_file.read_bytes())
    pages = -(-entry["count"] // entry["pageSize"])
    names = [search.part_name("index", n, entry["parts"]) for n in range(len(entry["shards"]))]
    names += [search.part_name("docs", n, entry["parts"]) for n in range(pages)]
    names.append(search.part_name("filters", None, entry["parts"]))
    assert len(entry["shards"]) > 1 and pages > 1
    written = [f.name for pattern in ("index-*.json", "docs-*.json", "filters.*.json")
               for f in entry_file.parent.glob(pattern)]
    assert sorted(names) == sorted(written)
    # content-hashed names: the entry's of its own content, the parts' of all of theirs together
    assert entry_file.name.split(".")[-2] == hashlib.sha256(entry_file.read_bytes()).hexdigest()[:10]
    parts = b"\n".join((entry_file.parent / name).read_bytes() for name in names)
    assert entry["parts"] == hashlib.sha256(parts).hexdigest()[:10]
    for file in [entry_file] + [entry_file.parent / name for name in names]:
        data = file.read_bytes()
        assert gzip.decompress(file.with_name(file.name + ".gz").read_bytes()) == data
        brotli_copy = file.with_name(file.name + ".br")  # only where brotli does better than gzip (precompressed)
        if file.name.startswith(("index.", "filters.")):
            assert brotli.decompress(brotli_copy.read_bytes()) == data
        else:
            assert not brotli_copy.exists()
    terms = ranking.unfront(entry["terms"])
    assert entry["pipeline"] and list(terms) == sorted(set(terms)) and "berat" in terms
    docs = built_documents(out)
    maintal = [d["title"] for d in docs.values() if "maintal" in d["region"]]
    assert "Hausaufgabenhilfe und Lernclub Dörnigheim" in maintal  # in a Stadtteil of Maintal
    assert "Unabhängige Asylverfahrensberatung" in maintal  # for the whole Kreis
    assert "Antragshilfe Bürgergeld und Wohngeld" not in maintal  # Hanau only
    assert published(out, "js/vendor/lunr.min.js").read_bytes().startswith(b"/**\n * lunr - http://lunrjs.com")


def test_the_term_list_is_front_coded_and_read_back_whole() -> None:
    long = "x" * 50  # more letters in common than a line can say: the rest is written out
    terms = sorted(["", "berat", "beratung", "bürger", "bürgergeld", "~beratung", "🙂a", "🙂b", long, long + "y", "ك"])
    coded = search.front_coded(terms)
    assert ranking.unfront(coded) == tuple(terms) and ranking.unfront("") == ()
    assert "\n5ung\n" in coded  # "beratung" after "berat": five letters shared ("5"), "ung" written


def test_filter_data_is_stored_by_column_and_read_back_whole() -> None:
    rows = [{"region": ["a", "b"], "kostenlos": True}, {"region": [], "geo": [50.1, 8.9]}]
    stored = search.columns(rows)
    assert stored["region"] == {"values": ["a", "b"], "lists": [[0, 1], []]}
    assert stored["geo"] == {"raw": [None, [50.1, 8.9]]} and stored["kostenlos"] == {"raw": [True, None]}


def test_query_clauses_for_words_on_their_way_long_words_and_single_letters() -> None:
    def kinds(text: str) -> list[tuple[str, str]]:
        return [(c.term, "typo" if c.edit_distance else "prefix" if c.wildcard else "word")
                for c in query.clauses(text)]

    assert kinds("aus") == [("aus", "prefix")]  # a stop word so far, but still being typed
    assert kinds("aus ") == []  # a finished stop word
    assert kinds("d") == []  # one letter tells nothing
    # the stem "kind" is too short for a typo, the word as written is not ("Kindr")
    assert kinds("Kinder") == [("kind", "word"), ("kinder", "prefix"), ("~kinder", "typo")]  # "~": as written
    assert ("~integratoinskurs", "typo") in kinds("Integratoinskurs")
    assert ("~beratung", "typo") in kinds("Beratung")  # its stem is "berat": "Beratng" is one typo from the word
    assert [kind for _, kind in kinds("x" * 40)].count("typo") == 0  # no typo search over 30 letters
    assert ("schwimmkur", "word") in kinds("Frauenschwimmkurs") and ("frau", "prefix") in kinds("Frauenschwimmkurs")
    # a clause once; the two words as one are a further clause ("Sprach Café" finds "Sprachcafé")
    assert kinds("Kindergarten Kindergarten") == [*kinds("Kindergarten"), ("kindergartenkindergart", "word")]
    assert ("sprachcaf", "word") in kinds("Sprach Café") and ("sprachcaf", "word") not in kinds("Sprach und Café")
    assert len(query.clauses("Beratung " * 100)) <= 3 * 25  # at most 200 characters are read
    assert [c.term for c in query.clauses("Deutsch\ufeffkurs")] == [c.term for c in query.clauses("Deutsch kurs")]


def test_each_word_of_a_query_weighs_alike_however_many_forms_it_has() -> None:
    """"زنان" is looked up as written and as its stem "زن", "ورزش" as written only: each word's terms
    share the word's weight, or an offer holding both owes twice as much to the women as to the sport."""
    word = words.BOOSTS["word"]
    for text, lang in [("ورزش زنان", "fa"), ("women sport", "en"), ("курсы немецкого языка", "ru"),
                       ("kadınlar için yüzme", "tr"), ("Kurs Frauen", "de")]:
        found = [c for c in query.clauses(text, lang) if c.span == 1 and not (c.part or c.wildcard or c.edit_distance)]
        per_word = {n: sum(c.boost for c in found if c.word == n) for n in {c.word for c in found}}
        assert list(per_word.values()) == [word] * len(per_word), (text, per_word)
    assert [[c.term for c in query.clauses("ورزش زنان", "fa") if c.word == n and c.span == 1
             and not c.wildcard | c.edit_distance] for n in (0, 1)] == [["ورزش"], ["زنان", "زن"]]
    # the two words as one word ("Sprach Café" as "sprachcafé") stand for both: a whole word's weight
    assert [c.boost for c in query.clauses("Sprach Café") if c.span == 2] == [word]


# -- the default thesaurus and atlas.yaml's synonyms per language (deadends) ---------------------------

ARABIC = CONFIG.replace("languages: [de, en]", "languages: [de, en, ar]")


def test_the_default_thesaurus_finds_everyday_words_without_any_configuration(atlas) -> None:  # type: ignore[no-untyped-def]
    site = _site(atlas({**_offer("kita", "Hilfe bei der Kita-Anmeldung"), **_offer("vhs", "Integrationskurs"),
                        **_offer("x", "Sprachkurs am Abend")}, ARABIC))
    files = search.search_files(site)
    german = ranking.built_files(files)
    assert query.ranked_slugs(site, german, "Kindergarten") == ["kita"]
    assert query.ranked_slugs(site, german, "Deutschkurs")[0] == "vhs"  # the everyday word finds the official one
    # and not the other way round: "Integrationskurs" is not widened to every Sprachkurs (nor looked
    # up in its parts, "kurs" among them: the index holds the word whole)
    assert query.ranked_slugs(site, german, "Integrationskurs") == ["vhs"]
    expanded = thesaurus.expansions("de", (), lambda word: [stem(fold(word.lower()))])
    assert "sprachkur" not in expanded["integrationskur"] and "sprachkur" in expanded["deutschkur"]
    arabic = ranking.built_files(files, "ar/")
    assert query.ranked_slugs(site, arabic, "روضة") == ["kita"]  # an Arabic reader's own word, on the Arabic page
    assert query.ranked_slugs(site, german, "روضة") == []  # the German page holds no Arabic words


def test_synonyms_per_language_extend_the_thesaurus(atlas) -> None:  # type: ignore[no-untyped-def]
    config = ARABIC + "synonyms:\n  de: [[Kita, Zwergenhaus]]\n  ar: [[Kita, كيتا]]\n"
    site = _site(atlas(_offer("kita", "Kita-Hilfe"), config))
    files = search.search_files(site)
    assert query.ranked_slugs(site, ranking.built_files(files), "Zwergenhaus") == ["kita"]
    arabic = ranking.built_files(files, "ar/")
    assert query.ranked_slugs(site, arabic, "Zwergenhaus") == ["kita"]  # German groups count in every language
    assert query.ranked_slugs(site, arabic, "كيتا") == ["kita"]  # "Kita" written in Arabic letters
    assert query.ranked_slugs(site, ranking.built_files(files), "كيتا") == []  # only in its language


def test_synonyms_mistakes_are_reported_at_their_line(atlas) -> None:  # type: ignore[no-untyped-def]
    config = ARABIC + "synonyms:\n  de: [[Kita]]\n  xx: [[a, b]]\n  ar:\n    - [دورة لغة, كورس]\n"
    project = atlas(_offer("kita", "Kita-Hilfe"), config)
    _, problems = load_config(project)
    text = "\n".join(f"{p.line}: {p.message}" for p in problems)
    assert "a group of synonyms needs at least two words" in text
    assert '"xx" is not one of the atlas\'s languages' in text
    assert '"دورة لغة" must be one word' in text
    config_lines = config.splitlines()
    for problem in problems:
        if "synonyms" in problem.message:
            assert config_lines[problem.line - 1].strip().startswith(("de:", "xx:", "- [")), problem


def test_the_shipped_thesaurus_is_well_formed() -> None:
    from atlas import thesaurus

    concepts = thesaurus.default_concepts()
    assert len(concepts) >= 40
    for concept in concepts:
        assert set(concept) <= {*thesaurus.LANGUAGES, "finds"}, concept
        for listed in concept.values():
            for word in listed:  # a word, or a phrase of words (thesaurus.joined_terms)
                assert word.strip() == word and all(search.SPLIT.split(word)), word
    for lang in thesaurus.LANGUAGES:  # every language has its everyday words for a Kita
        assert any("Kita" in c.get("de", ()) and c.get(lang) for c in concepts), lang


def test_every_offer_the_relevance_list_expects_is_published(demo_indexes) -> None:  # type: ignore[no-untyped-def]
    site, _ = demo_indexes  # an expired or draft offer can never be found: such a query tests nothing
    assert [(c["q"], e) for c in QUERIES for e in c["expect"] if e not in site.offers] == []


# -- word forms, compound parts, the document's places and languages (relevance) ---------------------

def test_turkish_endings_after_a_consonant_keep_the_stem() -> None:
    """The possessive's s and the n after it only follow a vowel: "kursu" is kurs-u, not kur-su."""
    turkish = words.rules("tr")

    def form(word: str) -> str:
        return words.terms(word, turkish)[-1]

    assert {form(w) for w in ["kurs", "kursu", "kursuna", "kursunda", "kursundan", "kursları", "kurslar"]} == {"kurs"}
    assert form("dersi") == form("dersinde") == "ders"  # ders-i, ders-i-n-de
    assert form("kapısı") == form("kapısında") == form("kapı")  # kapı-sı, kapı-sı-n-da


def test_a_compound_head_counts_only_as_the_word_or_in_a_compound_ending_alike() -> None:
    head, tail = query.Clause("asyl", 0.1, wildcard=query.Query.WILDCARD_TRAILING, part=True), "berat"
    assert query._holds("asylverfahrensberat", head, [tail]) == query.HELD  # Asyl…beratung
    assert query._holds("asyl", head, [tail]) == query.BARE  # the head as a word: only beside a part that holds
    assert query._holds("asylbewerb", head, [tail]) == query.NOT_HELD  # another compound that begins alike
    assert query._holds("berat", query.Clause(tail, 3, part=True), [tail]) == query.HELD


def test_a_compound_query_ranks_the_compound_above_a_stray_head(searched) -> None:  # type: ignore[no-untyped-def]
    # both are Beratung (the scratch offers' topic) in Hanau; only one is about Asyl, though the other
    # names Hanau in its title and holds "Asylbewerber", whose "asyl…" begins the query word too
    find = searched({**_offer("asyl", "Asylverfahrensberatung"),
                     **_offer("other", "Hanau hilft", "Ein Treffpunkt, auch für Asylbewerber.")})
    assert find("Asylberatung Hanau")[0] == "asyl"


def test_the_document_holds_where_an_offer_is_held_and_the_languages_it_speaks(demo_loaded) -> None:  # type: ignore[no-untyped-def]
    site = demo_loaded.site
    number = list(site.offers).index("russischsprachiger-seniorentreff-waechtersbach")
    text = search.index_text(site, "ar")[number]
    assert text["held"] == "63607 Wächtersbach"  # the location's postcode and town
    assert "Wächtersbach" in text["places"] and "Main-Kinzig-Kreis" in text["places"]  # the regions it counts for
    spoken = text["spoken"].split()
    assert {"Russisch", "Ukrainisch", "Русский", "الروسية"} <= set(spoken)  # German, Arabic and own names
    assert "Deutsch" not in spoken  # which every offer speaks


def test_thesaurus_words_are_found_in_their_inflected_forms() -> None:
    russian = words.rules("ru")
    expanded = thesaurus.expansions("ru", (), lambda word: words.terms(words.trim(word.lower()), russian))
    inflected = words.terms("немецкого", russian)  # "(courses) of German": its form is that of "немецкий"
    assert any("deutsch" in expanded.get(term, ()) for term in inflected)


def test_a_language_is_found_by_its_names_in_the_text_too(atlas) -> None:  # type: ignore[no-untyped-def]
    """Both offers are held in Arabic (the spoken field names it in every language); only one says so in
    its German title, which "Arabic" on the English page and "بالعربية" on the Arabic one find first."""
    def arabic(slug: str, title: str) -> dict[str, str]:
        return {path: text.replace("reviewed:", "languages: [de, ar]\n        reviewed:")
                for path, text in _offer(slug, title).items()}

    site = _site(atlas({**arabic("titled", "Elternhilfe auf Arabisch"), **arabic("other", "Elternhilfe")}, ARABIC))
    files = search.search_files(site)
    assert query.ranked_slugs(site, ranking.built_files(files, "en/"), "Arabic", "en")[0] == "titled"
    assert query.ranked_slugs(site, ranking.built_files(files, "ar/"), "بالعربية", "ar")[0] == "titled"
    assert thesaurus.language_names(["de", "ku"], "en") == (("en", ("Kurdisch", "Kurdish", "Kurdî", "kurmancî")),)


def test_german_place_names_as_russian_ukrainian_arabic_and_persian_write_them(demo_indexes) -> None:  # type: ignore[no-untyped-def]
    def spelled(rules: dict[str, str], names: str) -> list[str]:
        return [placenames.spell(name, rules) for name in names.split()]

    assert spelled(placenames.RUSSIAN, "hanau gelnhausen steinheim erlensee wächtersbach großkrotzenburg") == [
        "ханау", "гельнхаузен", "штайнхайм", "эрлензе", "вехтерсбах", "гросскроценбург"]
    assert spelled(placenames.UKRAINIAN, "hanau gelnhausen linsengericht") == ["ганау", "гельнгаузен", "лінзенгеріхт"]
    assert spelled(placenames.PERSIAN, "hanau gelnhausen steinheim frankfurt") == [
        "هاناو", "گلنهاوزن", "اشتاینهایم", "فرانکفورت"]
    assert spelled(placenames.ARABIC, "gelnhausen nidderau") == ["غلنهاوزن", "نيدراو"]  # no p, g; doubles once
    assert placenames.place_names(["Bad Orb", "63571"], "ru") == (("ru", ("bad", "бад")), ("ru", ("orb", "орб")))
    assert placenames.place_names(["Hanau"], "tr") == ()  # Latin letters: the name as written
    for rules in (placenames.RUSSIAN, placenames.UKRAINIAN, placenames.ARABIC, placenames.PERSIAN):
        assert not set(placenames.spell("".join(sorted(placenames.GERMAN)), rules)) & placenames.GERMAN  # all spelled
    site, indexes = demo_indexes  # the Russian spelling on the Ukrainian page, and customary ones a typo away
    assert query.ranked_slugs(site, indexes["uk"], "курси Гельнхаузен", "uk")[0] == "integrationskurs-vhs-gelnhausen"
    assert query.ranked_slugs(site, indexes["ru"], "курсы Гелнхаузен", "ru")[0] == "integrationskurs-vhs-gelnhausen"
    assert query.ranked_slugs(site, indexes["ar"], "دورات غيلنهاوزن", "ar")[0] == "integrationskurs-vhs-gelnhausen"
    # a rule with a group of its own still gives its own letters (not the next rule's)
    assert placenames.spell("abcd", {"a(b)": "X", "c": "Y", "d": "Z"}) == "XYZ"


def test_a_word_the_index_holds_whole_is_not_looked_up_in_its_parts(searched) -> None:  # type: ignore[no-untyped-def]
    # "Gelnhausen" would split into geln + hausen, whose stem "haus" is the tail of "Frauenhaus"
    find = searched({**_offer("town", "Treffpunkt Gelnhausen"),
                     **_offer("shelter", "Frauenberatung", "Auch ein Platz im Frauenhaus.")})
    assert find("Gelnhausen") == ["town"]
    assert find("Frauenhausberatung")[0] == "shelter"  # a word the index lacks is still found by its parts


def test_a_turkish_case_ending_after_an_apostrophe_is_a_word_of_its_own() -> None:
    """"Gelnhausen'de" (in Gelnhausen) is the town and an ending, not a rare word of its own that
    outweighs every other word of a query; both sides split it so (the separators travel as data)."""
    turkish = words.rules("tr")
    assert turkish.split.split("gelnhausen'de hanau’da") == ["gelnhausen", "de", "hanau", "da"]
    assert "'" in turkish.data["separators"] and "'" not in words.rules("uk").data["separators"]  # здоров'я
    assert [c.term for c in query.clauses("Gelnhausen'de", "tr") if not c.wildcard and not c.edit_distance
            and not c.part] == [c.term for c in query.clauses("Gelnhausen", "tr") if not c.wildcard
                                and not c.edit_distance and not c.part]


def test_a_turkish_k_softened_before_an_ending_meets_the_word() -> None:
    """danışmanlık, danışmanlığı (its), danışmanlığa (to it): one form, as the thesaurus word is."""
    turkish = words.rules("tr")

    def form(word: str) -> str:
        return words.terms(word, turkish)[-1]

    assert {form(w) for w in ["danışmanlık", "danışmanlığı", "danışmanlığa", "danışmanlığından"]} == {"danismanlik"}
    assert form("vatandaşlığa") == form("vatandaşlık") and form("uygunluğu") == form("uygunluk")


def test_a_thesaurus_phrase_is_found_by_its_words_typed_in_a_row(atlas) -> None:  # type: ignore[no-untyped-def]
    """Where German has one word (Wohngeld) others say a phrase ("housing benefit"): the offer is
    indexed under the query's joins of neighbouring words, so the phrase finds it, one of its words far less."""
    site = _site(atlas({**_offer("wg", "Antragshilfe Wohngeld"), **_offer("flat", "Wohnungssuche", "Housing.")},
                       CONFIG))
    english = ranking.built_files(search.search_files(site), "en/")
    assert query.ranked_slugs(site, english, "housing benefit", "en")[0] == "wg"
    assert query.ranked_slugs(site, english, "housing", "en")[0] == "flat"  # "wg" only as a prefix of the phrase
    # in Turkish letters also the words' own forms joined: "kira yardımı" as kir + yardim too
    assert thesaurus.joined_terms("kira yardımı", "tr") == [query.joined("kira", "yardımı"), "kiryardim"]
    assert thesaurus.joined_terms("Wohngeld", "de") == []


def test_a_thesaurus_phrase_is_found_with_its_words_inflected(atlas) -> None:  # type: ignore[no-untyped-def]
    """A phrase is written in a sentence with the article or an ending on its words: "السيرة الذاتية"
    (the CV) for the thesaurus's "سيرة ذاتية", Bewerbung's Arabic words. The words' own forms joined
    meet, as the words themselves do; German words join as written (their stems are the index's)."""
    site = _site(atlas({**_offer("bew", "Bewerbungscafé", "Hilfe beim Lebenslauf."), **_offer("x", "Sprachcafé")},
                       ARABIC))
    arabic = ranking.built_files(search.search_files(site), "ar/")
    for text in ["سيرة ذاتية", "السيرة الذاتية", "السيره الذاتيه"]:
        assert query.ranked_slugs(site, arabic, text, "ar") == ["bew"], text
    assert query.ranked_slugs(site, arabic, "الذاتية", "ar") == []  # a phrase's word alone finds nothing
    assert query.pair_terms("sprach", "café", words.rules("ar")) == [query.joined("sprach", "café")]
    assert [c.boost for c in query.clauses("السيرة الذاتية", "ar") if c.span == 2] == [5, 5]  # one word's worth


def test_a_thesaurus_word_in_german_takes_only_the_german_steps() -> None:
    """In the Turkish index "Schulden" with the Turkish ending -den off is "schul", the stem of Schule:
    taken so, every school offer was a debt and every debt counselling a school."""
    def normalize(lang: str):  # type: ignore[no-untyped-def]
        return lambda word: words.terms(words.trim(word.lower()), words.rules(lang))

    expanded = thesaurus.expansions("tr", (), normalize("tr"), german=normalize("de"))
    assert "okul" in expanded["schul"] and "borc" not in expanded["schul"]
    assert "borc" in expanded["schuld"] and "okul" not in expanded["schuld"]


def test_what_an_offer_costs_is_searched_and_place_names_are_not_split(demo_loaded) -> None:  # type: ignore[no-untyped-def]
    site = demo_loaded.site
    texts = search.index_text(site)
    slugs = list(site.offers)
    pool = texts[slugs.index("dolmetscherpool-mkk")]["body"].rsplit("\n", 1)[-1]  # the body ends with the cost
    assert "kostenfrei" in pool and not pool.startswith("kostenlos")  # its note; it is not free for everyone
    free = [t["body"].rsplit("\n", 1)[-1] for t, offer in zip(texts, site.offers.values(), strict=True)
            if offer.cost and offer.cost.free]
    assert free and all(cost.startswith("kostenlos") for cost in free)
    words = search.IndexWords({"garten", "tümpel", "frauen"}, {}, names=search._place_words(site))
    assert "gart" not in words.words("lamboy/tümpelgarten")  # Hanau-Lamboy/Tümpelgarten, a region's name
    assert "gart" in words.words("frauengarten")  # the part's stem


def test_a_word_of_the_atlas_before_a_linking_s_is_a_compound_part() -> None:
    """"Ehrenamtsbörse": "börse" is no word of the atlas, but "Ehrenamt" and the linking s say where
    the compound parts; without the s, an ending is no part ("Diakonischen" holds no "Diakonie")."""
    words = search.IndexWords({"ehrenamt", "diakonie"}, {})
    assert "ehrenamt" in words.parts("ehrenamtsbörse") and words.parts("diakonischen") == []
    assert "ehrenamt" not in words.parts("ehrenamtsbö")  # a tail of four letters may be an ending
