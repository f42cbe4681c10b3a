"""The records of an atlas (regions, actors, offers, offer translations) as frozen dataclasses.

`parse_records` turns the files that `sources.read_sources` read into records and reports
every problem, including references that do not resolve. Slugs come from file names, so
every reference can be checked while a record is read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from atlas import languages
from atlas.config import Config
from atlas.documents import Located
from atlas.errors import Problem
from atlas.fields import Fields
from atlas.sources import Source

REGION_KINDS = ("kreis", "stadt", "sonderstatusstadt", "gemeinde", "ortsteil")
ACTOR_KINDS = (
    "verein", "wohlfahrtsverband", "migrantenorganisation", "behoerde", "bildungstraeger",
    "religionsgemeinschaft", "initiative", "unternehmen", "sonstige",
)
DAYS = ("mo", "di", "mi", "do", "fr", "sa", "so")
APPOINTMENT = ("required", "possible", "none")
ACCESSIBLE = ("yes", "partly", "no", "unknown")
SUMMARY_MAX = 300
BODY_MAX = 20_000  # characters; Python-Markdown slows down badly on huge bodies (e.g. many "[")

POSTCODE = re.compile(r"^\d{5}$")
TIME = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$|^24:00$")
PHONE = re.compile(r"^\+?[0-9][0-9 /()\-]{3,}$")
EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[a-z]{2,}$", re.IGNORECASE)
WEBSITE = re.compile(r"^https?://[^\s<>\"]+$")

REGION_FIELDS = ("name", "kind", "parent", "postcodes", "geo")
ACTOR_FIELDS = ("name", "kind", "regions", "website", "email", "phone", "address")
OFFER_FIELDS = (
    "title", "summary", "actor", "partners", "regions", "topics", "audiences", "languages", "cost",
    "appointment", "locations", "hours", "hours_note", "contact", "valid_from", "valid_until", "reviewed",
)
TRANSLATION_FIELDS = ("title", "summary", "hours_note")


@dataclass(frozen=True)
class Geo:
    lat: float
    lon: float


@dataclass(frozen=True)
class Address:
    street: str | None
    postcode: str | None
    city: str | None


@dataclass(frozen=True)
class Contact:
    name: str | None
    phone: str | None
    email: str | None
    website: str | None


@dataclass(frozen=True)
class Region:
    slug: str
    origin: Located
    name: str
    kind: str
    parent: str | None
    postcodes: tuple[str, ...]
    geo: Geo | None
    body: str


@dataclass(frozen=True)
class Actor:
    slug: str
    origin: Located
    name: str
    kind: str
    regions: tuple[str, ...]
    contact: Contact
    address: Address | None
    body: str


@dataclass(frozen=True)
class Cost:
    free: bool
    amount: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Location:
    name: str | None
    street: str | None
    postcode: str | None
    city: str | None
    geo: Geo | None
    accessible: str  # yes | partly | no | unknown


@dataclass(frozen=True)
class Hours:
    days: tuple[str, ...]
    opens: str
    closes: str


@dataclass(frozen=True)
class Offer:
    slug: str
    origin: Located
    title: str
    summary: str
    actor: str
    partners: tuple[str, ...]
    regions: tuple[str, ...]
    topics: tuple[str, ...]
    audiences: tuple[str, ...]  # empty: for everyone
    languages: tuple[str, ...]
    cost: Cost | None
    appointment: str | None
    locations: tuple[Location, ...]
    hours: tuple[Hours, ...]
    hours_note: str | None
    contact: Contact | None
    valid_from: date | None
    valid_until: date | None
    reviewed: date
    body: str


@dataclass(frozen=True)
class Translation:
    """An offer's title, summary, hours note and body in another language (`<slug>.<lang>.md`)."""

    slug: str
    lang: str
    origin: Located
    title: str
    summary: str
    hours_note: str | None
    body: str


@dataclass(frozen=True)
class Records:
    regions: Mapping[str, Region]
    actors: Mapping[str, Actor]
    offers: Mapping[str, Offer]
    translations: tuple[Translation, ...]


