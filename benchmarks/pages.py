"""Light pages benchmark: what a first visit to the demo atlas transfers before search is used.

    python benchmarks/pages.py            # builds the demo atlas (the repository root) into a temporary folder
    python benchmarks/pages.py --detail   # also every response of every page

Target: the start page transfers at most 100 KB (compressed) before search is used; offer pages
likewise. Measured pages: the start page, the offer with the longest body and a typical one
(the median body), and the same pages under en/ and ar/ when the build has those folders.
Each page opens in headless Chromium (Debian's, 1280×720, empty cache) from a loopback server
with the production headers of the README's nginx example; every request up to load and network
idle counts, nothing is clicked or typed. Sizes are what a server sends: the body with gzip
(level 6) and brotli (quality 11) for text (HTML, CSS, JS, JSON, SVG …), as-is for images and
fonts that are compressed already; bodies only, no headers. KB = 1,000 bytes. A request counts
when it reaches the server: Chromium sometimes revalidates the favicon (the logo) it has just
loaded, a 304 without body, so a page's count may differ by one between runs.
Search must cost nothing until it is used: no request for suche/index.*.json, suche/documents.*.json
or the search worker before then. Afterwards the page's search box is focused (#header-q, or the
start page's own box) and what its prefetch adds is printed apart: not counted against the budget.
Offline: a first use (a key press) then registers the service worker; what the offline code adds
to a first visit (js/offline.*.js, the manifest when the browser asks for it, sw.js) is checked
against its own budget of 8 KB gzip, and what the worker then stores for offline use (the reader's
search data, the scripts) is printed apart.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import brotli
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas import urls  # noqa: E402
from atlas.build import build  # noqa: E402
from atlas.errors import AtlasError  # noqa: E402
from atlas.model import Site  # noqa: E402

BUDGET = 100_000  # bytes, compressed, before search is used
OFFLINE_BUDGET = 8_000  # bytes, gzip: the service worker and the offline/print/share code on a first visit
OFFLINE_CODE = re.compile(r"(^|/)(sw\.js|manifest\.json)$|js/(offline|tools)\.[0-9a-f]{10}\.js$")
LANGUAGES = ("en", "ar")
# the search data and worker under their content-hashed names (suche/index.<hash>.json), also .gz / .br
SEARCH_ONLY = re.compile(r"suche/(index|documents)\.[0-9a-f]{10}\.json|search-worker\.[0-9a-f]{10}\.js")
SEARCH_BOXES = ("#header-q", "form[role=search] input[type=search]")  # the header's, else the page's own
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
HEADERS = {  # the README's nginx example; no Cache-Control: a second request for a file may come from the cache
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
TEXT_TYPES = ("application/json", "application/javascript", "application/xml", "application/manifest+json",
              "image/svg+xml", "image/x-icon", "image/vnd.microsoft.icon")


@dataclass(frozen=True)
class Sent:
    """One response as the server sent it."""

    path: str
    status: int
    type: str
    body: bytes

    @functools.cached_property
    def sizes(self) -> tuple[int, int, int]:
        """Raw, gzip and brotli bytes: text compressed as a server would, other files as they are."""
        media = self.type.split(";")[0].strip().lower()
        if not (media.startswith("text/") or media in TEXT_TYPES or media.endswith(("+json", "+xml"))):
            return len(self.body), len(self.body), len(self.body)
        return (len(self.body), len(gzip.compress(self.body, 6, mtime=0)),
                len(brotli.compress(self.body, quality=11)))


def total(responses: list[Sent]) -> tuple[int, int, int]:
    return (sum(r.sizes[0] for r in responses), sum(r.sizes[1] for r in responses),
            sum(r.sizes[2] for r in responses))


class _Handler(http.server.SimpleHTTPRequestHandler):
    """A static server that records what it sends, and answers a missing file with the site's 404 page."""

    server: _Server

    def do_GET(self) -> None:
        self.status, self.media, self.error_body = 0, "", b""
        source = self.send_head()
        body = b""
        if source is not None:
            with source:
                body = source.read()
            with suppress(ConnectionError):
                self.wfile.write(body)
        self.server.sent.append(Sent(urlsplit(self.path).path, self.status, self.media, body or self.error_body))

    def send_response(self, code: int, message: str | None = None) -> None:
        self.status = code
        super().send_response(code, message)

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() == "content-type":
            self.media = value
        super().send_header(keyword, value)

    def end_headers(self) -> None:
        for keyword, value in HEADERS.items():
            super().send_header(keyword, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        self.error_body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.error_body)))
        self.end_headers()
        with suppress(ConnectionError):
            self.wfile.write(self.error_body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
        pass


class _Server(http.server.ThreadingHTTPServer):
    sent: list[Sent]


@contextmanager
def serve(folder: Path) -> Iterator[tuple[str, _Server]]:
    server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
    server.sent = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", server
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Visit:
    """One page in a fresh browser: what loading it cost, and what using its search box added."""

    label: str
    path: str
    before: list[Sent] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)  # every URL the browser asked for before search use
    box: str | None = None
    after: list[Sent] = field(default_factory=list)
    stored: list[Sent] = field(default_factory=list)  # after a first use: sw.js and what the worker stores

    @property
    def offline_code(self) -> list[Sent]:
        """The page's own offline and print/share code and manifest, and sw.js (the worker's own
        copies of scripts it stores count under `stored`)."""
        return ([r for r in self.before if OFFLINE_CODE.search(r.path)]
                + [r for r in self.stored if r.path.endswith("/sw.js") or r.path.endswith("manifest.json")])

    @property
    def early_search(self) -> list[str]:
        seen = {urlsplit(url).path for url in self.requested} | {r.path for r in self.before}
        return sorted(p for p in seen if SEARCH_ONLY.search(p))


