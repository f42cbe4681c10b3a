"""Language names from the Unicode CLDR (through Babel): the offer's languages by their own names."""

from __future__ import annotations

import re
from functools import cache

from babel import Locale, UnknownLocaleError

_ISO_639_1 = re.compile(r"^[a-z]{2}\Z")
RTL = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "dv"})


@cache
def locale(code: str) -> Locale | None:
    """The CLDR data of an ISO 639-1 language (None for an unknown code)."""
    if not _ISO_639_1.match(code):
        return None
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return None


def is_known(code: str) -> bool:
    return locale(code) is not None


@cache
def autonym(code: str) -> str:
    """The language's name in itself: tr -> Türkçe, ar -> العربية."""
    cldr = locale(code)
    name = cldr.get_display_name(code) if cldr else None
    return (name[:1].upper() + name[1:]) if name else code


@cache
def name_in(code: str, reader: str) -> str:
    """The language's name in the reader's language: tr in de -> Türkisch."""
    cldr = locale(code)
    name = cldr.get_display_name(reader) if cldr else None
    return name or code


def direction(code: str) -> str:
    return "rtl" if code in RTL else "ltr"
