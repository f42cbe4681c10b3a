"""UI languages: catalogs and their fallback, pages under /<lang>/, right to left, the switcher,
hreflang, translated offers, and search data per language."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from atlas import query, ranking
from atlas.config import load_config
from atlas.i18n import Catalog, load_catalogs, message_ids
from atlas.templates import CATALOG_TEMPLATE, theme_folders
from tests.conftest import CONFIG, published
from tests.test_search import built_documents

ROOT = Path(__file__).resolve().parent.parent
DEMO_LANGUAGES = ["de", "en", "ar", "tr", "uk", "ru", "fa"]
AUTONYMS = {"de": "Deutsch", "en": "English", "ar": "العربية", "tr": "Türkçe", "uk": "Українська",
            "ru": "Русский", "fa": "فارسی"}


@pytest.fixture(scope="module")
def demo(demo_built) -> Path:  # type: ignore[no-untyped-def]
    """The demo's output folder, built once per session (tests/conftest.py)."""
    return demo_built[1]


def read(out: Path, path: str) -> str:
    return (out / path / "index.html").read_text(encoding="utf-8")


class _Links(HTMLParser):
    """The attributes of every <link> and <a> of a page, and the <html> element's."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []
        self.anchors: list[dict[str, str]] = []
        self.html: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "link":
            self.links.append(found)
        elif tag == "a":
            self.anchors.append(found)
        elif tag == "html":
            self.html = found


def parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


# -- pages in every language ------------------------------------------------------------------------

def test_every_page_exists_in_every_language(demo: Path) -> None:
    german = {p.relative_to(demo).as_posix() for p in demo.rglob("index.html")
              if p.relative_to(demo).parts[0] not in DEMO_LANGUAGES}
    assert len(german) > 200
    for lang in DEMO_LANGUAGES[1:]:
        here = {p.relative_to(demo / lang).as_posix() for p in (demo / lang).rglob("index.html")}
        assert here == german, lang


@pytest.mark.parametrize("lang", DEMO_LANGUAGES)
def test_language_and_direction_of_the_pages(demo: Path, lang: str) -> None:
    prefix = "" if lang == "de" else f"{lang}/"
    for route in ["", "angebote/", "angebote/integrationskurs-vhs-hanau/", "regionen/hanau/", "suche/",
                  "impressum/"]:
        html = parse(read(demo, prefix + route)).html
        assert html["lang"] == lang
        assert html["dir"] == ("rtl" if lang in ("ar", "fa") else "ltr"), (lang, route)


def test_interface_texts_come_from_the_catalogs(demo: Path) -> None:
    start = {lang: read(demo, "" if lang == "de" else lang) for lang in DEMO_LANGUAGES}
    assert ">Zum Inhalt springen<" in start["de"]
    assert ">Skip to content<" in start["en"]
    for lang in DEMO_LANGUAGES[1:]:
        assert "Zum Inhalt springen" not in start[lang], lang
        assert "Weitere Wege zum Angebot" not in start[lang], lang
    # topic labels from atlas.yaml, plural forms from the catalog (Arabic has six)
    assert "Language support" in start["en"] and "تعلم اللغة" in start["ar"]
    arabic = load_catalogs(theme_folders(load_config(ROOT)[0]), ["ar"])[0]["ar"]  # type: ignore[index]
    assert len(arabic.messages["%(num)d Angebot"]) == 6
    assert [arabic.plural(n) for n in (0, 1, 2, 3, 11, 100)] == [0, 1, 2, 3, 4, 5]


def test_switcher_leads_to_the_same_page_in_each_language(demo: Path) -> None:
    route = "angebote/integrationskurs-vhs-hanau/"
    for lang in DEMO_LANGUAGES:
        path = route if lang == "de" else f"{lang}/{route}"
        page = parse(read(demo, path))
        switcher = [a for a in page.anchors if "hreflang" in a]
        assert [a["hreflang"] for a in switcher] == DEMO_LANGUAGES
        for a in switcher:
            assert a["lang"] == a["hreflang"]
            target = (demo / path / a["href"]).resolve()
            expected = demo / (route if a["hreflang"] == "de" else f"{a['hreflang']}/{route}")
            assert target == expected.resolve(), (lang, a)
            assert (target / "index.html").is_file()
        current = [a for a in switcher if a.get("aria-current")]
        assert [a["hreflang"] for a in current] == [lang]
    html = read(demo, route)
    for code, name in AUTONYMS.items():
        assert f'lang="{code}" hreflang="{code}" dir="{"rtl" if code in ("ar", "fa") else "ltr"}"' in html
        assert f">{name}</a>" in html


def test_alternates_are_absolute_reciprocal_and_have_a_default(demo: Path) -> None:
    base = "https://integrationsatlas.example.org/"
    for route in ["", "regionen/hanau/", "suche/", "angebote/buergergeld-antragshilfe-hanau/"]:
        seen = {}
        for lang in DEMO_LANGUAGES:
            path = route if lang == "de" else f"{lang}/{route}"
            links = [link for link in parse(read(demo, path)).links  # the language versions, not the feed
                     if link.get("rel") == "alternate" and "type" not in link]
            alternates = {link["hreflang"]: link["href"] for link in links}
            assert set(alternates) == {*DEMO_LANGUAGES, "x-default"}
            assert alternates["x-default"] == base + route
            assert all(href.startswith(base) for href in alternates.values())
            assert alternates[lang] == base + path  # each page names itself among its alternates
            seen[lang] = alternates
        assert all(alternates == seen["de"] for alternates in seen.values())  # reciprocal


def test_links_stay_in_the_pages_language(demo: Path) -> None:
    page = "ar/angebote/buergergeld-antragshilfe-hanau/"
    for a in parse(read(demo, page)).anchors:
        href = a["href"]
        if href.startswith(("http", "mailto:", "tel:", "#")) or "hreflang" in a:
            continue
        target = (demo / page / href).resolve()
        assert target.is_relative_to((demo / "ar").resolve()), href
        assert (target / "index.html").is_file() or target.is_file(), href


# -- translated offers ------------------------------------------------------------------------------

def test_translated_offer_shows_its_translation(demo: Path) -> None:
    translation = (ROOT / "content/offers/buergergeld-antragshilfe-hanau.ar.md").read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)$", translation, re.M).group(1).strip().strip('"')  # type: ignore[union-attr]
    html = read(demo, "ar/angebote/buergergeld-antragshilfe-hanau")
    assert f"<h1>{title}</h1>" in html
    assert "lang-notice" not in html
    assert read(demo, "angebote/buergergeld-antragshilfe-hanau").count(title) == 0


def test_untranslated_offer_shows_german_with_a_notice_in_the_readers_language(demo: Path) -> None:
    slug = "afghanischer-frauentreff-hanau"
    assert not list(ROOT.glob(f"content/offers/{slug}.*.md"))
    html = read(demo, f"ar/angebote/{slug}")
    assert '<p class="lang-notice">' in html and "Dieses Angebot gibt es noch nicht" not in html
    assert '<h1 lang="de" dir="ltr">Frauentreff Roshan</h1>' in html
    assert '<p class="lead" lang="de" dir="ltr">' in html
    # on the A–Z list in Arabic, the German title is marked German too
    link = f'href="../angebote/{slug}/" lang="de" dir="ltr"><bdi>Frauentreff Roshan</bdi></a>'
    assert link in read(demo, "ar/angebote")


def test_legal_pages_keep_the_binding_german_text(demo: Path) -> None:
    statement = read(demo, "en/barrierefreiheit")
    assert 'Diese Erklärung wurde am <time datetime="2026-11-01">01.11.2026</time>' in statement
    assert "Data as of Nov" in statement  # the interface around it stays English
    html = read(demo, "tr/datenschutz")
    assert '<div lang="de" dir="ltr">' in html
    assert "Art. 6 Abs. 1 Buchst. e" in html
    assert '<p class="lang-notice">' in html
    assert '<p class="lang-notice">' not in read(demo, "datenschutz")


# -- search in the UI language ----------------------------------------------------------------------

def test_search_data_per_language(demo: Path) -> None:
    for lang in DEMO_LANGUAGES:
        folder = demo / ("" if lang == "de" else lang) / "suche"
        file = published(folder, "index.json")
        assert file.with_name(file.name + ".gz").is_file(), lang
    arabic = list(built_documents(demo, "ar/").values())
    german = list(built_documents(demo).values())
    translated = [d for d in arabic if "lang" not in d]
    assert len(translated) >= 20
    assert all(d["lang"] == "de" for d in arabic if "lang" in d) and len(translated) < len(arabic)
    assert all("lang" not in d for d in german)


@pytest.fixture(scope="module")
def demo_site(demo_loaded):  # type: ignore[no-untyped-def]
    return demo_loaded.site


@pytest.mark.parametrize(("lang", "text", "slug"), [
    ("ar", "Kinderzuschlag", "buergergeld-antragshilfe-hanau"),  # a German word from a letter, Arabic interface
    ("ar", "المواطن", "buergergeld-antragshilfe-hanau"),  # and an Arabic word of its translation
    ("en", "housing benefit", "buergergeld-antragshilfe-hanau"),
    ("tr", "Antragshilfe", "buergergeld-antragshilfe-hanau"),
    ("uk", "інтеграційний курс", "integrationskurs-vhs-hanau"),
])
def test_search_finds_translations_and_german_words(demo_site, demo_search_files, lang: str, text: str,  # type: ignore[no-untyped-def]
                                                    slug: str) -> None:
    index = ranking.built_files(demo_search_files, f"{lang}/")
    assert slug in query.ranked_slugs(demo_site, index, text, lang)[:3]  # the language's own word rules


# -- catalogs: fallback, overrides, and what check reports -----------------------------------------

def test_catalog_template_lists_every_text_in_the_code(tmp_path: Path) -> None:
    """messages.pot is current: scripts/catalogs was run after the last text changed."""
    out = tmp_path / "messages.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "--quiet", "extract", "-F",
                    str(ROOT / "scripts/babel.cfg"), "-k", "N_", "-k", "plural_forms:1,2", "-o", str(out), "."],
                   cwd=ROOT / "atlas", check=True)
    assert sorted(message_ids(out)) == sorted(message_ids(CATALOG_TEMPLATE))


def test_every_demo_language_has_every_text() -> None:
    config, _ = load_config(ROOT)
    assert config is not None
    catalogs, problems = load_catalogs(theme_folders(config), config.languages)
    assert problems == []
    for lang, catalog in catalogs.items():
        if lang != "de":
            assert [t for t in message_ids(CATALOG_TEMPLATE) if t not in catalog.messages] == [], lang


PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Zum Inhalt springen"
msgstr "Jump to the offers"

msgid "Suchen, z. B. Sprachkurs"
msgstr "Search, \\"e.g.\\" language course"
"""


