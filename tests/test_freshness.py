"""Freshness and "Änderung vorschlagen" (contract §4): review dates on the pages, the out-of-date
notice, the suggest link, the check warnings and `atlas report`, on a scratch atlas built on
2026-09-21 (the `cli` fixture) with one stale offer, one falling due in 11 days and one fresh."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import CONFIG
from tests.test_validation import Atlas, Cli, assert_errors, changed, check_lines, no_traceback

STALE = "content/offers/muetter-vaeter-cafe.md"
RECORDS = {
    STALE: """\
        ---
        title: Café für Mütter & Väter
        summary: Eltern treffen sich, die Kinder spielen.
        actor: vhs
        regions: [hanau]
        topics: [beratung]
        reviewed: 2025-03-01
        contact: {email: cafe@vhs.example.org}
        ---
        Jeden Freitag.
        """,
    # 355 days ago: due from 2026-10-02, in 11 days; its contact is the actor's (the report does not repeat it)
    "content/offers/migrationsberatung.md": """\
        ---
        title: Migrationsberatung
        summary: Beratung für Zugewanderte im ganzen Kreis.
        actor: caritas
        regions: [main-kinzig-kreis]
        topics: [beratung]
        reviewed: 2025-10-01
        contact: {email: info@caritas.example.org}
        ---
        """,
}
ARABIC = {**RECORDS, "content/offers/muetter-vaeter-cafe.ar.md": """\
    ---
    title: مقهى الأمهات والآباء
    summary: يلتقي الأهل ويلعب الأطفال.
    ---
    """}
WITH_ARABIC = changed(CONFIG, "languages: [de, en]", "languages: [de, en, ar]")
TEMPLATE = "https://formulare.example.org/aenderung?seite={url}&titel={title}&id={slug}"
SITE = "https://atlas.example.org/hanau/"
SUGGEST_MISSING = ('atlas.yaml:1: warning: suggest: missing: without it, offer and actor pages have no "Änderung '
                   'vorschlagen" link, and residents cannot report a wrong time or a closed offer; add an e-mail '
                   "address (suggest: atlas@example.org) or a form's address with {url}, {slug}, {title}")
STALE_WARNING = (f"{STALE}:7: warning: reviewed: 2025-03-01 is 569 days ago; the entry is due for review "
                 "(review_after_days: 365)")


class _Elements(HTMLParser):
    """Each element with an attribute of interest: (tag, attributes), in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def _suggest_hrefs(html: str) -> list[str | None]:
    parser = _Elements()
    parser.feed(html)
    return [attrs.get("href") for tag, attrs in parser.found if tag == "a" and "data-atlas-suggest" in attrs]


