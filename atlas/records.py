"""The records of an atlas (regions, actors, offers, offer translations; atlas/record_types.py).

`parse_records` turns the files that `sources.read_sources` read into records and reports
every problem, including references that do not resolve; `read_records` does both steps a file
at a time on every core (the build). Slugs come from file names, so every reference can be
checked while a record is read.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from datetime import date
from pathlib import Path
from typing import Any

from atlas import languages
from atlas.config import Config
from atlas.crosschecks import orphan_translations, region_cycles, region_levels
from atlas.documents import Shapes
from atlas.errors import Problem
from atlas.fields import Fields
from atlas.markdown import body_problems
from atlas.parallel import map_slices
from atlas.record_cache import RecordCache
from atlas.record_types import Actor, Address, Contact, Cost, Geo, Hours, Location, Offer, Records, Region, Translation
from atlas.schema import ACTOR, DAYS, OFFER, REGION, TRANSLATION, Field, field, names
from atlas.sources import Listed, Source, list_sources, read_listed

# -- parsing records ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Known:
    """Every slug a reference may name."""

    regions: frozenset[str]
    actors: frozenset[str]
    topics: tuple[str, ...]
    audiences: tuple[str, ...]
    shapes: Shapes = dataclass_field(default_factory=dict, compare=False)  # the records' line keys, shared
    values: dict[Any, Any] = dataclass_field(default_factory=dict, compare=False)  # see shared()

    def slugs(self, kind: str) -> Collection[str]:
        """What a reference or vocabulary field of this kind may name."""
        return getattr(self, kind) if kind else ()

    def shared(self, value: Any) -> Any:
        """One object for each slug, choice and list of them that the records repeat: a Land's 50,000
        offers name the same topics, regions, languages and days (~700 bytes an offer as copies)."""
        if isinstance(value, tuple):
            value = tuple(self.values.setdefault(item, item) for item in value)
        return value if value is None else self.values.setdefault(value, value)


def parse_records(sources: list[Source], config: Config,
                  cache: RecordCache | None = None) -> tuple[Records, list[Problem]]:
    """The records of the files `read_sources` read, and every problem of their fields and references.
    A `cache` (of `atlas serve`) keeps each file's record while the file and what it is checked against
    are unchanged."""
    known = _known([(s.kind, s.slug, s.lang) for s in sources], config)
    cache = cache or RecordCache()
    cache.begin((known, config.default_language, config.languages))
    parsed: list[tuple[Source, Any, list[Problem]]] = []
    for source in sources:
        if source.document is None:
            continue
        record, found = cache.record(source, lambda found, s=source: _record(s, config, known, found))
        parsed.append((source, record, found))
    return _assembled(parsed, sources)


def parse_again(sources: list[Source], config: Config, cache: RecordCache) -> list[tuple[Any, list[Problem]]] | None:
    """(record, problems) of offers and translations of `cache`'s last pass read again (`atlas serve`'s
    preview of an edited offer), or None when that pass was checked against other settings or a file
    is of another kind. With the same files and settings, every other record's references resolve as
    before and no problem across records changes (those look at slugs and regions), so only these
    files are checked: what parse_records would find for them, at one file's cost, not the atlas's."""
    against = cache.against
    if any(source.kind != "offers" for source in sources) or not isinstance(against, tuple):
        return None
    if against[1:] != (config.default_language, config.languages):
        return None
    known: _Known = against[0]
    settings = _known([], config)  # the vocabularies' slugs
    if (known.topics, known.audiences) != (settings.topics, settings.audiences):
        return None
    again = [cache.again(source, lambda found, s=source: _record(s, config, known, found)) for source in sources]
    return None if None in again else again  # type: ignore[return-value]


def read_records(project: Path, config: Config, workers: int | None = None) -> tuple[Records, list[Problem]]:
    """read_sources and parse_records in one pass, on every core: each process parses a file as soon as
    it has read it and keeps only the record (a third of the parsed file), so that no process holds the
    documents of a Land's atlas (50,000 offers) at once. The same records and problems as the two steps."""
    listed, problems = list_sources(project)
    known = _known([(kind, slug, lang) for kind, slug, lang, _ in listed], config)

    def parse(part: Sequence[Listed]) -> list[tuple[Source, Any, list[Problem]]]:
        entries = []
        for source, trouble in read_listed(project, part):
            found = list(trouble)  # the problems of reading, then of the fields
            record = None if source.document is None else _record(source, config, known, found)
            entries.append((replace(source, document=None), record, found))
        return entries

    entries = map_slices(parse, listed, workers)
    records, found = _assembled(entries, [source for source, *_ in entries])
    return records, problems + found


