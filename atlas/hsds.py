"""Model -> HSDS 3.0 (Open Referral's Human Services Data Specification), purely.

An actor is an organization, an offer a service; its locations are locations with an
address and a service_at_location, its weekly hours schedules, its languages languages, its
cost a cost_option, its regions service_areas, and its topics and audiences attributes
pointing at taxonomy terms of the atlas's own two taxonomies. What HSDS has no field for
(the atlas's slugs, an offer's partners, an actor's regions) are attributes of a third
taxonomy, "Integrationsatlas", whose term codes say what the value is. Every id is a UUID
derived from the atlas's base_url and the record's slug, the same in every build.

The objects are nested as in HSDS's compiled service and organization schemas;
`hsds_tables` flattens them into the tabular data package.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from atlas import labels, languages, urls
from atlas.config import LAENDER, Term
from atlas.model import Site
from atlas.record_types import Actor, Address, Contact, Location, Offer

Json = dict[str, Any]

DAYS = {"mo": "MO", "di": "TU", "mi": "WE", "do": "TH", "fr": "FR", "sa": "SA", "so": "SU"}  # RFC 5545 BYDAY
FREE = "kostenlos"  # cost_option.amount_description of a free offer (with amount 0)
COUNTRY = "DE"
VERSION = "3.0.0"  # of HSDS
# the "Integrationsatlas" taxonomy: what an attribute's value is, for what HSDS has no field
SLUG, PARTNER, REGION = "atlas-slug", "atlas-partner", "atlas-region"
ATLAS_TERMS = {
    SLUG: "Kennung im Integrationsatlas (Dateiname des Eintrags)",
    PARTNER: "Partner: Kennung eines Akteurs, der das Angebot mitträgt",
    REGION: "Region, in der der Akteur tätig ist (Kennung)",
}
_AMOUNT = re.compile(r"(\d+(?:[.,]\d{1,2})?)")


@dataclass(frozen=True)
class Ids:
    """Stable UUIDs: uuid5 of a path like "offer/<slug>" in a namespace made from base_url, so
    the same atlas gives the same ids in every build and two atlases never share one. Holds the
    taxonomy terms too, made once: thousands of attributes point at the same few."""

    namespace: uuid.UUID
    terms: Mapping[tuple[str, str], Json] = field(default_factory=dict)  # (taxonomy kind, code) -> term

    @classmethod
    def of(cls, site: Site) -> Ids:
        ids = cls(uuid.uuid5(uuid.NAMESPACE_URL, site.config.base_url))
        terms = {(kind, term["code"]): term for kind in _TAXONOMIES for term in _terms(site, ids, kind)}
        return cls(ids.namespace, terms)

    def __call__(self, *path: str) -> str:
        """uuid.uuid5(namespace, "/".join(path)), computed as RFC 4122 says without building UUID
        objects (a build makes hundreds of thousands)."""
        digest = bytearray(hashlib.sha1(self.namespace.bytes + "/".join(path).encode()).digest()[:16])
        digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
        digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
        h = digest.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def services(site: Site) -> list[Json]:
    """Every published offer as an HSDS service, with its organization nested (services.json)."""
    ids = Ids.of(site)
    organizations = {slug: organization(site, actor, ids) for slug, actor in site.actors.items()}
    return [service(site, offer, ids, organizations[offer.actor]) for offer in _by_slug(site.offers)]


def organizations(site: Site) -> list[Json]:
    """Every actor as an HSDS organization (organizations.json)."""
    ids = Ids.of(site)
    return [organization(site, actor, ids) for actor in _by_slug(site.actors)]


def taxonomies(site: Site) -> list[Json]:
    """Every term of the atlas's taxonomies, also those no offer uses, each with its taxonomy
    (taxonomy_detail) for the taxonomy tables. The terms inside attributes name their taxonomy
    by taxonomy_id and name only: the details thousands of times over would double services.json."""
    ids = Ids.of(site)
    return [{**term, "taxonomy_detail": _taxonomy(site, ids, kind)} for (kind, _), term in ids.terms.items()]


def _by_slug(records: Any) -> list[Any]:
    return [records[slug] for slug in sorted(records)]


# -- organization --------------------------------------------------------------------------------

def organization(site: Site, actor: Actor, ids: Ids) -> Json:
    oid = ids("actor", actor.slug)
    contact = actor.contact
    org = _clean({
        "id": oid,
        "name": actor.name,
        # HSDS requires a description; an actor without a text is described by its name
        "description": actor.body.strip() or actor.name,
        "email": contact.email,
        "website": contact.website,
        "legal_status": labels.ACTOR_KINDS[actor.kind],
        "uri": urls.absolute(site.config.base_url, urls.actor(actor.slug)),
        "phones": [_phone(ids("actor", actor.slug, "phone"), contact.phone, organization_id=oid)]
        if contact.phone else [],
        "locations": [_actor_location(site, actor, actor.address, ids)] if actor.address else [],
        "organization_identifiers": [{"id": ids("actor", actor.slug, "identifier"), "organization_id": oid,
                                      "identifier_type": "Integrationsatlas", "identifier": actor.slug}],
        "attributes": [_attribute(ids, f"actor/{actor.slug}", "organization", oid, "atlas", REGION, region)
                       for region in actor.regions],
    })
    return org


def _actor_location(site: Site, actor: Actor, address: Address, ids: Ids) -> Json:
    lid = ids("actor", actor.slug, "location")
    return _clean({
        "id": lid, "location_type": "postal", "organization_id": ids("actor", actor.slug), "name": actor.name,
        "addresses": _addresses(site, ids("actor", actor.slug, "address"), lid, address, "postal"),
        "description": _partial_address(address),
    })


def _addresses(site: Site, aid: str, lid: str, address: Address, kind: str) -> list[Json]:
    """HSDS requires street, city and postcode of an address; a partial one is left to the
    location's description."""
    if not (address.street and address.postcode and address.city):
        return []
    return [{"id": aid, "location_id": lid, "address_1": address.street, "city": address.city,
             "state_province": LAENDER[site.config.land], "postal_code": address.postcode, "country": COUNTRY,
             "address_type": kind}]


