"""Print and share: the QR code on a printed offer page and the data of a printed result list.

A counsellor prints an offer for a client: the paper carries a QR code leading to the offer's
page online (made here, at build time, as inline SVG: nothing is loaded to print it). "Liste
drucken" on the search page prints the shown results with what a client needs on paper (Träger,
address, hours, phone); those come from `<lang>/suche/liste.json`, which sits beside the search
data, so the worker stores it with them and a list prints offline too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import segno
from babel.dates import get_day_names
from markupsafe import Markup

from atlas import urls
from atlas.model import Site
from atlas.records import Offer
from atlas.schema import DAYS

PRINT_LIST = "suche/liste.json"
_MASK = 0  # a fixed mask: choosing the best of eight costs four times as long, scanners read any


def qr_svg(address: str, label: str) -> Markup:
    """A QR code of `address` as inline SVG: one stroked path of the dark runs of each row, in a
    quiet zone of 4 modules (crispEdges: no grey seams between the rows when printed)."""
    code = segno.make_qr(address, error="m", mask=_MASK)
    size = len(code.matrix) + 8
    runs = []
    for y, row in enumerate(code.matrix, start=4):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + 4} {y}.5h{x - start}")  # a line one module thick through the row
            x += 1
    return Markup('<svg class="qr" viewBox="0 0 {0} {0}" role="img" aria-label="{1}"><rect width="{0}" height="{0}" '
                  'fill="#fff"/><path d="{2}" fill="none" stroke="#000" shape-rendering="crispEdges"/></svg>'
                  ).format(size, label, "".join(runs))


def print_list_files(site: Site) -> dict[str, bytes]:
    """Per UI language, {slug: {actor, address, hours, phone}} for every offer, in that language's folder."""
    out = {}
    for lang in site.config.languages:
        days = get_day_names("abbreviated", locale=lang)
        names = dict(zip(DAYS, (days[i] for i in range(7)), strict=True))
        data = {slug: _entry(site, offer, names) for slug, offer in site.offers.items()}
        out[urls.in_language(lang, PRINT_LIST, site.config.default_language)] = (
            json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")
    return out


def _entry(site: Site, offer: Offer, names: Mapping[str, str]) -> dict[str, str]:
    actor = site.actors[offer.actor]
    place = offer.locations[0] if offer.locations else actor.address
    address = ", ".join(part for part in (place.street, " ".join(p for p in (place.postcode, place.city) if p))
                        if part) if place else ""
    hours = "; ".join(f"{', '.join(names[d] for d in h.days)} {h.opens}–{h.closes}" for h in offer.hours)
    phone = (offer.contact.phone if offer.contact and offer.contact.phone else None) or actor.contact.phone or ""
    return {key: value for key, value in (("actor", actor.name), ("address", address), ("hours", hours),
                                          ("phone", phone)) if value}
