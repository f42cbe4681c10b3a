"""Freshness (contract §4): which offers are due for review, purely from the build date.

An offer is due for review when its `reviewed` date is more than `review_after_days` (atlas.yaml,
default 365) before the build date. `atlas check` warns at the `reviewed:` line, the offer's
page says that it may be out of date, and `atlas report` lists the due offers by actor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from atlas.config import MAX_REVIEW_AFTER_DAYS
from atlas.errors import Problem
from atlas.model import is_published, sort_key
from atlas.record_types import Actor, Offer

MAX_WITHIN_DAYS = MAX_REVIEW_AFTER_DAYS  # `report --within`: keeps every date in range


def days_since(offer: Offer, today: date) -> int:
    return (today - offer.reviewed).days


def is_due(offer: Offer, today: date, after_days: int, within: int = 0) -> bool:
    """Whether the offer is due for review today, or will be within `within` days."""
    return days_since(offer, today) + within > after_days


def due_from(offer: Offer, after_days: int) -> date:
    """The first day on which the offer counts as due for review."""
    return offer.reviewed + timedelta(days=after_days + 1)


def review_problems(offers: Iterable[Offer], after_days: int, today: date) -> list[Problem]:
    """A warning at the `reviewed:` line of every published offer that is due for review."""
    return [
        Problem(o.origin.path, o.origin.line("reviewed"),
                f"reviewed: {o.reviewed.isoformat()} is {days_since(o, today)} days ago; the entry is due for "
                f"review (review_after_days: {after_days})", "warning")
        for o in offers  # date.min: the date could not be read, which is an error already
        if o.reviewed != date.min and is_published(o, today) and is_due(o, today, after_days)
    ]


@dataclass(frozen=True)
class DueOffer:
    offer: Offer
    days: int  # since it was reviewed
    due_from: date


@dataclass(frozen=True)
class DueActor:
    actor: Actor
    offers: tuple[DueOffer, ...]  # longest unreviewed first


def due_by_actor(actors: Mapping[str, Actor], offers: Iterable[Offer], after_days: int, today: date,
                 within: int = 0) -> tuple[DueActor, ...]:
    """The published offers due for review (within `within` days), grouped by actor. Whoever has
    waited longest comes first: the actor of the longest unreviewed offer, then by name."""
    groups: dict[str, list[DueOffer]] = {}
    for offer in offers:
        if is_published(offer, today) and is_due(offer, today, after_days, within):
            due = DueOffer(offer, days_since(offer, today), due_from(offer, after_days))
            groups.setdefault(offer.actor, []).append(due)
    found = [DueActor(actors[slug], tuple(sorted(due, key=lambda d: (-d.days, sort_key(d.offer.title)))))
             for slug, due in groups.items()]
    return tuple(sorted(found, key=lambda g: (-g.offers[0].days, sort_key(g.actor.name), g.actor.slug)))
