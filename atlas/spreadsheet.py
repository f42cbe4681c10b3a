"""Model -> /daten/angebote.csv: one row per published offer, for Excel and LibreOffice.

UTF-8 with a byte order mark (without it Excel reads UTF-8 as Windows-1252 and breaks the
umlauts), CRLF line ends, comma-separated and quoted where needed (RFC 4180), German headers,
lists joined by "; ". Names stand where the record has slugs, so the sheet reads on its own.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from atlas import labels, urls
from atlas.model import Site
from atlas.record_types import Location, Offer

JOIN = "; "
_DAY_NAMES = {"mo": "Mo", "di": "Di", "mi": "Mi", "do": "Do", "fr": "Fr", "sa": "Sa", "so": "So"}


def _join(items: object) -> str:
    return JOIN.join(str(item) for item in items)  # type: ignore[attr-defined]


def _location(place: Location) -> str:
    address = " ".join(p for p in (place.postcode, place.city) if p)
    return ", ".join(p for p in (place.name, place.street, address) if p)


def _cost(offer: Offer) -> str:
    if offer.cost is None:
        return ""
    return "kostenlos" if offer.cost.free else offer.cost.amount or ""


def _columns(site: Site) -> tuple[tuple[str, Callable[[Offer], str]], ...]:
    config = site.config
    return (
        ("Kennung", lambda o: o.slug),
        ("Titel", lambda o: o.title),
        ("Kurzbeschreibung", lambda o: o.summary),
        ("Träger", lambda o: site.actors[o.actor].name),
        ("Partner", lambda o: _join(site.actors[p].name for p in o.partners)),
        ("Regionen", lambda o: _join(site.regions[r].name for r in o.regions)),
        ("Themen", lambda o: _join(config.topic(t).label("de") for t in o.topics)),
        ("Zielgruppen", lambda o: _join(config.audience(a).label("de") for a in o.audiences)),
        ("Sprachen", lambda o: _join(o.languages)),
        ("Kosten", _cost),
        ("Hinweis zu den Kosten", lambda o: (o.cost.note if o.cost and o.cost.note else "")),
        ("Anmeldung", lambda o: labels.APPOINTMENT[o.appointment] if o.appointment else ""),
        ("Orte des Angebots", lambda o: _join(_location(p) for p in o.locations)),  # "Orte" are the regions
        ("Barrierefrei", lambda o: _join(labels.ACCESSIBLE[p.accessible] for p in o.locations)),
        ("Öffnungszeiten", lambda o: _join(f"{', '.join(_DAY_NAMES[d] for d in h.days)} {h.opens}–{h.closes}"
                                           for h in o.hours)),
        ("Hinweis zu den Zeiten", lambda o: o.hours_note or ""),
        ("Ansprechperson", lambda o: (o.contact.name if o.contact else None) or ""),
        ("Telefon", lambda o: (o.contact.phone if o.contact else None) or ""),
        ("E-Mail", lambda o: (o.contact.email if o.contact else None) or ""),
        ("Website", lambda o: (o.contact.website if o.contact else None) or ""),
        ("Gültig ab", lambda o: o.valid_from.isoformat() if o.valid_from else ""),
        ("Gültig bis", lambda o: o.valid_until.isoformat() if o.valid_until else ""),
        ("Geprüft am", lambda o: o.reviewed.isoformat()),
        ("Beschreibung", lambda o: o.body.strip()),
        ("Seite im Atlas", lambda o: urls.absolute(config.base_url, urls.offer(o.slug))),
    )


def offers_csv(site: Site) -> bytes:
    columns = _columns(site)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for header, _ in columns])
    for slug in sorted(site.offers):
        offer = site.offers[slug]
        writer.writerow([value(offer) for _, value in columns])
    # Excel keeps a line break inside a quoted cell only as LF; CRLF there would show a stray character
    return ("\ufeff" + out.getvalue()).encode("utf-8")