def _known(files: list[tuple[str, str, str | None]], config: Config) -> _Known:
    """What references may name: the slugs of the record files (kind, slug, language) and of the settings."""
    main = [(kind, slug) for kind, slug, lang in files if lang is None]
    return _Known(
        regions=frozenset(slug for kind, slug in main if kind == "regions"),
        actors=frozenset(slug for kind, slug in main if kind == "actors"),
        topics=tuple(t.slug for t in config.topics),
        audiences=tuple(a.slug for a in config.audiences),
    )


def _assembled(parsed: list[tuple[Source, Any, list[Problem]]],
               sources: list[Source]) -> tuple[Records, list[Problem]]:
    """The records by kind, with the problems of each and those across records."""
    problems: list[Problem] = []
    regions: dict[str, Region] = {}
    actors: dict[str, Actor] = {}
    offers: dict[str, Offer] = {}
    translations: list[Translation] = []
    for source, record, found in parsed:
        problems.extend(found)
        if isinstance(record, Translation):
            translations.append(record)
        elif isinstance(record, Region):
            regions[source.slug] = record
        elif isinstance(record, Actor):
            actors[source.slug] = record
        elif isinstance(record, Offer):
            offers[source.slug] = record
    problems.extend(region_cycles(regions))
    problems.extend(region_levels(regions, problems))
    problems.extend(orphan_translations(translations, sources))
    return Records(regions, actors, offers, tuple(translations)), problems


def _record(source: Source, config: Config, known: _Known, problems: list[Problem]) -> Any:
    """One file's record (None for a translation that cannot be used); its problems go to `problems`."""
    assert source.document is not None
    fields = Fields(source.document, problems)
    problems.extend(body_problems(source.document.body, source.path, source.document.body_line))
    if source.lang is not None:
        return _translation(source, fields, config, known)
    read = {"regions": _region, "actors": _actor}.get(source.kind, _offer)
    return read(source.slug, fields, known)


def _read(f: Fields, spec: Field, known: _Known) -> Any:
    """A field's value as its schema describes it; the problems go to `f`. Groups are read by
    the functions below, which build their dataclasses."""
    value = _READERS[spec.kind](f, spec, known)
    return known.shared(value) if spec.kind in _SHARED else value


def _named(spec: Field, known: _Known) -> tuple[Collection[str], str]:
    """What a reference field may name, and what one of them is called ("regions" -> "region")."""
    kind = spec.ref or spec.vocabulary or ""
    return known.slugs(kind), kind[:-1]


# made once, not per field read: a Land's atlas reads millions of fields
_READERS: dict[str, Callable[[Fields, Field, _Known], Any]] = {
    "text": lambda f, spec, _: f.text(spec.name, required=spec.required, max_length=spec.max_length,
                                      multiline=spec.multiline),
    "choice": lambda f, spec, _: f.choice(spec.name, spec.choices, required=spec.required),
    "quoted": lambda f, spec, _: f.quoted(spec.name, required=spec.required, pattern=spec.pattern,
                                          example=spec.example.strip('"')),
    "email": lambda f, spec, _: _checked(f, spec, "is not an e-mail address"),
    "url": lambda f, spec, _: _checked(f, spec, "must be a full address starting with https://"),
    "date": lambda f, spec, _: f.date(spec.name, required=spec.required),
    "number": lambda f, spec, _: f.number(spec.name, low=spec.low, high=spec.high),
    "ref": lambda f, spec, known: f.single_ref(spec.name, *_named(spec, known), required=spec.required),
    "refs": lambda f, spec, known: f.refs(spec.name, *_named(spec, known), required=spec.required),
    "terms": lambda f, spec, known: f.refs(spec.name, *_named(spec, known), required=spec.required),
    "languages": lambda f, spec, _: f.language_codes(spec.name, required=spec.required),
    "days": lambda f, spec, _: _days(f, spec),
    "strings": lambda f, spec, _: f.strings(spec.name, required=spec.required, pattern=spec.pattern,
                                            example=spec.example.strip('"')),
}
_SHARED = ("choice", "ref", "refs", "terms", "languages", "days")  # kinds of values that records repeat


