"""Search in Python: the word pipeline, compounds, typos, synonyms, relevance, the index files."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import brotli
import pytest
import yaml
from lunr.index import Index

from atlas import query, search, urls
from atlas.config import load_config
from atlas.model import Site, build_model
from atlas.records import parse_records
from atlas.sources import read_sources
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
        index = query.load_index(search.search_files(site)[search.INDEX])
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
    return demo_loaded.site, query.load_index(demo_search_files[search.INDEX])


@pytest.fixture(scope="module")
def demo_indexes(demo_loaded, demo_search_files) -> tuple[Site, dict[str, Index]]:  # type: ignore[no-untyped-def]
    """The demo's index per UI language: a query with `lang: ar` is typed into the Arabic page."""
    site = demo_loaded.site
    return site, {lang: query.load_index(demo_search_files[urls.in_language(lang, "") + search.INDEX])
                  for lang in site.config.languages}


@pytest.mark.parametrize("case", QUERIES, ids=[f"{c.get('lang', 'de')}-{c['q']}-top{c['top']}" for c in QUERIES])
def test_relevance_over_the_demo_atlas(demo_indexes, case: dict, request) -> None:  # type: ignore[no-untyped-def, type-arg]
    if case.get("known"):  # a known miss stays on the list, said and checked: it must fail until it is fixed
        request.applymarker(pytest.mark.xfail(reason=case["known"], strict=True))
    site, indexes = demo_indexes
    lang = case.get("lang", "de")
    ranked = query.ranked_slugs(site, indexes[lang], case["q"], lang)[: case["top"]]
    assert [e for e in case["expect"] if e not in ranked] == [], ranked


def test_compact_index_expands_to_what_lunr_py_built(demo) -> None:  # type: ignore[no-untyped-def]
    site, _ = demo
    builder = search.build_index(site)
    built = builder.build().serialize()
    expanded = search.expand(json.loads(json.dumps(search.compact(builder))))
    assert expanded["invertedIndex"] == json.loads(json.dumps(built["invertedIndex"]))
    assert [ref for ref, _ in expanded["fieldVectors"]] == sorted(
        (ref for ref, vector in built["fieldVectors"] if vector),
        key=lambda ref: ([n for n, _ in search.FIELDS].index(ref.split("/")[0]), int(ref.split("/")[1])))
    lunr_py = dict(built["fieldVectors"])
    for ref, vector in expanded["fieldVectors"]:
        assert vector[0::2] == lunr_py[ref][0::2], ref  # the same terms
        assert max(abs(a - b) for a, b in zip(vector[1::2], lunr_py[ref][1::2], strict=True)) <= 0.0010001, ref
    assert expanded["pipeline"] == ["atlas-trimmer", "atlas-stop-words-de", "atlas-fold-de", "stemmer-de"]


def test_build_writes_index_documents_and_their_gzip(demo_built) -> None:  # type: ignore[no-untyped-def]
    _, out = demo_built  # the demo built once per session (tests/conftest.py)
    for name in ["index.json", "documents.json"]:
        file = published(out / "suche", name)  # suche/index.<hash>.json and its .gz, .br
        data = file.read_bytes()
        assert gzip.decompress(file.with_name(file.name + ".gz").read_bytes()) == data
        assert brotli.decompress(file.with_name(file.name + ".br").read_bytes()) == data
    docs = json.loads(published(out, "suche/documents.json").read_bytes())["docs"]
    maintal = [d["title"] for d in docs if "maintal" in d["region"]]
    assert "Hausaufgabenhilfe und Lernclub Dörnigheim" in maintal  # in a Stadtteil of Maintal
    assert "Unabhängige Asylverfahrensberatung" in maintal  # for the whole Kreis
    assert "Antragshilfe Bürgergeld und Wohngeld" not in maintal  # Hanau only
    assert published(out, "js/vendor/lunr.min.js").read_bytes().startswith(b"/**\n * lunr - http://lunrjs.com")


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


# -- the default thesaurus and atlas.yaml's synonyms per language (deadends) ---------------------------

ARABIC = CONFIG.replace("languages: [de, en]", "languages: [de, en, ar]")


def test_the_default_thesaurus_finds_everyday_words_without_any_configuration(atlas) -> None:  # type: ignore[no-untyped-def]
    site = _site(atlas({**_offer("kita", "Hilfe bei der Kita-Anmeldung"), **_offer("vhs", "Integrationskurs"),
                        **_offer("x", "Sprachkurs am Abend")}, ARABIC))
    files = search.search_files(site)
    german = query.load_index(files[search.INDEX])
    assert query.ranked_slugs(site, german, "Kindergarten") == ["kita"]
    assert query.ranked_slugs(site, german, "Deutschkurs")[0] == "vhs"  # the everyday word finds the official one
    assert "x" not in query.ranked_slugs(site, german, "Integrationskurs")  # and not the other way round
    arabic = query.load_index(files["ar/" + search.INDEX])
    assert query.ranked_slugs(site, arabic, "روضة") == ["kita"]  # an Arabic reader's own word, on the Arabic page
    assert query.ranked_slugs(site, german, "روضة") == []  # the German page holds no Arabic words


def test_synonyms_per_language_extend_the_thesaurus(atlas) -> None:  # type: ignore[no-untyped-def]
    config = ARABIC + "synonyms:\n  de: [[Kita, Zwergenhaus]]\n  ar: [[Kita, كيتا]]\n"
    site = _site(atlas(_offer("kita", "Kita-Hilfe"), config))
    files = search.search_files(site)
    assert query.ranked_slugs(site, query.load_index(files[search.INDEX]), "Zwergenhaus") == ["kita"]
    arabic = query.load_index(files["ar/" + search.INDEX])
    assert query.ranked_slugs(site, arabic, "Zwergenhaus") == ["kita"]  # German groups count in every language
    assert query.ranked_slugs(site, arabic, "كيتا") == ["kita"]  # "Kita" written in Arabic letters
    assert query.ranked_slugs(site, query.load_index(files[search.INDEX]), "كيتا") == []  # only in its language


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
        for words in concept.values():
            for word in words:
                assert word.strip() == word and len(search.SPLIT.split(word)) == 1, word
    for lang in thesaurus.LANGUAGES:  # every language has its everyday words for a Kita
        assert any("Kita" in c.get("de", ()) and c.get(lang) for c in concepts), lang


def test_every_offer_the_relevance_list_expects_is_published(demo_indexes) -> None:  # type: ignore[no-untyped-def]
    site, _ = demo_indexes  # an expired or draft offer can never be found: such a query tests nothing
    assert [(c["q"], e) for c in QUERIES for e in c["expect"] if e not in site.offers] == []
