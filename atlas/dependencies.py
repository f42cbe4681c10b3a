"""What a page is made of, as a fingerprint: the same fingerprint, the same bytes.

A page's bytes come from its template (and every template that one extends, includes or imports,
and card.html, which the offer lists render), the catalog of its language, its context (the
records it shows: an offer's page its offer and text, a region's page the offers for it …) and
what every page reads from the site as a whole (atlas.yaml, the names of regions and actors,
the counts in the footer and on the start page). Each is hashed; an offer is hashed once per
language with the text a reader of that language gets. The content-hashed names of stylesheets
and search data are left out: atlas/incremental.py fills them in after rendering.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import is_dataclass
from typing import Any

import jinja2
from jinja2 import meta

from atlas.config import Config
from atlas.model import Site
from atlas.records import Offer
from atlas.render import Page
from atlas.templates import Theme

_ALWAYS = ("card.html",)  # rendered from Python (offer_cards) for any page with a list of offers


def theme_digest(theme: Theme, config: Config, parts: tuple[str, ...] = ("templates", "locale")) -> str:
    """Of atlas.yaml and the files that make up templates and catalogs (not static/: those reach
    pages only as hashed names)."""
    digest = hashlib.sha256(repr(config).encode())
    for folder in theme.folders:
        for part in parts:
            for file in sorted((folder / part).rglob("*")) if (folder / part).is_dir() else ():
                if file.is_file() and not file.is_symlink():
                    digest.update(f"{file}\0".encode() + file.read_bytes() + b"\0")
    return digest.hexdigest()


def template_digests(environment: jinja2.Environment) -> dict[str, bytes]:
    """Per template: a hash of its source and those of every template it uses."""
    sources, uses = {}, {}
    for name in environment.list_templates():
        source = environment.loader.get_source(environment, name)[0]  # type: ignore[union-attr]
        sources[name] = source
        try:
            uses[name] = {used for used in meta.find_referenced_templates(environment.parse(source)) if used}
        except jinja2.TemplateSyntaxError:
            uses[name] = set()  # the render reports it
    result = {}
    for name in sources:
        closure, todo = set(_ALWAYS) & sources.keys(), [name]
        while todo:
            current = todo.pop()
            if current not in closure or current == name:
                closure.add(current)
                todo += [used for used in uses.get(current, ()) if used not in closure]
        result[name] = hashlib.sha256("".join(f"{n}\0{sources[n]}\0" for n in sorted(closure)).encode()).digest()
    return result


def site_digest(site: Site) -> bytes:
    """What templates read from the site beside their page's context."""
    return hashlib.sha256(repr((
        site.config, site.build_date, site.data_date, len(site.offers),
        list(site.regions.values()), site.children, {slug: site.offer_count(slug) for slug in site.regions},
        list(site.actors.values()), [(o.slug, o.actor) for o in site.offers.values()],  # the A–Z list's actors
    )).encode()).digest()


class Fingerprints:
    """Page fingerprints of one rebuild; each offer is hashed once per language."""

    def __init__(self, site: Site, theme: Theme, templates: Mapping[str, bytes] | None = None) -> None:
        self.site = site
        self.templates = templates if templates is not None else template_digests(theme.environment)
        self.common = site_digest(site) + theme_digest(theme, site.config, ("locale",)).encode()
        self.offers: dict[tuple[str, str], bytes] = {}
        self.records: dict[int, tuple[Any, bytes]] = {}  # id -> (the object, kept alive; its hash)

    def of(self, page: Page) -> bytes:
        digest = hashlib.sha256(self.common)
        digest.update(self.templates.get(page.template, b"?"))
        digest.update(repr((page.route, page.lang, page.template, page.title, page.breadcrumbs,
                            page.in_sitemap)).encode())
        self._feed(digest, page.context, page.lang)
        return digest.digest()

    def _feed(self, digest: Any, value: Any, lang: str) -> None:
        if isinstance(value, Offer):
            digest.update(self._offer(value, lang))
        elif isinstance(value, Mapping):
            for key, item in value.items():
                digest.update(f"\0k{key!r}".encode())
                self._feed(digest, item, lang)
        elif isinstance(value, (list, tuple)):
            digest.update(b"\0[")
            for item in value:
                self._feed(digest, item, lang)
            digest.update(b"\0]")
        elif is_dataclass(value):  # regions, actors, terms, texts: the same objects on many pages
            known = self.records.get(id(value))
            if known is None or known[0] is not value:
                known = self.records[id(value)] = (value, hashlib.sha256(repr(value).encode()).digest())
            digest.update(known[1])
        else:
            digest.update(f"\0v{value!r}".encode())

    def offer_states(self) -> dict[str, bytes]:
        """Per offer slug: a hash of the record and all its translations."""
        return {slug: self.offer_state(self.site, offer) for slug, offer in self.site.offers.items()}

    @staticmethod
    def offer_state(site: Site, offer: Offer) -> bytes:
        texts = [site.translations.get((offer.slug, lang)) for lang in site.config.languages]
        return hashlib.sha256(repr((offer, texts)).encode()).digest()

    def _offer(self, offer: Offer, lang: str) -> bytes:
        key = (offer.slug, lang)
        if key not in self.offers:
            self.offers[key] = hashlib.sha256(repr((offer, self.site.text(offer, lang))).encode()).digest()
        return self.offers[key]