def _build(cli: Cli, project: Path) -> Path:
    out = project.parent / "out"
    result = cli("build", project, "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


def _read(out: Path, page: str) -> str:
    return (out / page / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def site(atlas: Atlas, cli: Cli) -> Path:
    return _build(cli, atlas(ARABIC, WITH_ARABIC))


# -- the offer page: review date and out-of-date notice -------------------------------------------

@pytest.mark.parametrize(("page", "text"), [
    ("angebote/muetter-vaeter-cafe", 'Zuletzt geprüft am <time datetime="2025-03-01">1. März 2025</time>'),
    ("angebote/sprachcafe", 'Zuletzt geprüft am <time datetime="2026-03-01">1. März 2026</time>'),
    ("en/angebote/sprachcafe", 'Last checked on <time datetime="2026-03-01">March 1, 2026</time>'),
    ("ar/angebote/sprachcafe", 'آخر مراجعة في <time datetime="2026-03-01">1 مارس 2026</time>'),
])
def test_offer_page_shows_the_review_date_in_the_readers_language(site: Path, page: str, text: str) -> None:
    date = re.search(r'datetime="([\d-]+)"', text).group(1)  # type: ignore[union-attr]
    assert f'<p class="reviewed" data-atlas-reviewed="{date}">{text}</p>' in _read(site, page)


@pytest.mark.parametrize(("page", "notice"), [
    ("angebote/muetter-vaeter-cafe", "Dieser Eintrag wurde lange nicht mehr geprüft und ist vielleicht nicht mehr "
                                     "aktuell."),
    ("ar/angebote/muetter-vaeter-cafe", "لم تتم مراجعة هذه المعلومات منذ مدة طويلة"),
])
def test_stale_offer_says_it_may_be_out_of_date_and_points_to_the_suggest_link(site: Path, page: str,
                                                                               notice: str) -> None:
    html = _read(site, page)
    found = re.search(r'<p class="stale-notice">(.*?)</p>', html, re.S)
    assert found is not None and notice in found.group(1)
    # the notice's own link goes where "Änderung vorschlagen" goes
    assert re.findall(r'href="([^"]*)"', found.group(1)) == [re.search(
        r'href="([^"]*)" data-atlas-suggest', html).group(1)]  # type: ignore[union-attr]


@pytest.mark.parametrize("page", ["angebote/sprachcafe", "angebote/migrationsberatung", "ar/angebote/sprachcafe",
                                  "akteure/vhs"])
def test_fresh_pages_have_no_out_of_date_notice(site: Path, page: str) -> None:
    assert "stale-notice" not in _read(site, page)


def test_review_after_days_decides_what_is_stale(atlas: Atlas, cli: Cli) -> None:
    out = _build(cli, atlas(RECORDS, CONFIG + "review_after_days: 600\n"))
    assert "stale-notice" not in _read(out, "angebote/muetter-vaeter-cafe")
    out = _build(cli, atlas(RECORDS, CONFIG + "review_after_days: 300\n"))
    assert "stale-notice" in _read(out, "angebote/migrationsberatung")


# -- the suggest link -----------------------------------------------------------------------------

def _mail(lang_folder: str, page: str, subject: str, prompt: str, label: str = "Seite") -> str:
    url = f"{SITE}{lang_folder}{page}"
    body = f"{label}: {url}\r\n\r\n{prompt}\r\n\r\n"
    return f"mailto:hinweise@example.org?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


GERMAN_PROMPT = "Was stimmt nicht mehr oder fehlt? Bitte schreiben Sie es hier:"
ARABIC_PROMPT = "ما الخطأ أو ما الناقص؟ يُرجى كتابته هنا:"


def test_suggest_link_by_mail_is_prefilled_and_percent_encoded(site: Path) -> None:
    assert _suggest_hrefs(_read(site, "angebote/muetter-vaeter-cafe")) == [
        "mailto:hinweise@example.org?subject=%C3%84nderungsvorschlag%3A%20Caf%C3%A9%20f%C3%BCr%20M%C3%BCtter%20%26%20"
        "V%C3%A4ter&body=Seite%3A%20https%3A%2F%2Fatlas.example.org%2Fhanau%2Fangebote%2Fmuetter-vaeter-cafe%2F%0D%0A"
        "%0D%0AWas%20stimmt%20nicht%20mehr%20oder%20fehlt%3F%20Bitte%20schreiben%20Sie%20es%20hier%3A%0D%0A%0D%0A"]
    assert _suggest_hrefs(_read(site, "akteure/vhs")) == [
        _mail("", "akteure/vhs/", "Änderungsvorschlag: Volkshochschule Hanau", GERMAN_PROMPT)]


def test_suggest_link_in_arabic_has_the_arabic_address_title_and_text(site: Path) -> None:
    html = _read(site, "ar/angebote/muetter-vaeter-cafe")
    assert _suggest_hrefs(html) == [_mail("ar/", "angebote/muetter-vaeter-cafe/", "اقتراح تعديل: مقهى الأمهات والآباء",
                                          ARABIC_PROMPT, "الصفحة")]
    assert ">اقتراح تعديل</a>" in html  # the link's text, translated
    assert _suggest_hrefs(_read(site, "ar/akteure/vhs")) == [
        _mail("ar/", "akteure/vhs/", "اقتراح تعديل: Volkshochschule Hanau", ARABIC_PROMPT, "الصفحة")]
    assert '>Änderung vorschlagen</a>' in _read(site, "akteure/vhs")


def test_suggest_link_from_an_address_template(atlas: Atlas, cli: Cli) -> None:
    out = _build(cli, atlas(ARABIC, changed(WITH_ARABIC, "suggest: hinweise@example.org", f"suggest: {TEMPLATE}")))
    form = "https://formulare.example.org/aenderung?seite=https%3A%2F%2Fatlas.example.org%2Fhanau%2F"
    assert _suggest_hrefs(_read(out, "angebote/muetter-vaeter-cafe")) == [
        f"{form}angebote%2Fmuetter-vaeter-cafe%2F&titel=Caf%C3%A9%20f%C3%BCr%20M%C3%BCtter%20%26%20V%C3%A4ter"
        "&id=muetter-vaeter-cafe"]
    assert _suggest_hrefs(_read(out, "ar/angebote/muetter-vaeter-cafe")) == [
        f"{form}ar%2Fangebote%2Fmuetter-vaeter-cafe%2F&titel={quote('مقهى الأمهات والآباء', safe='')}"
        "&id=muetter-vaeter-cafe"]
    assert _suggest_hrefs(_read(out, "akteure/caritas")) == [
        f"{form}akteure%2Fcaritas%2F&titel=Caritasverband%20Testkreis%20e.%20V.&id=caritas"]
    assert _suggest_hrefs(_read(out, "ar/akteure/caritas")) == [
        f"{form}ar%2Fakteure%2Fcaritas%2F&titel=Caritasverband%20Testkreis%20e.%20V.&id=caritas"]
    # in the HTML the & between the parameters is written &amp;
    assert '&amp;titel=Caritasverband%20Testkreis%20e.%20V.&amp;id=caritas"' in _read(out, "akteure/caritas")


def test_mailto_prefix_is_accepted(atlas: Atlas, cli: Cli) -> None:
    out = _build(cli, atlas(RECORDS, changed(CONFIG, "suggest: hinweise@example.org",
                                             "suggest: mailto:hinweise@example.org")))
    assert _suggest_hrefs(_read(out, "akteure/vhs")) == [
        _mail("", "akteure/vhs/", "Änderungsvorschlag: Volkshochschule Hanau", GERMAN_PROMPT)]


def test_without_suggest_the_pages_have_no_link_and_check_warns(atlas: Atlas, cli: Cli) -> None:
    project = atlas(RECORDS, changed(CONFIG, "suggest: hinweise@example.org\n", ""))
    assert check_lines(cli, project) == (0, [SUGGEST_MISSING, STALE_WARNING])
    out = _build(cli, project)
    for page in ["angebote/muetter-vaeter-cafe", "akteure/vhs"]:
        html = _read(out, page)
        assert "data-atlas-suggest" not in html and "mailto:hinweise" not in html
    assert "lange nicht mehr geprüft" in _read(out, "angebote/muetter-vaeter-cafe")  # the notice, without a link


# -- atlas check ----------------------------------------------------------------------------------

def test_check_warns_at_the_reviewed_line_of_a_stale_offer(atlas: Atlas, cli: Cli) -> None:
    project = atlas(RECORDS)
    assert check_lines(cli, project) == (0, [STALE_WARNING])
    assert check_lines(cli, project, "--strict") == (1, [STALE_WARNING.replace("warning: ", "")])
    assert check_lines(cli, atlas(RECORDS, CONFIG + "review_after_days: 569\n")) == (0, [])
    assert check_lines(cli, atlas(RECORDS, CONFIG + "review_after_days: 568\n")) == (0, [
        STALE_WARNING.replace("365", "568")])


def test_an_expired_offer_is_not_due_for_review(atlas: Atlas, cli: Cli) -> None:
    expired = RECORDS[STALE].replace("reviewed:", "valid_until: 2026-06-30\n        reviewed:")
    assert check_lines(cli, atlas({**RECORDS, STALE: expired})) == (0, [
        f"{STALE}:7: warning: valid_until: 2026-06-30 has passed; the offer is not published"])


BAD_DAYS_LINE = CONFIG.count("\n") + 1


@pytest.mark.parametrize(("value", "shown"), [
    ("0", "0"), ("-30", "-30"), ("1.5", "1.5"), ("ein Jahr", "ein Jahr"), ("yes", "yes"),
    ("3651", "3651"), ("[365]", "[365]"),
])
def test_bad_review_after_days(atlas: Atlas, cli: Cli, value: str, shown: str) -> None:
    assert_errors(cli, atlas(RECORDS, CONFIG + f"review_after_days: {value}\n"),
                  f'atlas.yaml:{BAD_DAYS_LINE}: review_after_days: "{shown}" is not a number of days: write a whole '
                  "number from 1 to 3650, e.g. 365 for once a year")


def test_review_after_days_in_quotes(atlas: Atlas, cli: Cli) -> None:
    assert_errors(cli, atlas(RECORDS, CONFIG + 'review_after_days: "365"\n'),
                  f'atlas.yaml:{BAD_DAYS_LINE}: review_after_days: "365" is text in quotes; write the number without '
                  "them: review_after_days: 365")


SUGGEST_LINE = CONFIG.count("\n")


@pytest.mark.parametrize(("value", "message"), [
    ("http://formulare.example.org/?seite={url}", '"http://formulare.example.org/?seite={url}" must be an e-mail '
     "address or an https:// address (a form's address may hold {url}, {slug}, {title})"),
    ("hinweise(at)example.org", '"hinweise(at)example.org" must be an e-mail address or an https:// address '
     "(a form's address may hold {url}, {slug}, {title})"),
    ("hinweise@example", '"hinweise@example" is not an e-mail address like atlas@example.org'),
    ("hin weise@example.org", '"hin weise@example.org" is not an e-mail address like atlas@example.org'),
    ("https://formulare.example.org/?seite={url}&name={titel}",
     '"{titel}" is not a placeholder; use {url}, {slug} or {title}'),
    ("https://formulare.example.org/?a={page}&b={id}",
     "{id}, {page} are not placeholders; use {url}, {slug} or {title}"),
    ("https://formulare.example.org/?seite={url", '"https://formulare.example.org/?seite={url" has a "{" or "}" that '
     "does not belong to a placeholder like {url}"),
    ("https://formulare.example.org/?seite={url}&t=Mein Titel", '"https://formulare.example.org/?seite={url}&t=Mein '
     'Titel" is not an address: no spaces, quotes or <> (write a space as %20)'),
    ("[hinweise@example.org]", "must be text"),
])
def test_bad_suggest(atlas: Atlas, cli: Cli, value: str, message: str) -> None:
    config = changed(CONFIG, "suggest: hinweise@example.org", f"suggest: {value}" if "[" in value else
                     f"suggest: '{value}'")
    assert_errors(cli, atlas(RECORDS, config), f"atlas.yaml:{SUGGEST_LINE}: suggest: {message}")


def test_suggest_template_without_placeholder_warns(atlas: Atlas, cli: Cli) -> None:
    project = atlas({}, changed(CONFIG, "suggest: hinweise@example.org", "suggest: https://formulare.example.org/"))
    assert check_lines(cli, project) == (0, [
        f'atlas.yaml:{SUGGEST_LINE}: warning: suggest: "https://formulare.example.org/" has none of {{url}}, {{slug}}, '
        "{title}: every page would link to the same address, without saying which entry is wrong"])


# -- atlas report ---------------------------------------------------------------------------------

VHS = """\
Volkshochschule Hanau (content/actors/vhs.md)
  no e-mail and no phone: add them to content/actors/vhs.md
  * Café für Mütter & Väter
    content/offers/muetter-vaeter-cafe.md: reviewed 2025-03-01, 569 days ago; due since 2026-03-02
    contact for this offer: cafe@vhs.example.org
"""
CARITAS = """\
Caritasverband Testkreis e. V. (content/actors/caritas.md)
  e-mail: info@caritas.example.org
  phone:  069 90009 100
  * Migrationsberatung
    content/offers/migrationsberatung.md: reviewed 2025-10-01, 355 days ago; due from 2026-10-02 (in 11 days)
"""


def _report(cli: Cli, project: Path, *options: str) -> tuple[int, str, str]:
    result = cli("report", project, *options)
    no_traceback(result)
    return result.exit_code, result.stdout, result.stderr


def test_report_lists_the_due_offers_by_actor(atlas: Atlas, cli: Cli) -> None:
    assert _report(cli, atlas(RECORDS)) == (0, (
        "Due for review on 2026-09-21 (review_after_days: 365): 1 offer of 1 actor, longest waiting first.\n\n"
        + VHS), "")


def test_report_within_30_days_adds_what_falls_due_and_puts_the_longest_waiting_first(atlas: Atlas,
                                                                                         cli: Cli) -> None:
    assert _report(cli, atlas(RECORDS), "--within", "30") == (0, (
        "Due for review on 2026-09-21 or within 30 days, by 2026-10-21 (review_after_days: 365): "
        "2 offers of 2 actors, longest waiting first.\n\n" + VHS + "\n" + CARITAS), "")
    assert _report(cli, atlas(RECORDS), "--within", "10")[1].startswith(  # due in 11 days: not yet
        "Due for review on 2026-09-21 or within 10 days, by 2026-10-01 (review_after_days: 365): 1 offer of 1 actor")


def test_report_when_nothing_is_due(atlas: Atlas, cli: Cli) -> None:
    assert _report(cli, atlas(RECORDS, CONFIG + "review_after_days: 1000\n")) == (
        0, "Due for review on 2026-09-21 (review_after_days: 1000): no offer.\n", "")


def test_report_as_csv_for_a_mail_merge(atlas: Atlas, cli: Cli) -> None:
    result = cli("report", atlas(RECORDS), "--format", "csv", "--within", "30")
    assert result.exit_code == 0
    assert result.stdout_bytes.decode("utf-8") == (
        "\ufeffTräger;E-Mail des Trägers;Telefon des Trägers;Angebot;Zuletzt geprüft;Tage seit Prüfung;Fällig ab;"
        "Kontakt des Angebots;Seite;Datei;Datei des Trägers\r\n"
        "Volkshochschule Hanau;;;Café für Mütter & Väter;2025-03-01;569;2026-03-02;cafe@vhs.example.org;"
        f"{SITE}angebote/muetter-vaeter-cafe/;{STALE};content/actors/vhs.md\r\n"
        "Caritasverband Testkreis e. V.;info@caritas.example.org;069 90009 100;Migrationsberatung;2025-10-01;355;"
        f"2026-10-02;info@caritas.example.org;{SITE}angebote/migrationsberatung/;content/offers/migrationsberatung.md;"
        "content/actors/caritas.md\r\n")


def test_report_quotes_csv_fields_that_need_it(atlas: Atlas, cli: Cli) -> None:
    quoted = RECORDS[STALE].replace("Café für Mütter & Väter", "'Café; \"Mütter\" & Väter'")
    result = cli("report", atlas({**RECORDS, STALE: quoted}), "--format", "csv")
    assert ';"Café; ""Mütter"" & Väter";' in result.stdout_bytes.decode("utf-8")


def test_report_on_bad_content_shows_the_errors_of_check(atlas: Atlas, cli: Cli) -> None:
    project = atlas({**RECORDS, STALE: RECORDS[STALE].replace("actor: vhs", "actor: vhs-hanau")})
    code, stdout, stderr = _report(cli, project)
    assert (code, stderr.splitlines()) == (1, [f'{STALE}:4: actor: unknown actor "vhs-hanau" (did you mean "vhs"?)',
                                               STALE_WARNING])
    assert check_lines(cli, project) == (1, stderr.splitlines())
    assert "Due for review" not in stdout


@pytest.mark.parametrize("options", [["--within", "-1"], ["--within", "3651"], ["--format", "xlsx"]])
def test_report_rejects_bad_options(atlas: Atlas, cli: Cli, options: list[str]) -> None:
    code, _, stderr = _report(cli, atlas(RECORDS), *options)
    assert code == 2 and "Invalid value" in stderr