def test_site_theme_overrides_single_texts_and_check_names_missing_ones(atlas: Callable[..., Path],
                                                                        cli: Callable[..., object],
                                                                        tmp_path: Path) -> None:
    project = atlas({"themes/eigen/locale/en.po": PO}, config=CONFIG.replace("languages: [de, en]",
                                                                             "languages: [de, en]\ntheme: eigen"))
    out = tmp_path / "out"
    result = cli("build", project, "-o", out)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    english = (out / "en/index.html").read_text(encoding="utf-8")
    assert ">Jump to the offers<" in english  # the site's word wins
    assert "Language support" in english  # the rest from atlas's own catalog
    offers = (out / "en/angebote/index.html").read_text(encoding="utf-8")
    assert 'placeholder="Search, &#34;e.g.&#34; language course"' in offers  # a quote cannot end the attribute

    # a language without any catalog shows German texts, and check says where
    project = atlas(config=CONFIG.replace("languages: [de, en]", "languages: [de, en, pl]"))
    result = cli("check", project)
    assert result.exit_code == 0
    count = len(message_ids(CATALOG_TEMPLATE))
    assert (f"atlas.yaml:3: warning: {count} interface texts are not translated into pl and show in German"
            in result.stderr)  # type: ignore[attr-defined]
    assert "atlas.yaml:3: warning: languages: 4 topics and audiences have no pl label and show in German: " \
        "sprachfoerderung, beratung, frauen, eltern" in result.stderr  # type: ignore[attr-defined]
    assert cli("check", project, "--strict").exit_code == 1  # type: ignore[attr-defined]


