"""`atlas serve`'s rebuilds: only what a change touches, only files whose bytes changed.

Kept between rebuilds: the record files read (re-read when their time or size changed), the
theme (reloaded when a template, catalog or atlas.yaml changed), every page's bytes with the
fingerprint of what it was rendered from, and the digest of every file in the output folder.
A rebuild loads and models the whole content again (cheap), lists the pages, and renders only
those whose fingerprint changed (see atlas/dependencies.py for what goes into one).

Pages are rendered with placeholders where the content-hashed names of stylesheets, scripts and
search data go (every page names its language's search data): a changed index then changes a
byte substitution, not a rendering. A rebuild runs in two steps:
1. `pages()`: the pages whose inputs changed, linking the stylesheets and search data already
   in the folder, are written (the open page can reload at once);
2. `files()`: the downloads, search data and other files are made again, every page gets the new
   hashed names, and what no longer belongs to the site is removed. Then the folder holds exactly
   what `atlas build` writes for the same content.
Every file is written beside its place and renamed over it: a reader never sees half a file.
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

from atlas import urls
from atlas.build import Validated, exports, load_and_validate, other_files, reported_errors, site_page_list, today
from atlas.dependencies import Fingerprints, template_digests, theme_digest
from atlas.fingerprint import fingerprinted
from atlas.inventory import take_inventory
from atlas.model import Site, build_model
from atlas.offline import file_digests, page_digest, service_worker
from atlas.render import Page, PageRenderer
from atlas.sources import SourceCache
from atlas.templates import Theme
from atlas.writer import MARKER, MARKER_TEXT

_TOKEN = "~atlas-asset-{}~"  # stands for a content hash while rendering; no template writes "~atlas-"
_TOKENS = re.compile(rb"~atlas-asset-(\d+)~")


@dataclass(frozen=True)
class Loaded:
    """One rebuild's content: validated records, model, pages."""

    valid: Validated
    site: Site
    build_date: date


