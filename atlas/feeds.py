"""Atom feeds (RFC 4287) of the offers, one per UI language: `/feed.xml`, `/<lang>/feed.xml`.

For newsletters, partner websites and feed readers: the offers newest `reviewed` first, so
that what an editor has just added or confirmed comes on top. Every date comes from the
records, never from the clock, so the same content gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

from atlas import urls
from atlas.i18n import N_, Catalog
from atlas.model import Site
from atlas.record_types import Offer

FEED = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"
# A reader keeps the entries it has seen, and a newsletter takes what is new since its last
# issue: both need the latest few dozen. Every poll downloads the whole feed, so older entries
# would only cost bytes (10,000 offers: about 6 MB per poll); all offers are in /daten/.
MAX_ENTRIES = 200
FEED_TITLE = N_("%(title)s – neue und geprüfte Angebote")
# XML 1.0 cannot carry control characters (a YAML "\x01" escape makes them), lone surrogates, U+FFFE/FFFF
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def feed_files(site: Site, catalogs: Mapping[str, Catalog]) -> dict[str, bytes]:
    """The feed of every UI language, by its path in the site."""
    offers = newest_first(site.offers.values())[:MAX_ENTRIES]
    return {urls.in_language(lang, FEED): atom_feed(site, offers, lang, catalogs[lang])
            for lang in site.config.languages}


def newest_first(offers: Iterable[Offer]) -> list[Offer]:
    """Latest `reviewed` first; offers reviewed on the same day keep their order (the site's
    alphabetical one), so every language's feed holds the same offers in the same order."""
    return sorted(offers, key=lambda offer: -offer.reviewed.toordinal())


def atom_feed(site: Site, offers: list[Offer], lang: str, catalog: Catalog) -> bytes:
    base = site.config.base_url
    self_url = base + urls.in_language(lang, FEED)
    newest = max((offer.reviewed for offer in offers), default=site.build_date)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM}" xml:lang="{lang}">',
        f"  <id>{_escape(self_url)}</id>",
        f"  <title>{_escape(catalog.gettext(FEED_TITLE) % {'title': site.config.title})}</title>",
        f"  <updated>{_timestamp(newest)}</updated>",
        f'  <link rel="self" type="application/atom+xml" href="{_escape(self_url)}"/>',
        f'  <link rel="alternate" type="text/html" hreflang="{lang}" '
        f'href="{_escape(base + urls.in_language(lang, urls.HOME))}"/>',
        "  <generator>Integrationsatlas</generator>",
    ]
    for offer in offers:
        lines += _entry(site, offer, lang)
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _entry(site: Site, offer: Offer, lang: str) -> list[str]:
    """One offer; its title and summary in the feed's language, or German marked xml:lang="de"."""
    base, text = site.config.base_url, site.text(offer, lang)
    page = _escape(base + urls.in_language(lang, urls.offer(offer.slug)))
    marked = f' xml:lang="{text.lang}"' if text.lang != lang else ""
    actor = site.actors[offer.actor]
    lines = [
        "  <entry>",
        f"    <id>{page}</id>",
        f"    <title{marked}>{_escape(text.title)}</title>",
        f'    <link rel="alternate" type="text/html" href="{page}"/>',
        f"    <updated>{_timestamp(offer.reviewed)}</updated>",
        f"    <author><name>{_escape(actor.name)}</name>"
        f"<uri>{_escape(base + urls.in_language(lang, urls.actor(actor.slug)))}</uri></author>",
        f"    <summary{marked}>{_escape(text.summary)}</summary>",
    ]
    scheme = _escape(base + urls.in_language(lang, urls.TOPICS))
    for slug in offer.topics:
        label = _escape(site.config.topic(slug).label(lang))
        lines.append(f'    <category scheme="{scheme}" term="{slug}" label="{label}"/>')
    lines.append("  </entry>")
    return lines


def _timestamp(day: date) -> str:
    """Atom wants a date-time: a record knows only the day, so midnight UTC of it."""
    return f"{day.isoformat()}T00:00:00Z"


def _escape(text: str) -> str:
    """Text for XML content and attribute values: markup escaped, unrepresentable characters dropped."""
    text = _NOT_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
