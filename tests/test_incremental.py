"""`atlas serve`'s incremental rebuilds write exactly what a clean `atlas build` writes."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest

from atlas.build import build
from atlas.errors import ContentError
from atlas.incremental import Incremental
from tests.conftest import CONFIG, RECORDS

TRANSLATION = """\
    ---
    title: Language café Hanau
    summary: Practise German over coffee and tea.
    ---
    We speak **German** together.
    """
NEW_OFFER = """\
    ---
    title: Nähcafé Maintal
    summary: Gemeinsam nähen und Deutsch sprechen.
    actor: caritas
    regions: [maintal]
    topics: [sprachfoerderung]
    reviewed: 2026-05-01
    ---
    Nähmaschinen sind da.
    """


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def write(project: Path, rel: str, text: str | None) -> None:
    path = project / rel
    if text is None:
        path.unlink()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    stat = path.stat()  # a later time, as an editor's save gives: the cache compares time and size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000_000))


def rebuild(live: Incremental) -> tuple[int, int]:
    return live.pages(), live.files()


def assert_same_as_clean_build(project: Path, live: Incremental, tmp_path: Path, name: str) -> None:
    clean = tmp_path / f"clean-{name}"
    build(project, clean, workers=1)
    expected, got = files_of(clean), files_of(live.output)
    assert sorted(got) == sorted(expected), name
    differing = [path for path in expected if expected[path] != got[path]]
    assert differing == [], name


STEPS: list[tuple[str, str, str | None]] = [
    ("retitle", "content/offers/sprachcafe.md",
     RECORDS["content/offers/sprachcafe.md"].replace("title: Sprachcafé Hanau", "title: Sprachcafé am Markt")),
    ("translate", "content/offers/sprachcafe.en.md", TRANSLATION),
    ("add", "content/offers/naehcafe.md", NEW_OFFER),
    ("other actor", "content/offers/naehcafe.md", NEW_OFFER.replace("actor: caritas", "actor: vhs")),
    ("rename actor", "content/actors/caritas.md",
     RECORDS["content/actors/caritas.md"].replace("Caritasverband Testkreis", "Caritas Testkreis")),
    ("template", "themes/hanau/templates/card.html", None),  # filled in below: the theme's own card
    ("footer", "themes/hanau/templates/footer.html", None),  # … and footer (rendered once, through shared())
    ("untranslate", "content/offers/sprachcafe.en.md", None),
    ("delete", "content/offers/migrationsberatung.md", None),
    ("settings", "atlas.yaml", CONFIG.replace("title: Testatlas", "title: Atlas Hanau")),
]


def test_a_series_of_changes_gives_the_clean_build(atlas, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    templates = Path(__file__).parent.parent / "atlas/themes/default/templates"
    card, footer = ((templates / name).read_text(encoding="utf-8") for name in ("card.html", "footer.html"))
    project = atlas({"themes/hanau/templates/card.html": card}, config=CONFIG + "theme: hanau\n")
    live = Incremental(project, tmp_path / "live")
    rebuild(live)
    assert_same_as_clean_build(project, live, tmp_path, "first")
    for name, rel, text in STEPS:
        if name == "template":
            text = card.replace('<p class="offer-card-meta">', '<p class="offer-card-meta meta">')
            assert text != card
        elif name == "footer":
            text = footer.replace('<footer class="site-footer">', '<footer class="site-footer hanau">')
            assert text != footer
        elif name == "settings":
            text = (text or "") + "theme: hanau\n"
        write(project, rel, text)
        previewed = live.preview({str(project / rel)}, lambda file: None)  # as `atlas serve`'s watcher
        pages, _ = rebuild(live)
        assert previewed + pages > 0, name  # the change reached pages in the first step
        assert_same_as_clean_build(project, live, tmp_path, name)


def test_only_the_pages_of_a_change_are_rendered(atlas, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    project = atlas()
    live = Incremental(project, tmp_path / "live")
    rebuild(live)
    before = dict(live.rendered)
    write(project, "content/offers/sprachcafe.md", RECORDS["content/offers/sprachcafe.md"].replace(
        "Wir sprechen", "Wir reden"))  # the body: only the offer's own page shows it
    first: list[int] = []
    written = live.pages(first.append)
    assert first == [2]  # the offer's own pages (German, English) were written before any list
    again = {file for file, value in live.rendered.items() if before.get(file) != value}
    # its own pages and those listing it are rendered again (a theme's card may show any field) …
    assert {"angebote/sprachcafe/index.html", "en/angebote/sprachcafe/index.html", "regionen/hanau/index.html",
            "en/akteure/vhs/index.html", "angebote/index.html"} <= again
    # … not the other offers' pages, nor lists without it, nor the start page
    assert again.isdisjoint({"angebote/migrationsberatung/index.html", "regionen/maintal/index.html",
                             "index.html", "en/index.html", "themen/beratung/index.html"})
    assert written == 2  # only the offer's pages show the body: the lists' bytes stay as they are
    live.files()
    assert_same_as_clean_build(project, live, tmp_path, "body")


def test_an_edited_offers_pages_come_first_and_step_one_finds_them_done(atlas, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    project = atlas()
    live = Incremental(project, tmp_path / "live")
    rebuild(live)
    offers = project / "content/offers"
    write(project, "content/offers/sprachcafe.md", RECORDS["content/offers/sprachcafe.md"].replace(
        "title: Sprachcafé Hanau", "title: Sprachcafé am Markt"))
    written: list[str] = []
    swap = offers / ".sprachcafe.md.swp"  # an editor's file beside the record
    assert live.preview({str(offers / "sprachcafe.md"), str(swap)}, written.append) == 2
    assert written == ["angebote/sprachcafe/index.html", "en/angebote/sprachcafe/index.html"]
    assert "Sprachcafé am Markt" in (live.output / written[1]).read_text(encoding="utf-8")
    first: list[int] = []
    assert live.pages(first.append) > 0  # the lists that name the offer
    assert first == [0]  # its own pages were as step 1 makes them
    before = files_of(live.output)
    assert live.files(lambda: True) is None  # a next save waits: step 2 stops, writes nothing, comes again
    assert files_of(live.output) == before
    live.files()
    assert_same_as_clean_build(project, live, tmp_path, "previewed")
    # other changes are step 1's: pages across the site, or pages that come or go
    for rel, text in [("content/actors/caritas.md", RECORDS["content/actors/caritas.md"].replace("Caritas", "AWO")),
                      ("content/offers/naehcafe.md", NEW_OFFER), ("content/offers/migrationsberatung.md", None),
                      ("atlas.yaml", CONFIG.replace("title: Testatlas", "title: Atlas Hanau"))]:
        write(project, rel, text)
        assert live.preview({str(project / rel)}, written.append) == 0, rel
    write(project, "content/offers/sprachcafe.md", RECORDS["content/offers/sprachcafe.md"].replace(
        "actor: vhs", "actor: awo"))  # an error: step 1 reports it
    assert live.preview({str(offers / "sprachcafe.md")}, written.append) == 0


def test_a_preview_shows_the_edited_offers_own_card(atlas, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A theme may list offers on an offer's page, the offer itself too: its card then shows the edit
    at once, not the card of the last rebuild."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    default = Path(__file__).parent.parent / "atlas/themes/default/templates/offer.html"
    template = default.read_text(encoding="utf-8").replace(
        "{% block main %}", "{% block main %}<div class=\"self\">{{ offer_cards([offer], 2) }}</div>", 1)
    project = atlas({"themes/hanau/templates/offer.html": template}, config=CONFIG + "theme: hanau\n")
    live = Incremental(project, tmp_path / "live")
    rebuild(live)
    page = live.output / "angebote/sprachcafe/index.html"
    assert page.read_text(encoding="utf-8").count("Sprachcafé Hanau</a>") == 1  # the card links its title
    write(project, "content/offers/sprachcafe.md", RECORDS["content/offers/sprachcafe.md"].replace(
        "title: Sprachcafé Hanau", "title: Sprachcafé am Markt"))
    assert live.preview({str(project / "content/offers/sprachcafe.md")}, lambda file: None) == 2
    html = page.read_text(encoding="utf-8")
    assert "Sprachcafé am Markt</a>" in html and "Sprachcafé Hanau</a>" not in html
    rebuild(live)
    assert_same_as_clean_build(project, live, tmp_path, "own card")


def test_an_edited_translation_is_previewed_in_its_language_first(atlas, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    project = atlas({"content/offers/sprachcafe.en.md": textwrap.dedent(TRANSLATION)})
    live = Incremental(project, tmp_path / "live")
    rebuild(live)
    kept = live.records.parsed["content/offers/sprachcafe.md"][1]
    write(project, "content/offers/sprachcafe.en.md", TRANSLATION.replace("Language café", "Conversation café"))
    written: list[str] = []
    assert live.preview({str(project / "content/offers/sprachcafe.en.md")}, written.append) == 2
    assert written == ["en/angebote/sprachcafe/index.html", "angebote/sprachcafe/index.html"]
    assert "Conversation café Hanau" in (live.output / written[0]).read_text(encoding="utf-8")
    assert live.records.parsed["content/offers/sprachcafe.md"][1] is kept  # only the edited file was checked
    rebuild(live)
    assert_same_as_clean_build(project, live, tmp_path, "translation")


def test_a_broken_record_keeps_the_folder_and_recovers(atlas, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    project = atlas()
    live = Incremental(project, tmp_path / "live")
    rebuild(live)
    good = files_of(live.output)
    offer = RECORDS["content/offers/sprachcafe.md"]
    write(project, "content/offers/sprachcafe.md", offer.replace("actor: vhs", "actor: vhs-hanau"))
    with pytest.raises(ContentError):
        live.pages()
    assert files_of(live.output) == good
    write(project, "content/offers/sprachcafe.md", offer.replace("Sprachcafé Hanau", "Sprachcafé Hanau-Mitte"))
    rebuild(live)
    assert_same_as_clean_build(project, live, tmp_path, "recovered")


def test_kept_records_are_checked_again_when_what_they_name_changes(atlas, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    project = atlas()
    live = Incremental(project, tmp_path / "live")
    rebuild(live)
    kept = live.loaded.site.offers["migrationsberatung"]  # type: ignore[union-attr]

    def unknown_actor() -> list[str]:
        with pytest.raises(ContentError) as raised:
            live.pages()
        return [p.message for p in raised.value.problems if "awo" in p.message]

    offer = RECORDS["content/offers/sprachcafe.md"]
    write(project, "content/offers/sprachcafe.md", offer.replace("actor: vhs", "actor: awo"))
    assert unknown_actor() == ['actor: unknown actor "awo"']
    assert live.records.parsed["content/offers/migrationsberatung.md"][1] is kept  # not checked again
    # the file stays as it is; the actor it names appears: the offer is checked again and passes
    write(project, "content/actors/awo.md", RECORDS["content/actors/caritas.md"].replace("Caritasverband", "AWO"))
    rebuild(live)
    assert live.loaded.site.offers["sprachcafe"].actor == "awo"  # type: ignore[union-attr]
    assert_same_as_clean_build(project, live, tmp_path, "new actor")
    write(project, "content/actors/awo.md", None)  # … and disappears: the unchanged offer is an error again
    assert unknown_actor() == ['actor: unknown actor "awo"']


def test_step_one_removes_the_pages_of_a_deleted_or_renamed_offer(atlas, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A deleted or renamed offer's pages answer 404 after step 1, not after step 2 (which a
    series of saves may keep interrupting)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    project = atlas()
    live = Incremental(project, tmp_path / "live")
    rebuild(live)
    offers = project / "content/offers"
    os.replace(offers / "sprachcafe.md", offers / "sprachtreff.md")
    write(project, "content/offers/migrationsberatung.md", None)
    told: list[str] = []
    live.on_written = told.append  # the page gate: a request held for a removed page goes now
    live.pages()
    assert {"angebote/sprachcafe/index.html", "angebote/migrationsberatung/index.html"} <= set(told)
    pages = set(files_of(live.output))
    assert {"angebote/sprachtreff/index.html", "en/angebote/sprachtreff/index.html"} <= pages
    assert pages.isdisjoint({"angebote/sprachcafe/index.html", "en/angebote/sprachcafe/index.html",
                             "angebote/migrationsberatung/index.html", "en/angebote/migrationsberatung/index.html"})
    live.files()
    assert_same_as_clean_build(project, live, tmp_path, "deleted and renamed")


def test_step_two_gives_way_within_its_long_parts(atlas, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save that comes while step 2 makes the search data, renders or writes the pages (seconds
    at 1,000 offers) stops it at the next language or page, or the next few hundred pages written:
    nothing written before the pages are, and every page names files that are there."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    monkeypatch.setattr("atlas.incremental.WRITTEN_BETWEEN_QUESTIONS", 16)
    project = atlas()
    live, probe = Incremental(project, tmp_path / "live"), Incremental(project, tmp_path / "probe")
    rebuild(live)
    rebuild(probe)
    write(project, "content/offers/sprachcafe.md", RECORDS["content/offers/sprachcafe.md"].replace(
        "title: Sprachcafé Hanau", "title: Sprachcafé am Markt"))  # the search data changes
    live.pages()
    probe.pages()
    asked: list[bool] = []
    probe.files(lambda: bool(asked.append(True)))  # how often step 2 asks
    pages = sum(1 for file in probe.written if file.endswith(".html"))
    languages = probe.loaded.site.config.languages  # type: ignore[union-attr]
    writing = -(-pages // 16)  # questions while writing the pages
    assert len(languages) > 1 and len(asked) == 2 + len(languages) + pages + writing
    before, assets = files_of(live.output), dict(live.assets)
    for stop_at in (2, 3, len(asked) - writing - pages // 2, len(asked) - writing):  # search data, pages
        answers = iter([False] * (stop_at - 1) + [True])
        assert live.files(lambda: next(answers)) is None, stop_at  # noqa: B023 (called before the loop goes on)
        assert files_of(live.output) == before and live.assets == assets, stop_at
    answers = iter([False] * (len(asked) - 2) + [True])  # amid writing the pages
    assert live.files(lambda: next(answers)) is None
    now = files_of(live.output)
    assert now != before and live.assets != assets
    named = {name for data in now.values() for name in re.findall(rb"[\w.-]+\.[0-9a-f]{10}\.\w+", data)}
    assert named and named <= {Path(file).name.encode() for file in now}
    live.pages()  # the save's step 1
    live.files()
    assert_same_as_clean_build(project, live, tmp_path, "gave way")


def test_step_one_writes_the_pages_requests_wait_for_first(atlas, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """An actor's edit changes its page and the pages of its offers (a thousand at Land scale):
    the page a reload waits for is written first, not when its turn comes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    project = atlas()
    live = Incremental(project, tmp_path / "live")
    rebuild(live)
    write(project, "content/actors/caritas.md",
          RECORDS["content/actors/caritas.md"].replace("Caritasverband Testkreis", "Caritas Testkreis"))
    told: list[str] = []
    live.on_written, live.wanted = told.append, lambda: {"en/akteure/caritas/index.html"}
    live.pages()
    assert told[0] == "en/akteure/caritas/index.html" and len(told) > 1
    assert told.count("en/akteure/caritas/index.html") == 1  # written once
    live.files()
    assert_same_as_clean_build(project, live, tmp_path, "wanted first")