# -- parsing records ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Known:
    """Every slug a reference may name."""

    regions: frozenset[str]
    actors: frozenset[str]
    topics: tuple[str, ...]
    audiences: tuple[str, ...]


def parse_records(sources: list[Source], config: Config) -> tuple[Records, list[Problem]]:
    problems: list[Problem] = []
    main = [s for s in sources if s.lang is None]
    known = _Known(
        regions=frozenset(s.slug for s in main if s.kind == "regions"),
        actors=frozenset(s.slug for s in main if s.kind == "actors"),
        topics=tuple(t.slug for t in config.topics),
        audiences=tuple(a.slug for a in config.audiences),
    )
    regions: dict[str, Region] = {}
    actors: dict[str, Actor] = {}
    offers: dict[str, Offer] = {}
    translations: list[Translation] = []
    for source in sources:
        if source.document is None:
            continue
        fields = Fields(source.document, problems)
        if len(source.document.body) > BODY_MAX:
            problems.append(Problem(source.path, source.document.body_line, f"the text below the fields is "
                                    f"{len(source.document.body):,} characters long; at most {BODY_MAX:,} are allowed"))
        if source.lang is not None:
            translation = _translation(source, fields, config)
            if translation is not None:
                translations.append(translation)
        elif source.kind == "regions":
            regions[source.slug] = _region(source.slug, fields, known)
        elif source.kind == "actors":
            actors[source.slug] = _actor(source.slug, fields, known)
        else:
            offers[source.slug] = _offer(source.slug, fields, known)
    problems.extend(_region_cycles(regions))
    problems.extend(_region_levels(regions))
    problems.extend(_orphan_translations(translations, sources))
    return Records(regions, actors, offers, tuple(translations)), problems


def _region(slug: str, f: Fields, known: _Known) -> Region:
    parent = f.single_ref("parent", known.regions, "region")
    if parent == slug:
        f.report("parent", "a region cannot be its own parent")
        parent = None
    f.unknown(REGION_FIELDS)
    return Region(
        slug=slug,
        origin=f.doc.origin(),
        name=f.text("name", required=True) or slug,
        kind=f.choice("kind", REGION_KINDS, required=True) or "gemeinde",
        parent=parent,
        postcodes=f.strings("postcodes", pattern=POSTCODE, example="63450"),
        geo=_geo(f.mapping("geo")),
        body=f.doc.body,
    )


def _actor(slug: str, f: Fields, known: _Known) -> Actor:
    f.unknown(ACTOR_FIELDS)
    return Actor(
        slug=slug,
        origin=f.doc.origin(),
        name=f.text("name", required=True) or slug,
        kind=f.choice("kind", ACTOR_KINDS, required=True) or "sonstige",
        regions=f.refs("regions", known.regions, "region", required=True),
        contact=_contact(f),
        address=_address(f.mapping("address")),
        body=f.doc.body,
    )


def _offer(slug: str, f: Fields, known: _Known) -> Offer:
    actor = f.single_ref("actor", known.actors, "actor", required=True)
    partners = f.refs("partners", known.actors, "actor")
    if actor is not None and actor in partners:
        f.report("partners", f'"{actor}" is the offer\'s actor already; list only other actors as partners')
    valid_from = f.date("valid_from")
    valid_until = f.date("valid_until")
    if valid_from and valid_until and valid_until < valid_from:
        f.report("valid_until", f"{valid_until} is before valid_from ({valid_from})")
    f.unknown(OFFER_FIELDS)
    contact_fields = f.mapping("contact")
    return Offer(
        slug=slug,
        origin=f.doc.origin(),
        title=f.text("title", required=True) or slug,
        summary=f.text("summary", required=True, max_length=SUMMARY_MAX) or "",
        actor=actor or "",
        partners=partners,
        regions=f.refs("regions", known.regions, "region", required=True),
        topics=f.refs("topics", known.topics, "topic", required=True),
        audiences=f.refs("audiences", known.audiences, "audience"),
        languages=f.language_codes("languages"),
        cost=_cost(f),
        appointment=f.choice("appointment", APPOINTMENT),
        locations=tuple(_location(loc) for loc in f.mappings("locations")),
        hours=tuple(h for h in (_hours(entry) for entry in f.mappings("hours")) if h is not None),
        hours_note=f.text("hours_note"),
        contact=_contact(contact_fields, name=True) if contact_fields else None,
        valid_from=valid_from,
        valid_until=valid_until,
        reviewed=f.date("reviewed", required=True) or date.min,
        body=f.doc.body,
    )