class Incremental:
    """The state of `atlas serve`'s output folder and what it was made from."""

    def __init__(self, project: Path, output: Path) -> None:
        self.project, self.output = project, output
        self.sources: SourceCache = {}
        self.theme: tuple[str, Theme, dict[str, bytes]] | None = None  # (digest of templates, catalogs,
        # atlas.yaml), the theme, the digest of each template with those it uses
        self.rendered: dict[str, tuple[bytes, bytes]] = {}  # page file -> (fingerprint, bytes with tokens)
        self.written: dict[str, bytes] = {}  # file in the output -> sha256 of its bytes
        self.assets: dict[str, str] = {}  # plain -> hashed name of the files in the output
        self.tokens: dict[str, int] = {}  # plain name -> its token's number (only grows: pages keep theirs)
        self.data_files: Collection[str] = ()  # the downloads the /daten/ page lists
        self.loaded: Loaded | None = None
        self.cards: dict[tuple[str, int, str, str], Any] = {}  # PageRenderer's offer cards, kept across rebuilds
        self.card_inputs: tuple[bytes, dict[str, bytes]] = (b"", {})  # what they were made from

    # -- step 1 ------------------------------------------------------------------------------

    def pages(self, on_first: Callable[[int], None] | None = None) -> int:
        """Load the content, render the pages whose inputs changed and write those whose bytes
        changed (with the hashed names already published); an edited offer's own pages first,
        then `on_first(how many)`, then the lists. Raises ContentError like `build`."""
        build_date = today()
        valid = load_and_validate(self.project, build_date, workers=1, cache=self.sources)
        valid = replace(valid, theme=self._theme(valid))
        site = build_model(valid.config, valid.records, build_date)
        self.loaded = Loaded(valid, site, build_date)
        if not self.written:
            return 0  # nothing published yet: step 2 writes everything
        inventory = take_inventory(site, build_date, site.config.review_after_days)
        pages = site_page_list(site, valid.theme, inventory, self.data_files)
        known = self.card_inputs[1]  # each offer's state at the last rebuild
        edited = {urls.offer(slug) for slug, offer in site.offers.items() if known.get(slug) is None
                  or known[slug] != Fingerprints.offer_state(site, offer)}
        own = [page for page in pages if page.route in edited]
        count = self._write(self._page_bytes(own, only_changed=True))  # the pages the editor looks at first
        if on_first is not None:
            on_first(count)
        return count + self._write(self._page_bytes([p for p in pages if p.route not in edited], only_changed=True))

    # -- step 2 ------------------------------------------------------------------------------

    def files(self) -> int:
        """Everything else, and every page with the new hashed names; removes what is gone."""
        assert self.loaded is not None, "pages() first"
        valid, site, build_date = self.loaded.valid, self.loaded.site, self.loaded.build_date
        inventory, downloads = exports(site, valid.theme, build_date, publish=True)
        pages = site_page_list(site, valid.theme, inventory, downloads.keys())
        files, assets = fingerprinted(other_files(valid.theme, site, self.project, pages, downloads, publish=True))
        self.data_files, self.assets = list(downloads.keys()), assets
        page_bytes = self._page_bytes(pages, only_changed=False)
        # the worker's version names the whole build
        offline = service_worker(site.config, file_digests(files), page_digest(page_bytes.items()))
        site_bytes = {MARKER: MARKER_TEXT.encode(), **files, **page_bytes, **offline}
        count = self._write(site_bytes)
        for gone in sorted(self.written.keys() - site_bytes.keys()):
            _remove(self.output, gone)
            del self.written[gone]
        for gone in self.rendered.keys() - {urls.output_file(p.path) for p in pages}:
            del self.rendered[gone]
        return count

    # -- helpers -----------------------------------------------------------------------------

    def _theme(self, valid: Validated) -> Theme:
        """The last theme while its templates, catalogs and atlas.yaml are unchanged: its compiled
        templates are reused."""
        digest = theme_digest(valid.theme, valid.config)
        if self.theme is None or self.theme[0] != digest:
            self.theme = (digest, valid.theme, template_digests(valid.theme.environment))
        return self.theme[1]

    def _page_bytes(self, pages: list[Page], *, only_changed: bool) -> dict[str, bytes]:
        """{file: bytes} of the pages (with `only_changed`, of those rendered anew), hashed names in."""
        assert self.loaded is not None and self.theme is not None
        site, theme = self.loaded.site, self.theme[1]
        for plain in sorted(self.assets.keys() - self.tokens.keys()):
            self.tokens[plain] = len(self.tokens)
        renderer = PageRenderer(site, theme, {plain: _tokenized(plain, self.tokens[plain]) for plain in self.assets})
        hashes = {number: _hash_of(self.assets[plain]).encode() for plain, number in self.tokens.items()
                  if plain in self.assets}
        prints = Fingerprints(site, theme, self.theme[2])
        self._reuse_cards(renderer, prints)
        result: dict[str, bytes] = {}
        fresh: dict[str, tuple[bytes, bytes]] = {}  # kept only when every page rendered: a failed
        with reported_errors(site.config, self.output):  # rebuild leaves nothing half-known
            for page in pages:
                file, key = urls.output_file(page.path), prints.of(page)
                known = self.rendered.get(file)
                if known is None or known[0] != key:
                    known = fresh[file] = (key, renderer.render(page))
                elif only_changed:
                    continue
                result[file] = _TOKENS.sub(lambda m: hashes[int(m[1])], known[1])
        self.rendered.update(fresh)
        return result

    def _reuse_cards(self, renderer: PageRenderer, prints: Fingerprints) -> None:
        """Hand the renderer the offer cards of the last rebuild whose offer, text, template and
        site-wide names are unchanged: a region's page lists hundreds of them."""
        common, offers = prints.common + self.theme[2].get("card.html", b""), prints.offer_states()  # type: ignore[index]
        if common != self.card_inputs[0]:
            self.cards = {}
        else:
            known = self.card_inputs[1]
            self.cards = {key: card for key, card in self.cards.items() if known.get(key[0]) == offers.get(key[0])}
        self.card_inputs = (common, offers)
        if isinstance(getattr(renderer, "cards", None), dict):  # the renderer's cache (atlas/render.py)
            renderer.cards = self.cards

    def _write(self, files: Mapping[str, bytes]) -> int:
        count = 0
        with reported_errors(self.loaded.valid.config if self.loaded else None, self.output):  # type: ignore[arg-type]
            for path, data in files.items():
                digest = hashlib.sha256(data).digest()
                if self.written.get(path) != digest:
                    _replace(self.output / path, data)
                    self.written[path] = digest
                    count += 1
        return count


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
