"""What a build produces and guarantees: pages, links, safety, determinism, atomic output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import published
from tests.test_search import built_documents


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((tag, value))


def _links(html: str) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def _page(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


@pytest.fixture
def built(atlas, cli, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    result = cli("build", atlas(), "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


def test_every_contract_page_exists(built: Path) -> None:
    for path in ["index.html", "angebote/index.html", "angebote/sprachcafe/index.html",
                 "akteure/vhs/index.html", "regionen/maintal/index.html", "themen/beratung/index.html",
                 "zielgruppen/frauen/index.html", "suche/index.html", "404.html", "sitemap.xml", "robots.txt"]:
        assert (built / path).is_file(), path


def test_every_internal_link_resolves_and_is_relative(built: Path) -> None:
    for file in built.rglob("*.html"):
        if file.name == "404.html":
            continue
        page_url = "https://host/sub/" + file.relative_to(built).as_posix()
        for tag, link in _links(file.read_text(encoding="utf-8")):
            parts = urlsplit(link)
            if parts.scheme in ("mailto", "tel") or (tag == "a" and parts.scheme in ("http", "https")):
                continue  # links out are fine; nothing is *loaded* from elsewhere
            if tag == "link" and link.startswith("https://atlas.example.org/hanau/"):
                continue  # rel=canonical names the page's public address; nothing is loaded
            assert not parts.scheme and not link.startswith("/"), f"{file}: {link} is not relative"
            target = urlsplit(urljoin(page_url, link)).path.removeprefix("/sub/")
            if target == "" or target.endswith("/"):
                target += "index.html"
            assert (built / target).is_file(), f"{file.relative_to(built)} links to missing {link}"


def test_404_page_links_from_the_sites_root_path(built: Path) -> None:
    # base_url is https://atlas.example.org/hanau/: the 404 page is shown at any depth
    links = dict((link, tag) for tag, link in _links(_page(built, "404.html")))
    assert [link for link in links if re.fullmatch(r"/hanau/css/atlas\.[0-9a-f]{10}\.css", link)]
    assert "/hanau/angebote/" in links


def test_offer_page_shows_every_field(built: Path) -> None:
    html = _page(built, "angebote/sprachcafe/index.html")
    for text in ["Sprachcafé Hanau", "Deutsch sprechen üben", "Volkshochschule Hanau", "Caritasverband Testkreis",
                 "Sprachförderung", "Frauen", "kostenlos", "ohne Anmeldung", "Dienstag", "Donnerstag",
                 "15:00–17:00 Uhr", "In den Ferien geschlossen.", "Stadtteilzentrum", "Barrierefrei zugänglich",
                 'href="tel:06990009101"', 'href="mailto:cafe@vhs.example.org"',
                 'Zuletzt geprüft am <time datetime="2026-03-01">1. März 2026</time>',
                 "<strong>Deutsch</strong>"]:
        assert text in html, text
    # languages by their own names, marked with their language
    assert '<bdi lang="tr" dir="ltr">Türkçe</bdi> (Türkisch)' in html
    assert '<bdi lang="ar" dir="rtl">العربية</bdi> (Arabisch)' in html


def test_offer_page_carries_schema_org_service(built: Path) -> None:
    html = _page(built, "angebote/sprachcafe/index.html")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["@type"] == "Service"
    assert data["provider"]["name"] == "Volkshochschule Hanau"
    assert data["areaServed"] == [{"@type": "AdministrativeArea", "name": "Hanau"}]
    assert [lang["alternateName"] for lang in data["availableLanguage"]] == ["de", "tr", "ar"]
    assert data["hoursAvailable"][0]["dayOfWeek"] == ["https://schema.org/Tuesday", "https://schema.org/Thursday"]
    assert data["isAccessibleForFree"] is True
    assert data["url"] == "https://atlas.example.org/hanau/angebote/sprachcafe/"


def test_region_page_includes_offers_of_enclosing_regions(built: Path) -> None:
    maintal = _page(built, "regionen/maintal/index.html")
    assert "Migrationsberatung" in maintal  # kreisweit
    assert "Sprachcafé Hanau" not in maintal  # Hanau only
    kreis = _page(built, "regionen/main-kinzig-kreis/index.html")
    assert "Sprachcafé Hanau" in kreis and "Migrationsberatung" in kreis
    assert 'href="../../regionen/maintal/"' in kreis  # links to sub-regions


def test_actor_page_lists_own_and_partner_offers(built: Path) -> None:
    caritas = _page(built, "akteure/caritas/index.html")
    assert "Migrationsberatung" in caritas
    assert "Als Partner beteiligt an" in caritas and "Sprachcafé Hanau" in caritas


def test_sitemap_and_robots_use_base_url(built: Path) -> None:
    sitemap = _page(built, "sitemap.xml")
    assert "<loc>https://atlas.example.org/hanau/angebote/sprachcafe/</loc>" in sitemap
    assert "<lastmod>2026-03-01</lastmod>" in sitemap
    assert "404" not in sitemap
    assert "Sitemap: https://atlas.example.org/hanau/sitemap.xml" in _page(built, "robots.txt")


HOSTILE = """\
---
title: <img src=x onerror=alert(1)>
summary: <script>alert("summary")</script>
actor: vhs
regions: [hanau]
topics: [beratung]
contact: {website: "https://ok.example.org/\\"><script>alert(3)</script>"}
reviewed: 2026-01-01
---
Hallo <script>alert(2)</script> <a href="javascript:alert(4)">klick</a>
<img src="https://tracker.example.com/pixel.gif" alt="t"> <img src="//cdn.example.com/a.png" alt="u">
<iframe src="https://evil.example.com/"></iframe> <p onclick="alert(5)" style="color:red">Text</p>
<img src="data:image/png;base64,AAAA" alt="d">
"""


def test_untrusted_content_cannot_inject_script(atlas, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = atlas({"content/offers/boese.md": HOSTILE})
    out = tmp_path / "out"
    result = cli("build", project, "-o", out)
    # the contact website is not a valid address: reported, nothing built
    assert result.exit_code == 1
    assert result.stderr == ('content/offers/boese.md:7: contact.website: "https://ok.example.org/"><script>alert(3)'
                             '</script>" must be a full address starting with https://\n')
    (project / "content/offers/boese.md").write_text(HOSTILE.replace("contact:", "# contact:"), encoding="utf-8")
    assert cli("build", project, "-o", out).exit_code == 0
    jsonld = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
    for file in out.rglob("*.html"):
        html = file.read_text(encoding="utf-8")
        for block in jsonld.findall(html):
            assert "<" not in block  # Jinja's tojson escapes it, so no </script> can end the block
        html = jsonld.sub("", html)
        # the only scripts are the site's own files, loaded by src; nothing inline
        local = re.compile(r'<script src="(\.\./|/hanau/)*js/[a-z-]+\.[0-9a-f]{10}\.js" defer></script>')
        assert "<script" not in local.sub("", html)
        # as text, or percent-encoded inside the "Änderung vorschlagen" link: inert either way
        assert "onerror" not in html.replace("onerror=alert(1)&gt;", "").replace("%20onerror%3D", "")
        for bad in ["<img src=x", "javascript:", "<iframe", "onclick", "tracker.example.com",
                    "cdn.example.com", "data:image"]:
            assert bad not in html, f"{file}: {bad}"
    offer = _page(out, "angebote/boese/index.html")
    assert "&lt;img src=x onerror=alert(1)&gt;" in offer  # shown as text
    assert "<p>Text</p>" in offer


def test_same_content_gives_byte_identical_output(atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # separate interpreters with different hash seeds: no set order may leak into the output
    project = atlas()
    trees = []
    for seed in ["1", "2"]:
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1790000000"}
        subprocess.run([sys.executable, "-m", "atlas", "build", str(project), "-o", str(out)], env=env, check=True,
                       capture_output=True)
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert trees[0] == trees[1]


def test_output_is_swapped_in_whole(atlas, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project, out = atlas(), tmp_path / "out"
    assert cli("build", project, "-o", out).exit_code == 0
    (out / "stale.html").write_text("from an earlier build")
    assert cli("build", project, "-o", out).exit_code == 0
    assert not (out / "stale.html").exists()  # the new build replaced the folder, not merged into it
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []  # no staging left over


def test_output_folder_that_is_not_a_build_is_refused(atlas, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = atlas()
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "letter.txt").write_text("keep me")
    result = cli("build", project, "-o", precious)
    assert result.exit_code == 1
    assert "is not an atlas build (it holds no .atlas-build written by atlas); refusing to replace it" in result.stderr
    assert (precious / "letter.txt").read_text() == "keep me"
    assert cli("build", project, "-o", project).exit_code == 1  # never the project itself


def test_site_theme_overrides_single_files(atlas, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import CONFIG

    project = atlas(config=CONFIG + "theme: hanau\n")
    (project / "themes/hanau/static/css").mkdir(parents=True)
    (project / "themes/hanau/static/css/brand.css").write_text(":root { --brand: #c00000; }")
    (project / "themes/hanau/templates").mkdir()
    (project / "themes/hanau/templates/404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Hier ist nichts</h1>{% endblock %}')
    out = tmp_path / "out"
    assert cli("build", project, "-o", out).exit_code == 0
    assert published(out, "css/brand.css").read_text() == ":root { --brand: #c00000; }"
    assert "Hier ist nichts" in _page(out, "404.html")
    assert "Sprachcafé Hanau" in _page(out, "angebote/index.html")  # the rest from the default theme
    assert "--text:" in published(out, "css/atlas.css").read_text()


def test_card_titles_take_their_level_in_atlas_card_and_in_a_theme_card(atlas, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import CONFIG

    out = tmp_path / "out"  # atlas's own card.html: rendered once, its level set per list
    assert cli("build", atlas(), "-o", out).exit_code == 0
    topic, actor = _page(out, "themen/sprachfoerderung/index.html"), _page(out, "akteure/vhs/index.html")
    assert '<h2 class="offer-card-title"><a href="../../angebote/sprachcafe/"' in topic
    assert '<h3 class="offer-card-title"><a href="../../angebote/sprachcafe/"' in actor
    assert "<level>" not in topic + actor
    project = atlas(config=CONFIG + "theme: hanau\n")  # a theme's own card may use the level as a number
    (project / "themes/hanau/templates").mkdir(parents=True)
    (project / "themes/hanau/templates/card.html").write_text(
        '<li class="{{ "big" if level == 2 else "small" }}">{{ level + 1 }}</li>')
    assert cli("build", project, "-o", tmp_path / "own").exit_code == 0
    assert '<li class="big">3</li>' in _page(tmp_path / "own", "themen/sprachfoerderung/index.html")
    assert '<li class="small">4</li>' in _page(tmp_path / "own", "akteure/vhs/index.html")


@pytest.mark.parametrize("reads_page", ['{{ page.title }}', '{% include "page-title.html" %}'])
def test_a_theme_partial_that_reads_the_page_is_imported_for_each_page(atlas, cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                         reads_page: str) -> None:
    """partials.html, imported with context, is made once per language and link depth when it (and what it
    includes) reads only what all those pages share (atlas.templates._Template.make_module); a theme's own that
    reads the page, itself or through a template it includes, is made for each page."""
    from tests.conftest import CONFIG

    project = atlas(config=CONFIG + "theme: hanau\n")
    default = (Path(__file__).parent.parent / "atlas/themes/default/templates/partials.html").read_text()
    assert '<p class="suggest">' in default
    (project / "themes/hanau/templates").mkdir(parents=True)
    (project / "themes/hanau/templates/page-title.html").write_text("{{ page.title }}")
    (project / "themes/hanau/templates/partials.html").write_text(
        default.replace('<p class="suggest">', f'<p class="suggest" data-page="{reads_page}">'))
    out = tmp_path / "out"
    assert cli("build", project, "-o", out).exit_code == 0
    for slug, title in (("sprachcafe", "Sprachcafé Hanau"), ("migrationsberatung", "Migrationsberatung")):
        assert f'<p class="suggest" data-page="{title}">' in _page(out, f"angebote/{slug}/index.html")


def test_a_title_holding_the_route_stand_in_is_kept_as_written(atlas, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The head and header are rendered once per language and depth with a stand-in for the page's route
    (render.py: shared_block); a site title that holds the stand-in's letters stays as written."""
    from atlas.render import _ROUTE
    from tests.conftest import CONFIG

    project = atlas(config=CONFIG.replace("title: Testatlas", f"title: Testatlas {_ROUTE}"))
    out = tmp_path / "out"
    assert cli("build", project, "-o", out).exit_code == 0
    page = _page(out, "angebote/sprachcafe/index.html")
    assert f'<span lang="de" dir="ltr">Testatlas {_ROUTE}</span>' in page
    assert 'hreflang="en" dir="ltr">English</a>' in page and 'href="../../en/angebote/sprachcafe/"' in page


def test_template_error_in_an_override_names_file_and_line(atlas, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import CONFIG

    project = atlas(config=CONFIG + "theme: hanau\n")
    (project / "themes/hanau/templates").mkdir(parents=True)
    (project / "themes/hanau/templates/404.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ oops( }}\n')
    result = cli("build", project, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.startswith("themes/hanau/templates/404.html:3: template error:")


def test_search_documents_list_published_offers(built: Path) -> None:
    docs = list(built_documents(built).values())  # the document pages with each offer's filter data
    assert [d["url"] for d in docs] == ["angebote/migrationsberatung/", "angebote/sprachcafe/"]
    assert docs[1]["places"] == ["Hanau"] and docs[1]["kostenlos"] is True
    # a region filter finds what the region's page shows: Maintal gets the Kreis-wide offer
    assert docs[0]["region"] == ["hanau", "main-kinzig-kreis", "maintal"]
    assert docs[1]["region"] == ["hanau", "main-kinzig-kreis"]


def test_what_an_offers_pages_show_alike_is_kept_only_for_another_language(demo_loaded) -> None:  # type: ignore[no-untyped-def]
    from atlas.jsonld import JsonLdScripts

    site = demo_loaded.site
    offer = next(iter(site.offers.values()))
    kept, alone = JsonLdScripts(site), JsonLdScripts(site, keep=False)  # a one-language atlas's renderer
    for lang in ("de", "en", "de"):
        assert kept.script(offer, lang) == alone.script(offer, lang)
    assert list(kept._same) == [offer.slug] and alone._same == {}
    assert kept.script(offer, "en") != kept.script(offer, "de")  # the page language's members are its own
