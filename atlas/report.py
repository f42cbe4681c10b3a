"""`atlas report`: the offers due for review, by actor, as text for people or CSV for a mail merge.

Pure: the due offers in, text or bytes out. The order is the one a Kreis editor works in: the
actor whose entry has waited longest first (ties by name), and within an actor its offers from
the longest unreviewed on; the CSV has the same rows, one per offer.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from atlas import urls
from atlas.freshness import DueActor, DueOffer
from atlas.record_types import Actor, Offer

CSV_HEADER = ("Träger", "E-Mail des Trägers", "Telefon des Trägers", "Angebot", "Zuletzt geprüft",
              "Tage seit Prüfung", "Fällig ab", "Kontakt des Angebots", "Seite", "Datei", "Datei des Trägers")


@dataclass(frozen=True)
class Report:
    today: date
    after_days: int  # review_after_days
    within: int  # also what falls due in this many days
    base_url: str
    actors: tuple[DueActor, ...]

    @property
    def offer_count(self) -> int:
        return sum(len(group.offers) for group in self.actors)


def text_report(report: Report) -> str:
    lines = [_heading(report)]
    for group in report.actors:
        lines += ["", f"{group.actor.name} ({group.actor.origin.path})", *_actor_contact(group.actor)]
        for due in group.offers:
            lines += [f"  * {due.offer.title}", f"    {due.offer.origin.path}: {_status(due, report.today)}"]
            if _adds_to(due.offer, group.actor):
                lines.append(f"    contact for this offer: {_offer_contact(due.offer)}")
    return "\n".join(lines) + "\n"


def _heading(report: Report) -> str:
    when = report.today.isoformat()
    if report.within:
        until = (report.today + timedelta(days=report.within)).isoformat()
        when += f" or within {report.within} day{'s' if report.within != 1 else ''}, by {until}"
    heading = f"Due for review on {when} (review_after_days: {report.after_days}): "
    if not report.actors:
        return heading + "no offer."
    offers, actors = report.offer_count, len(report.actors)
    return heading + (f"{offers} offer{'s' if offers != 1 else ''} of {actors} actor{'s' if actors != 1 else ''}, "
                      "longest waiting first.")


def _actor_contact(actor: Actor) -> list[str]:
    email, phone = actor.contact.email, actor.contact.phone
    if not email and not phone:
        return [f"  no e-mail and no phone: add them to {actor.origin.path}"]
    return [f"  e-mail: {email or f'none (add it to {actor.origin.path})'}",
            f"  phone:  {phone or 'none'}"]


def _status(due: DueOffer, today: date) -> str:
    reviewed = f"reviewed {due.offer.reviewed.isoformat()}, {due.days} days ago"
    if due.due_from <= today:
        return f"{reviewed}; due since {due.due_from.isoformat()}"
    days = (due.due_from - today).days
    return f"{reviewed}; due from {due.due_from.isoformat()} (in {days} day{'s' if days != 1 else ''})"


def _adds_to(offer: Offer, actor: Actor) -> bool:
    """Whether the offer's contact has an e-mail or phone the actor's has not (else it is noise)."""
    contact = offer.contact
    return contact is not None and bool({contact.email, contact.phone} - {actor.contact.email, actor.contact.phone,
                                                                          None})


def _offer_contact(offer: Offer) -> str:
    contact = offer.contact
    if contact is None:
        return ""
    return ", ".join(part for part in (contact.name, contact.email, contact.phone) if part)


def csv_report(report: Report) -> bytes:
    """UTF-8 with a byte order mark (so Excel reads umlauts), separated by ";" (what Excel with
    German settings expects), CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for group in report.actors:
        actor = group.actor
        for due in group.offers:
            writer.writerow((actor.name, actor.contact.email or "", actor.contact.phone or "", due.offer.title,
                             due.offer.reviewed.isoformat(), due.days, due.due_from.isoformat(),
                             _offer_contact(due.offer), report.base_url + urls.offer(due.offer.slug),
                             due.offer.origin.path, actor.origin.path))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