def _partial_address(address: Address) -> str | None:
    if address.street and address.postcode and address.city:
        return None
    place = " ".join(p for p in (address.postcode, address.city) if p)
    return ", ".join(p for p in (address.street, place) if p) or None


# -- service -------------------------------------------------------------------------------------

def service(site: Site, offer: Offer, ids: Ids, org: Json) -> Json:
    sid = ids("offer", offer.slug)
    contact = offer.contact or Contact(None, None, None, None)
    return _clean({
        "id": sid,
        "organization_id": org["id"],
        "name": offer.title,
        # the summary (one line, whitespace folded) and the Markdown body, split at the first blank line
        "description": offer.summary + (f"\n\n{offer.body.strip()}" if offer.body.strip() else ""),
        "url": contact.website,
        "status": "active",
        "application_process": labels.APPOINTMENT[offer.appointment] if offer.appointment else None,
        "fees_description": _fees(offer),
        "assured_date": offer.reviewed.isoformat(),
        "contacts": _contacts(offer, contact, ids, sid),
        "schedules": list(_schedules(offer, ids, sid)),
        "service_areas": [_service_area(site, ids, offer, sid, region) for region in offer.regions],
        "service_at_locations": [_service_at_location(site, offer, ids, sid, org["id"], i, location)
                                 for i, location in enumerate(offer.locations, 1)],
        "languages": [{"id": ids("offer", offer.slug, "language", code), "service_id": sid,
                       "name": languages.name_in(code, "de"), "code": code} for code in offer.languages],
        "cost_options": _cost_options(offer, ids, sid),
        "attributes": _service_attributes(offer, ids, sid),
        "organization": org,
    })


def _fees(offer: Offer) -> str | None:
    if offer.cost is None:
        return None
    if offer.cost.free:
        return FREE
    return " – ".join(part for part in (offer.cost.amount, offer.cost.note) if part) or None


def _cost_options(offer: Offer, ids: Ids, sid: str) -> list[Json]:
    """A free offer costs 0 EUR ("kostenlos"); a price is kept as written in amount_description,
    and its first number, where there is one, is the amount."""
    cost = offer.cost
    if cost is None:
        return []
    option: Json = {"id": ids("offer", offer.slug, "cost"), "service_id": sid}
    if cost.free:
        return [{**option, "currency": "EUR", "amount": 0, "amount_description": FREE}]
    number = _AMOUNT.search(cost.amount or "")
    if number:
        amount = float(number.group(1).replace(",", "."))
        option.update(currency="EUR", amount=int(amount) if amount.is_integer() else amount)
    return [_clean({**option, "amount_description": cost.amount, "option": cost.note})]


def _contacts(offer: Offer, contact: Contact, ids: Ids, sid: str) -> list[Json]:
    if not (contact.name or contact.email or contact.phone):
        return []
    cid = ids("offer", offer.slug, "contact")
    phones = [_phone(ids("offer", offer.slug, "contact", "phone"), contact.phone, contact_id=cid)] \
        if contact.phone else []
    return [_clean({"id": cid, "service_id": sid, "name": contact.name, "email": contact.email, "phones": phones})]


def _phone(pid: str, number: str, **owner: str) -> Json:
    return {"id": pid, **owner, "number": number, "type": "voice"}


