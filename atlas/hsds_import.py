"""HSDS 3.0 services.json / organizations.json -> drafts of offers, actors and regions.

Reads what `atlas.hsds` writes (and, as far as it goes, other HSDS 3.0 data): a service is an
offer, its nested organization an actor, its service areas regions. The atlas's own values
that HSDS has no field for come back from the attributes of the "Integrationsatlas" taxonomy
(slugs, partners, an actor's regions). Only FILE is read: an organization's regions that no
service area names are made from their slug (and a warning says so). Problems are reported
as FILE:N, N = the position of the service or organization in the list (1 = the first).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from atlas import hsds, labels
from atlas.errors import Problem
from atlas.hsds import FREE, PARTNER, REGION, SLUG
from atlas.importer import Draft, Import
from atlas.matching import fold, slugify
from atlas.schema import OFFER, SUMMARY_MAX, field
from atlas.tables import MAX_FILE

Json = dict[str, Any]
DAYS = {code: day for day, code in hsds.DAYS.items()}  # RFC 5545 BYDAY -> mo … so
_REGION_URI = re.compile(r"/regionen/([a-z0-9-]+)/?\Z")


def read_hsds(run: Import, file: Path, shown: str) -> None:
    items = _load(run, file, shown)
    if items is None:
        return
    if any("organization_id" in item for item in items):  # services; organizations have none at the top
        _services(run, items, shown)
    else:
        for n, org in enumerate(items, 1):
            _actor(run, org, (shown, n), [], own=True)


def _load(run: Import, file: Path, shown: str) -> list[Json] | None:
    try:
        if file.stat().st_size > MAX_FILE:
            run.problems.append(Problem(shown, 1, f"the file is larger than {MAX_FILE // 2**20} MB"))
            return None
        data = json.loads(file.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        run.problems.append(Problem(shown, 1, f"cannot be read: {exc.strerror}"))
        return None
    except (UnicodeDecodeError, ValueError) as exc:
        run.problems.append(Problem(shown, 1, f"is not JSON in UTF-8 ({exc})"))
        return None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        run.problems.append(Problem(shown, 1, "must be a list of HSDS services (services.json) or organizations "
                                              "(organizations.json)"))
        return None
    return data


def _services(run: Import, services: list[Json], shown: str) -> None:
    areas = [(area, (shown, n)) for n, s in enumerate(services, 1) for area in s.get("service_areas", [])]
    for area, where in sorted(areas, key=lambda pair: len(_area_slug(run, pair[0]))):  # a Kreis before its towns
        _region(run, area, where)
    for n, service in enumerate(services, 1):
        org = service.get("organization") or {}
        regions = [_area_slug(run, a) for a in service.get("service_areas", [])]
        actor = _actor(run, org, (shown, n), regions, own=False) if org else None
        _offer(run, service, (shown, n), actor)


# -- regions and actors --------------------------------------------------------------------------

def _area_slug(run: Import, area: Json) -> str:
    found = _REGION_URI.search(str(area.get("uri", "")))
    if found:
        return found.group(1)
    match = run.names("regions").find(str(area.get("name", "")))
    return match.slug or slugify(str(area.get("name", "")))


def _region(run: Import, area: Json, where: tuple[str, int]) -> None:
    slug = _area_slug(run, area)
    if slug in run.taken("regions"):
        return
    kinds = {fold(label): kind for kind, label in labels.REGION_KINDS.items()}
    values = {"name": str(area.get("name") or slug), "kind": kinds.get(fold(str(area.get("description", ""))),
                                                                      "gemeinde")}
    if values["kind"] == "ortsteil":  # HSDS has no parent; the atlas's slugs of Ortsteile start with it
        values["parent"] = max((r for r in run.taken("regions") if slug.startswith(f"{r}-")), key=len, default=None)
    _add(run, Draft("regions", slug, values, "", where, {}, False))


def _slug_region(run: Import, slug: str, where: tuple[str, int]) -> None:
    if slug in run.taken("regions"):
        return
    run.warnings.append(Problem(where[0], where[1], f'region "{slug}" is known only by its slug here: '
                                                    f"check the name and kind in content/regions/{slug}.md", "warning"))
    _add(run, Draft("regions", slug, {"name": slug.replace("-", " ").title(), "kind": "gemeinde"}, "", where, {},
                    False))


def _actor(run: Import, org: Json, where: tuple[str, int], regions: list[str], *, own: bool) -> str:
    """The actor's slug; a new actor is drafted, an existing one only named (unless the file is
    organizations.json: then it is the row itself)."""
    ids = [i.get("identifier") for i in org.get("organization_identifiers", [])
           if i.get("identifier_type") == "Integrationsatlas"]
    slug = str(ids[0]) if ids else slugify(str(org.get("name", "")))
    exists = slug in run.taken("actors") and slug not in run.drafted("actors")
    if (exists and not own) or slug in run.drafted("actors"):
        return slug
    if exists and not run.update:
        run.problems.append(Problem(where[0], where[1], f'actor "{slug}" exists already (content/actors/{slug}.md); '
                                                        "use --update to overwrite it"))
    own_regions = _values(org, REGION) or regions
    for region in own_regions:
        _slug_region(run, region, where)
    kinds = {fold(label): kind for kind, label in labels.ACTOR_KINDS.items()}
    phones = [p.get("number") for p in org.get("phones", [])]
    values = {"name": org.get("name"), "kind": kinds.get(fold(str(org.get("legal_status", ""))), "sonstige"),
              "regions": own_regions, "website": org.get("website"), "email": org.get("email"),
              "phone": phones[0] if phones else None, "address": _address(org.get("locations", []))}
    body = str(org.get("description") or "")
    body = "" if body.strip() == str(org.get("name", "")).strip() else body
    _add(run, Draft("actors", slug, values, body, where, {}, exists))
    return slug


def _address(locations: list[Json]) -> Json | None:
    for location in locations:
        parts = _place(location)
        if any(parts.values()):
            return parts
    return None


def _place(location: Json) -> Json:
    """street, postcode, city of a location: from its address, or from the description that
    atlas.hsds writes for a partial one ("Musterstraße 1, 63450 Hanau", "63450 Hanau", "Hanau")."""
    addresses = location.get("addresses") or []
    if addresses:
        a = addresses[0]
        return {"street": a.get("address_1"), "postcode": a.get("postal_code"), "city": a.get("city")}
    text = str(location.get("description") or "")
    street, _, place = text.rpartition(", ") if ", " in text else ("", "", text)
    found = re.match(r"^(\d{5})(?: (.+))?\Z", place)
    if found:
        return {"street": street or None, "postcode": found.group(1), "city": found.group(2)}
    if not street and re.search(r"\d", place):
        return {"street": place or None, "postcode": None, "city": None}
    return {"street": street or None, "postcode": None, "city": place or None}


def _values(obj: Json, code: str) -> list[str]:
    return [str(a.get("value")) for a in obj.get("attributes", [])
            if (a.get("taxonomy_term") or {}).get("code") == code and a.get("value")]


def _add(run: Import, draft: Draft) -> None:
    run.claim(draft)
    run.claimed.append(Draft(draft.kind, draft.slug, {"name": draft.values.get("name")}, "", draft.where, {}, False))


# -- offers --------------------------------------------------------------------------------------

def _offer(run: Import, service: Json, where: tuple[str, int], actor: str | None) -> None:
    slug = (_values(service, SLUG) or [slugify(str(service.get("name", "")))])[0]
    exists = slug in run.taken("offers") and slug not in run.drafted("offers")
    if exists and not run.update:
        run.problems.append(Problem(where[0], where[1], f'offer "{slug}" exists already (content/offers/{slug}.md); '
                                                        "use --update to overwrite it"))
    summary, body = _description(str(service.get("description") or ""))
    schedules = service.get("schedules", [])
    first = schedules[0] if schedules else {}
    contacts = service.get("contacts") or [{}]
    phones = [p.get("number") for p in contacts[0].get("phones", [])]
    values = {
        "title": service.get("name"), "summary": summary, "actor": actor,
        "partners": _values(service, PARTNER),
        "regions": [_area_slug(run, a) for a in service.get("service_areas", [])],
        "topics": _terms(run, service, "topic", "topics", where),
        "audiences": _terms(run, service, "audience", "audiences", where),
        "languages": [str(lang.get("code")) for lang in service.get("languages", []) if lang.get("code")],
        "cost": _cost(service.get("cost_options", [])),
        "appointment": _reverse(labels.APPOINTMENT, service.get("application_process")),
        "locations": [_location(sal.get("location") or {}) for sal in service.get("service_at_locations", [])],
        "hours": [_hours(s) for s in schedules if s.get("freq") == "WEEKLY" and s.get("byday")],
        "hours_note": first.get("description"),
        "contact": {"name": contacts[0].get("name"), "phone": phones[0] if phones else None,
                    "email": contacts[0].get("email"), "website": service.get("url")},
        "valid_from": first.get("valid_from"), "valid_until": first.get("valid_to"),
        "reviewed": service.get("assured_date") or run.today,
    }
    _add(run, Draft("offers", slug, values, body, where, {}, exists))


def _description(text: str) -> tuple[str, str]:
    """atlas.hsds writes summary + blank line + body; other data gets its first sentences as summary."""
    summary, _, body = text.strip().partition("\n\n")
    if len(summary) <= SUMMARY_MAX and "\n" not in summary:
        return summary, body
    words = " ".join(text.split())
    cut = words[:SUMMARY_MAX].rfind(". ")
    short = words[: cut + 1] if cut > 0 else words[: SUMMARY_MAX - 1].rsplit(" ", 1)[0] + "…"
    return short, text.strip()


def _terms(run: Import, service: Json, link_type: str, kind: str, where: tuple[str, int]) -> list[str]:
    names = run.names(kind)
    found = []
    for attribute in service.get("attributes", []):
        term = attribute.get("taxonomy_term") or {}
        if attribute.get("link_type") != link_type:
            continue
        match = names.find(str(term.get("code") or "")) if term.get("code") in names.names else \
            names.find(str(term.get("name") or ""))
        if match.slug is None:
            run.problems.append(Problem(where[0], where[1], f"{field(OFFER, kind).label[0]}: {match.error}"))
        elif match.slug not in found:
            found.append(match.slug)
    return found


def _cost(options: list[Json]) -> Any:
    if not options:
        return None
    option = options[0]
    if option.get("amount_description") == FREE or (option.get("amount") == 0 and not option.get("option")):
        return "free"
    amount = option.get("amount_description") or (f"{option['amount']} €" if option.get("amount") is not None
                                                   else None)
    return {"amount": amount, "note": option.get("option")} if amount else None


def _reverse(words: Mapping[str, str], text: Any) -> str | None:
    return next((key for key, word in words.items() if word == text), None)


def _location(location: Json) -> Json:
    access = [a.get("description") for a in location.get("accessibility", [])]
    return {"name": location.get("name"), **_place(location), "lat": location.get("latitude"),
            "lon": location.get("longitude"),
            "accessible": _reverse(labels.ACCESSIBLE, access[0]) if access else None}


def _hours(schedule: Json) -> Json:
    days = [DAYS[d] for d in str(schedule.get("byday", "")).split(",") if d in DAYS]
    return {"days": days, "opens": schedule.get("opens_at"), "closes": schedule.get("closes_at")}

