"""Die Bestandsaufnahme (contract §5): counts on a scratch atlas equal counts made by hand, the CSV
bytes, the page's tables, gap marking and search links, and the charts."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from atlas import build as atlas_build
from atlas.build import build
from atlas.charts import SERIES, TEXT, WIDTH, bar_chart
from atlas.inventory import inventory_files, take_inventory
from tests.conftest import CONFIG
from tests.test_search import built_documents

TODAY = date(2026, 9, 21)  # the cli fixture's SOURCE_DATE_EPOCH
# Beside conftest's atlas (Sprachcafé in Hanau; Migrationsberatung for the whole Kreis): an Ortsteil
# of Hanau, two more places, an offer for an Ortsteil and one for two places that is due for review
RECORDS = {
    "content/regions/hanau-lamboy.md": "---\nname: Lamboy\nkind: ortsteil\nparent: hanau\n---\n",
    "content/regions/rodenbach.md": "---\nname: Rodenbach\nkind: gemeinde\nparent: main-kinzig-kreis\n---\n",
    "content/regions/erlensee.md": "---\nname: Erlensee\nkind: stadt\nparent: main-kinzig-kreis\n---\n",
    "content/actors/integrationsbuero.md": "---\nname: Büro für Integration\nkind: behoerde\nregions: [hanau]\n---\n",
    "content/offers/elterncafe-lamboy.md": """\
        ---
        title: Elterncafé Lamboy
        summary: Eltern treffen sich und fragen nach.
        actor: caritas
        partners: [vhs, integrationsbuero]
        regions: [hanau-lamboy]
        topics: [beratung, sprachfoerderung]
        audiences: [eltern]
        languages: [de, ar]
        cost: free
        reviewed: 2026-05-01
        ---
        """,
    "content/offers/deutschkurs.md": """\
        ---
        title: Deutschkurs am Abend
        summary: Deutsch lernen in Maintal und Rodenbach.
        actor: caritas
        partners: [vhs]
        regions: [maintal, rodenbach]
        topics: [sprachfoerderung]
        reviewed: 2025-01-15
        ---
        """,
}
TOPICS_CSV = b"""\
region,topic,offers
erlensee,sprachfoerderung,0
erlensee,beratung,1
hanau,sprachfoerderung,2
hanau,beratung,2
maintal,sprachfoerderung,1
maintal,beratung,1
rodenbach,sprachfoerderung,1
rodenbach,beratung,1
hanau-lamboy,sprachfoerderung,2
hanau-lamboy,beratung,2
main-kinzig-kreis,sprachfoerderung,3
main-kinzig-kreis,beratung,2
"""


@pytest.fixture
def built(atlas: Callable[..., Path], cli, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    result = cli("build", atlas(RECORDS), "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    return tmp_path / "out"


def test_counts_equal_the_counts_made_by_hand(atlas: Callable[..., Path]) -> None:
    site = build(atlas(RECORDS), on=TODAY).site
    inv = take_inventory(site, TODAY, 365)
    assert inv.places == ("erlensee", "hanau", "maintal", "rodenbach")  # Städte and Gemeinden, alphabetical
    assert inv.districts == ("hanau-lamboy",)
    assert inv.kreise == ("main-kinzig-kreis",)
    topics = {(r, t): inv.topics.count(r, t) for r in inv.topics.rows for t in inv.topics.columns}
    assert topics == {
        # Hanau: its Sprachcafé, the Elterncafé of its Ortsteil, the Kreis's Migrationsberatung
        ("hanau", "sprachfoerderung"): 2, ("hanau", "beratung"): 2,
        # Lamboy: its Elterncafé, Hanau's Sprachcafé, the Kreis's Migrationsberatung
        ("hanau-lamboy", "sprachfoerderung"): 2, ("hanau-lamboy", "beratung"): 2,
        # the offer for two places counts in both
        ("maintal", "sprachfoerderung"): 1, ("maintal", "beratung"): 1,
        ("rodenbach", "sprachfoerderung"): 1, ("rodenbach", "beratung"): 1,
        ("erlensee", "sprachfoerderung"): 0, ("erlensee", "beratung"): 1,  # only the Kreis's offer
        ("main-kinzig-kreis", "sprachfoerderung"): 3, ("main-kinzig-kreis", "beratung"): 2,
    }
    assert inv.topics.totals == {"sprachfoerderung": 3, "beratung": 2}
    assert inv.topics.empty_cells(inv.places) == 1
    assert dict(inv.audiences.counts) == {("frauen", "sprachfoerderung"): 1, ("eltern", "beratung"): 1,
                                          ("eltern", "sprachfoerderung"): 1, ("", "beratung"): 1,
                                          ("", "sprachfoerderung"): 1}
    assert inv.languages.columns == ("de", "tr", "ar", "")  # German first, then by own name; "": not given
    assert [inv.languages.count("hanau", c) for c in inv.languages.columns] == [2, 1, 2, 1]
    assert [inv.languages.count("maintal", c) for c in inv.languages.columns] == [0, 0, 0, 2]
    assert [inv.costs.count("hanau", c) for c in ("free", "paid", "unknown")] == [2, 1, 0]
    assert [inv.costs.count("maintal", c) for c in ("free", "paid", "unknown")] == [0, 1, 1]
    assert (inv.review.total, inv.review.due, inv.review.percent) == (4, 1, 25)
    assert inv.review.by_actor == (("caritas", 3, 1),)
    assert inv.network.pairs == (("caritas", "vhs", 3), ("integrationsbuero", "caritas", 1),
                                 ("integrationsbuero", "vhs", 1))
    assert inv.network.partners == (("integrationsbuero", ("caritas", "vhs")),
                                    ("caritas", ("integrationsbuero", "vhs")),
                                    ("vhs", ("integrationsbuero", "caritas")))


def test_review_after_days_comes_from_the_config_when_it_has_it(atlas: Callable[..., Path], tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    site = build(atlas(RECORDS), on=TODAY).site
    assert take_inventory(site, TODAY, 150).review.due == 4 - 1  # only the Elterncafé (May) is recent enough
    assert take_inventory(site, TODAY, 1000).review.due == 0
    # atlas.yaml's review_after_days (added in parallel work) is read when Config has it, else 365
    load = atlas_build.load_config

    def with_days(project: Path):  # type: ignore[no-untyped-def]
        config, problems = load(project)
        object.__setattr__(config, "review_after_days", 150)
        return config, problems

    monkeypatch.setattr(atlas_build, "load_config", with_days)
    build(atlas(RECORDS), tmp_path / "out", on=TODAY)
    assert (tmp_path / "out/bestandsaufnahme/pruefung-akteure.csv").read_bytes() == \
        b"actor,offers,due\ncaritas,3,2\nvhs,1,1\n"


def test_csv_files(built: Path) -> None:
    folder = built / "bestandsaufnahme"
    assert (folder / "themen-regionen.csv").read_bytes() == TOPICS_CSV
    assert (folder / "netzwerk.csv").read_bytes() == (b"actor,partner,offers\ncaritas,vhs,3\n"
                                                      b"integrationsbuero,caritas,1\nintegrationsbuero,vhs,1\n")
    assert (folder / "pruefung-akteure.csv").read_bytes() == b"actor,offers,due\ncaritas,3,1\n"
    costs = (folder / "kosten-regionen.csv").read_text().splitlines()
    assert costs[0] == "region,cost,offers" and "hanau,free,2" in costs and "maintal,unknown,1" in costs
    audiences = (folder / "zielgruppen-themen.csv").read_text().splitlines()
    assert audiences[0] == "audience,topic,offers" and ",beratung,1" in audiences and "frauen,beratung,0" in audiences
    languages = (folder / "sprachen-regionen.csv").read_text().splitlines()
    assert "hanau,ar,2" in languages and "hanau,,1" in languages
    assert sorted(p.name for p in folder.iterdir()) == ["index.html", "kosten-regionen.csv", "netzwerk.csv",
                                                        "pruefung-akteure.csv", "sprachen-regionen.csv",
                                                        "themen-regionen.csv", "zielgruppen-themen.csv"]
    assert not (built / "en/bestandsaufnahme/themen-regionen.csv").exists()  # one copy; every language links it


class _Tables(HTMLParser):
    """Every table: its caption, and per row the header cell and the cells as (text, href, class);
    with the attributes of the element around it."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []  # type: ignore[type-arg]
        self.stack: list[dict] = []  # type: ignore[type-arg]
        self.cell: dict | None = None  # type: ignore[type-arg]
        self.in_caption = False
        self.wrapper: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "div" and a.get("class") == "table-scroll":
            self.wrapper = a
        elif tag == "table":
            self.tables.append({"caption": "", "caption_id": None, "rows": [], "wrapper": self.wrapper})
            self.wrapper = {}
        elif tag == "caption":
            self.in_caption = True
            self.tables[-1]["caption_id"] = a.get("id")
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self.cell = {"tag": tag, "text": "", "href": None, "class": a.get("class"), "scope": a.get("scope")}
            self.tables[-1]["rows"][-1].append(self.cell)
        elif tag == "a" and self.cell is not None and self.cell["href"] is None:
            self.cell["href"] = a.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self.in_caption = False
        elif tag in ("td", "th"):
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.in_caption:
            self.tables[-1]["caption"] += data
        elif self.cell is not None:
            self.cell["text"] += data


