"""schema.org JSON-LD for an offer page: a `Service`, so search engines understand the offer."""

from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from atlas import languages, urls
from atlas.model import Site
from atlas.record_types import Location, Offer

SCHEMA_DAYS = {"mo": "Monday", "di": "Tuesday", "mi": "Wednesday", "do": "Thursday", "fr": "Friday",
               "sa": "Saturday", "so": "Sunday"}


def offer_jsonld(site: Site, offer: Offer, lang: str) -> dict[str, Any]:
    """schema.org `Service` for search engines, built from the record's fields, in the page's language."""
    return {**_same_in_every_language(site, offer), **_in_language(site, offer, lang)}


def _same_in_every_language(site: Site, offer: Offer) -> dict[str, Any]:
    actor = site.actors[offer.actor]
    provider: dict[str, Any] = {"@type": "Organization", "name": actor.name}
    if actor.contact.website:
        provider["url"] = actor.contact.website
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Service",
        "provider": provider,
        "areaServed": [{"@type": "AdministrativeArea", "name": site.regions[r].name} for r in offer.regions],
    }
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


def _in_language(site: Site, offer: Offer, lang: str) -> dict[str, Any]:
    text = site.text(offer, lang)
    data: dict[str, Any] = {
        "name": text.title,
        "description": text.summary,
        "url": urls.absolute(site.config.base_url, urls.in_language(lang, urls.offer(offer.slug))),
        "serviceType": [site.config.topic(t).label(lang) for t in offer.topics],
    }
    if offer.languages:
        data["availableLanguage"] = [{"@type": "Language", "name": languages.name_in(code, lang),
                                      "alternateName": code} for code in offer.languages]
    if offer.audiences:
        data["audience"] = [{"@type": "Audience", "audienceType": site.config.audience(a).label(lang)}
                            for a in offer.audiences]
    return data


class JsonLdScripts:
    """An offer page's JSON-LD as `offer_jsonld(…)|tojson` writes it (keys sorted, then made safe for a
    <script>), with what is the same in every language encoded once per offer: an offer's pages come one
    language after another, and the whole encoding was a twentieth of rendering one (measured)."""

    def __init__(self, site: Site, *, keep: bool = True) -> None:
        """`keep`: what is the same in every language is kept for the offer's next page (not when there is none)."""
        self.site = site
        self._same: dict[str, list[tuple[str, str]]] = {}  # offer slug -> (key, '"key": value' in JSON)
        self.keep = keep

    def script(self, offer: Offer, lang: str) -> Markup:
        same = self._same.get(offer.slug)
        if same is None:
            same = _members(_same_in_every_language(self.site, offer))
            if self.keep:
                self._same[offer.slug] = same
        members = sorted(same + _members(_in_language(self.site, offer, lang)))  # the keys are distinct
        return htmlsafe_json_dumps("{" + ", ".join(member for _, member in members) + "}", dumps=_as_is)


_ENCODER = json.JSONEncoder(sort_keys=True)  # what |tojson uses (templates._json_dumps) …
# … as the one encoder in C that its encode() makes anew for each value (a page's dozen values: half of the time),
# without its check for cycles (made of these functions' dicts and lists, the values have none)
_ENCODE = _ENCODER.encode if c_make_encoder is None else c_make_encoder(
    None, _ENCODER.default, encode_basestring_ascii, None, _ENCODER.key_separator, _ENCODER.item_separator,
    True, _ENCODER.skipkeys, _ENCODER.allow_nan)


def _members(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Each key with its member of the JSON object, separated as JSONEncoder separates them."""
    return [(key, f"{encode_basestring_ascii(key)}{_ENCODER.key_separator}{_encoded(value)}")
            for key, value in data.items()]


def _encoded(value: Any) -> str:
    if type(value) is str:
        return encode_basestring_ascii(value)  # type: ignore[no-any-return]
    return _ENCODE(value) if c_make_encoder is None else "".join(_ENCODE(value, 0))  # type: ignore[no-any-return]


def _as_is(text: str, **_: Any) -> str:
    return text


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
