"""The site model: published offers and the relations the pages show, computed once, purely."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from atlas.config import Config
from atlas.errors import Problem
from atlas.record_types import Actor, Offer, Records, Region, Translation

_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "à": "a", "á": "a", "é": "e", "è": "e",
                       "ç": "c", "ş": "s", "ğ": "g", "ı": "i", "„": "", "“": "", '"': ""})


def sort_key(text: str) -> tuple[str, str]:
    """German dictionary order (DIN 5007-1: ä as a, ß as ss), case-insensitive; stable ties."""
    return text.casefold().translate(_FOLD), text


def initial(text: str) -> str:
    """The letter an entry is filed under in an A–Z list (Ä under A; Arabic or Cyrillic letters
    as themselves); digits and others under '#'."""
    first = sort_key(text)[0].lstrip()[:1].upper()
    return first if first.isalpha() else "#"


@dataclass(frozen=True)
class Site:
    config: Config
    regions: Mapping[str, Region]  # in alphabetical order of name
    actors: Mapping[str, Actor]  # in alphabetical order of name
    offers: Mapping[str, Offer]  # published offers, alphabetical by title
    translations: Mapping[tuple[str, str], Translation]  # (offer slug, lang)
    children: Mapping[str, tuple[str, ...]]  # region -> sub-regions, alphabetical
    offers_by_actor: Mapping[str, tuple[Offer, ...]]
    offers_by_partner: Mapping[str, tuple[Offer, ...]]
    offers_by_topic: Mapping[str, tuple[Offer, ...]]
    offers_by_audience: Mapping[str, tuple[Offer, ...]]
    offers_within: Mapping[str, tuple[Offer, ...]]  # region -> offers for it or a sub-region
    offers_around: Mapping[str, tuple[Offer, ...]]  # region -> offers for an enclosing region only
    enclosing: Mapping[str, tuple[str, ...]]  # region -> enclosing regions, nearest first
    data_date: date | None  # the latest `reviewed` date: how fresh the data is
    build_date: date  # "today" for this build (SOURCE_DATE_EPOCH): which offers are due for review

    def offer_count(self, region: str) -> int:
        """How many offers a resident of the region finds on its page."""
        return len(self.offers_within.get(region, ())) + len(self.offers_around.get(region, ()))

    def text(self, offer: Offer, lang: str) -> Translation:
        """What a reader of `lang` reads of an offer: its translation, or else the German record
        (then `lang` of the result is "de", and the page says that no translation exists)."""
        found = self.translations.get((offer.slug, lang))
        if found is not None:
            return found
        return Translation(offer.slug, self.config.default_language, offer.origin, offer.title, offer.summary,
                           offer.hours_note, offer.body)

    def ancestors(self, slug: str) -> tuple[Region, ...]:
        """The enclosing regions, nearest first (Lamboy -> Hanau -> Main-Kinzig-Kreis)."""
        return tuple(self.regions[s] for s in self.enclosing[slug])


def is_published(offer: Offer, today: date) -> bool:
    return offer.valid_until is None or offer.valid_until >= today


def publication_problems(records: Records, today: date) -> list[Problem]:
    """Dates that depend on the build day: offers whose time is over (the build leaves them out)
    and review dates in the future (a typo, and it would show as the data's date)."""
    problems = []
    for o in records.offers.values():
        if o.valid_until is not None and not is_published(o, today):
            problems.append(Problem(o.origin.path, o.origin.line("valid_until"),
                                    f"valid_until: {o.valid_until.isoformat()} has passed; the offer is not published",
                                    "warning"))
        if o.reviewed > today:
            problems.append(Problem(o.origin.path, o.origin.line("reviewed"),
                                    f"reviewed: {o.reviewed.isoformat()} is in the future", "warning"))
    return problems


def build_model(config: Config, records: Records, today: date) -> Site:
    regions = _alphabetical(records.regions.values(), lambda r: r.name)
    actors = _alphabetical(records.actors.values(), lambda a: a.name)
    offers = _alphabetical((o for o in records.offers.values() if is_published(o, today)), lambda o: o.title)

    children: dict[str, list[str]] = defaultdict(list)
    for region in regions.values():
        if region.parent is not None:
            children[region.parent].append(region.slug)

    above = {slug: _ancestors(slug, records.regions) for slug in regions}
    below: dict[str, set[str]] = defaultdict(set)  # region -> all regions inside it
    for slug, ancestors in above.items():
        for ancestor in ancestors:
            below[ancestor].add(slug)
    within: dict[str, list[Offer]] = defaultdict(list)  # region -> offers for it or a region inside it
    around: dict[str, list[Offer]] = defaultdict(list)  # region -> offers for a region around it only
    for offer in offers.values():  # from each offer's regions up and down: a Land has thousands of regions
        served = [slug for slug in offer.regions if slug in regions]
        inside = {slug for served_slug in served for slug in (served_slug, *above[served_slug])}
        for slug in inside:
            within[slug].append(offer)
        for slug in {slug for served_slug in served for slug in below[served_slug]} - inside:
            around[slug].append(offer)

    by_actor = _group(offers.values(), lambda o: (o.actor,))
    return Site(
        config=config,
        regions=regions,
        actors=actors,
        offers=offers,
        translations={(t.slug, t.lang): t for t in records.translations if t.lang in config.languages},
        children={slug: tuple(kids) for slug, kids in children.items()},
        offers_by_actor=by_actor,
        offers_by_partner=_group(offers.values(), lambda o: o.partners),
        offers_by_topic=_group(offers.values(), lambda o: o.topics),
        offers_by_audience=_group(offers.values(), lambda o: o.audiences),
        offers_within={slug: tuple(within[slug]) for slug in regions if slug in within},
        offers_around={slug: tuple(around[slug]) for slug in regions if slug in around},
        enclosing=above,
        data_date=max((o.reviewed for o in offers.values() if o.reviewed <= today), default=None),
        build_date=today,
    )


def _alphabetical(items: Iterable, name) -> dict:  # type: ignore[type-arg]
    return {item.slug: item for item in sorted(items, key=lambda item: (sort_key(name(item)), item.slug))}


def _group(offers: Iterable[Offer], keys) -> dict[str, tuple[Offer, ...]]:  # type: ignore[no-untyped-def]
    groups: dict[str, list[Offer]] = defaultdict(list)
    for offer in offers:
        for key in keys(offer):
            groups[key].append(offer)
    return {key: tuple(found) for key, found in groups.items()}


def _ancestors(slug: str, regions: Mapping[str, Region]) -> tuple[str, ...]:
    chain: list[str] = []
    parent = regions[slug].parent
    while parent is not None and parent in regions and parent not in chain and parent != slug:
        chain.append(parent)
        parent = regions[parent].parent
    return tuple(chain)
