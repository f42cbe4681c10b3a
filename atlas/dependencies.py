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
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes

from atlas.config import Config
from atlas.model import Site
from atlas.record_types import Offer, Translation
from atlas.render import Page

_ALWAYS = ("card.html",)  # rendered from Python (offer_cards) for any page with a list of offers


def theme_digest(folders: tuple[Path, ...], config: Config, parts: tuple[str, ...] = ("templates", "locale")) -> str:
    """Of atlas.yaml and the files that make up templates and catalogs (not static/: those reach
    pages only as hashed names; the theme's problems name them, so their list is in it too)."""
    digest = hashlib.sha256(repr(config).encode())
    for folder in folders:
        for part in parts:
            for file in sorted((folder / part).rglob("*")) if (folder / part).is_dir() else ():
                if file.is_file() and not file.is_symlink():
                    digest.update(f"{file}\0".encode() + file.read_bytes() + b"\0")
                else:  # a link or special file is a problem of the theme's
                    digest.update(f"{file}\0{file.is_symlink()}\0".encode())
        if "templates" in parts:  # which static files there are: a theme's problems depend on them
            static = sorted((folder / "static").rglob("*")) if (folder / "static").is_dir() else ()
            digest.update(repr([(str(f), f.is_symlink(), f.is_file()) for f in static]).encode())
    return digest.hexdigest()


def template_digests(environment: jinja2.Environment) -> dict[str, bytes]:
    """Per template: a hash of its source and those of every template it uses."""
    sources, uses = {}, {}
    for name in environment.list_templates():
        source = environment.loader.get_source(environment, name)[0]  # type: ignore[union-attr]
        sources[name] = source
        try:
            tree = environment.parse(source)
            uses[name] = {used for used in meta.find_referenced_templates(tree) if used} | _shared(tree)
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


def _shared(tree: nodes.Template) -> set[str]:
    """The templates a template renders through shared("footer.html") (atlas/render.py), which
    Jinja does not see as an include."""
    return {call.args[0].value for call in tree.find_all(nodes.Call)
            if isinstance(call.node, nodes.Name) and call.node.name == "shared" and call.args
            and isinstance(call.args[0], nodes.Const) and isinstance(call.args[0].value, str)}


def site_digest(site: Site) -> bytes:
    """What templates read from the site beside their page's context. The A–Z list names each
    offer's actor; the order of the offers is in the pages' contexts (a new title moves an offer
    in the list, which changes only the pages that list it)."""
    return hashlib.sha256(repr((
        site.config, site.build_date, site.data_date, len(site.offers),
        list(site.regions.values()), site.children, {slug: site.offer_count(slug) for slug in site.regions},
        list(site.actors.values()), sorted((o.slug, o.actor) for o in site.offers.values()),
    )).encode()).digest()


OfferState = tuple[Offer, tuple[Translation | None, ...]]  # an offer and its translation per UI language
Digests = dict[Any, tuple[Any, bytes]]  # kept across rebuilds: key -> (what was hashed, its hash)


def offer_states(site: Site) -> dict[str, OfferState]:
    """Per offer slug: the record and its translations. Unchanged records are the same objects
    from one rebuild to the next (atlas/record_cache.py), so comparing is cheap."""
    languages = site.config.languages
    return {slug: (offer, tuple(site.translations.get((slug, lang)) for lang in languages))
            for slug, offer in site.offers.items()}


class Fingerprints:
    """Page fingerprints of one rebuild. `locale` is the digest of the catalogs, `templates` of each
    template with those it uses; `kept` holds the hashes of records (and of each offer in each
    language) across rebuilds, reused while the record is the same object."""

    def __init__(self, site: Site, locale: str, templates: Mapping[str, bytes], kept: Digests | None = None,
                 common: bytes | None = None) -> None:
        """`common`: the site digest and locale of the last rebuild, for pages rendered before the
        site is modelled anew (atlas/incremental.py `preview`)."""
        self.site = site
        self.templates = templates
        self.common = common or site_digest(site) + locale.encode()
        self.previous: Digests = kept or {}
        self.kept: Digests = {}  # the hashes this rebuild used: the next one's `kept`

    def of(self, page: Page) -> bytes:
        offer = page.context.get("offer") if page.template == "offer.html" else None
        if not isinstance(offer, Offer):
            return self._of(page)
        # an offer's page is made of its record and text in the page's language (and what the
        # common digest holds): the same objects as last time, the same fingerprint, without
        # hashing its context again (7,000 pages at 1,000 offers × 7 languages)
        inputs = (self.common, self.templates.get(page.template), page.path, offer,
                  self.site.translations.get((offer.slug, page.lang)))
        known = self._known(("page", page.path))
        if known is None or known[0] != inputs:  # compares by identity first: cheap for unchanged records
            known = self.kept["page", page.path] = (inputs, self._of(page))
        return known[1]

    def _of(self, page: Page) -> bytes:
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
        elif isinstance(value, Translation):  # an offer page's text: made anew where the German stands in
            key = ("text", value.slug, value.lang, value.origin.path)
            known = self._known(key)
            if known is None or known[0] != value:  # the same strings: equal at the cost of comparing identities
                known = self.kept[key] = (value, hashlib.sha256(repr(value).encode()).digest())
            digest.update(known[1])
        elif is_dataclass(value):  # regions, actors, terms: the same objects on many pages
            known = self._known(id(value))
            if known is None or known[0] is not value:  # the object is kept alive with its hash: ids stay unique
                known = self.kept[id(value)] = (value, hashlib.sha256(repr(value).encode()).digest())
            digest.update(known[1])
        else:
            digest.update(f"\0v{value!r}".encode())

    def _offer(self, offer: Offer, lang: str) -> bytes:
        """An offer as a reader of `lang` sees it: the record and the text in that language."""
        key = (offer.slug, lang)
        inputs = (offer, self.site.translations.get(key), self.site.config.default_language)
        known = self._known(key)
        if known is None or known[0] != inputs:  # compares by identity first: cheap for unchanged records
            text = repr((offer, self.site.text(offer, lang)))
            known = self.kept[key] = (inputs, hashlib.sha256(text.encode()).digest())
        return known[1]

    def _known(self, key: Any) -> tuple[Any, bytes] | None:
        known = self.kept.get(key)
        if known is None:
            known = self.previous.get(key)
            if known is not None:
                self.kept[key] = known
        return known
