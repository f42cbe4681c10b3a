"""Model -> pages: which pages the site has, what each shows, and their rendered bytes.

`site_pages` is pure (model in, page descriptions out); `PageRenderer` runs the templates.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

import jinja2
from markupsafe import Markup

from atlas import labels, nearnow, urls
from atlas.calendars import calendar_route
from atlas.config import BUILTIN_THEMES, Term
from atlas.freshness import is_due
from atlas.i18n import Catalog
from atlas.jsonld import JsonLdScripts, offer_jsonld
from atlas.markdown import MarkdownRenderer
from atlas.model import Site, initial, sort_key
from atlas.nearwords import WORDS
from atlas.opendata import downloads, license_of
from atlas.pagetexts import missing_offer_href, search_filters, search_texts, suggest_href
from atlas.printing import qr_svg
from atlas.record_types import Offer, Translation
from atlas.schema import DAYS
from atlas.search import INDEX
from atlas.templates import IMPORTED, Theme, json_attribute
from atlas.texts import Texts

_DEFAULT_CARD = os.path.normpath(BUILTIN_THEMES / "default" / "templates" / "card.html")  # as the loader names it
_LEVEL = Markup("<level>")  # PageRenderer._card's stand-in for a card title's level
_ROUTE = "ATLASROUTEMARK"  # shared_block's stand-in for a page's route: escaping leaves it as it is
# offer slug -> what its pages show alike in every language (_offer_alike), and its calendar file by text language
Alike = dict[str, tuple[dict[str, Any], dict[str, str | None]]]


@dataclass(frozen=True)
class Page:
    route: str  # the page's path in German: "" (start), "angebote/<slug>/", "404.html"
    lang: str  # its UI language; the page is at urls.in_language(lang, route)
    template: str
    title: str
    context: Mapping[str, Any] = field(default_factory=dict)
    breadcrumbs: tuple[tuple[str, str], ...] = ()  # (label, route) above this page
    in_sitemap: bool = True

    @property
    def path(self) -> str:
        """Where the page is in the site: its route, under the language's folder."""
        return urls.in_language(self.lang, self.route)


# -- which pages ---------------------------------------------------------------------------------

def site_pages(site: Site, catalogs: Mapping[str, Catalog], data_files: Collection[str] = ()) -> Iterator[Page]:
    """Every page in every UI language, then the one 404 page (a server shows it for any path).
    `data_files` are the downloads the build writes, for the /daten/ page."""
    clock = nearnow.clock(site)  # nearnow: once, not per language or offer page
    alike: Alike | None = {} if len(site.config.languages) > 1 else None  # one language: nothing to share
    for lang in site.config.languages:
        yield from _pages_in(site, lang, catalogs[lang], data_files, clock, alike)
    _ = catalogs[site.config.default_language].gettext
    yield Page("404.html", site.config.default_language, "404.html", _("Seite nicht gefunden"),
               {"not_found": [(lang, catalogs[lang].gettext("Zur Startseite")) for lang in site.config.languages[1:]]},
               in_sitemap=False)


