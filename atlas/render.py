"""Model -> pages: which pages the site has, what each shows, and their rendered bytes.

`site_pages` is pure (model in, page descriptions out); `PageRenderer` runs the templates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup

from atlas import labels, urls
from atlas.config import Term
from atlas.jsonld import offer_jsonld
from atlas.markdown import MarkdownRenderer
from atlas.model import Site, initial
from atlas.records import DAYS, Offer
from atlas.search import language_options
from atlas.templates import Theme


@dataclass(frozen=True)
class Page:
    path: str  # the page's path in the site: "" (start), "angebote/<slug>/", "404.html"
    template: str
    title: str
    context: Mapping[str, Any] = field(default_factory=dict)
    breadcrumbs: tuple[tuple[str, str], ...] = ()  # (label, path) above this page
    in_sitemap: bool = True


# -- which pages ---------------------------------------------------------------------------------

def site_pages(site: Site) -> Iterator[Page]:
    config = site.config
    home = (("Start", urls.HOME),)
    top_regions = [r.slug for r in site.regions.values() if r.parent is None]
    yield Page(urls.HOME, "index.html", config.title, {
        "topics": [(t, len(site.offers_by_topic.get(t.slug, ()))) for t in config.topics],
        "top_regions": top_regions,
    })
    yield Page(urls.OFFERS, "offers.html", "Alle Angebote von A bis Z",
               {"letters": _by_initial(site.offers.values(), lambda o: o.title)}, home)
    for offer in site.offers.values():
        yield Page(urls.offer(offer.slug), "offer.html", offer.title, _offer_context(site, offer),
                   home + (("Angebote", urls.OFFERS),))

    yield Page(urls.ACTORS, "actors.html", "Akteure",
               {"letters": _by_initial(site.actors.values(), lambda a: a.name)}, home)
    for actor in site.actors.values():
        yield Page(urls.actor(actor.slug), "actor.html", actor.name, {
            "actor": actor,
            "offers": site.offers_by_actor.get(actor.slug, ()),
            "partner_offers": site.offers_by_partner.get(actor.slug, ()),
            "regions": [site.regions[r] for r in actor.regions],
        }, home + (("Akteure", urls.ACTORS),))

    yield Page(urls.REGIONS, "regions.html", "Regionen", {"top_regions": top_regions}, home)
    for region in site.regions.values():
        ancestors = site.ancestors(region.slug)
        yield Page(urls.region(region.slug), "region.html", region.name, {
            "region": region,
            "ancestors": ancestors,
            "within": site.offers_within.get(region.slug, ()),
            "around": site.offers_around.get(region.slug, ()),
        }, home + (("Regionen", urls.REGIONS),) + tuple((r.name, urls.region(r.slug)) for r in reversed(ancestors)))

    yield from _vocabulary_pages(site, config.topics, site.offers_by_topic, "topic", "Themen", home)
    yield from _vocabulary_pages(site, config.audiences, site.offers_by_audience, "audience", "Zielgruppen", home)

    yield Page(urls.SEARCH, "search.html", "Suche", {"filters": _search_filters(site)}, home)
    yield Page(urls.EASY_LANGUAGE, "leichte-sprache.html", "Leichte Sprache", {}, home)
    if config.legal is not None:  # without the data, check warns and the pages wait for it
        yield Page(urls.IMPRINT, "impressum.html", "Impressum", {}, home)
        yield Page(urls.PRIVACY, "datenschutz.html", "Datenschutzerklärung", {}, home)
        yield Page(urls.ACCESSIBILITY, "barrierefreiheit.html", "Erklärung zur Barrierefreiheit", {}, home)
    yield Page("404.html", "404.html", "Seite nicht gefunden", {}, in_sitemap=False)


def _vocabulary_pages(site: Site, terms: tuple[Term, ...], offers: Mapping[str, tuple[Offer, ...]], kind: str,
                      title: str, home: tuple[tuple[str, str], ...]) -> Iterator[Page]:
    base = urls.VOCABULARIES[kind]
    yield Page(base, "terms.html", title, {"terms": [(t, len(offers.get(t.slug, ()))) for t in terms],
                                          "kind": kind}, home)
    for term in terms:
        yield Page(urls.term(kind, term.slug), "term.html", term.label("de"),
                   {"term": term, "kind": kind, "offers": offers.get(term.slug, ())}, home + ((title, base),))


def _search_filters(site: Site) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """The search page's filter groups: (query parameter, legend, [(value, label, lang of label)])."""
    config = site.config
    return [
        ("region", "Ort", [(r.slug, r.name, "") for r in site.regions.values()]),
        ("thema", "Thema", [(t.slug, t.label("de"), "") for t in config.topics]),
        ("zielgruppe", "Für wen", [(a.slug, a.label("de"), "") for a in config.audiences]),
        ("sprache", "Sprache des Angebots", [(code, name, code) for code, name in language_options(site)]),
    ]