def tables(html: str) -> dict[str, list[list[dict]]]:  # type: ignore[type-arg]
    parser = _Tables()
    parser.feed(html)
    return {t["caption"].strip(): t for t in parser.tables}


def test_tables_are_real_tables_in_labelled_scrolling_regions(built: Path) -> None:
    for page in ("bestandsaufnahme/index.html", "en/bestandsaufnahme/index.html"):
        found = tables((built / page).read_text())
        assert len(found) >= 6, page
        for caption, table in found.items():
            wrapper = table["wrapper"]
            assert wrapper.get("role") == "region" and wrapper.get("tabindex") == "0", caption
            assert wrapper.get("aria-labelledby") == table["caption_id"], caption
            header, *body = table["rows"]
            assert all(c["tag"] == "th" and c["scope"] == "col" for c in header), caption
            assert all(row[0]["tag"] == "th" and row[0]["scope"] == "row" for row in body), caption


def test_gaps_stand_out_and_counts_link_to_the_matching_search(built: Path) -> None:
    html = (built / "bestandsaufnahme/index.html").read_text()
    table = tables(html)["Angebote je Thema in den Städten und Gemeinden"]
    rows = {row[0]["text"].strip(): row[1:] for row in table["rows"][1:]}
    assert list(rows) == ["Erlensee", "Hanau", "Maintal", "Rodenbach", "Alle Angebote"]
    gap = rows["Erlensee"][0]
    assert (gap["class"], gap["href"], gap["text"]) == ("gap", None, "0 (kein Angebot)")  # text, not colour alone
    assert 'class="legend"><span class="gap">0</span>' in html  # the visible legend
    assert [(c["text"], c["href"]) for c in rows["Hanau"][:2]] == [
        ("2", "../suche/?region=hanau&thema=sprachfoerderung"), ("2", "../suche/?region=hanau&thema=beratung")]
    assert rows["Alle Angebote"][0]["href"] == "../suche/?thema=sprachfoerderung"
    assert [c["class"] for c in rows["Erlensee"][1:]] == [None, "gaps"]  # beratung 1; one topic without offer
    districts = tables(html)["Angebote je Thema in den Stadtteilen"]
    assert [row[0]["text"].strip() for row in districts["rows"][1:]] == ["Lamboy"]
    english = (built / "en/bestandsaufnahme/index.html").read_text()
    cell = tables(english)["Offers per topic in the towns and municipalities"]["rows"][2][1]
    assert urljoin("https://a.example/en/bestandsaufnahme/", cell["href"]) == \
        "https://a.example/en/suche/?region=hanau&thema=sprachfoerderung"  # the search in the page's language