def _pages_in(site: Site, lang: str, catalog: Catalog, data_files: Collection[str], clock: dict[str, Any],
              alike: Alike | None) -> Iterator[Page]:
    config = site.config
    _ = catalog.gettext
    home = ((_("Start"), urls.HOME),)
    top_regions = [r.slug for r in site.regions.values() if r.parent is None]
    yield Page(urls.HOME, lang, "index.html", config.title, {
        "topics": [(t, len(site.offers_by_topic.get(t.slug, ()))) for t in config.topics],
        "top_regions": top_regions,
    })
    texts = [site.text(offer, lang) for offer in site.offers.values()]
    yield Page(urls.OFFERS, lang, "offers.html", _("Alle Angebote von A bis Z"),
               {"letters": _by_initial(sorted(texts, key=lambda t: sort_key(t.title)), lambda t: t.title)}, home)
    for offer, text in zip(site.offers.values(), texts, strict=True):
        yield offer_page(site, catalog, offer, text, clock, alike)

    yield Page(urls.ACTORS, lang, "actors.html", _("Akteure"),
               {"letters": _by_initial(site.actors.values(), lambda a: a.name)}, home)
    for actor in site.actors.values():
        yield Page(urls.actor(actor.slug), lang, "actor.html", actor.name, {
            "actor": actor,
            "offers": site.offers_by_actor.get(actor.slug, ()),
            "partner_offers": site.offers_by_partner.get(actor.slug, ()),
            "regions": [site.regions[r] for r in actor.regions],
            "suggest": suggest_href(site, catalog, urls.actor(actor.slug), actor.slug, actor.name),
        }, home + ((_("Akteure"), urls.ACTORS),))

    yield Page(urls.REGIONS, lang, "regions.html", _("Regionen"), {"top_regions": top_regions}, home)
    for region in site.regions.values():
        ancestors = site.ancestors(region.slug)
        yield Page(urls.region(region.slug), lang, "region.html", region.name, {
            "region": region,
            "ancestors": ancestors,
            "within": site.offers_within.get(region.slug, ()),
            "around": site.offers_around.get(region.slug, ()),
        }, home + ((_("Regionen"), urls.REGIONS),) + tuple((r.name, urls.region(r.slug)) for r in reversed(ancestors)))

    yield from _vocabulary_pages(site, lang, config.topics, site.offers_by_topic, "topic", _("Themen"), home)
    yield from _vocabulary_pages(site, lang, config.audiences, site.offers_by_audience, "audience", _("Zielgruppen"),
                                 home)

    yield Page(urls.DATA, lang, "daten.html", _("Offene Daten"),
               {"downloads": downloads(data_files), "license": license_of(site)}, home)
    yield Page(urls.SEARCH, lang, "search.html", _("Suche"), {"filters": search_filters(site, lang, catalog),
                                                            "search_texts": search_texts(lang, catalog),
                                                            "missing_href": missing_offer_href(site, catalog),
                                                            "places": nearnow.places(site)}, home)  # nearnow
    # Leichte Sprache is German by nature; the legal texts are binding in German: in other
    # languages these pages say so and keep the German text (marked lang="de")
    german = {"german_only": True}
    yield Page(urls.EASY_LANGUAGE, lang, "leichte-sprache.html", _("Leichte Sprache"), german, home)
    if config.legal is not None:  # without the data, check warns and the pages wait for it
        yield Page(urls.IMPRINT, lang, "impressum.html", _("Impressum"), german, home)
        yield Page(urls.PRIVACY, lang, "datenschutz.html", _("Datenschutzerklärung"), german, home)
        yield Page(urls.ACCESSIBILITY, lang, "barrierefreiheit.html", _("Erklärung zur Barrierefreiheit"), german,
                   home)


def offer_page(site: Site, catalog: Catalog, offer: Offer, text: Translation, clock: dict[str, Any],
               alike: Alike | None = None) -> Page:
    """An offer's page in the catalog's language; `text` is what its readers read of the offer,
    `clock` is nearnow.clock(site), `alike` keeps what the offer's pages in all languages show alike, for the
    next language's (by slug: give each site a dict of its own). (`atlas serve` renders an edited offer's
    pages with it first.)"""
    _ = catalog.gettext
    kept = {} if alike is None else alike
    return Page(urls.offer(offer.slug), catalog.lang, "offer.html", text.title,
                _OfferContext(lambda: _offer_page_context(site, catalog, offer, text, clock, kept), offer),
                ((_("Start"), urls.HOME), (_("Angebote"), urls.OFFERS)))


def _offer_page_context(site: Site, catalog: Catalog, offer: Offer, text: Translation,
                        clock: dict[str, Any], alike: Alike) -> dict[str, Any]:
    found = alike.get(offer.slug)
    if found is None:
        found = alike[offer.slug] = (_offer_alike(site, offer, clock), {})
    shown, calendars = found  # calendars: the text's language -> its calendar file (the same for the untranslated)
    if text.lang not in calendars:
        calendars[text.lang] = calendar_route(site, offer, text.lang)
    return {
        **shown,
        "text": text,
        "calendar": calendars[text.lang],  # its path, in the text's language
        "suggest": suggest_href(site, catalog, urls.offer(offer.slug), offer.slug, text.title),
    }