def _translation(source: Source, f: Fields, config: Config) -> Translation | None:
    lang = source.lang or ""
    if not languages.is_known(lang):
        f.report(None, f'"{lang}" in the file name is not an ISO 639-1 language code like en, ar, tr')
        return None
    if lang == config.default_language:
        f.report(None, f"the German record is {source.slug}.md; a translation needs another language")
        return None
    if lang not in config.languages:
        f.report(None, f'"{lang}" is not one of the site\'s languages in atlas.yaml; add it there, '
                       "or this translation stays unused", "warning")
    for key in f.data:
        if key not in TRANSLATION_FIELDS:
            f.report(key, f"a translation holds only {', '.join(TRANSLATION_FIELDS)}; "
                          f"{key} comes from the German record")
    return Translation(
        slug=source.slug,
        lang=lang,
        origin=f.doc.origin(),
        title=f.text("title", required=True) or source.slug,
        summary=f.text("summary", required=True, max_length=SUMMARY_MAX) or "",
        hours_note=f.text("hours_note"),
        body=f.doc.body,
    )


def _cost(f: Fields) -> Cost | None:
    if f.data.get("cost") == "free":
        return Cost(free=True)
    if isinstance(f.data.get("cost"), (str, int, float)):
        f.report("cost", 'write "free", or a group like {amount: "20 €", note: "…"}')
        return None
    cost = f.mapping("cost")
    if cost is None:
        return None
    amount = cost.text("amount", required=True)
    note = cost.text("note")
    cost.unknown(("amount", "note"))
    return Cost(free=False, amount=amount, note=note) if amount else None


def _location(f: Fields) -> Location:
    f.unknown(("name", "street", "postcode", "city", "lat", "lon", "accessible"))
    lat = f.number("lat", low=-90, high=90)
    lon = f.number("lon", low=-180, high=180)
    if ("lat" in f.data) != ("lon" in f.data):
        f.report("lon" if "lat" in f.data else "lat", "give both lat and lon, or neither")
    if not any(f.data.get(k) for k in ("name", "street", "city")):
        f.report(None, "a location needs at least a name, a street or a city")
    return Location(
        name=f.text("name"),
        street=f.text("street"),
        postcode=f.quoted("postcode", pattern=POSTCODE, example="63450"),
        city=f.text("city"),
        geo=Geo(lat, lon) if lat is not None and lon is not None else None,
        accessible=f.choice("accessible", ACCESSIBLE) or "unknown",
    )


def _hours(f: Fields) -> Hours | None:
    f.unknown(("days", "opens", "closes"))
    days = _days(f)
    opens = _clock(f.quoted("opens", required=True, pattern=TIME, example="09:00"))
    closes = _clock(f.quoted("closes", required=True, pattern=TIME, example="12:00"))
    if opens and closes and closes <= opens:
        f.report("closes", f'"{closes}" is not after opens ("{opens}")')
        return None
    if not days or not opens or not closes:
        return None
    return Hours(tuple(sorted(days, key=DAYS.index)), opens, closes)


_DAY_NAMES = {"montag": "mo", "dienstag": "di", "mittwoch": "mi", "donnerstag": "do", "freitag": "fr",
              "samstag": "sa", "sonnabend": "sa", "sonntag": "so"}


def _days(f: Fields) -> tuple[str, ...]:
    """Weekdays as mo … so; `Mo` and `Montag` are read as mo too."""

    def day(sub: Fields, i: int, item: object) -> str | None:
        raw = sub.doc.raw.get(sub.prefix + (i,), str(item)).strip()  # `no` is read by YAML as false
        found = raw.lower() if raw.lower() in DAYS else _DAY_NAMES.get(raw.lower())
        if found is None:
            sub.report(i, f'"{raw}" is not a day; use mo, di, mi, do, fr, sa, so')
        return found

    return f.unique("days", day, required=True)