def _schedules(offer: Offer, ids: Ids, sid: str) -> Iterator[Json]:
    """One weekly schedule per `hours` entry; the hours note and the validity dates ride on each
    (or on a schedule of their own when there are no weekly hours)."""
    common = _clean({"service_id": sid, "valid_from": _iso(offer.valid_from), "valid_to": _iso(offer.valid_until),
                     "description": offer.hours_note})
    for i, hours in enumerate(offer.hours, 1):
        yield {"id": ids("offer", offer.slug, "schedule", str(i)), **common, "freq": "WEEKLY", "wkst": "MO",
               "byday": ",".join(DAYS[d] for d in hours.days), "opens_at": hours.opens, "closes_at": hours.closes}
    if not offer.hours and len(common) > 1:
        yield {"id": ids("offer", offer.slug, "schedule"), **common}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _service_area(site: Site, ids: Ids, offer: Offer, sid: str, slug: str) -> Json:
    region = site.regions[slug]
    return {"id": ids("offer", offer.slug, "service_area", slug), "service_id": sid, "name": region.name,
            "description": labels.REGION_KINDS[region.kind],
            "uri": urls.absolute(site.config.base_url, urls.region(slug))}


def _service_at_location(site: Site, offer: Offer, ids: Ids, sid: str, oid: str, i: int,
                         place: Location) -> Json:
    lid = ids("offer", offer.slug, "location", str(i))
    address = Address(place.street, place.postcode, place.city)
    location = _clean({
        "id": lid, "location_type": "physical", "organization_id": oid, "name": place.name,
        "description": _partial_address(address),
        "latitude": place.geo.lat if place.geo else None, "longitude": place.geo.lon if place.geo else None,
        "addresses": _addresses(site, ids("offer", offer.slug, "location", str(i), "address"), lid, address,
                                "physical"),
        "accessibility": [] if place.accessible == "unknown" else [
            {"id": ids("offer", offer.slug, "location", str(i), "accessibility"), "location_id": lid,
             "description": labels.ACCESSIBLE[place.accessible]}],
    })
    return {"id": ids("offer", offer.slug, "service_at_location", str(i)), "service_id": sid, "location_id": lid,
            "location": location}


# -- taxonomies and attributes -------------------------------------------------------------------

_TAXONOMIES = {  # kind -> (name, description, route of its overview page)
    "topic": ("Handlungsfelder", "Die Themen (Handlungsfelder) des Integrationsatlas", urls.TOPICS),
    "audience": ("Zielgruppen", "Die Zielgruppen des Integrationsatlas", urls.AUDIENCES),
    "atlas": ("Integrationsatlas", "Felder des Integrationsatlas, für die HSDS kein eigenes Feld hat", None),
}


def _taxonomy(site: Site, ids: Ids, kind: str) -> Json:
    name, description, route = _TAXONOMIES[kind]
    uri = urls.absolute(site.config.base_url, route) if route is not None else None
    return _clean({"id": ids("taxonomy", kind), "name": name, "description": description, "uri": uri})


def _term(site: Site, ids: Ids, kind: str, code: str) -> Json:
    """A taxonomy term: code = the atlas's slug, name = its German label."""
    if kind == "atlas":
        name = description = ATLAS_TERMS[code]
        uri = None
    else:
        vocabulary: tuple[Term, ...] = site.config.topics if kind == "topic" else site.config.audiences
        name = description = next(t for t in vocabulary if t.slug == code).label("de")
        uri = urls.absolute(site.config.base_url, urls.term(kind, code))
    taxonomy = _taxonomy(site, ids, kind)
    return _clean({"id": ids("taxonomy_term", kind, code), "code": code, "name": name, "description": description,
                   "taxonomy": taxonomy["name"], "language": "de", "taxonomy_id": taxonomy["id"],
                   "term_uri": uri})


def _terms(site: Site, ids: Ids, kind: str) -> Iterator[Json]:
    codes = {"topic": [t.slug for t in site.config.topics], "audience": [a.slug for a in site.config.audiences],
             "atlas": list(ATLAS_TERMS)}[kind]
    return (_term(site, ids, kind, code) for code in codes)


def _attribute(ids: Ids, owner: str, entity: str, link_id: str, kind: str, code: str,
               value: str | None = None) -> Json:
    """`owner`'s (e.g. "offer/<slug>") link to a term of taxonomy `kind`, with a value for the atlas's own terms."""
    term = ids.terms[(kind, code)]
    return _clean({"id": ids(owner, "attribute", kind, code, value or ""), "link_id": link_id,
                   "taxonomy_term_id": term["id"], "link_type": kind, "link_entity": entity, "value": value,
                   "taxonomy_term": term})


def _service_attributes(offer: Offer, ids: Ids, sid: str) -> list[Json]:
    owner = f"offer/{offer.slug}"
    return [
        _attribute(ids, owner, "service", sid, "atlas", SLUG, offer.slug),
        *(_attribute(ids, owner, "service", sid, "topic", t) for t in offer.topics),
        *(_attribute(ids, owner, "service", sid, "audience", a) for a in offer.audiences),
        *(_attribute(ids, owner, "service", sid, "atlas", PARTNER, p) for p in offer.partners),
    ]


def _clean(obj: Json) -> Json:
    """Leave out what the record does not have (None, empty lists): HSDS fields are optional."""
    return {key: value for key, value in obj.items() if value is not None and value != []}
