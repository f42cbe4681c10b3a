"""Print and share: the QR code on a printed offer page and the data of a printed result list.

A counsellor prints an offer for a client: the paper carries a QR code leading to the offer's
page online (made here, at build time, as inline SVG: nothing is loaded to print it). "Liste
drucken" on the search page prints the shown results with what a client needs on paper (Träger,
address, hours, phone); those come from `<lang>/suche/liste.json`, which sits beside the search
data, so the worker stores it with them and a list prints offline too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

import zxingcpp
from babel.dates import get_day_names
from markupsafe import Markup

from atlas import urls
from atlas.model import Site
from atlas.records import Offer
from atlas.schema import DAYS

PRINT_LIST = "suche/liste.json"
QR_MASK = 2  # ISO/IEC 18004's mask 2: every third column
_DARK_RUNS = re.compile(b"\x00+")  # zxing-cpp's image: 0 for a dark module, 255 for a light one


def qr_svg(address: str, label: str) -> Markup:
    """A QR code of `address` as inline SVG: one stroked path of the dark runs of each row, in a
    quiet zone of 4 modules (crispEdges: no grey seams between the rows when printed)."""
    return QrCodes().svg(address, label)


class QrCodes:
    """The QR codes of a build's offer pages (`qr_svg`), which keeps the path pieces of the dark runs drawn:
    codes of one size are made of the same few thousand runs (a piece made with Python's formatting per run
    was half of a code's time)."""

    def __init__(self) -> None:
        self._runs: dict[int, _Runs] = {}  # by the code's width in modules

    def svg(self, address: str, label: str) -> Markup:
        # zxing-cpp (zint's encoder, in C). Its search for the best of the eight masks was nine tenths of
        # encoding (0.39 of 0.42 ms, once per offer page); any mask reads alike, and zint's search picks this
        # one for 7 in 10 of an atlas's addresses (the others differ from it by a few penalty points)
        code = zxingcpp.create_barcode(address, zxingcpp.QRCode, ec_level="M", data_mask=QR_MASK)
        modules = code.to_image(scale=1, add_quiet_zones=True)
        size = modules.shape[1]  # with the quiet zone, which is light: a dark run never goes on into the next row
        runs = self._runs.get(size) or self._runs.setdefault(size, _Runs(size))
        path = "".join(map(runs.__getitem__, map(re.Match.span, _DARK_RUNS.finditer(memoryview(modules).tobytes()))))
        return Markup('<svg class="qr" viewBox="0 0 {0} {0}" role="img" aria-label="{1}"><rect width="{0}" '
                      'height="{0}" fill="#fff"/><path d="{2}" fill="none" stroke="#000" shape-rendering="crispEdges"/>'
                      "</svg>").format(size, label, path)


class _Runs(dict[tuple[int, int], str]):
    """(start, end) of a dark run in the modules, row after row -> its piece of the path: a line one module thick."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def __missing__(self, span: tuple[int, int]) -> str:
        start, end = span
        piece = self[span] = f"M{start % self.size} {start // self.size}.5h{end - start}"
        return piece


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