def _checked(f: Fields, spec: Field, message: str) -> str | None:
    """Text that must match the field's pattern (e-mail addresses, web addresses)."""
    value = f.text(spec.name, required=spec.required, max_length=spec.max_length)
    if value is not None and spec.pattern is not None and not spec.pattern.match(value):
        f.report(spec.name, f'"{value}" {message}')
        return None
    return value


def _values(f: Fields, schema: tuple[Field, ...], known: _Known) -> dict[str, Any]:
    """Every plain field of a record or group by name; unknown fields are warned about."""
    f.unknown(names(schema))
    return {spec.name: _read(f, spec, known) for spec in schema if spec.kind not in _GROUPS}


_GROUPS = ("group", "groups", "cost")


def _region(slug: str, f: Fields, known: _Known) -> Region:
    v = _values(f, REGION, known)
    parent = v["parent"]
    if parent == slug:
        f.report("parent", "a region cannot be its own parent")
        parent = None
    return Region(slug=slug, origin=f.doc.origin(known.shapes), name=v["name"] or slug, kind=v["kind"] or "gemeinde",
                  parent=parent, postcodes=v["postcodes"], geo=_geo(f.mapping("geo"), known), body=f.doc.body)


def _actor(slug: str, f: Fields, known: _Known) -> Actor:
    v = _values(f, ACTOR, known)
    return Actor(slug=slug, origin=f.doc.origin(known.shapes), name=v["name"] or slug, kind=v["kind"] or "sonstige",
                 regions=v["regions"], contact=Contact(None, v["phone"], v["email"], v["website"]),
                 address=_address(f.mapping("address"), known), body=f.doc.body)


def _offer(slug: str, f: Fields, known: _Known) -> Offer:
    v = _values(f, OFFER, known)
    if v["actor"] is not None and v["actor"] in v["partners"]:
        f.report("partners", f'"{v["actor"]}" is the offer\'s actor already; list only other actors as partners')
    if v["valid_from"] and v["valid_until"] and v["valid_until"] < v["valid_from"]:
        f.report("valid_until", f"{v['valid_until']} is before valid_from ({v['valid_from']})")
    contact = f.mapping("contact")
    return Offer(
        slug=slug, origin=f.doc.origin(known.shapes), title=v["title"] or slug, summary=v["summary"] or "",
        actor=v["actor"] or "", partners=v["partners"], regions=v["regions"], topics=v["topics"],
        audiences=v["audiences"], languages=v["languages"], cost=_cost(f, known), appointment=v["appointment"],
        locations=tuple(_location(loc, known) for loc in f.mappings("locations")),
        hours=tuple(h for h in (_hours(entry, known) for entry in f.mappings("hours")) if h is not None),
        hours_note=v["hours_note"], contact=_contact(contact, known) if contact else None,
        valid_from=v["valid_from"], valid_until=v["valid_until"], reviewed=v["reviewed"] or date.min,
        body=f.doc.body,
    )


def _translation(source: Source, f: Fields, config: Config, known: _Known) -> Translation | None:
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
    allowed = names(TRANSLATION)
    for key in f.data:
        if key not in allowed:
            f.report(key, f"a translation holds only {', '.join(allowed)}; {key} comes from the German record")
    v = {spec.name: _read(f, spec, known) for spec in TRANSLATION}
    return Translation(slug=source.slug, lang=lang, origin=f.doc.origin(known.shapes), title=v["title"] or source.slug,
                       summary=v["summary"] or "", hours_note=v["hours_note"], body=f.doc.body)


