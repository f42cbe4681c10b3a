"""The Atom feeds: /feed.xml and /<lang>/feed.xml (contract §5)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import pytest

from atlas import feeds

NS = {"a": "http://www.w3.org/2005/Atom"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BASE = "https://atlas.example.org/hanau/"

TRANSLATION = """\
    ---
    title: Language café Hanau
    summary: Practise German over coffee and tea.
    ---
    """


def _offer(title: str, reviewed: str, actor: str = "caritas") -> str:
    return f"""\
        ---
        title: {title}
        summary: Kurz gesagt.
        actor: {actor}
        regions: [hanau]
        topics: [beratung]
        reviewed: {reviewed}
        ---
        """


@pytest.fixture
def built(atlas, cli, tmp_path: Path):  # type: ignore[no-untyped-def]
    def build(records: dict[str, str | None] | None = None, out: str = "out") -> Path:
        project = atlas({"content/offers/sprachcafe.en.md": TRANSLATION, **(records or {})})
        result = cli("build", project, "-o", tmp_path / out)
        assert result.exit_code == 0, result.stderr
        return tmp_path / out

    return build


def _feed(out: Path, path: str = "feed.xml") -> ET.Element:
    return ET.parse(out / path).getroot()


def _entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall("a:entry", NS)


def test_feed_is_valid_atom_with_absolute_self_link(built) -> None:  # type: ignore[no-untyped-def]
    feed = _feed(built())
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.get(XML_LANG) == "de"
    assert feed.findtext("a:id", namespaces=NS) == BASE + "feed.xml"
    assert feed.findtext("a:title", namespaces=NS) == "Testatlas – neue und geprüfte Angebote"
    self_link = feed.find("a:link[@rel='self']", NS)
    assert self_link is not None and self_link.get("href") == BASE + "feed.xml"
    assert self_link.get("type") == "application/atom+xml"
    # the newest reviewed date of the offers, not the build day (2026-09-21)
    assert feed.findtext("a:updated", namespaces=NS) == "2026-03-01T00:00:00Z"
    for entry in _entries(feed):  # RFC 4287 4.1.2: id, title, updated; an author as the feed has none
        for child in ("id", "title", "updated", "author/a:name", "summary", "link"):
            assert entry.find(f"a:{child}", NS) is not None, child


def test_entries_newest_reviewed_first_ties_alphabetical(built) -> None:  # type: ignore[no-untyped-def]
    out = built({"content/offers/zumba.md": _offer("Zumba für alle", "2026-02-01"),
                 "content/offers/abend.md": _offer("Abendkurs", "2026-02-01", "vhs")})
    entries = _entries(_feed(out))
    titles = [e.findtext("a:title", namespaces=NS) for e in entries]
    assert titles == ["Sprachcafé Hanau", "Abendkurs", "Migrationsberatung", "Zumba für alle"]
    assert [e.findtext("a:updated", namespaces=NS) for e in entries] == [
        "2026-03-01T00:00:00Z", "2026-02-01T00:00:00Z", "2026-02-01T00:00:00Z", "2026-02-01T00:00:00Z"]
    first = entries[0]
    assert first.findtext("a:id", namespaces=NS) == BASE + "angebote/sprachcafe/"
    assert first.find("a:link", NS).get("href") == BASE + "angebote/sprachcafe/"  # type: ignore[union-attr]
    assert first.findtext("a:author/a:name", namespaces=NS) == "Volkshochschule Hanau"
    assert first.findtext("a:summary", namespaces=NS) == "Deutsch sprechen üben bei Kaffee und Tee."
    assert first.find("a:category", NS).get("label") == "Sprachförderung"  # type: ignore[union-attr]


def test_feed_per_language_with_translations_and_marked_german(built) -> None:  # type: ignore[no-untyped-def]
    out = built()
    feed = _feed(out, "en/feed.xml")
    assert feed.get(XML_LANG) == "en"
    assert feed.findtext("a:id", namespaces=NS) == BASE + "en/feed.xml"
    assert feed.find("a:link[@rel='self']", NS).get("href") == BASE + "en/feed.xml"  # type: ignore[union-attr]
    assert feed.findtext("a:title", namespaces=NS) == "Testatlas – new and reviewed offers"
    translated, german = _entries(feed)
    assert translated.findtext("a:id", namespaces=NS) == BASE + "en/angebote/sprachcafe/"
    assert translated.findtext("a:title", namespaces=NS) == "Language café Hanau"
    assert translated.find("a:title", NS).get(XML_LANG) is None  # type: ignore[union-attr]
    assert translated.findtext("a:summary", namespaces=NS) == "Practise German over coffee and tea."
    assert translated.find("a:category", NS).get("label") == "Language support"  # type: ignore[union-attr]
    assert german.findtext("a:title", namespaces=NS) == "Migrationsberatung"
    assert german.find("a:title", NS).get(XML_LANG) == "de"  # type: ignore[union-attr]
    assert german.find("a:summary", NS).get(XML_LANG) == "de"  # type: ignore[union-attr]
    assert german.find("a:link", NS).get("href") == BASE + "en/angebote/migrationsberatung/"  # type: ignore[union-attr]
    # the same offers, in the same order, in every language
    ids = [e.findtext("a:id", namespaces=NS) for e in _entries(_feed(out))]
    assert [i.replace(BASE, BASE + "en/") for i in ids] == [e.findtext("a:id", namespaces=NS) for e in _entries(feed)]


def test_hostile_text_cannot_break_the_feed(built) -> None:  # type: ignore[no-untyped-def]
    hostile = '"Kurs</title></entry><entry> & <b>; Ende"'  # controls never get this far: records refuse them
    out = built({"content/offers/boese.md": f"""\
        ---
        title: {hostile}
        summary: "Text</summary><![CDATA[ ]]> &amp; ]]>"
        actor: caritas
        regions: [hanau]
        topics: [beratung]
        reviewed: 2026-04-01
        ---
        """})
    entries = _entries(_feed(out))
    assert len(entries) == 3
    assert entries[0].findtext("a:title", namespaces=NS) == "Kurs</title></entry><entry> & <b>; Ende"
    assert entries[0].findtext("a:summary", namespaces=NS) == "Text</summary><![CDATA[ ]]> &amp; ]]>"


def test_pages_link_the_feed_of_their_language(built) -> None:  # type: ignore[no-untyped-def]
    out = built()
    for page in ("index.html", "angebote/sprachcafe/index.html", "en/themen/beratung/index.html"):
        html = (out / page).read_text(encoding="utf-8")
        found = re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', html)
        assert found, page
        feed = urljoin(f"https://host/x/{page}", found[1])
        assert feed == "https://host/x/" + ("en/feed.xml" if page.startswith("en/") else "feed.xml")


def test_feed_is_capped_at_the_newest_entries(built, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(feeds, "MAX_ENTRIES", 1)
    for path in ("feed.xml", "en/feed.xml"):
        entries = _entries(_feed(built(out=path.replace("/", "-")), path))
        assert [e.findtext("a:id", namespaces=NS) for e in entries] == [
            BASE + ("en/" if path.startswith("en") else "") + "angebote/sprachcafe/"]


def test_feeds_are_deterministic(built) -> None:  # type: ignore[no-untyped-def]
    first, second = built(out="one"), built(out="two")
    for path in ("feed.xml", "en/feed.xml"):
        assert (first / path).read_bytes() == (second / path).read_bytes()


def test_feed_without_offers_is_dated_by_the_build_day(built) -> None:  # type: ignore[no-untyped-def]
    out = built({"content/offers/sprachcafe.md": None, "content/offers/sprachcafe.en.md": None,
                 "content/offers/migrationsberatung.md": None})
    feed = _feed(out)
    assert _entries(feed) == []
    assert feed.findtext("a:updated", namespaces=NS) == "2026-09-21T00:00:00Z"  # SOURCE_DATE_EPOCH's day
