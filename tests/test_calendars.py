"""The iCalendar files of offers with weekly hours: "In meinen Kalender" (RFC 5545)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr
from ical.calendar_stream import IcsCalendarStream

from atlas.build import load_site
from atlas.calendars import calendar_files, fold
from tests.conftest import CONFIG

BERLIN = ZoneInfo("Europe/Berlin")
ICS = "angebote/sprachcafe/sprachcafe.ics"
# the scratch atlas is built on Monday 2026-09-21 (SOURCE_DATE_EPOCH in conftest)
SATURDAYS = """\
    ---
    title: Samstagstreff
    summary: Treffen am Samstag.
    actor: caritas
    regions: [hanau]
    topics: [beratung]
    locations: [{name: Saal, city: Hanau, accessible: unknown}]
    hours: [{days: [sa], opens: "10:00", closes: "24:00"}]
    valid_from: 2026-10-01
    valid_until: 2026-12-31
    reviewed: 2026-05-05
    ---
    """
TRANSLATION = """\
    ---
    title: Language café Hanau
    summary: Practise German over coffee and tea.
    hours_note: Closed in the school holidays.
    ---
    """


@pytest.fixture
def built(atlas, cli, tmp_path: Path):  # type: ignore[no-untyped-def]
    def build(records: dict[str, str | None] | None = None, config: str = CONFIG, out: str = "out") -> Path:
        project = atlas({"content/offers/samstag.md": SATURDAYS, "content/offers/sprachcafe.en.md": TRANSLATION,
                         **(records or {})}, config)
        result = cli("build", project, "-o", tmp_path / out)
        assert result.exit_code == 0, result.stderr
        return tmp_path / out

    return build


def _events(file: Path) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(file.read_bytes())
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Berlin"
    return calendar.walk("VEVENT")


def _exdates(event: icalendar.Event) -> list[datetime]:
    found = event.get("EXDATE", [])
    return [d.dt for group in (found if isinstance(found, list) else [found]) for d in group.dts]


def _occurrences(event: icalendar.Event) -> list[datetime]:
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=event.decoded("DTSTART"))
    return [d for d in rule if d not in set(_exdates(event))]


def test_weekly_event_with_hessian_holidays_left_out(built) -> None:  # type: ignore[no-untyped-def]
    (event,) = _events(built() / ICS)
    assert event.decoded("DTSTART") == datetime(2026, 9, 22, 15, 0, tzinfo=BERLIN)  # the first Tuesday
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTEND") == datetime(2026, 9, 22, 17, 0, tzinfo=BERLIN)
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["TU", "TH"]
    # no valid_until: a year from the build day, to its end in Berlin (summer time: UTC+2)
    assert rule["UNTIL"][0] == datetime(2027, 9, 21, 23, 59, 59, tzinfo=BERLIN)
    # Christi Himmelfahrt and Fronleichnam 2027 fall on Thursdays; Tag der Deutschen Einheit
    # (Saturday) and Ostermontag (Monday) are no days of the offer, so not listed
    assert _exdates(event) == [datetime(2027, 5, 6, 15, 0, tzinfo=BERLIN), datetime(2027, 5, 27, 15, 0, tzinfo=BERLIN)]
    days = _occurrences(event)
    assert date(2027, 5, 6) not in {d.date() for d in days} and date(2027, 5, 4) in {d.date() for d in days}
    assert max(days).date() == date(2027, 9, 21)  # a Tuesday, the horizon's last day
    assert event["UID"] == "sprachcafe-1@atlas.example.org"
    assert event["DTSTAMP"].to_ical() == b"20260301T000000Z"  # the reviewed date, not the clock
    assert str(event["SUMMARY"]) == "Sprachcafé Hanau"
    assert str(event["DESCRIPTION"]) == ("Deutsch sprechen üben bei Kaffee und Tee.\n\n"
                                                      "In den Ferien geschlossen.\n\n"
                                                      "https://atlas.example.org/hanau/angebote/sprachcafe/")
    assert str(event["LOCATION"]) == "Stadtteilzentrum, Beispielweg 1, 63450 Hanau"
    assert str(event["URL"]) == "https://atlas.example.org/hanau/angebote/sprachcafe/"


def test_span_from_valid_from_until_valid_until(built) -> None:  # type: ignore[no-untyped-def]
    (event,) = _events(built() / "angebote/samstag/samstag.ics")
    # valid_from Thursday 2026-10-01: the first Saturday is Tag der Deutschen Einheit, excluded too
    assert event.decoded("DTSTART") == datetime(2026, 10, 3, 10, 0, tzinfo=BERLIN)
    assert event.decoded("DTEND") == datetime(2026, 10, 4, 0, 0, tzinfo=BERLIN)  # closes "24:00"
    assert event["RRULE"]["UNTIL"][0] == datetime(2026, 12, 31, 23, 59, 59, tzinfo=BERLIN)
    assert b"UNTIL=20261231T225959Z" in event["RRULE"].to_ical()  # winter time: UTC+1
    assert _exdates(event) == [datetime(2026, 10, 3, 10, 0, tzinfo=BERLIN),
                               datetime(2026, 12, 26, 10, 0, tzinfo=BERLIN)]  # 2. Weihnachtsfeiertag
    days = _occurrences(event)
    assert days[0].date() == date(2026, 10, 10) and days[-1].date() == date(2026, 12, 19)
    assert len(days) == 13 - 2


def test_holidays_follow_the_land(built) -> None:  # type: ignore[no-untyped-def]
    config = CONFIG.replace("languages: [de, en]", "languages: [de, en]\nland: DE-BE")
    (event,) = _events(built(config=config) / ICS)
    assert _exdates(event) == [datetime(2027, 5, 6, 15, 0, tzinfo=BERLIN)]  # Berlin has no Fronleichnam


@pytest.mark.parametrize(("value", "message"), [
    ("Hesen", 'land: "Hesen" is not a German Land; write its code, e.g. HE or DE-HE (did you mean "HE"?)'),
    ("DE-XY", 'land: "DE-XY" is not a German Land; write its code, e.g. HE or DE-HE'),
])
def test_unknown_land_is_reported(atlas, cli, value: str, message: str) -> None:  # type: ignore[no-untyped-def]
    project = atlas(config=CONFIG.replace("languages: [de, en]", f"languages: [de, en]\nland: {value}"))
    result = cli("check", project)
    assert result.exit_code == 1
    assert f"atlas.yaml:4: {message}\n" in result.stderr


def test_land_accepts_code_in_any_case(atlas, cli) -> None:  # type: ignore[no-untyped-def]
    project = atlas(config=CONFIG.replace("languages: [de, en]", "languages: [de, en]\nland: de-by"))
    result = cli("check", project)
    assert result.exit_code == 0, result.stderr


def _calendar_links(out: Path, page: str) -> list[str]:
    html = (out / page).read_text(encoding="utf-8")
    found = re.findall(r'<a href="([^"]+)" download="([^"]+)" type="text/calendar" data-atlas-calendar>([^<]+)</a>',
                       html)
    base = f"https://host/x/{page}"
    return [(urljoin(base, href).removeprefix("https://host/x/"), name, text) for href, name, text in found]


def test_offer_pages_link_the_calendar_only_with_hours(built) -> None:  # type: ignore[no-untyped-def]
    out = built()
    assert _calendar_links(out, "angebote/sprachcafe/index.html") == [(ICS, "sprachcafe.ics", "In meinen Kalender")]
    assert _calendar_links(out, "angebote/migrationsberatung/index.html") == []
    assert not (out / "angebote/migrationsberatung/migrationsberatung.ics").exists()
    # a translated offer has its file in English; an untranslated one links the German file
    assert _calendar_links(out, "en/angebote/sprachcafe/index.html") == [
        ("en/" + ICS, "sprachcafe.ics", "Add to my calendar")]
    assert _calendar_links(out, "en/angebote/samstag/index.html") == [
        ("angebote/samstag/samstag.ics", "samstag.ics", "Add to my calendar")]
    assert not (out / "en/angebote/samstag/samstag.ics").exists()
    for ics in ("en/" + ICS, ICS, "angebote/samstag/samstag.ics"):
        assert (out / ics).is_file()


def test_translated_calendar_file(built) -> None:  # type: ignore[no-untyped-def]
    (event,) = _events(built() / ("en/" + ICS))
    assert str(event["SUMMARY"]) == "Language café Hanau"
    assert event["SUMMARY"].params["LANGUAGE"] == "en"
    assert str(event["DESCRIPTION"]) == ("Practise German over coffee and tea.\n\n"
                                                      "Closed in the school holidays.\n\n"
                                                      "https://atlas.example.org/hanau/en/angebote/sprachcafe/")
    assert event["UID"] == "sprachcafe-1@atlas.example.org"  # the same event as the German file's


def test_no_file_when_no_day_of_the_offer_falls_in_its_span(built) -> None:  # type: ignore[no-untyped-def]
    ends_soon = SATURDAYS.replace("valid_from: 2026-10-01", "valid_from: 2026-09-01").replace(
        "valid_until: 2026-12-31", "valid_until: 2026-09-25")  # Monday to Friday: no Saturday left
    out = built({"content/offers/samstag.md": ends_soon})
    assert (out / "angebote/samstag/index.html").is_file()
    assert not (out / "angebote/samstag/samstag.ics").exists()
    assert _calendar_links(out, "angebote/samstag/index.html") == []


def test_one_event_per_hours_entry(built) -> None:  # type: ignore[no-untyped-def]
    two = SATURDAYS.replace('hours: [{days: [sa], opens: "10:00", closes: "24:00"}]',
                            'hours: [{days: [sa], opens: "10:00", closes: "12:00"}, '
                            '{days: [mo, mi], opens: "9:00", closes: "11:30"}]')
    events = _events(built({"content/offers/samstag.md": two}) / "angebote/samstag/samstag.ics")
    assert [str(e["UID"]) for e in events] == ["samstag-1@atlas.example.org", "samstag-2@atlas.example.org"]
    assert events[1]["RRULE"]["BYDAY"] == ["MO", "WE"]
    assert events[1].decoded("DTSTART") == datetime(2026, 10, 5, 9, 0, tzinfo=BERLIN)  # Monday after valid_from
    assert _exdates(events[1]) == []  # no holiday on a Monday or Wednesday in October to December 2026


def test_hostile_text_cannot_break_the_file(built) -> None:  # type: ignore[no-untyped-def]
    # a line break never gets this far (records refuse it); a value that looks like lines must stay one
    title = 'Kurs END:VEVENT BEGIN:VEVENT SUMMARY:x; a, b \\\\ c </summary> ÄÖÜ äöü ß ' + "€" * 40
    hostile = SATURDAYS.replace("title: Samstagstreff", f'title: "{title}"').replace(
        "name: Saal", 'name: "Saal; Raum, 2"')
    file = built({"content/offers/samstag.md": hostile}) / "angebote/samstag/samstag.ics"
    data = file.read_bytes()
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # no character cut in two by the folding
    (event,) = _events(file)
    assert str(event["SUMMARY"]) == ("Kurs END:VEVENT BEGIN:VEVENT SUMMARY:x; a, b \\ c </summary> ÄÖÜ äöü ß "
                                     + "€" * 40)
    assert str(event["LOCATION"]) == "Saal; Raum, 2, Hanau"


def test_fold_keeps_characters_whole() -> None:
    line = "DESCRIPTION:" + "ä€x" * 60
    folded = fold(line)
    parts = folded.split(b"\r\n")
    assert parts[-1] == b"" and all(len(p) <= 75 for p in parts)
    assert all(p.startswith(b" ") for p in parts[1:-1])
    assert b"".join(p[1:] if i else p for i, p in enumerate(parts)).decode() == line
    assert fold("SHORT:x") == b"SHORT:x\r\n"


def test_calendar_files_are_deterministic(built) -> None:  # type: ignore[no-untyped-def]
    first, second = built(out="one"), built(out="two")
    for path in (ICS, "en/" + ICS, "angebote/samstag/samstag.ics"):
        assert (first / path).read_bytes() == (second / path).read_bytes()


def test_demo_calendars_pass_a_strict_parser_and_skip_hessian_holidays() -> None:
    """`ical` (Home Assistant's calendar library) validates every component against RFC 5545's
    required properties and expands the series itself: a second, independent reading."""
    site = load_site(Path(__file__).parent.parent, date(2026, 9, 21), workers=1).site
    files = calendar_files(site)
    assert len(files) > 20
    for path, data in files.items():
        calendar = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
        days = [event.start.date() for event in calendar.timeline]
        offer = site.offers[path.split("/")[-2]]
        last = offer.valid_until or date(2027, 9, 21)
        assert days and min(days) >= max(offer.valid_from or date.min, date(2026, 9, 21)) and max(days) <= last, path
        assert not set(days) & _HESSEN_2026_2027, path


_HESSEN_2026_2027 = {date(2026, 10, 3), date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1), date(2027, 3, 26),
                     date(2027, 3, 29), date(2027, 5, 1), date(2027, 5, 6), date(2027, 5, 17), date(2027, 5, 27),
                     date(2027, 10, 3), date(2027, 12, 25), date(2027, 12, 26)}