_COST = field(OFFER, "cost")


def _cost(f: Fields, known: _Known) -> Cost | None:
    if f.data.get("cost") == "free":
        return Cost(free=True)
    if isinstance(f.data.get("cost"), (str, int, float)):
        f.report("cost", 'write "free", or a group like {amount: "20 €", note: "…"}')
        return None
    cost = f.mapping("cost")
    if cost is None:
        return None
    v = _values(cost, _COST.fields, known)
    return Cost(free=False, amount=v["amount"], note=v["note"]) if v["amount"] else None


_LOCATION = field(OFFER, "locations").fields
_HOURS = field(OFFER, "hours").fields


def _location(f: Fields, known: _Known) -> Location:
    v = _values(f, _LOCATION, known)
    if ("lat" in f.data) != ("lon" in f.data):
        f.report("lon" if "lat" in f.data else "lat", "give both lat and lon, or neither")
    if not any(f.data.get(k) for k in ("name", "street", "city")):
        f.report(None, "a location needs at least a name, a street or a city")
    geo = Geo(v["lat"], v["lon"]) if v["lat"] is not None and v["lon"] is not None else None
    return Location(name=v["name"], street=v["street"], postcode=v["postcode"], city=v["city"], geo=geo,
                    accessible=v["accessible"] or "unknown")


def _hours(f: Fields, known: _Known) -> Hours | None:
    v = _values(f, _HOURS, known)
    opens, closes = _clock(v["opens"]), _clock(v["closes"])
    if opens and closes and closes <= opens:
        f.report("closes", f'"{closes}" is not after opens ("{opens}")')
        return None
    if not v["days"] or not opens or not closes:
        return None
    return Hours(tuple(sorted(v["days"], key=DAYS.index)), opens, closes)


_DAY_NAMES = {"montag": "mo", "dienstag": "di", "mittwoch": "mi", "donnerstag": "do", "freitag": "fr",
              "samstag": "sa", "sonnabend": "sa", "sonntag": "so"}


def _days(f: Fields, spec: Field) -> tuple[str, ...]:
    """Weekdays as mo … so; `Mo` and `Montag` are read as mo too."""

    def day(sub: Fields, i: int, item: object) -> str | None:
        raw = sub.doc.raw.get(sub.prefix + (i,), str(item)).strip()  # `no` is read by YAML as false
        found = raw.lower() if raw.lower() in spec.choices else _DAY_NAMES.get(raw.lower())
        if found is None:
            sub.report(i, f'"{raw}" is not a day; use {", ".join(spec.choices)}')
        return found

    return f.unique(spec.name, day, required=spec.required)


def _clock(time: str | None) -> str | None:
    """'9:00' -> '09:00', so times compare and display alike."""
    return time.zfill(5) if time else None


_GEO = field(REGION, "geo").fields
_ADDRESS = field(ACTOR, "address").fields
_CONTACT = field(OFFER, "contact").fields


def _geo(f: Fields | None, known: _Known) -> Geo | None:
    if f is None:
        return None
    v = _values(f, _GEO, known)
    if "lat" not in f.data or "lon" not in f.data:
        f.report(None, "needs both lat and lon, e.g. {lat: 50.13, lon: 8.92}")
    return Geo(v["lat"], v["lon"]) if v["lat"] is not None and v["lon"] is not None else None


def _address(f: Fields | None, known: _Known) -> Address | None:
    if f is None:
        return None
    v = _values(f, _ADDRESS, known)
    if not any(f.data.get(k) for k in ("street", "postcode", "city")):
        f.report(None, "an address needs a street, a postcode or a city")
    return Address(v["street"], v["postcode"], v["city"])


def _contact(f: Fields, known: _Known) -> Contact:
    v = _values(f, _CONTACT, known)
    return Contact(v["name"], v["phone"], v["email"], v["website"])
