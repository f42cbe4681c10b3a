"""Print and share: the QR code on a printed offer page and the data of a printed result list.

A counsellor prints an offer for a client: the paper carries a QR code leading to the offer's
page online (made here, at build time, as inline SVG: nothing is loaded to print it). "Liste
drucken" on the search page prints the shown results with what a client needs on paper (Träger,
address, hours, phone); those come from `<lang>/suche/liste.json`, which sits beside the search
data, so the worker stores it with them and a list prints offline too.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping

import numpy as np
import zxingcpp
from babel.dates import get_day_names
from markupsafe import Markup, escape

from atlas import urls
from atlas.model import Site
from atlas.record_types import Offer
from atlas.schema import DAYS

PRINT_LIST = "suche/liste.json"
QR_MASK = 2  # ISO/IEC 18004's mask 2: every third column
QUIET = 4  # modules of light margin around the code (the standard's quiet zone)


def _eight(modules: int) -> str:
    """The path of eight modules in a row (a byte, dark = 1, leftmost the highest bit), relative to where the
    pen stands, which it leaves eight modules further right: h draws a dark run, m moves over a light one."""
    bits, pieces = f"{modules:08b}", []
    for run in re.finditer(r"1+|0+", bits):
        pieces.append(f"h{len(run.group())}" if run.group()[0] == "1" else f"m{len(run.group())} 0")
    return "".join(pieces)


_EIGHT = tuple(_eight(byte) for byte in range(256))
_EIGHT_OF = dict(enumerate(_EIGHT)).__getitem__  # a dict's lookup is a plain C call; a tuple's goes through a wrapper


def qr_svg(address: str, label: str) -> Markup:
    """A QR code of `address` as inline SVG: one stroked path, a line one module thick along each row, in a
    quiet zone of 4 modules (crispEdges: no grey seams between the rows when printed)."""
    # zxing-cpp (zint's encoder, in C). Its search for the best of the eight masks was nine tenths of encoding
    # (0.39 of 0.42 ms, once per offer page); any mask reads alike, and zint's search picks this one for 7 in
    # 10 of an atlas's addresses (the others differ from it by a few penalty points)
    code = zxingcpp.create_barcode(address, zxingcpp.QRCode, ec_level="M", data_mask=QR_MASK)
    image = code.to_image(scale=1, add_quiet_zones=False)
    width = image.shape[1]  # type: ignore[attr-defined]
    size, eights = width + 2 * QUIET, -(-width // 8)
    # the dark modules (0 in zxing-cpp's image, light ones 255) packed into bytes, each row padded to whole bytes
    # (numpy: one call in C for the code, not a handful per row, which was half of a code's time), and each byte's
    # path piece looked up
    pieces = list(map(_EIGHT_OF, np.packbits(np.asarray(image) == 0, axis=1).tobytes()))
    path = list(_row_starts(width))  # each row's pen move, then its pieces
    for j in range(eights):
        path[j + 1::eights + 1] = pieces[j::eights]
    # the label escaped, the rest digits and path commands: joined as they are (Markup.format's Python
    # formatter took a tenth of a code's time)
    return Markup(f'<svg class="qr" viewBox="0 0 {size} {size}" role="img" aria-label="{escape(label)}"><rect '
                  f'width="{size}" height="{size}" fill="#fff"/><path d="{"".join(path)}" fill="none" stroke="#000" '
                  'shape-rendering="crispEdges"/></svg>')


@functools.cache
def _row_starts(width: int) -> tuple[str, ...]:
    """A code's path with a pen move to the start of each row (where the row's pieces follow), the pieces
    left empty."""
    eights = -(-width // 8)
    return tuple(piece for y in range(width) for piece in (f"M{QUIET} {y + QUIET}.5", *[""] * eights))


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
