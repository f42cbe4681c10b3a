"""Die Bestandsaufnahme: counts for planners, computed purely from the site model (contract §5).

An offer counts for a region when a resident finds it on that region's page: offers for the
region, for a place inside it, or for a region around it (`Site.offers_within` and
`Site.offers_around`; the same rule as the search's region filter, so every count equals the
number of results of the search it links to). Every count here is a number of published offers.
Each table is also written as CSV with slugs, one row per pair, zeros included.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import chain

from atlas.freshness import is_due
from atlas.model import Site
from atlas.record_types import Offer
from atlas.search import language_options

PLACE_KINDS = ("stadt", "sonderstatusstadt", "gemeinde")  # the rows of the gap table
COSTS = ("free", "paid", "unknown")
NONE = ""  # the column or row of offers that leave a field out (no audience: for everyone)
FOLDER = "bestandsaufnahme/"
CSV = {  # table -> its CSV file; topics: contract §5
    "topics": FOLDER + "themen-regionen.csv", "audiences": FOLDER + "zielgruppen-themen.csv",
    "languages": FOLDER + "sprachen-regionen.csv", "costs": FOLDER + "kosten-regionen.csv",
    "review": FOLDER + "pruefung-akteure.csv", "network": FOLDER + "netzwerk.csv",
}


@dataclass(frozen=True)
class Matrix:
    """Counts of offers by a row key and a column key; missing pairs are 0."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: Mapping[tuple[str, str], int]
    totals: Mapping[str, int]  # column -> how many offers of the whole atlas carry it (each offer once)

    def count(self, row: str, column: str) -> int:
        return self.counts.get((row, column), 0)

    def empty_cells(self, rows: Iterable[str]) -> int:
        return sum(1 for row in rows for column in self.columns if not self.count(row, column))


@dataclass(frozen=True)
class Review:
    """How many entries are due for review: reviewed more than `days` days before the build."""

    days: int
    total: int
    due: int
    by_actor: tuple[tuple[str, int, int], ...]  # (actor, offers, due), most due first; only actors with due ones

    @property
    def percent(self) -> int:
        return round(100 * self.due / self.total) if self.total else 0


@dataclass(frozen=True)
class Network:
    """Who works with whom: actors that run or support an offer together (its actor and partners)."""

    pairs: tuple[tuple[str, str, int], ...]  # (actor, actor, shared offers), most shared first
    partners: tuple[tuple[str, tuple[str, ...]], ...]  # actor -> its partners, most partners first


@dataclass(frozen=True)
class Inventory:
    places: tuple[str, ...]  # Städte and Gemeinden, alphabetical
    districts: tuple[str, ...]  # Ortsteile, by their Stadt, then alphabetical
    kreise: tuple[str, ...]  # regions that hold every place; their row is the total
    topics: Matrix  # region x topic, every region
    audiences: Matrix  # audience (NONE: for everyone) x topic
    languages: Matrix  # region x language code (NONE: not given)
    costs: Matrix  # region x COSTS
    review: Review
    network: Network


def take_inventory(site: Site, today: date, review_days: int) -> Inventory:
    regions = site.regions.values()
    name = {slug: r.name for slug, r in site.regions.items()}
    districts = [r.slug for r in regions if r.kind == "ortsteil"]
    districts.sort(key=lambda slug: [name.get(p, p) for p in reversed(site.enclosing[slug])] + [name[slug]])
    topics = tuple(t.slug for t in site.config.topics)
    return Inventory(
        places=tuple(r.slug for r in regions if r.kind in PLACE_KINDS),
        districts=tuple(districts),
        kreise=tuple(r.slug for r in regions if r.kind == "kreis"),
        topics=_by_region(site, topics, lambda offer: offer.topics),
        audiences=_audiences(site, topics),
        languages=_by_region(site, tuple(code for code, _ in language_options(site)) + (NONE,),
                             lambda offer: offer.languages or (NONE,)),
        costs=_by_region(site, COSTS, lambda offer: (cost_of(offer),)),
        review=_review(site, today, review_days),
        network=_network(site),
    )