def _by_initial(items: Any, name: Callable[[Any], str]) -> list[tuple[str, list[Any]]]:
    letters: dict[str, list[Any]] = {}
    for item in items:  # already in alphabetical order
        letters.setdefault(initial(name(item)), []).append(item)
    return list(letters.items())


def _offer_context(site: Site, offer: Offer) -> dict[str, Any]:
    return {
        "offer": offer,
        "actor": site.actors[offer.actor],
        "partners": [site.actors[p] for p in offer.partners],
        "regions": [site.regions[r] for r in offer.regions],
        "topics": [site.config.topic(t) for t in offer.topics],
        "audiences": [site.config.audience(a) for a in offer.audiences],
    }


def weekly_hours(offer: Offer) -> list[tuple[str, list[str]]]:
    """Opening hours as weekday rows: [('mo', ['09:00–12:00', '14:00–16:00']), …], Monday first."""
    week: dict[str, list[tuple[str, str]]] = {day: [] for day in DAYS}
    for hours in offer.hours:
        for day in hours.days:
            week[day].append((hours.opens, hours.closes))
    return [(day, [f"{o}–{c}" for o, c in sorted(spans)]) for day, spans in week.items() if spans]


# -- rendering -----------------------------------------------------------------------------------

class PageRenderer:
    """Renders pages through the theme; holds what every page shares, and each offer's card."""

    def __init__(self, site: Site, theme: Theme) -> None:
        self.site = site
        self.environment = theme.environment
        self.base_path = urlsplit(site.config.base_url).path or "/"
        self.markdown = MarkdownRenderer()
        self.cards: dict[tuple[str, int, str], Markup] = {}
        self.common = {
            "site": site,
            "config": site.config,
            "lang": site.config.default_language,
            "markdown": self.markdown.render,
            "urls": urls,
            "region_kinds": labels.REGION_KINDS,
            "actor_kinds": labels.ACTOR_KINDS,
            "appointment_labels": labels.APPOINTMENT,
            "access_labels": labels.ACCESSIBLE,
            # computed while rendering, so that the work is spread over the cores with the pages
            "weekly_hours": weekly_hours,
            "jsonld": lambda offer: offer_jsonld(site, offer),
        }

    def render_all(self, pages: Sequence[Page]) -> list[tuple[str, bytes]]:
        """(output file, bytes) per page. All first, then written: writer threads interleaved with
        rendering would fight over the GIL (measured: slower than one after the other)."""
        return [(urls.output_file(page.path), self.render(page)) for page in pages]

    def render(self, page: Page) -> bytes:
        """One page; raises jinja2 errors for the build to report."""
        link = self._linker(page)

        def offer_cards(offers: Sequence[Offer], level: int = 3) -> Markup:
            # an offer's card (card.html) is the same on every page whose links start alike:
            # render it once, then join; lists of thousands of offers stay cheap
            prefix, cards = link(""), []
            for offer in offers:
                key = (offer.slug, level, prefix)
                if key not in self.cards:
                    card = self.environment.get_template("card.html")
                    self.cards[key] = Markup(card.render(self.common, offer=offer, level=level, url=link))
                cards.append(self.cards[key])
            return Markup("").join(cards)

        template = self.environment.get_template(page.template)
        html = template.render(self.common, page=page, url=link, offer_cards=offer_cards, **page.context)
        return html.encode("utf-8")

    def _linker(self, page: Page) -> Callable[[str], str]:
        if page.path == "404.html":
            # a server shows the 404 page at any depth, so its links start from the site's root path
            return lambda target: self.base_path + target
        return lambda target: urls.relative(page.path, target)


def site_files(site: Site, pages: list[Page]) -> dict[str, bytes]:
    """The files beside the pages: sitemap.xml and robots.txt."""
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {site.config.base_url}sitemap.xml\n"
    return {"sitemap.xml": sitemap(site, pages), "robots.txt": robots.encode()}


def sitemap(site: Site, pages: list[Page]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in pages:
        if not page.in_sitemap:
            continue
        lines.append(f"  <url><loc>{xml_escape(urls.absolute(site.config.base_url, page.path))}</loc>")
        offer = page.context.get("offer")
        if offer is not None:
            lines.append(f"    <lastmod>{offer.reviewed.isoformat()}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
