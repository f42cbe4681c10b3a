"""One spreadsheet cell -> one field value, as people write them in lists.

Dates as 01.10.2026, times as 9 Uhr or 09.00, hours as "Di, Do 09:00–12:00; Mo 14–16 Uhr",
cost as "kostenlos" or "20 €", choices by their German words ("teilweise", "erforderlich"),
languages by name ("Türkisch"). Each function returns the value, or raises CellError with
what is wrong; references to records are looked up by `matching`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import cache
from typing import Any

from babel import Locale

from atlas import labels, languages
from atlas.matching import fold
from atlas.schema import DAYS, POSTCODE, Field


class CellError(ValueError):
    """What is wrong with a cell, in words for the person who filled it in."""


def split_list(cell: Any) -> list[str]:
    """'a; b' or 'a, b' -> ['a', 'b'] (a `;` anywhere means only `;` separates)."""
    text = text_of(cell)
    separator = ";" if ";" in text else ","
    return [part.strip() for part in text.replace("\n", separator).split(separator) if part.strip()]


def text_of(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    return str(cell).strip()


# -- dates, times, numbers -----------------------------------------------------------------------

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4}|\d{2})\Z")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\Z")


def to_date(cell: Any) -> date:
    if isinstance(cell, date):
        return cell
    text = text_of(cell)
    german, iso = _GERMAN_DATE.match(text), _ISO_DATE.match(text)
    try:
        if german:
            day, month, year = (int(g) for g in german.groups())
            return date(year + 2000 if year < 100 else year, month, day)
        if iso:
            return date(*(int(g) for g in iso.groups()))
    except ValueError:
        raise CellError(f'"{text}" is not a real date') from None
    raise CellError(f'"{text}" is not a date; write it like 01.10.2026 or 2026-10-01')


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(?:uhr|h)?\Z", re.IGNORECASE)


def to_time(cell: Any) -> str:
    """'9 Uhr', '9:00', '09.00', a spreadsheet's time -> '09:00'."""
    if isinstance(cell, time):
        return f"{cell.hour:02d}:{cell.minute:02d}"
    text = text_of(cell)
    found = _TIME.match(text)
    hour, minute = (int(found.group(1)), int(found.group(2) or 0)) if found else (99, 0)
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise CellError(f'"{text}" is not a time; write it like 09:00 or 9 Uhr')
    return f"{hour:02d}:{minute:02d}"


def to_number(cell: Any) -> float:
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float(cell)
    text = text_of(cell).replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise CellError(f'"{text_of(cell)}" is not a number') from None


def to_postcode(cell: Any) -> str:
    """Excel drops the leading zero of 01067: four digits get it back."""
    text = text_of(cell)
    if text.isdigit() and len(text) == 4:
        text = "0" + text
    if not POSTCODE.match(text):
        raise CellError(f'"{text_of(cell)}" is not a postcode; write five digits like 63450')
    return text


def to_url(cell: Any) -> str:
    text = text_of(cell)
    return f"https://{text}" if text.lower().startswith("www.") else text


# -- choices -------------------------------------------------------------------------------------

_WORDS: dict[str, dict[str, str]] = {  # more ways people say it, besides the labels the pages show
    "appointment": {"ja": "required", "noetig": "required", "erforderlich": "required", "pflicht": "required",
                    "moeglich": "possible", "erwuenscht": "possible", "nein": "none", "keine": "none",
                    "ohne": "none", "nicht noetig": "none"},
    "accessible": {"ja": "yes", "teilweise": "partly", "eingeschraenkt": "partly", "nein": "no",
                   "unbekannt": "unknown"},
    "kind": {"landkreis": "kreis", "stadtteil": "ortsteil", "behoerde": "behoerde", "verband": "wohlfahrtsverband"},
}
_LABELS = {"appointment": labels.APPOINTMENT, "accessible": labels.ACCESSIBLE, "kind": {**labels.REGION_KINDS,
                                                                                          **labels.ACTOR_KINDS}}


def to_choice(spec: Field, cell: Any) -> str:
    text = text_of(cell)
    key = fold(text)
    options = {fold(c): c for c in spec.choices}
    options.update({fold(label): value for value, label in _LABELS.get(spec.name, {}).items() if value in spec.choices})
    options.update({k: v for k, v in _WORDS.get(spec.name, {}).items() if v in spec.choices})
    if key in options:
        return options[key]
    starts = {v for k, v in options.items() if k.startswith(key) or key.startswith(k)} if len(key) > 2 else set()
    if len(starts) == 1:
        return starts.pop()
    raise CellError(f'"{text}" is not one of: {", ".join(spec.choices)}')


# -- cost, languages, hours ----------------------------------------------------------------------

_FREE = {"kostenlos", "kostenfrei", "gratis", "free", "0", "0 eur", "0 euro", "0 00", "umsonst", "frei"}