def test_broken_catalog_is_reported_with_its_file(atlas: Callable[..., Path], cli: Callable[..., object]) -> None:
    project = atlas({"themes/eigen/locale/en.po": 'msgid "a"\nmsgstr "b"\nmsgid\n'},
                    config=CONFIG.replace("languages: [de, en]", "languages: [de, en]\ntheme: eigen"))
    result = cli("check", project)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "themes/eigen/locale/en.po:2: this catalog cannot be read" in result.stderr  # type: ignore[attr-defined]


def test_catalog_falls_back_to_german() -> None:
    catalog = Catalog("en", {"Ort": ("Place", "Places"), "Suchen": "Search"})
    assert catalog.gettext("Suchen") == "Search"
    assert catalog.gettext("Ort") == "Place"  # a word that also has plural forms
    assert catalog.gettext("Unbekannt") == "Unbekannt"
    assert catalog.ngettext("%(num)d Akteur", "%(num)d Akteure", 2) == "%(num)d Akteure"
    assert catalog.plural_forms("Ort", "Orte") == {"one": "Place", "other": "Places"}


def test_translation_without_body_or_hours_note_shows_the_german_ones_marked(atlas: Callable[..., Path],
                                                                             cli: Callable[..., object],
                                                                             tmp_path: Path) -> None:
    project = atlas({"content/offers/sprachcafe.en.md": "---\ntitle: Language café\nsummary: Practise German.\n---\n"})
    out = tmp_path / "out"
    assert cli("build", project, "-o", out).exit_code == 0  # type: ignore[attr-defined]
    html = (out / "en/angebote/sprachcafe/index.html").read_text(encoding="utf-8")
    assert "<h1>Language café</h1>" in html and "lang-notice" not in html
    assert '<div class="body" lang="de" dir="ltr"><p>Wir sprechen <strong>Deutsch</strong>' in html
    assert '<p lang="de" dir="ltr">In den Ferien geschlossen.</p>' in html
