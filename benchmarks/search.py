"""Search benchmark: synthetic atlases of N offers, their search data, and search in Chromium,
side by side with Pagefind over the same built site.

    python benchmarks/search.py              # N = 1,000 and 10,000 (installs Pagefind the first time)
    python benchmarks/search.py --offers 500

Prints per N: the time to build the index; bytes of index + documents raw, gzip and brotli;
in headless Chromium on loopback, the time from the first keystroke to the first results, and
the query latency p50/p95 over 100 varied queries (the search worker's answer, as the page
waits for it); and the same for Pagefind, with the bytes fetched for the first search.
Targets: at 1,000 offers first results within 300 ms of the first keystroke and at most 300 KB
compressed for search; at 10,000 offers at most 1.5 MB compressed and p95 under 50 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import brotli
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from atlas import search  # noqa: E402
from atlas.build import build  # noqa: E402
from atlas.config import load_config  # noqa: E402
from atlas.model import build_model  # noqa: E402
from atlas.records import parse_records  # noqa: E402
from atlas.sources import read_sources  # noqa: E402
from atlas.words import STOPWORDS  # noqa: E402

from build import vocabulary, write_atlas  # noqa: E402 (the build benchmark's synthetic atlas)

PAGEFIND_VERSION = "1.6.0"
PAGEFIND_DIR = ROOT / "benchmarks/.pagefind"  # a benchmark tool, not a library of the site: kept apart
CHROMIUM = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
TARGETS = {1000: {"bytes": 300_000, "first": 300.0}, 10000: {"bytes": 1_500_000, "p95": 50.0}}


def queries(count: int = 100) -> list[str]:
    """Varied queries from the atlas's words, common and rare: whole words, prefixes while
    typing, typos, two words."""
    all_words, weights = vocabulary()
    ranked = [w for _, w in sorted(zip(weights, all_words, strict=True), reverse=True)
              if len(w) >= 4 and w.lower() not in STOPWORDS]
    words = ranked[:: max(1, len(ranked) // 200)]  # from the most frequent to the rare
    found: list[str] = []
    for i in range(count):
        word = words[i % len(words)]
        kind = i % 4
        if kind == 1:
            word = word[: max(3, len(word) // 2)]
        elif kind == 2 and len(word) >= 5:
            word = word[:2] + word[3] + word[2] + word[4:]
        elif kind == 3:
            word = f"{word} {words[(i * 7) % len(words)]}"
        found.append(word)
    return found


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def compressed(body: bytes, url: str, method: str = "gzip") -> int:
    """What a server sends with gzip (or brotli): Pagefind's index files are compressed already,
    and the atlas's search data has its .gz and .br files ready."""
    if "/pagefind/" in url and not url.endswith((".js", ".json", ".css")):
        return len(body)
    return len(gzip.compress(body, 9) if method == "gzip" else brotli.compress(body, quality=10))


def fetched(page: Page, kinds: tuple[str, ...]) -> dict[str, bytes]:
    """Start recording the search's own responses (not the page, its CSS or images)."""
    bodies: dict[str, bytes] = {}

    def keep(response):  # type: ignore[no-untyped-def]
        if any(kind in response.url for kind in kinds):
            with contextlib.suppress(PlaywrightError):  # the page closed while this response came in
                bodies[response.url] = response.body()

    page.on("response", keep)
    return bodies


def lunr_in_browser(page: Page, base: str, texts: list[str]) -> tuple[float, list[float], tuple[int, int]]:
    bodies = fetched(page, ("/js/", "/suche/index.", "/suche/documents."))  # content-hashed names
    page.goto(base + "suche/", wait_until="domcontentloaded")
    # the page lists all offers before anything is typed (browse): wait for the typed word's results
    page.evaluate("""(text) => { window.__first = null;
        const list = document.querySelector('[data-atlas-results]');
        new MutationObserver(() => { if (window.__first === null && list.getAttribute('data-query') === text)
            window.__first = performance.now(); }).observe(list, {attributes: true, childList: true}); }""",
                  texts[0])
    page.click("#q")
    started = page.evaluate("performance.now()")
    page.keyboard.type(texts[0])
    page.wait_for_function("window.__first !== null", timeout=60000)
    first_results = page.evaluate("window.__first") - started
    transferred = (sum(compressed(body, url) for url, body in bodies.items()),
                   sum(compressed(body, url, "brotli") for url, body in bodies.items()))
    latencies = page.evaluate("""async (texts) => {
        // the worker, its scripts and the data by the content-hashed names the search form names
        const form = document.querySelector('form[data-atlas-search]');
        const at = (url) => new URL(url, location.href).href;
        const worker = new Worker(at(form.dataset.worker));
        const next = () => new Promise(resolve => { worker.onmessage = e => resolve(e.data); });
        worker.postMessage({type: 'init', scripts: form.dataset.scripts.split(/\\s+/).filter(Boolean).map(at),
                            index: at(form.dataset.index), documents: at(form.dataset.documents)});
        await next();
        const times = [];
        for (const [i, text] of texts.entries()) {
            const t = performance.now();
            worker.postMessage({type: 'search', id: i, text, limit: 30,
                                filters: {region: [], thema: [], zielgruppe: [], sprache: [], kostenlos: false}});
            await next();
            times.push(performance.now() - t);
        }
        return times; }""", texts)
    return first_results, latencies, transferred