class _Network:
    """Requests of a browser context still in flight, and when the last one started or ended."""

    def __init__(self, context: BrowserContext, requested: list[str]) -> None:
        self.open = 0
        self.changed = time.monotonic()
        self.requested = requested
        context.on("request", self._started)
        context.on("requestfinished", self._ended)
        context.on("requestfailed", self._ended)

    def _started(self, request) -> None:  # type: ignore[no-untyped-def]
        self.requested.append(request.url)
        self.open += 1
        self.changed = time.monotonic()

    def _ended(self, _request) -> None:  # type: ignore[no-untyped-def]
        self.open -= 1
        self.changed = time.monotonic()

    def settle(self, page: Page, quiet: float = 0.5, limit: float = 15.0) -> None:
        """Wait until nothing has been in flight for `quiet` seconds (events arrive while waiting)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            page.wait_for_timeout(100)
            if self.open <= 0 and time.monotonic() - self.changed >= quiet:
                return


def visit(browser: Browser, base: str, server: _Server, label: str, path: str) -> Visit:
    result = Visit(label, path)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        network = _Network(context, result.requested)
        page = context.new_page()
        server.sent.clear()
        page.goto(base + path, wait_until="networkidle")
        network.settle(page)
        result.before = list(server.sent)
        result.requested = list(result.requested)  # a copy: later requests go to the network's list
        for selector in SEARCH_BOXES:
            if page.locator(selector).count():
                element_id = page.locator(selector).first.get_attribute("id")
                result.box = f"#{element_id}" if element_id else selector
                page.focus(selector)
                network.settle(page, quiet=1.0)
                break
        result.after = server.sent[len(result.before):]
        mark = len(server.sent)
        page.keyboard.press("Shift")  # a first use: the service worker is registered and stores its files
        deadline = time.monotonic() + 15
        while not page.evaluate("navigator.serviceWorker.controller !== null") and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        network.settle(page, quiet=1.0)
        result.stored = server.sent[mark:]
    finally:
        context.close()
    return result


class _Alternates(HTMLParser):
    """The page's links to its other languages: hreflang → href."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("link", "a") and found.get("hreflang") and found.get("href"):
            self.found.setdefault(found["hreflang"] or "", found["href"] or "")


def in_language(out: Path, german: str, lang: str) -> str | None:
    """The page path of `german` in `lang`, if the build has it: where the German page's hreflang
    link points, else the same path under the language's folder."""
    parser = _Alternates()
    parser.feed((out / urls.output_file(german)).read_text(encoding="utf-8"))
    candidates = [f"{lang}/{german}"]
    if lang in parser.found:
        target = urlsplit(urljoin("http://site/" + german, parser.found[lang])).path.lstrip("/")
        candidates.insert(0, target)
    return next((c for c in candidates if (out / urls.output_file(c)).is_file()), None)


def offers_to_measure(site: Site, lang: str | None = None) -> list[tuple[str, str]]:
    """(label, slug): the offer with the longest body and a typical one (the median body), among the
    offers (lang None) or among the translations into `lang`."""
    bodies = ({o.slug: o.body for o in site.offers.values()} if lang is None else
              {slug: t.body for (slug, tlang), t in site.translations.items() if tlang == lang})
    if not bodies:
        return []
    ranked = sorted(bodies, key=lambda slug: (len(bodies[slug]), slug))
    median = statistics.median_low(len(bodies[s]) for s in ranked)
    typical = next(s for s in ranked if len(bodies[s]) == median)
    chosen = [(f"offer, longest body ({len(bodies[ranked[-1]]):,} chars)", ranked[-1])]
    if typical != ranked[-1]:
        chosen.append((f"offer, typical body ({median:,} chars)", typical))
    return chosen