def to_cost(cell: Any, note: str | None) -> Any:
    """'kostenlos', 'free', '0' -> free; anything else is the amount as written."""
    text = text_of(cell)
    if fold(text) in _FREE or text in ("0 €", "0,00 €"):
        return "free"
    return {"amount": text, "note": note}


@cache
def _language_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for reader in ("en", "de"):
        for code, name in Locale.parse(reader).languages.items():
            if len(code) == 2:  # ISO 639-1 (is_known, at look-up: loading every locale takes seconds)
                names.setdefault(fold(name), code)
    return names


def to_language(text: str) -> str:
    """'tr', 'Türkisch', 'Turkish' -> tr."""
    code = text.strip().lower()
    if languages.is_known(code):
        return code
    found = _language_names().get(fold(text))
    if found is None or not languages.is_known(found):
        raise CellError(f'"{text}" is not a language; write a code like de, tr, ar or a name like Türkisch')
    return found


_DAY_WORDS = {"mo": "mo", "montag": "mo", "montags": "mo", "di": "di", "dienstag": "di", "dienstags": "di",
              "mi": "mi", "mittwoch": "mi", "mittwochs": "mi", "do": "do", "donnerstag": "do", "donnerstags": "do",
              "fr": "fr", "freitag": "fr", "freitags": "fr", "sa": "sa", "samstag": "sa", "samstags": "sa",
              "sonnabend": "sa", "so": "so", "sonntag": "so", "sonntags": "so",
              "mon": "mo", "tue": "di", "wed": "mi", "thu": "do", "fri": "fr", "sat": "sa", "sun": "so"}
_SEVERAL = {"taeglich": DAYS, "täglich": DAYS, "werktags": DAYS[:5], "wochentags": DAYS[:5], "wochenende": DAYS[5:]}
_RANGE = re.compile(r"(\d{1,2}(?:[:.]\d{2})?)\s*(?:uhr\s*)?(?:-|–|—|bis)\s*(\d{1,2}(?:[:.]\d{2})?)\s*(?:uhr)?",
                    re.IGNORECASE)


def to_hours(cell: Any) -> list[dict[str, Any]]:
    """'Di, Do 09:00–12:00; Mo 14–16 Uhr' -> [{days: [di, do], opens: "09:00", closes: "12:00"}, …]."""
    entries = []
    for part in re.split(r"[;\n]", text_of(cell)):
        if not part.strip():
            continue
        ranges = list(_RANGE.finditer(part))
        if not ranges:
            raise CellError(f'"{part.strip()}" needs days and a time from … to …; write it like "Di, Do 09:00–12:00"')
        days = _days(part[: ranges[0].start()])
        for found in ranges:
            entries.append({"days": days, "opens": to_time(found.group(1)), "closes": to_time(found.group(2))})
    return entries


def _days(text: str) -> list[str]:
    """'Di, Do', 'Mo–Fr', 'Montag bis Mittwoch', 'dienstags und donnerstags' -> [di, do] …"""
    words = re.findall(r"[a-zäöüß]+|[-–—]", text.lower())
    days: list[str] = []
    span = False
    for word in words:
        if word in ("-", "–", "—", "bis"):
            span = True
            continue
        if word in _SEVERAL:
            days += [d for d in _SEVERAL[word] if d not in days]
            continue
        day = _DAY_WORDS.get(word)
        if day is None:
            if word in ("und", "u", "sowie", "jeden", "jeweils", "von", "ab", "am", "an"):
                continue
            raise CellError(f'"{word}" in "{text.strip()}" is not a day; use Mo, Di, Mi, Do, Fr, Sa, So')
        if span and days:
            start = DAYS.index(days[-1])
            days += list(DAYS[start + 1: DAYS.index(day) + 1])
        elif day not in days:
            days.append(day)
        span = False
    if not days:
        raise CellError(f'no days before the time in "{text.strip() or "…"}"; write it like "Di, Do 09:00–12:00"')
    return sorted(set(days), key=DAYS.index)


# -- places --------------------------------------------------------------------------------------

_PLACE = re.compile(r"^(\d{5})\s+(.+)\Z")


def to_locations(cell: Any) -> list[dict[str, Any]]:
    """'Stadtteilzentrum, Beispielweg 1, 63450 Hanau; Rathaus, 63477 Maintal' -> locations: the last
    part with a postcode is postcode and city, a part with a number the street, the first the name."""
    places = []
    for entry in (e.strip() for e in text_of(cell).replace("\n", ";").split(";") if e.strip()):
        parts = [p.strip() for p in entry.split(",") if p.strip()]
        place: dict[str, Any] = {}
        found = _PLACE.match(parts[-1])
        if found:
            place["postcode"], place["city"] = to_postcode(found.group(1)), found.group(2)
            parts = parts[:-1]
        if parts and re.search(r"\d", parts[-1]):
            place["street"] = parts.pop()
        if parts:
            place["name"] = ", ".join(parts)
        places.append(place)
    return places
