"""Checks across records: what no single file shows (a cycle of regions, a Kreis inside a town, a
translation without its offer). Run once every record is read (records.parse_records, read_records)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from atlas.errors import Problem

if TYPE_CHECKING:
    from atlas.record_types import Region, Translation
    from atlas.sources import Source

_LEVEL = {"kreis": 0, "stadt": 1, "sonderstatusstadt": 1, "gemeinde": 1, "ortsteil": 2}


def region_levels(regions: Mapping[str, Region], found: Sequence[Problem] = ()) -> list[Problem]:
    """A Kreis holds towns, a town holds Ortsteile: a parent of the same or a lower level is a slip.
    Parents that are unknown or in a cycle, and kinds with an error among `found` (the record then
    stands in "gemeinde"), are errors already and get no second message."""
    wrong_kind = {(p.path, p.line) for p in found if p.severity == "error"}

    def known_kind(region: Region) -> bool:
        return (region.origin.path, region.origin.line("kind")) not in wrong_kind

    problems = []
    for region in regions.values():
        parent = regions.get(region.parent or "")
        if (parent is not None and known_kind(region) and known_kind(parent)
                and _LEVEL[parent.kind] >= _LEVEL[region.kind] and not _in_cycle(region, regions)):
            problems.append(Problem(region.origin.path, region.origin.line("parent"),
                                    f'parent: "{parent.slug}" is {_a(parent.kind)}; {_a(region.kind)} '
                                    "cannot lie inside it (check kind and parent)", "warning"))
        if region.kind == "ortsteil" and ("parent",) not in region.origin.lines:
            problems.append(Problem(region.origin.path, region.origin.line("kind"),
                                    "kind: an ortsteil needs a parent (its Stadt or Gemeinde)", "warning"))
    return problems


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _in_cycle(region: Region, regions: Mapping[str, Region]) -> bool:
    seen, parent = {region.slug}, region.parent
    while parent is not None and parent in regions and parent not in seen:
        seen.add(parent)
        parent = regions[parent].parent
    return parent is not None and parent in seen


def region_cycles(regions: Mapping[str, Region]) -> list[Problem]:
    problems = []
    for slug, region in regions.items():
        seen = [slug]
        parent = region.parent
        while parent is not None and parent in regions:
            if parent == slug:
                chain = " → ".join(seen + [slug])
                problems.append(Problem(region.origin.path, region.origin.line("parent"),
                                        f"parent: the regions form a cycle: {chain}"))
                break
            if parent in seen:
                break  # a cycle further up; it is reported at its own regions
            seen.append(parent)
            parent = regions[parent].parent
    return problems


def orphan_translations(translations: Sequence[Translation], sources: Sequence[Source]) -> list[Problem]:
    offers = {s.slug for s in sources if s.kind == "offers" and s.lang is None}
    return [
        Problem(t.origin.path, 1, f"there is no offer {t.slug}.md for this translation")
        for t in translations
        if t.slug not in offers
    ]
