"""`atlas serve`'s rebuilds: only what a change touches, only files whose bytes changed.

Kept between rebuilds: the record files read (re-read when their time or size changed) and
their checked records, the theme (reloaded when a template, catalog or atlas.yaml changed),
every page's bytes with the fingerprint of what it was rendered from, the offer cards and the
footer, and the digest of every file in the output folder. A rebuild models the content again
(cheap), renders the edited offers' pages, then lists the pages and renders only those whose
fingerprint changed (see atlas/dependencies.py for what goes into one).

Pages are rendered with placeholders where the content-hashed names of stylesheets, scripts and
search data go (every page names its language's search data): a changed index then changes a
byte substitution, not a rendering. A rebuild runs in two steps:
1. `pages()`: the pages whose inputs changed, linking the stylesheets and search data already
   in the folder, are written, the edited offers' own pages first (the open page reloads then);
2. `files()`: the downloads, search data and other files are made again, every page gets the new
   hashed names, and what no longer belongs to the site is removed. Then the folder holds exactly
   what `atlas build` writes for the same content.
Every file is written beside its place and renamed over it: a reader never sees half a file.

Before step 1, when the watcher names the files saved and they are offers or their translations,
`preview()` writes those offers' own pages from the last rebuild's model with the edited records
put in: a record's work for what the editor looks at; step 1 then finds them up to date.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from atlas import nearnow, urls
from atlas.build import (
    Validated,
    exports,
    load_and_validate,
    other_files,
    reported_errors,
    search_data,
    site_page_list,
    theme_with_problems,
    today,
)
from atlas.config import Config
from atlas.dependencies import Digests, Fingerprints, OfferState, offer_states, template_digests, theme_digest
from atlas.documents import read_document
from atlas.errors import Problem, errors_of
from atlas.fingerprint import fingerprinted
from atlas.inventory import take_inventory
from atlas.markdown import MarkdownRenderer
from atlas.model import Site, build_model, is_published
from atlas.nearwords import Verdicts
from atlas.offline import file_digests, page_digest, service_worker
from atlas.record_cache import RecordCache
from atlas.record_types import Offer, Translation
from atlas.records import parse_again
from atlas.render import Page, PageRenderer, offer_page
from atlas.search import Kept
from atlas.sources import CONTENT, SourceCache
from atlas.templates import Theme, theme_folders
from atlas.writer import MARKER, MARKER_TEXT

_TOKEN = "~atlas-asset-{}~"  # stands for a content hash while rendering; no template writes "~atlas-"
_TOKENS = re.compile(rb"~atlas-asset-(\d+)~")
WRITTEN_BETWEEN_QUESTIONS = 256  # pages step 2 writes before it asks again whether a save waits (~30 ms)


@dataclass(frozen=True)
class Loaded:
    """One rebuild's content: validated records, model, pages."""

    valid: Validated
    site: Site
    build_date: date


@dataclass(frozen=True)
class LoadedTheme:
    """The theme of the last rebuild, reused while its templates, catalogs and atlas.yaml are unchanged."""

    digest: str  # of templates, catalogs, atlas.yaml (and the list of static files: the problems name them)
    theme: Theme
    problems: list[Problem]
    locale: str  # digest of the catalogs and atlas.yaml, which every page reads
    templates: dict[str, bytes]  # digest of each template with those it uses