def _offer_alike(site: Site, offer: Offer, clock: dict[str, Any]) -> dict[str, Any]:
    """What an offer's page shows alike in every language (its pages' contexts share it)."""
    hours = nearnow.offer_hours(site, offer, clock)  # nearnow: "jetzt geöffnet" in the browser
    return {
        "offer": offer,
        "actor": site.actors[offer.actor],
        "partners": [site.actors[p] for p in offer.partners],
        "regions": [site.regions[r] for r in offer.regions],
        "topics": [site.config.topic(t) for t in offer.topics],
        "audiences": [site.config.audience(a) for a in offer.audiences],
        "week": weekly_hours(offer),  # its opening hours by weekday
        "open_data": hours,
        "open_data_json": None if hours is None else json_attribute(hours),
        "due_for_review": is_due(offer, site.build_date, site.config.review_after_days),
    }


class _OfferContext(Mapping[str, Any]):
    """An offer page's context, made when it is first read: when the page is rendered, on the core that renders
    it, not when the site's pages are listed, which one process does before the cores share them out (the
    contexts were most of listing the pages: 2.8 s alone at 10,000 offers × 7 languages). Its offer is at hand
    without making the rest (the sitemap reads it from every page)."""

    def __init__(self, make: Callable[[], dict[str, Any]], offer: Offer) -> None:
        self._make: Callable[[], dict[str, Any]] | None = make
        self._made: dict[str, Any] = {}
        self.offer = offer

    def _all(self) -> dict[str, Any]:
        if self._make is not None:
            self._made, self._make = self._make(), None
        return self._made

    def __getitem__(self, key: str) -> Any:
        return self.offer if key == "offer" else self._all()[key]

    def made(self) -> dict[str, Any]:
        """The whole context, as a plain dict (Python passes a dict on to a template without a call per name)."""
        return self._all()

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def _vocabulary_pages(site: Site, lang: str, terms: tuple[Term, ...], offers: Mapping[str, tuple[Offer, ...]],
                      kind: str, title: str, home: tuple[tuple[str, str], ...]) -> Iterator[Page]:
    base = urls.VOCABULARIES[kind]
    yield Page(base, lang, "terms.html", title, {"terms": [(t, len(offers.get(t.slug, ()))) for t in terms],
                                                "kind": kind}, home)
    for term in terms:
        yield Page(urls.term(kind, term.slug), lang, "term.html", term.label(lang),
                   {"term": term, "kind": kind, "offers": offers.get(term.slug, ())}, home + ((title, base),))


