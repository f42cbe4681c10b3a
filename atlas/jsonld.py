"""schema.org JSON-LD for an offer page: a `Service`, so search engines understand the offer."""

from __future__ import annotations

from typing import Any

from atlas import languages, urls
from atlas.model import Site
from atlas.record_types import Location, Offer

SCHEMA_DAYS = {"mo": "Monday", "di": "Tuesday", "mi": "Wednesday", "do": "Thursday", "fr": "Friday",
               "sa": "Saturday", "so": "Sunday"}


def offer_jsonld(site: Site, offer: Offer, lang: str) -> dict[str, Any]:
    """schema.org `Service` for search engines, built from the record's fields, in the page's language."""
    actor = site.actors[offer.actor]
    text = site.text(offer, lang)
    provider: dict[str, Any] = {"@type": "Organization", "name": actor.name}
    if actor.contact.website:
        provider["url"] = actor.contact.website
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Service",
        "name": text.title,
        "description": text.summary,
        "url": urls.absolute(site.config.base_url, urls.in_language(lang, urls.offer(offer.slug))),
        "provider": provider,
        "areaServed": [{"@type": "AdministrativeArea", "name": site.regions[r].name} for r in offer.regions],
        "serviceType": [site.config.topic(t).label(lang) for t in offer.topics],
    }
    if offer.languages:
        data["availableLanguage"] = [{"@type": "Language", "name": languages.name_in(code, lang),
                                      "alternateName": code} for code in offer.languages]
    if offer.audiences:
        data["audience"] = [{"@type": "Audience", "audienceType": site.config.audience(a).label(lang)}
                            for a in offer.audiences]
    if offer.cost is not None:
        data["isAccessibleForFree"] = offer.cost.free
    if offer.hours:
        data["hoursAvailable"] = [
            {"@type": "OpeningHoursSpecification",
             "dayOfWeek": [f"https://schema.org/{SCHEMA_DAYS[d]}" for d in h.days],
             "opens": h.opens, "closes": h.closes}
            for h in offer.hours
        ]
    places = [_place(location) for location in offer.locations]
    if places:
        data["availableChannel"] = {"@type": "ServiceChannel", "serviceLocation": places}
    return data


def _place(location: Location) -> dict[str, Any]:
    place: dict[str, Any] = {"@type": "Place"}
    if location.name:
        place["name"] = location.name
    address = {k: v for k, v in (("streetAddress", location.street), ("postalCode", location.postcode),
                                 ("addressLocality", location.city)) if v}
    if address:
        place["address"] = {"@type": "PostalAddress", "addressCountry": "DE", **address}
    if location.geo:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": location.geo.lat, "longitude": location.geo.lon}
    return place