def test_every_linked_count_is_the_number_of_search_results(built: Path) -> None:
    """What the search page does with the same filters (search-worker.js: any value within a group,
    every group), on the same filter data."""
    docs = list(built_documents(built).values())
    checked = 0
    for table in tables((built / "bestandsaufnahme/index.html").read_text()).values():
        for row in table["rows"]:
            for cell in row:
                if cell["tag"] != "td" or not (cell["href"] or "").startswith("../suche/?"):
                    continue
                query = parse_qs(urlsplit(cell["href"]).query)
                found = [d for d in docs if all(
                    d["kostenlos"] if group == "kostenlos" else set(values) & set(d[group])
                    for group, values in query.items())]
                assert len(found) == int(cell["text"]), cell["href"]
                checked += 1
    assert checked >= 20  # topics, audiences, languages, cost: every kind of link


def test_footer_of_every_page_links_the_inventory(built: Path) -> None:
    for page in ("index.html", "angebote/sprachcafe/index.html", "en/regionen/hanau/index.html"):
        html = (built / page).read_text()
        footer = html[html.index('<footer class="site-footer">'):]
        target = re.search(r'href="([^"]*bestandsaufnahme/)"', footer)
        assert target is not None, page
        assert urljoin("https://a.example/" + page, target.group(1)).endswith(
            ("/en/" if page.startswith("en/") else "/") + "bestandsaufnahme/")