def _by_initial(items: Any, name: Callable[[Any], str]) -> list[tuple[str, list[Any]]]:
    letters: dict[str, list[Any]] = {}
    for item in items:  # already in alphabetical order
        letters.setdefault(initial(name(item)), []).append(item)
    return list(letters.items())


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

    def __init__(self, site: Site, theme: Theme, assets: Mapping[str, str] | None = None,
                 kept: tuple[dict[Any, Markup], dict[Any, Markup]] | None = None,
                 markdown: MarkdownRenderer | None = None) -> None:
        """`kept`: (cards, fragments) that the caller keeps across renderers (`atlas serve`, which
        drops those whose inputs changed); without it, the renderer keeps one language's.
        `markdown`: a renderer whose Python-Markdown instance to share (MarkdownRenderer)."""
        self.site = site
        self.assets = dict(assets or {})  # plain path -> content-hashed path (atlas.fingerprint)
        self.environment = theme.environment
        self.catalogs = theme.catalogs
        self.base_path = urlsplit(site.config.base_url).path or "/"
        self.markdown = MarkdownRenderer(markdown)
        self.kept = kept is not None
        self.cards: dict[tuple[str, int, str, str], Markup] = kept[0] if kept else {}
        self.fragments: dict[tuple[Hashable, ...], Markup] = kept[1] if kept else {}  # shared(): (template, link
        # prefix, language) -> HTML; shared_block(): (name, variant, link prefix, language) -> HTML
        self.texts: dict[str, dict[str, Any]] = {}  # per language: `_` and `ngettext` (texts.Texts)
        self.cards_lang = ""  # the language whose cards and fragments are kept (pages come language by language)
        self.links_of: tuple[str, int] = ("", -1)  # (language, depth) of the pages whose links `links` holds
        self.links: dict[tuple[str, bool], str] = {}
        self.modules: dict[tuple[str, str, str], Any] = {}  # imported(): (template, link prefix, language) -> module
        self.common = {
            "site": site,
            "config": site.config,
            "markdown": self.markdown.render,
            "urls": urls,
            "search_data": (INDEX,),  # url() turns it into this language's hashed entry file
            "near_words_data": WORDS,  # fetched only when a search finds nothing: never prefetched
            "region_kinds": labels.REGION_KINDS,
            "actor_kinds": labels.ACTOR_KINDS,
            "appointment_labels": labels.APPOINTMENT,
            "access_labels": labels.ACCESSIBLE,
            # computed while rendering, so that the work is spread over the cores with the pages
            "weekly_hours": weekly_hours,
            "jsonld": lambda offer, lang: offer_jsonld(site, offer, lang),  # a theme's own templates may use it
            # what `jsonld(offer, lang)|tojson` writes, made faster
            "jsonld_script": JsonLdScripts(site, keep=len(site.config.languages) > 1).script,
            "qr_code": qr_svg,  # a printed offer's QR code (offline slice)
        }
        # the same on every page: the names above and the environment's globals (render adds what is the same on
        # every page of a language whose links start alike; not the page and its context)
        self.same_names = frozenset({*self.common, *self.environment.globals})
        self.names = {**self.environment.globals, **self.common}  # what a page's names start from (render_names)
        if kept is None:  # a build's renderer, which the build forks its render processes with: `atlas serve` renders
            # a few pages with each of its renderers, and makes only what those need
            self._compile_templates()
            self._render_bodies()

    def link_also(self, assets: Mapping[str, str]) -> None:
        """Files made after the renderer (the search data, made beside it), which pages link by their hashed names:
        before the first page is rendered."""
        self.assets.update(assets)

    def _compile_templates(self) -> None:
        """Every template of the theme compiled now, not on a page's first use: each render process compiled them
        again (0.12 s a process). One that does not compile is left for the page that uses it to report."""
        for name in self.environment.list_templates(extensions=["html"]):
            try:
                self.environment.get_template(name)
            except jinja2.TemplateError:
                continue

    def _render_bodies(self) -> None:
        """Every offer's German body in HTML now rather than on its first page: each render process rendered all of
        them again (its languages' pages show every offer; 0.3 s a process at 1,000 offers)."""
        for offer in self.site.offers.values():
            if offer.body:
                self.markdown.render(offer.body)

    def render_all(self, pages: Sequence[Page]) -> list[tuple[str, bytes]]:
        """(output file, bytes) per page, all of them (the build writes a chunk's pages once they are made)."""
        return [(urls.output_file(page.path), self.render(page)) for page in pages]

    def render(self, page: Page) -> bytes:
        """One page; raises jinja2 errors for the build to report."""
        link = self._linker(page)
        if page.lang != self.cards_lang and not self.kept:  # a card is only ever reused within its language
            self.cards.clear()
            self.fragments.clear()
            self.modules.clear()
            self.cards_lang = page.lang
        if page.lang not in self.texts:
            self.texts[page.lang] = Texts(self.catalogs[page.lang]).callables()
        language = {"lang": page.lang, "catalog": self.catalogs[page.lang], **self.texts[page.lang],
                    "text_of": lambda offer: self.site.text(offer, page.lang)}

        def card_values(**values: Any) -> dict[str, Any]:
            return {**language, **values, "url": link}

        def offer_cards(offers: Sequence[Offer], level: int = 3) -> Markup:
            # an offer's card (card.html) is the same on every page whose links start alike:
            # render it once, then join; lists of thousands of offers stay cheap
            prefix, cards = link(""), []
            for offer in offers:
                key = (offer.slug, level, prefix, page.lang)
                if key not in self.cards:
                    self.cards[key] = self._card(offer, level, key, card_values)
                cards.append(self.cards[key])
            return Markup("".join(cards))  # all Markup already: Markup's join would escape each card again, in Python

        def url_in(lang: str, route: str) -> str:
            """A link to a page in another UI language (the language switcher)."""
            return link(urls.in_language(lang, route), localize=False)

        def shared(name: str) -> Markup:
            """A template that is the same on every page of this language whose links start alike (the
            footer): rendered once, then reused."""
            key = (name, link(""), page.lang)
            if key not in self.fragments:
                fragment = self.environment.get_template(name)
                self.fragments[key] = Markup(fragment.render(self.common, **language, url=link))
            return self.fragments[key]

        def shared_block(name: str, variant: Hashable = "", route: str | None = None, *,
                         caller: Callable[..., str]) -> Markup:
            """`{% call shared_block(name) %}…{% endcall %}`: a part of a template that is the same on every page of
            this language whose links start alike (the head's links, the menu): rendered once, then reused;
            `variant` names what else it depends on (the menu's marked entry: the page's section; whether the page
            is in the sitemap, and so has language links). With `route`
            (`{% call(route) shared_block(name, route=page.route) %}`: the language links), the part is rendered
            once with a stand-in for the route, which each page's route replaces: the part may only write it out
            whole, alone or behind a path (url_in(code, route)); the start page's empty route is rendered as is
            ("./", not "")."""
            if route == "":
                return Markup(caller(route))
            key = (name, variant, link(""), page.lang)
            found = self.fragments.get(key)
            if found is None:
                found = Markup(caller() if route is None else caller(_ROUTE))
                if route is not None and found.replace(_ROUTE, route) != caller(route):
                    return Markup(caller(route))  # a text holds the stand-in, or the route is not written whole
                self.fragments[key] = found
            return found if route is None else found.replace(_ROUTE, route)  # Markup's replace escapes the route

        def imported(template: Any, make: Callable[[], Any]) -> Any:
            """A template imported with context (partials.html), made once per language and link depth when it
            reads of the context only what is the same on all those pages (templates._Template.make_module)."""
            names = template.free_names()
            if names is None or not names - self.same_names <= alike.keys() or not names.isdisjoint(context):
                return make()
            key = (template.name, link(""), page.lang)
            found = self.modules.get(key)
            if found is None:
                found = self.modules[key] = make()
            return found

        template = self.environment.get_template(page.template)
        context = page.context.made() if isinstance(page.context, _OfferContext) else page.context
        alike = {**language, "url": link, "url_in": url_in, "offer_cards": offer_cards, "shared": shared,
                 "shared_block": shared_block, IMPORTED: imported}  # the same on the pages that share a module
        return template.render_names({**self.names, "page": page, **alike, **context}).encode("utf-8")

    def _card(self, offer: Offer, level: int, key: tuple[str, int, str, str],
              values: Callable[..., dict[str, Any]]) -> Markup:
        """An offer's card with its title at `level` (h2 on topic pages, h3 in other lists). atlas's own card.html
        only writes the level out, so its card is rendered once with a stand-in for it, which each level then
        replaces (the stand-in holds a "<", which no text that templates escape can); a theme's own card.html
        is rendered for each level."""
        template = self.environment.get_template("card.html")
        if template.filename != _DEFAULT_CARD:
            return Markup(template.render(self.common, **values(offer=offer, level=level)))
        either = (key[0], 0, *key[2:])  # the card at either level
        if either not in self.cards:
            self.cards[either] = Markup(template.render_names({**self.names, **values(offer=offer, level=_LEVEL)}))
        return Markup(self.cards[either].replace(_LEVEL, str(level)))

    def _linker(self, page: Page) -> Callable[..., str]:
        """url(route) in a template: the page of that route in this page's language, or a static
        file (css/…, js/…) that all languages share; relative, so the site works under any path.
        Stylesheets, scripts and search data are linked by their content-hashed names (assets)."""
        if page.path == "404.html":
            # a server shows the 404 page at any depth, so its links start from the site's root path
            return lambda target, localize=True: self.base_path + self.assets.get(target, target)

        # the links of pages at the same depth in the same language are the same: made once each (an offer page
        # has some thirty; the language's pages come one after the other, so its links are kept until the next)
        key = (page.lang, page.route.count("/"))
        if key != self.links_of:
            self.links_of, self.links = key, {}
        made = self.links

        def link(target: str, localize: bool = True) -> str:
            found = made.get((target, localize))
            if found is None:
                found = made[target, localize] = self._link(page, target, localize)
            return found

        return link

    def _link(self, page: Page, target: str, localize: bool) -> str:
        if localize and urls.is_page(target):
            local = urls.in_language(page.lang, target)  # e.g. this language's search data
            hashed = self.assets.get(local, local)
            # both in the same language's folder (in_language only puts the folder in front)
            return urls.relative(page.route, hashed[len(local) - len(target):])
        return urls.relative(page.path, self.assets.get(target, target))


def site_files(site: Site, pages: list[Page]) -> dict[str, bytes]:
    """The files beside the pages: sitemap.xml and robots.txt."""
    editor = "Disallow: /admin/\n" if site.config.editor is not None else ""  # the web editor, not for search
    robots = f"User-agent: *\n{editor}Allow: /\n\nSitemap: {site.config.base_url}sitemap.xml\n"
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