def pagefind_in_browser(page: Page, base: str, texts: list[str]) -> tuple[list[float], int]:
    bodies = fetched(page, ("/pagefind/",))
    page.goto(base, wait_until="domcontentloaded")
    latencies = page.evaluate("""async (texts) => {
        const pagefind = await import('./pagefind/pagefind.js');
        await pagefind.init();
        const times = [];
        for (const text of texts) {
            const t = performance.now();
            const found = await pagefind.search(text);
            await Promise.all(found.results.slice(0, 30).map(r => r.data()));
            times.push(performance.now() - t);
        }
        return times; }""", texts)
    return latencies, bodies


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] if len(values) > 1 else values[0]


def run(offers: int, workdir: Path) -> None:
    project, out = workdir / f"atlas-{offers}", workdir / f"site-{offers}"
    write_atlas(project, offers)
    config, _ = load_config(project)
    assert config is not None
    records, _ = parse_records(read_sources(project)[0], config)
    site = build_model(config, records, date(2026, 9, 21))
    started = time.perf_counter()
    files = search.search_files(site)
    index_seconds = time.perf_counter() - started
    data = files[search.INDEX] + files[search.DOCUMENTS]
    raw, gz, br = len(data), len(files[search.INDEX + ".gz"]) + len(files[search.DOCUMENTS + ".gz"]), (
        len(brotli.compress(files[search.INDEX])) + len(brotli.compress(files[search.DOCUMENTS])))

    build(project, out)
    pagefind = PAGEFIND_DIR / "node_modules/.bin/pagefind"
    started = time.perf_counter()
    subprocess.run([str(pagefind), "--site", str(out), "--glob", "angebote/*/index.html"], check=True,
                   capture_output=True)
    pagefind_seconds = time.perf_counter() - started

    texts = queries()
    with served(out) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM)
        first, lunr_times, lunr_bytes = lunr_in_browser(browser.new_page(), base, texts)
        pagefind_times, pagefind_bodies = pagefind_in_browser(browser.new_page(), base, texts)
        first_pagefind = pagefind_in_browser(browser.new_page(), base, texts[:1])[1]
        browser.close()
    pagefind_bytes = sum(compressed(body, url) for url, body in first_pagefind.items())
    target = TARGETS.get(offers, {})

    print(f"\n{offers:,} offers")
    print(f"  index build (lunr.py)          {index_seconds:8.2f} s      (pagefind CLI: {pagefind_seconds:.2f} s)")
    print(f"  index + documents              {raw / 1024:8.0f} KB raw, {gz / 1024:.0f} KB gzip, "
          f"{br / 1024:.0f} KB brotli")
    gz_bytes, br_bytes = lunr_bytes
    for method, size in (("gzip", gz_bytes), ("brotli", br_bytes)):
        print(f"  first search fetches ({method:6}) {size / 1024:8.0f} KB (JS + data)"
              + (f"   target {target['bytes'] / 1024:.0f} KB: {size / target['bytes']:.2f}x" if target else ""))
    print(f"  first keystroke -> results     {first:8.0f} ms"
          + (f"   target {target['first']:.0f} ms: {first / target['first']:.2f}x" if "first" in target else ""))
    p50, p95 = percentile(lunr_times, 50), percentile(lunr_times, 95)
    print(f"  query latency p50 / p95        {p50:8.1f} / {p95:.1f} ms (100 queries)"
          + (f"   target p95 {target['p95']:.0f} ms: {p95 / target['p95']:.2f}x" if "p95" in target else ""))
    pf50, pf95 = percentile(pagefind_times, 50), percentile(pagefind_times, 95)
    print(f"  Pagefind: first search fetches {pagefind_bytes / 1024:8.0f} KB compressed; "
          f"p50 / p95 {pf50:.1f} / {pf95:.1f} ms")
    print(f"  ratio atlas / Pagefind         bytes {gz_bytes / pagefind_bytes:.2f}x (gzip), "
          f"p50 {p50 / pf50:.2f}x, p95 {p95 / pf95:.2f}x")
    _ = pagefind_bodies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    if not (PAGEFIND_DIR / "node_modules/.bin/pagefind").exists():
        # not in package.json: the registry here lacks Pagefind's other platforms' packages, and
        # npm ci then refuses the whole lockfile
        subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(PAGEFIND_DIR),
                        f"pagefind@{PAGEFIND_VERSION}"], check=True)
    workdir = Path(tempfile.mkdtemp(prefix="atlas-search-bench-"))
    try:
        for n in args.offers:
            run(n, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
