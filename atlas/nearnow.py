"""What "near me" (`sortierung=naehe`) and "open now" (`geoeffnet=jetzt`, `tag=…`) need in the
browser, computed at build time: per offer its places, weekly hours and valid range (the search
data's per-offer filter dict and the offer page's `data-atlas-open`), per atlas its time zone
and the public holidays of its Land for the next two years, and the places a resident can
measure distances from (regions with `geo`). js/hours.js and js/nearby.js do the arithmetic;
nothing here depends on the wall clock, only on the build day.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from atlas.calendars import public_holidays
from atlas.model import Site
from atlas.record_types import Offer
from atlas.schema import DAYS

HOLIDAY_DAYS = 2 * 366  # "the next two years": a build kept online for two years still knows its holidays
_DIGITS = 5  # decimal places of a coordinate: about a metre, enough to sort by


def offer_filter(offer: Offer) -> dict[str, Any]:
    """The keys the search worker filters and sorts by, only those the offer has:
    geo [[lat, lon], …] (each location with coordinates), hours [[days, opens, closes], …],
    valid [from, until] (ISO dates or null)."""
    data: dict[str, Any] = {}
    geo = [[round(loc.geo.lat, _DIGITS), round(loc.geo.lon, _DIGITS)] for loc in offer.locations if loc.geo]
    if geo:
        data["geo"] = geo
    if offer.hours:
        data["hours"] = [[list(h.days), h.opens, h.closes] for h in offer.hours]
    if offer.valid_from or offer.valid_until:
        data["valid"] = [d.isoformat() if d else None for d in (offer.valid_from, offer.valid_until)]
    return data


def clock(site: Site) -> dict[str, Any]:
    """The atlas's time zone and its Land's public holidays from the build day on, for "open now"."""
    first = site.build_date
    days = public_holidays(site.config.land, first, first + timedelta(days=HOLIDAY_DAYS))
    return {"zone": site.config.timezone, "holidays": [day.isoformat() for day in sorted(days)]}


def offer_hours(site: Site, offer: Offer, shared: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """What an offer page needs to say "jetzt geöffnet" / "öffnet Di 15:00"; None without hours.
    Only the holidays on one of its days travel (a weekly Thursday group needs no Easter Monday)."""
    if not offer.hours:
        return None
    shared = shared or clock(site)
    days = {day for hours in offer.hours for day in hours.days}
    holidays = [d for d in shared["holidays"] if DAYS[date.fromisoformat(d).weekday()] in days]
    return {"zone": shared["zone"], "holidays": holidays, **offer_filter(offer)}


def places(site: Site) -> list[tuple[str, str, str, float, float]]:
    """(slug, name, label, lat, lon) of every region with a map centre, by name: the places a resident
    can measure from without sharing a position. The label carries the postcodes, so that a
    resident who knows only theirs finds the place."""
    found = []
    for region in site.regions.values():
        if region.geo is None:
            continue
        label = f"{region.name} ({', '.join(region.postcodes)})" if region.postcodes else region.name
        found.append((region.slug, region.name, label, round(region.geo.lat, _DIGITS), round(region.geo.lon, _DIGITS)))
    return sorted(found, key=lambda place: (place[2].casefold(), place[0]))
