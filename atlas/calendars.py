"""iCalendar files (RFC 5545) for offers with weekly hours: `angebote/<slug>/<slug>.ics`.

One recurring event per hours entry, from the build day (or `valid_from`) to `valid_until`,
or a year ahead when the offer has no end: a series without an end could not list the
public holidays of the atlas's Land, which are left out of it (EXDATE). A translated offer
also gets the file in that language (`en/angebote/<slug>/<slug>.ics`); other languages link
the German one, as dates and times read the same everywhere. The files depend only on the
records and the build day, so a build on the same day gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

import holidays

from atlas import urls
from atlas.model import Site
from atlas.record_types import Hours, Offer
from atlas.schema import DAYS

HORIZON_DAYS = 365  # how far ahead a series without valid_until runs (and its holidays are listed)
TZID = "Europe/Berlin"
_RRULE_DAYS = dict(zip(DAYS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))
_LINE_OCTETS = 75
# the time zone as RFC 5545 wants it inside the file; clients do not look TZIDs up
_VTIMEZONE = (
    "BEGIN:VTIMEZONE", f"TZID:{TZID}",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "END:VTIMEZONE",
)
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]")  # not allowed in TEXT (RFC 5545 3.3.11)


def span(offer: Offer, today: date) -> tuple[date, date]:
    """The days a calendar file covers: from the build day (or a later valid_from) to
    valid_until, or HORIZON_DAYS ahead."""
    first = max(offer.valid_from or today, today)
    return first, offer.valid_until or first + timedelta(days=HORIZON_DAYS)


def first_day(hours: Hours, first: date, last: date) -> date | None:
    """The first day on or after `first` the hours apply to; None if there is none up to `last`."""
    day = first
    while day <= last:
        if DAYS[day.weekday()] in hours.days:
            return day
        day += timedelta(days=1)
    return None


def calendar_route(site: Site, offer: Offer, lang: str) -> str | None:
    """The calendar file a page in `lang` links to: in `lang` when the offer is translated,
    else the German one; None when the offer has no hours within its span."""
    first, last = span(offer, site.build_date)
    if all(first_day(hours, first, last) is None for hours in offer.hours):  # no day within the span (as _series)
        return None
    file_lang = lang if (offer.slug, lang) in site.translations else site.config.default_language
    return urls.in_language(file_lang, file_route(offer.slug))


def file_route(slug: str) -> str:
    return f"{urls.offer(slug)}{slug}.ics"


def calendar_files(site: Site) -> dict[str, bytes]:
    """Every offer's calendar file, in German and in each language it is translated into."""
    last = max((span(offer, site.build_date)[1] for offer in site.offers.values() if offer.hours),
               default=site.build_date)
    closed = public_holidays(site.config.land, site.build_date, last)
    files = {}
    for offer in site.offers.values():
        if not _series(offer, site.build_date):
            continue
        for lang in site.config.languages:
            if lang == site.config.default_language or (offer.slug, lang) in site.translations:
                files[urls.in_language(lang, file_route(offer.slug))] = ics(site, offer, lang, closed)
    return files


def public_holidays(land: str, first: date, last: date) -> dict[date, str]:
    """The gesetzliche Feiertage of a Land (ISO 3166-2 code without DE-) between two days."""
    found = holidays.Germany(subdiv=land, years=range(first.year, last.year + 1), language="de")
    return {day: name for day, name in sorted(found.items()) if first <= day <= last}


def _series(offer: Offer, today: date) -> list[tuple[int, Hours, date]]:
    """(position, hours, first day) of each hours entry that has a day within the span."""
    first, last = span(offer, today)
    found = ((i, hours, first_day(hours, first, last)) for i, hours in enumerate(offer.hours, start=1))
    return [(i, hours, day) for i, hours, day in found if day is not None]