def test_the_build_is_deterministic(atlas: Callable[..., Path], cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = atlas(RECORDS)
    outputs = []
    for name in ("one", "two"):
        assert cli("build", project, "-o", tmp_path / name).exit_code == 0
        folder = tmp_path / name
        outputs.append({p.relative_to(folder).as_posix(): p.read_bytes()
                        for p in sorted(folder.rglob("*")) if "bestandsaufnahme" in p.as_posix() and p.is_file()})
    assert len(outputs[0]) == 8 and outputs[0] == outputs[1]


def test_inventory_is_computed_from_the_site_alone(atlas: Callable[..., Path]) -> None:
    site = build(atlas(RECORDS), on=TODAY).site
    first, again = take_inventory(site, TODAY, 365), take_inventory(site, TODAY, 365)
    assert first == again and inventory_files(first) == inventory_files(again)


# -- charts ------------------------------------------------------------------------------------------

def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_chart_colours_pass_contrast_against_white() -> None:
    for colour, _ in SERIES:
        assert 1.05 / (_luminance(colour) + 0.05) >= 3, colour  # graphics: 3:1
    assert 1.05 / (_luminance(TEXT) + 0.05) >= 4.5  # text
    assert len({kind for _, kind in SERIES}) == len(SERIES)  # each series has its own pattern, not only a colour


def test_chart_is_hidden_beside_its_table_and_mirrors_in_rtl() -> None:
    ltr = str(bar_chart("c", [("Hanau", (3, 1)), ("Maintal", (0, 2))]))
    rtl = str(bar_chart("c", [("Hanau", (3, 1)), ("Maintal", (0, 2))], rtl=True))
    assert ltr.startswith("<svg") and 'aria-hidden="true"' in ltr and "<script" not in ltr
    assert 'direction="rtl"' in rtl and 'direction="rtl"' not in ltr
    bars = [re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg) for svg in (ltr, rtl)]
    assert len(bars[0]) == len(bars[1]) == 3  # Maintal's 0 draws nothing
    for (x, w), (mirrored, same) in zip(bars[0], bars[1], strict=True):
        assert w == same and abs(float(mirrored) - (WIDTH - float(x) - float(w))) < 0.2
    assert 'fill="url(#c-p1)"' in ltr and "<pattern id=\"c-p1\"" in ltr  # the second series is striped
    assert ">4</text>" in ltr and ">2</text>" in ltr  # every bar says its number
    assert ltr == str(bar_chart("c", [("Hanau", (3, 1)), ("Maintal", (0, 2))]))  # deterministic


def test_arabic_page_is_translated_and_its_charts_mirrored(atlas: Callable[..., Path], tmp_path: Path) -> None:
    project = atlas(RECORDS, config=CONFIG.replace("languages: [de, en]", "languages: [de, en, ar]"))
    build(project, tmp_path / "out", on=TODAY)
    html = (tmp_path / "out/ar/bestandsaufnahme/index.html").read_text()
    assert '<html lang="ar" dir="rtl">' in html and "<h1>الجرد</h1>" in html
    charts = re.findall(r"<svg [^>]*class=\"chart\"[^>]*>", html)
    assert len(charts) == 6 and all('direction="rtl"' in svg for svg in charts)
    assert tables(html)["الخدمات حسب الموضوع في المدن والبلديات"]["rows"][2][1]["href"] == \
        "../suche/?region=hanau&thema=sprachfoerderung"  # ar/suche/: the Arabic search