def pages_to_measure(site: Site, out: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(label, page path) to visit, and notes on what was skipped."""
    german = [("start page", urls.HOME)] + [(label, urls.offer(slug)) for label, slug in offers_to_measure(site)]
    pages, notes = list(german), []
    for lang in LANGUAGES:
        if not (out / lang).is_dir():
            notes.append(f"{lang}/: skipped, the build has no {lang}/ folder")
            continue
        own = [(label, urls.offer(slug)) for label, slug in offers_to_measure(site, lang)]
        for i, (label, path) in enumerate(german):
            found = in_language(out, path, lang)
            if found is None and 0 < i <= len(own):  # this offer has no translation: the language's own
                label, path = own[i - 1]
                found = in_language(out, path, lang)
            if found is None:
                notes.append(f"{lang}/: skipped {label} ({path or '/'} has no {lang} page)")
            elif found not in (p for _, p in pages):
                pages.append((f"{label}, {lang}", found))
    return pages, notes


def kb(size: int) -> str:
    return f"{size / 1000:.1f}"


def report(visits: list[Visit], notes: list[str], detail: bool) -> None:
    width = max(len(v.path or "/") for v in visits) + 2
    print(f"\nBefore search is used (budget {BUDGET // 1000} KB compressed per page)")
    print(f"{'page':<{width}} {'requests':>8} {'raw KB':>8} {'gzip KB':>8} {'brotli KB':>9}  {'vs 100 KB (gzip)':<18}"
          f" which page")
    for v in visits:
        raw, gz, br = total(v.before)
        verdict = "met" if gz <= BUDGET else "missed"
        print(f"{v.path or '/':<{width}} {len(v.before):>8} {kb(raw):>8} {kb(gz):>8} {kb(br):>9}  "
              f"{gz / BUDGET:>5.2f}x {verdict:<11} {v.label}")
        if detail:
            for r in sorted(v.before, key=lambda r: -r.sizes[1]):
                print(f"{'  ' + r.path:<{width}} {r.status:>8} {kb(r.sizes[0]):>8} {kb(r.sizes[1]):>8} "
                      f"{kb(r.sizes[2]):>9}  {r.type}")
    for note in notes:
        print(note)
    for v in visits:
        for r in v.before + v.after:
            if r.status >= 400:
                print(f"! {v.path or '/'}: {r.path} answered {r.status}")

    early = [v for v in visits if v.early_search]
    print("\nSearch before use: " + ("none (no search data or worker requested on any page)" if not early else
                                     "; ".join(f"{v.path or '/'} requests {', '.join(v.early_search)}"
                                               for v in early)))

    print("\nAfter search is used: what focusing the search box adds (not counted against the budget)")
    print(f"{'page':<{width}} {'box':<16} {'requests':>8} {'raw KB':>8} {'gzip KB':>8} {'brotli KB':>9}  files")
    for v in visits:
        raw, gz, br = total(v.after)
        files = ", ".join(r.path.lstrip("/") for r in v.after) or "nothing fetched"
        print(f"{v.path or '/':<{width}} {v.box or '(none)':<16} {len(v.after):>8} {kb(raw):>8} "
              f"{kb(gz):>8} {kb(br):>9}  {files}")

    print(f"\nOffline: what its code adds to a first visit (budget {OFFLINE_BUDGET // 1000} KB gzip), and what the"
          " service worker stores after a first use (not counted)")
    print(f"{'page':<{width}} {'code gzip KB':>12}  {'vs 8 KB':<14} {'stored':>7} {'gzip KB':>8}  code files")
    for v in visits:
        code = total(v.offline_code)[1]
        files = ", ".join(f"{r.path.rsplit('/', 1)[-1]} {kb(r.sizes[1])}" for r in v.offline_code)
        verdict = "met" if code <= OFFLINE_BUDGET else "missed"
        print(f"{v.path or '/':<{width}} {kb(code):>12}  {code / OFFLINE_BUDGET:>5.2f}x {verdict:<7}"
              f" {len(v.stored):>7} {kb(total(v.stored)[1]):>8}  {files}")

    missed = [v for v in visits if total(v.before)[1] > BUDGET]
    heaviest = max(visits, key=lambda v: total(v.before)[1])
    verdict = "met" if not missed and not early else "missed"
    print(f"\nLight pages: {verdict}. {len(visits) - len(missed)} of {len(visits)} pages within "
          f"{BUDGET // 1000} KB gzip (heaviest {kb(total(heaviest.before)[1])} KB gzip, "
          f"{total(heaviest.before)[1] / BUDGET:.2f}x: {heaviest.path or '/'}); "
          + ("no search data or worker before use." if not early else
             f"search data or worker before use on {len(early)} page(s)."))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--detail", action="store_true", help="list every response of every page")
    args = parser.parse_args()
    if not shutil.which(CHROMIUM):
        sys.exit("Debian's chromium is missing: run ./scripts/test once, which installs it")
    workdir = Path(tempfile.mkdtemp(prefix="atlas-pages-bench-"))
    try:
        out = workdir / "site"
        started = time.perf_counter()
        try:
            result = build(ROOT, out)
        except AtlasError as error:
            error.show()
            sys.exit("the demo atlas does not build")
        print(f"Built the demo atlas: {len(result.site.offers)} offers, {result.file_count} files "
              f"({time.perf_counter() - started:.1f} s)")
        pages, notes = pages_to_measure(result.site, out)
        with serve(out) as (base, server), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                visits = [visit(browser, base, server, label, path) for label, path in pages]
            finally:
                browser.close()
        report(visits, notes, args.detail)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
