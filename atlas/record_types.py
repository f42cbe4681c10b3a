"""What a record of an atlas is (regions, actors, offers, offer translations): frozen dataclasses.
atlas/records.py makes them from the files and checks them; everything after reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from atlas.documents import Located


@dataclass(frozen=True, slots=True)
class Geo:
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Address:
    street: str | None
    postcode: str | None
    city: str | None


@dataclass(frozen=True, slots=True)
class Contact:
    name: str | None
    phone: str | None
    email: str | None
    website: str | None


@dataclass(frozen=True, slots=True)
class Region:
    slug: str
    origin: Located
    name: str
    kind: str
    parent: str | None
    postcodes: tuple[str, ...]
    geo: Geo | None
    body: str


@dataclass(frozen=True, slots=True)
class Actor:
    slug: str
    origin: Located
    name: str
    kind: str
    regions: tuple[str, ...]
    contact: Contact
    address: Address | None
    body: str


@dataclass(frozen=True, slots=True)
class Cost:
    free: bool
    amount: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Location:
    name: str | None
    street: str | None
    postcode: str | None
    city: str | None
    geo: Geo | None
    accessible: str  # yes | partly | no | unknown


@dataclass(frozen=True, slots=True)
class Hours:
    days: tuple[str, ...]
    opens: str
    closes: str


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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