def _clock(time: str | None) -> str | None:
    """'9:00' -> '09:00', so times compare and display alike."""
    return time.zfill(5) if time else None


def _geo(f: Fields | None) -> Geo | None:
    if f is None:
        return None
    f.unknown(("lat", "lon"))
    lat = f.number("lat", low=-90, high=90)
    lon = f.number("lon", low=-180, high=180)
    if "lat" not in f.data or "lon" not in f.data:
        f.report(None, "needs both lat and lon, e.g. {lat: 50.13, lon: 8.92}")
    return Geo(lat, lon) if lat is not None and lon is not None else None


def _address(f: Fields | None) -> Address | None:
    if f is None:
        return None
    f.unknown(("street", "postcode", "city"))
    if not any(f.data.get(k) for k in ("street", "postcode", "city")):
        f.report(None, "an address needs a street, a postcode or a city")
    return Address(f.text("street"), f.quoted("postcode", pattern=POSTCODE, example="63450"), f.text("city"))


def _contact(f: Fields, *, name: bool = False) -> Contact:
    """Contact fields: an actor has them at the top level, an offer in a `contact` group."""
    if name:
        f.unknown(("name", "phone", "email", "website"))
    phone = f.quoted("phone", pattern=PHONE, example="06181 12345")
    email = f.text("email")
    if email is not None and not EMAIL.match(email):
        f.report("email", f'"{email}" is not an e-mail address')
        email = None
    website = f.text("website")
    if website is not None and not WEBSITE.match(website):
        f.report("website", f'"{website}" must be a full address starting with https://')
        website = None
    return Contact(f.text("name") if name else None, phone, email, website)


# -- checks across records ----------------------------------------------------------------------

_LEVEL = {"kreis": 0, "stadt": 1, "sonderstatusstadt": 1, "gemeinde": 1, "ortsteil": 2}


def _region_levels(regions: Mapping[str, Region]) -> list[Problem]:
    """A Kreis holds towns, a town holds Ortsteile: a parent of the same or a lower level is a slip.
    Parents that are unknown or in a cycle are errors already and get no second message."""
    problems = []
    for region in regions.values():
        parent = regions.get(region.parent or "")
        if parent is not None and _LEVEL[parent.kind] >= _LEVEL[region.kind] and not _in_cycle(region, regions):
            problems.append(Problem(region.origin.path, region.origin.line("parent"),
                                    f'parent: "{parent.slug}" is {_a(parent.kind)}; {_a(region.kind)} '
                                    "cannot lie inside it (check kind and parent)", "warning"))
        if region.kind == "ortsteil" and ("parent",) not in region.origin.lines:
            problems.append(Problem(region.origin.path, region.origin.line("kind"),
                                    "kind: an ortsteil needs a parent (its Stadt or Gemeinde)", "warning"))
    return problems


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _in_cycle(region: Region, regions: Mapping[str, Region]) -> bool:
    seen, parent = {region.slug}, region.parent
    while parent is not None and parent in regions and parent not in seen:
        seen.add(parent)
        parent = regions[parent].parent
    return parent is not None and parent in seen


def _region_cycles(regions: Mapping[str, Region]) -> list[Problem]:
    problems = []
    for slug, region in regions.items():
        seen = [slug]
        parent = region.parent
        while parent is not None and parent in regions:
            if parent == slug:
                chain = " → ".join(seen + [slug])
                problems.append(Problem(region.origin.path, region.origin.line("parent"),
                                        f"parent: the regions form a cycle: {chain}"))
                break
            if parent in seen:
                break  # a cycle further up; it is reported at its own regions
            seen.append(parent)
            parent = regions[parent].parent
    return problems


def _orphan_translations(translations: list[Translation], sources: list[Source]) -> list[Problem]:
    offers = {s.slug for s in sources if s.kind == "offers" and s.lang is None}
    return [
        Problem(t.origin.path, 1, f"there is no offer {t.slug}.md for this translation")
        for t in translations
        if t.slug not in offers
    ]