class Incremental:
    """The state of `atlas serve`'s output folder and what it was made from."""

    def __init__(self, project: Path, output: Path) -> None:
        self.project, self.output = project, output
        self.sources: SourceCache = {}
        self.records = RecordCache()
        self.theme: LoadedTheme | None = None
        self.rendered: dict[str, tuple[bytes, bytes]] = {}  # page file -> (fingerprint, bytes with tokens)
        self.written: dict[str, bytes] = {}  # file in the output -> sha256 of its bytes
        self.assets: dict[str, str] = {}  # plain -> hashed name of the files in the output
        self.tokens: dict[str, int] = {}  # plain name -> its token's number (only grows: pages keep theirs)
        self.data_files: Collection[str] = ()  # the downloads the /daten/ page lists
        self.loaded: Loaded | None = None
        self.listed: tuple[list[str], list[Page]] = ([], [])  # step 1's pages and the downloads they name
        self.printed: dict[str, tuple[Page, bytes]] = {}  # page file -> (the Page of this rebuild, its fingerprint)
        self.digests: Digests = {}  # the records' hashes of the last rebuild (atlas/dependencies.py)
        self.cards: dict[Any, Any] = {}  # PageRenderer's offer cards, kept across rebuilds …
        self.card_inputs: tuple[bytes, dict[str, OfferState]] = (b"", {})  # … and what they were made from
        self.fragments: dict[Any, Any] = {}  # PageRenderer's shared fragments (the footer) …
        self.fragment_inputs = b""  # … and what they were made from
        self.common = b""  # what every page of the last rebuild read of the site (Fingerprints.common)
        self.clock: dict[str, Any] = {}  # nearnow.clock of the last rebuild's site
        self.markdown = MarkdownRenderer()  # its Python-Markdown instance, for every rebuild's renderer
        self.on_written: Callable[[str], None] = lambda file: None  # each file as it is written (the page gate)
        self.give_way: Callable[[], bool] = lambda: False  # step 2's `interrupted`, asked between pages too
        self.wanted: Callable[[], Collection[str]] = lambda: ()  # pages requests wait for (the page gate)

    # -- before step 1 -----------------------------------------------------------------------

    def preview(self, changed: Collection[str], on_page: Callable[[str], None]) -> int:
        """When the `changed` files (absolute or as the project path is given) are offers or their
        translations read before, and no other record, template or setting: those offers' own
        pages, each written and then named to `on_page(file)`; how many. 0 for any other change:
        step 1 does it all. The edited records are put into the last rebuild's model, and the
        pages' fingerprints take what pages share of the site from the last rebuild: when the
        edit changed that too (the footer's date of the data), step 1 renders them again."""
        site = self.loaded.site if self.loaded is not None else None
        if site is None or self.theme is None or not self.common or site.build_date != today():
            return 0
        records = self._reread(changed, site.config)
        if records is None:
            return 0
        offers, texts = dict(site.offers), dict(site.translations)
        for record in records:
            if isinstance(record, Offer) and record.slug in offers and is_published(record, site.build_date):
                offers[record.slug] = record
            elif isinstance(record, Translation) and record.slug in offers and record.lang in site.config.languages:
                texts[record.slug, record.lang] = record
            else:  # a new offer, one no longer published, an unused translation: step 1
                return 0
        patched = replace(site, offers=offers, translations=texts)
        slugs = list(dict.fromkeys(record.slug for record in records))
        first = [record.lang for record in records if isinstance(record, Translation)]  # the edited language first
        languages = sorted(site.config.languages, key=lambda lang: lang not in first)
        catalogs = self.theme.theme.catalogs
        prints = Fingerprints(patched, self.theme.locale, self.theme.templates, self.digests, self.common)
        renderer = self._renderer(patched, ({}, self.fragments))  # no card of an edited offer from before:
        count, fill = 0, self._filler()  # step 1 lets those go, and the cards made here are made again there
        for slug in slugs:
            for lang in languages:
                page = offer_page(patched, catalogs[lang], offers[slug], patched.text(offers[slug], lang), self.clock)
                on_page(self._preview_page(page, prints, renderer, fill))
                count += 1
        self.digests = {**self.digests, **prints.kept}
        return count

    def _reread(self, changed: Collection[str], config: Config) -> list[Any] | None:
        """The records of the changed files, read and checked again (kept in the caches as step 1
        would keep them), when every changed record file is an offer or translation read before
        and has no errors; None otherwise. Files beside the records (an editor's swap file) count
        as unchanged."""
        edited: list[str] = []
        for path in sorted(changed):
            rel = os.path.relpath(path, self.project).replace(os.sep, "/")
            name = rel.rpartition("/")[2]
            if not rel.startswith(f"{CONTENT}/"):
                return None  # atlas.yaml, a template, a catalog …
            if name.startswith(".") or not name.endswith(".md"):
                continue
            known = self.sources.get(rel)
            if known is None or known[1].kind != "offers":
                return None  # a new record, a region, an actor: pages across the site
            try:
                stat = os.lstat(self.project / rel)
            except OSError:
                return None  # deleted
            if (stat.st_mtime_ns, stat.st_size) == known[0]:
                continue
            document, trouble = read_document(self.project / rel, rel)
            if document is None or errors_of(trouble):
                return None
            self.sources[rel] = ((stat.st_mtime_ns, stat.st_size), replace(known[1], document=document), trouble)
            edited.append(rel)
        again = parse_again([self.sources[rel][1] for rel in edited], config, self.records) if edited else None
        if again is None or any(errors_of(problems) for _, problems in again):
            return None
        return [record for record, _ in again]

    # -- step 1 ------------------------------------------------------------------------------

    def pages(self, on_first: Callable[[int], None] | None = None) -> int:
        """Load the content, render the pages whose inputs changed and write those whose bytes
        changed (with the hashed names already published); an edited offer's own pages first,
        then `on_first(how many)`, then the lists. Raises ContentError like `build`.

        Only files read again are checked again, and the edited offers' pages are made without
        listing the site's pages: what the editor waits for costs about one record's work."""
        build_date = today()
        valid = load_and_validate(self.project, build_date, workers=1, cache=self.sources, records=self.records,
                                  themes=self._theme)
        site = build_model(valid.config, valid.records, build_date)
        self.loaded = Loaded(valid, site, build_date)
        if not self.written:
            return 0  # nothing published yet: step 2 writes everything
        states = offer_states(site)
        edited = [slug for slug, state in states.items() if self.card_inputs[1].get(slug) != state]
        catalogs, clock = valid.theme.catalogs, nearnow.clock(site)
        self.clock = clock
        own = [offer_page(site, catalogs[lang], site.offers[slug], site.text(site.offers[slug], lang), clock)
               for slug in edited for lang in site.config.languages]
        count = self._write(self._page_bytes(own, only_changed=True, states=states))  # what the editor looks at
        if on_first is not None:
            on_first(count)
        inventory = take_inventory(site, build_date, site.config.review_after_days)
        routes = {page.route for page in own}
        self.listed = (list(self.data_files), site_page_list(site, valid.theme, inventory, self.data_files))
        rest = [page for page in self.listed[1] if page.route not in routes]
        self._drop_unlisted(self.listed[1])
        wanted = set(self.wanted())
        if wanted:  # the page a reload waits for (an actor's, after an edit of it) before a thousand others
            first = [page for page in rest if urls.output_file(page.path) in wanted]
            count += self._write(self._page_bytes(first, only_changed=True, states=states))
        return count + self._write(self._page_bytes(rest, only_changed=True, states=states, every_page=True))

    def _drop_unlisted(self, pages: list[Page]) -> None:
        """Remove the pages no longer listed (a deleted or renamed offer's): they answer 404 now,
        not once step 2 ends (a minute at 1,000 offers, never while saves keep interrupting it)."""
        listed = {urls.output_file(page.path) for page in pages}
        for gone in sorted(self.rendered.keys() - listed):
            if self.written.pop(gone, None) is not None:
                _remove(self.output, gone)
                self.on_written(gone)  # a request held for it gets the 404 page now
            del self.rendered[gone]
            self.printed.pop(gone, None)

    # -- step 2 ------------------------------------------------------------------------------

    def files(self, interrupted: Callable[[], bool] = lambda: False) -> int | None:
        """Everything else, and every page with the new hashed names; removes what is gone. None
        when `interrupted()` says so between the long parts, two languages' search data, two pages
        rendered or a few hundred written (a save waits: its step 1 first, then this again): with
        nothing written, or while writing the pages with the files they name written."""
        assert self.loaded is not None, "pages() first"
        valid, site, build_date = self.loaded.valid, self.loaded.site, self.loaded.build_date
        inventory, downloads = exports(site, valid.theme, build_date, publish=True)
        if self.listed[0] == list(downloads.keys()):  # step 1's pages (their fingerprints are known)
            pages = self.listed[1]
        else:
            pages = site_page_list(site, valid.theme, inventory, downloads.keys())
        if interrupted():
            return None
        plain = other_files(valid.theme, site, self.project, pages, downloads, publish=True, search=False)
        memo = (Kept.of(site), Verdicts())  # the German text split once, not once per language
        for lang in site.config.languages:  # the search data, most of step 2's time: a language at a time
            if interrupted():
                return None
            plain.update(search_data(site, [lang], memo))
        files, assets = fingerprinted(plain)
        if interrupted():
            return None
        kept, (self.data_files, self.assets) = (self.data_files, self.assets), (list(downloads.keys()), assets)
        try:  # rendering every page takes seconds at 1,000 offers: a save waits that long no more
            self.give_way = interrupted
            page_bytes = self._page_bytes(pages, only_changed=False, states=offer_states(site))
        except _GaveWay:
            self.data_files, self.assets = kept  # the files with the new names are not written
            return None
        finally:
            self.give_way = lambda: False
        # the worker's version names the whole build
        offline = service_worker(site.config, file_digests(files), page_digest(page_bytes.items()))
        site_bytes = {MARKER: MARKER_TEXT.encode(), **files, **page_bytes, **offline}
        count = self._write({MARKER: MARKER_TEXT.encode(), **files})  # first: the pages name them
        page_items = list(page_bytes.items())
        for start in range(0, len(page_items), WRITTEN_BETWEEN_QUESTIONS):  # 11,000 at 1,000 offers
            if interrupted():
                return None  # each page names files that are there (the old ones go at the end)
            count += self._write(dict(page_items[start:start + WRITTEN_BETWEEN_QUESTIONS]))
        count += self._write(offline)
        for gone in sorted(self.written.keys() - site_bytes.keys()):
            _remove(self.output, gone)
            del self.written[gone]
        for gone in self.rendered.keys() - {urls.output_file(p.path) for p in pages}:
            del self.rendered[gone]
        for gone in self.printed.keys() - self.rendered.keys():
            del self.printed[gone]
        return count

    # -- helpers -----------------------------------------------------------------------------

    def _theme(self, config: Config) -> tuple[Theme, list[Problem]]:
        """The last theme while its templates, catalogs and atlas.yaml are unchanged: its compiled
        templates are reused, and its catalogs are not read again."""
        folders = theme_folders(config)
        digest = theme_digest(folders, config)
        if self.theme is None or self.theme.digest != digest:
            theme, problems = theme_with_problems(config)
            self.theme = LoadedTheme(digest, theme, problems, theme_digest(folders, config, ("locale",)),
                                     template_digests(theme.environment))
        return self.theme.theme, self.theme.problems

    def _page_bytes(self, pages: list[Page], *, only_changed: bool, states: dict[str, OfferState],
                    every_page: bool = False) -> dict[str, bytes]:
        """{file: bytes} of the pages (with `only_changed`, of those rendered anew), hashed names in.
        `every_page`: the pages are all the site's, so the records' hashes not used can be let go."""
        assert self.loaded is not None and self.theme is not None
        site = self.loaded.site
        prints = Fingerprints(site, self.theme.locale, self.theme.templates, self.digests)
        renderer = self._renderer(site, self._reuse_cards(prints, states))
        result = self._rendered(pages, prints, renderer, only_changed=only_changed)
        self.common = prints.common
        self.digests = prints.kept if every_page else {**self.digests, **prints.kept}
        return result

    def _renderer(self, site: Site, kept: tuple[dict, dict] | None = None) -> PageRenderer:  # type: ignore[type-arg]
        """A renderer that writes a token for each content hash (`kept`: the cards and fragments to reuse)."""
        assert self.theme is not None
        for plain in sorted(self.assets.keys() - self.tokens.keys()):
            self.tokens[plain] = len(self.tokens)
        return PageRenderer(site, self.theme.theme,
                            {plain: _tokenized(plain, self.tokens[plain]) for plain in self.assets},
                            kept or (self.cards, self.fragments), self.markdown)

    def _preview_page(self, page: Page, prints: Fingerprints, renderer: PageRenderer,
                      fill: Callable[[bytes], bytes]) -> str:
        """Render and write an edited offer's page; its file. Its fingerprint is taken after it is
        written, as what the editor waits for is the page."""
        assert self.loaded is not None
        file = urls.output_file(page.path)
        with reported_errors(self.loaded.site.config, self.output):
            data = renderer.render(page)
        self._write({file: fill(data)})
        key = prints.of(page)
        self.printed[file], self.rendered[file] = (page, key), (key, data)
        return file

    def _filler(self) -> Callable[[bytes], bytes]:
        """Puts the content hashes of the files in the output where a rendered page has tokens."""
        hashes = {number: _hash_of(self.assets[plain]).encode() for plain, number in self.tokens.items()
                  if plain in self.assets}
        return lambda data: _TOKENS.sub(lambda m: hashes[int(m[1])], data)

    def _rendered(self, pages: list[Page], prints: Fingerprints, renderer: PageRenderer, *,
                  only_changed: bool) -> dict[str, bytes]:
        """{file: bytes} of the pages whose fingerprint is new (with `only_changed`) or of all."""
        assert self.loaded is not None
        fill = self._filler()
        result: dict[str, bytes] = {}
        fresh: dict[str, tuple[bytes, bytes]] = {}  # kept only when every page rendered: a failed
        with reported_errors(self.loaded.site.config, self.output):  # rebuild leaves nothing half-known
            for page in pages:
                if self.give_way():
                    raise _GaveWay
                file = urls.output_file(page.path)
                printed = self.printed.get(file)
                key = printed[1] if printed is not None and printed[0] is page else prints.of(page)
                self.printed[file] = (page, key)
                known = self.rendered.get(file)
                if known is None or known[0] != key:
                    known = fresh[file] = (key, renderer.render(page))
                elif only_changed:
                    continue
                result[file] = fill(known[1])
        self.rendered.update(fresh)
        return result

    def _reuse_cards(self, prints: Fingerprints, offers: dict[str, OfferState]) -> tuple[dict, dict]:  # type: ignore[type-arg]
        """The offer cards and shared fragments (the footer) of the last rebuilds whose inputs are
        unchanged, for the renderer: a region's page lists hundreds of cards."""
        assert self.theme is not None
        common = prints.common + prints.templates.get("card.html", b"")
        if common != self.card_inputs[0]:
            self.cards.clear()
        else:
            known = self.card_inputs[1]
            for key in [key for key in self.cards if known.get(key[0]) != offers.get(key[0])]:
                del self.cards[key]
        if prints.common + self.theme.digest.encode() != self.fragment_inputs:
            self.fragments.clear()
        self.card_inputs, self.fragment_inputs = (common, offers), prints.common + self.theme.digest.encode()
        return self.cards, self.fragments

    def _write(self, files: Mapping[str, bytes]) -> int:
        count = 0
        with reported_errors(self.loaded.valid.config if self.loaded else None, self.output):  # type: ignore[arg-type]
            for path, data in files.items():
                digest = hashlib.sha256(data).digest()
                if self.written.get(path) != digest:
                    _replace(self.output / path, data)
                    self.written[path] = digest
                    self.on_written(path)
                    count += 1
        return count


class _GaveWay(Exception):  # noqa: N818 (no error: step 2 stops for a waiting save)
    """Raised between pages when step 2 gives way."""


def _tokenized(plain: str, number: int) -> str:
    """'css/atlas.css' -> 'css/atlas.~atlas-asset-3~.css': the hashed name's form, token for hash."""
    stem, dot, extension = plain.rpartition(".")
    return f"{stem}.{_TOKEN.format(number)}{dot}{extension}"


def _hash_of(hashed: str) -> str:
    """'css/atlas.0123456789.css' -> '0123456789'."""
    return hashed.rsplit(".", 2)[-2]


def _replace(target: Path, data: bytes) -> None:
    """Write beside the file, then rename over it: the server never sends half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".atlas-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # as make_public leaves a full build's files
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove(output: Path, path: str) -> None:
    """Delete a file that is no longer part of the site, and the folders it leaves empty."""
    (output / path).unlink(missing_ok=True)
    folder = (output / path).parent
    while folder != output and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