def ics(site: Site, offer: Offer, lang: str, closed: Mapping[date, str]) -> bytes:
    """The VCALENDAR of one offer in one language (CRLF line ends, folded at 75 octets)."""
    text = site.text(offer, lang)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Integrationsatlas//Angebote//DE", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(text.title)}", f"X-WR-TIMEZONE:{TZID}", *_VTIMEZONE]
    for index, hours, day in _series(offer, site.build_date):
        lines += _event(site, offer, lang, index, hours, day, closed)
    lines.append("END:VCALENDAR")
    return b"".join(fold(line) for line in lines)


def _event(site: Site, offer: Offer, lang: str, index: int, hours: Hours, day: date,
           closed: Mapping[date, str]) -> Iterator[str]:
    text = site.text(offer, lang)
    page = urls.absolute(site.config.base_url, urls.in_language(lang, urls.offer(offer.slug)))
    note = text.hours_note or offer.hours_note
    last = span(offer, site.build_date)[1]
    language = f";LANGUAGE={text.lang}"
    yield "BEGIN:VEVENT"
    yield f"UID:{offer.slug}-{index}@{urlsplit(site.config.base_url).hostname}"
    yield f"DTSTAMP:{offer.reviewed.strftime('%Y%m%d')}T000000Z"
    yield f"DTSTART;TZID={TZID}:{_local(day, hours.opens)}"
    yield f"DTEND;TZID={TZID}:{_local(day, hours.closes)}"
    yield f"RRULE:FREQ=WEEKLY;BYDAY={','.join(_RRULE_DAYS[d] for d in hours.days)};UNTIL={_until(last)}"
    for holiday in closed:  # the first day too: RFC 5545 lets EXDATE take out DTSTART
        if day <= holiday <= last and DAYS[holiday.weekday()] in hours.days:
            yield f"EXDATE;TZID={TZID}:{_local(holiday, hours.opens)}"
    yield f"SUMMARY{language}:{escape(text.title)}"
    description = "\n\n".join(part for part in (text.summary, note, page) if part)
    yield f"DESCRIPTION{language}:{escape(description)}"
    if offer.locations:
        where = offer.locations[0]
        place = ", ".join(p for p in (where.name, where.street, " ".join(filter(None, (where.postcode, where.city))))
                          if p)
        if place:
            yield f"LOCATION:{escape(place)}"
        if where.geo:
            yield f"GEO:{where.geo.lat};{where.geo.lon}"
    yield f"URL:{page}"
    yield "END:VEVENT"


def _local(day: date, clock: str) -> str:
    """A local date-time for TZID values; "24:00" is midnight at the start of the next day."""
    if clock == "24:00":
        day, clock = day + timedelta(days=1), "00:00"
    return f"{day.strftime('%Y%m%d')}T{clock.replace(':', '')}00"


def _until(last: date) -> str:
    """UNTIL must be in UTC when DTSTART has a TZID: the last day's 23:59:59 in Berlin."""
    end = datetime.combine(last, time(23, 59, 59)) - timedelta(hours=_berlin_offset(last))
    return end.strftime("%Y%m%dT%H%M%SZ")


def _berlin_offset(day: date) -> int:
    """Hours ahead of UTC at the end of `day`: summer time from the last Sunday of March to the
    last Sunday of October (the rule in the VTIMEZONE above)."""
    return 2 if _last_sunday(day.year, 3) <= day < _last_sunday(day.year, 10) else 1


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def escape(value: str) -> str:
    """TEXT per RFC 5545 3.3.11: backslash, semicolon, comma and newlines escaped, controls dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return _CONTROL.sub("", value)


def fold(line: str) -> bytes:
    """One content line, folded into lines of at most 75 octets without splitting a UTF-8
    character; each continuation starts with a space (RFC 5545 3.1)."""
    data, parts, limit = line.encode("utf-8"), [], _LINE_OCTETS
    while len(data) > limit:
        cut = limit
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: cut before its character instead
            cut -= 1
        parts.append(data[:cut])
        data, limit = data[cut:], _LINE_OCTETS - 1
    parts.append(data)
    return b"\r\n ".join(parts) + b"\r\n"