def offers_on_page(site: Site, region: str) -> tuple[Offer, ...]:
    """The offers a resident of the region finds on its page."""
    return site.offers_within.get(region, ()) + site.offers_around.get(region, ())


def cost_of(offer: Offer) -> str:
    if offer.cost is None:
        return "unknown"
    return "free" if offer.cost.free else "paid"


def _by_region(site: Site, columns: tuple[str, ...], keys) -> Matrix:  # type: ignore[no-untyped-def]
    """Per region, how many offers on its page carry each key (linear: each offer once per page;
    the keys of an offer are looked up once, and counted in C by Counter)."""
    keyed = {slug: tuple(keys(offer)) for slug, offer in site.offers.items()}
    counts: dict[tuple[str, str], int] = {}
    for region in site.regions:
        found = Counter(chain.from_iterable([keyed[offer.slug] for offer in offers_on_page(site, region)]))
        counts.update(((region, key), n) for key, n in found.items())
    return Matrix(tuple(site.regions), columns, counts, dict(Counter(chain.from_iterable(keyed.values()))))


def _audiences(site: Site, topics: tuple[str, ...]) -> Matrix:
    counts: Counter[tuple[str, str]] = Counter()
    for offer in site.offers.values():
        for audience in offer.audiences or (NONE,):
            for topic in offer.topics:
                counts[(audience, topic)] += 1
    totals = {topic: len(site.offers_by_topic.get(topic, ())) for topic in topics}
    return Matrix(tuple(a.slug for a in site.config.audiences) + (NONE,), topics, dict(counts), totals)


def _review(site: Site, today: date, days: int) -> Review:
    offers: Counter[str] = Counter()
    due: Counter[str] = Counter()
    for offer in site.offers.values():
        offers[offer.actor] += 1
        if is_due(offer, today, days):
            due[offer.actor] += 1
    order = {slug: i for i, slug in enumerate(site.actors)}  # alphabetical by name
    by_actor = sorted(((actor, offers[actor], n) for actor, n in due.items()),
                      key=lambda row: (-row[2], -row[1], order[row[0]]))
    return Review(days, len(site.offers), sum(due.values()), tuple(by_actor))


def _network(site: Site) -> Network:
    order = {slug: i for i, slug in enumerate(site.actors)}  # alphabetical by name
    shared: Counter[tuple[str, str]] = Counter()
    for offer in site.offers.values():
        team = sorted({offer.actor, *offer.partners}, key=order.__getitem__)
        for i, first in enumerate(team):
            for second in team[i + 1:]:
                shared[(first, second)] += 1
    pairs = sorted(((a, b, n) for (a, b), n in shared.items()), key=lambda p: (-p[2], order[p[0]], order[p[1]]))
    partners: dict[str, set[str]] = defaultdict(set)
    for a, b, _ in pairs:
        partners[a].add(b)
        partners[b].add(a)
    by_actor = sorted(partners.items(), key=lambda item: (-len(item[1]), order[item[0]]))
    return Network(tuple(pairs), tuple((a, tuple(sorted(p, key=order.__getitem__))) for a, p in by_actor))


# -- CSV --------------------------------------------------------------------------------------------

def inventory_files(inventory: Inventory) -> dict[str, bytes]:
    """The tables as CSV (UTF-8, slugs, one row per pair with zeros): for spreadsheets and further analysis."""
    regions = inventory.places + inventory.districts + inventory.kreise  # every region: each kind is one of these
    return {
        CSV["topics"]: _long(("region", "topic", "offers"), inventory.topics, regions),
        CSV["audiences"]: _long(("audience", "topic", "offers"), inventory.audiences, inventory.audiences.rows),
        CSV["languages"]: _long(("region", "language", "offers"), inventory.languages, regions),
        CSV["costs"]: _long(("region", "cost", "offers"), inventory.costs, regions),
        CSV["review"]: _csv(("actor", "offers", "due"), inventory.review.by_actor),
        CSV["network"]: _csv(("actor", "partner", "offers"), inventory.network.pairs),
    }


def _long(header: tuple[str, str, str], matrix: Matrix, rows: Iterable[str]) -> bytes:
    return _csv(header, ((row, column, matrix.count(row, column)) for row in rows for column in matrix.columns))


def _csv(header: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
