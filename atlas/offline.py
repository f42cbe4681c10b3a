"""Offline use: the web app manifests and the service worker (`sw.js`), made from the files the
build writes.

The worker's cache is named by a content hash of the whole build (every file and every page), so
a new build with any change is a new worker with a new cache, which replaces the old one as a
whole: a resident never gets last week's page beside today's. What it stores up front is derived
from the build's own file list, never from fixed names: the shared styles, scripts and images,
and per UI language the start page, the search page and every file the build puts beside the
search page (the search data, whatever its layout). The worker code itself is atlas/sw.js.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from atlas import urls
from atlas.config import Config

SERVICE_WORKER = "sw.js"  # at the site's root: its scope is the whole site, under whatever sub-path
MANIFEST = "manifest.json"  # per language (en/manifest.json): .json, whose type every server knows
SHARED = ("css/", "js/", "img/", "fonts/")  # what every page may load
_SKIP = (".gz", ".br", ".txt", ".map")  # precompressed twins (the browser asks for the plain file), licences
_CODE = Path(__file__).with_name("sw.js")


def manifest_files(config: Config, files: Iterable[str]) -> dict[str, bytes]:
    """One manifest per UI language: installed from an Arabic page, the app starts in Arabic.
    Addresses are relative to the manifest, so the site works under any sub-path."""
    icons = [_icon(path) for path in sorted(files) if path.startswith("img/") and _is_icon(path)]
    out = {}
    for lang in config.languages:
        root = "./" if lang == config.default_language else "../"
        manifest = {
            "name": config.title, "short_name": config.title if len(config.title) <= 12 else "Atlas",
            "lang": lang, "dir": "rtl" if lang in ("ar", "fa", "he", "ur") else "ltr",
            "start_url": "./", "scope": root, "display": "standalone",
            "background_color": "#ffffff", "theme_color": "#ffffff",
            "icons": [{**icon, "src": root + icon["src"]} for icon in icons],
        }
        out[urls.in_language(lang, MANIFEST, config.default_language)] = _json(manifest)
    return out


def _is_icon(path: str) -> bool:
    return path.endswith((".svg", ".png")) and ("logo" in path or "icon" in path)


def _icon(path: str) -> dict[str, str]:
    if path.endswith(".svg"):
        return {"src": path, "sizes": "any", "type": "image/svg+xml"}
    size = "".join(c for c in path.rsplit("/", 1)[-1] if c.isdigit() or c == "x")  # icon-192x192.png
    return {"src": path, "sizes": size if "x" in size else "any", "type": "image/png"}


def precache(config: Config, files: Iterable[str]) -> dict[str, object]:
    """What the worker stores: `shared` on install, `languages[lang]` for each language the
    resident reads in (its start page, search page, manifest and everything beside the search page)."""
    paths = sorted(p for p in files if not p.endswith(_SKIP))
    shared = [p for p in paths if p.startswith(SHARED)]
    languages = {}
    for lang in config.languages:
        search = urls.in_language(lang, urls.SEARCH, config.default_language)
        beside = [p for p in paths if p.startswith(search) and p != search + "index.html"]
        home = urls.in_language(lang, urls.HOME, config.default_language) or "./"
        languages[lang] = [home, search, urls.in_language(lang, MANIFEST, config.default_language), *beside]
    return {"shared": shared, "languages": languages, "folders": list(config.languages[1:]),
            "default": config.default_language}


def page_digest(pages: Iterable[tuple[str, bytes]]) -> int:
    """An order-free digest of rendered pages: the XOR of each page's hash, so the build's cores
    may render them in any slices and the sum stays the same."""
    digest = 0
    for path, content in pages:
        page = hashlib.sha256(path.encode() + b"\0")
        page.update(content)  # not path + content: a copy of every page's bytes only to hash them
        digest ^= int.from_bytes(page.digest(), "big")
    return digest


def file_digests(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """{path: sha256 of its bytes}: what the service worker is made from, so that the build need not
    keep the files themselves once written."""
    return {path: hashlib.sha256(data).digest() for path, data in files.items()}


def build_version(digests: Mapping[str, bytes], pages: int) -> str:
    """The content hash of the whole build: the files' digests (file_digests) and the pages' digest."""
    total = hashlib.sha256(pages.to_bytes(32, "big"))
    for path in sorted(digests):
        total.update(path.encode() + b"\0" + digests[path])
    return total.hexdigest()[:16]


def service_worker(config: Config, digests: Mapping[str, bytes], pages: int) -> dict[str, bytes]:
    """sw.js: this build's version and precache list in front of the worker's code; `digests` are
    file_digests of every file but the pages, `pages` the page_digest of the pages."""
    data = {"version": build_version(digests, pages), **precache(config, digests)}
    head = f"var BUILD = {json.dumps(data, ensure_ascii=False, sort_keys=True)};\n"
    return {SERVICE_WORKER: (head + _CODE.read_text(encoding="utf-8")).encode("utf-8")}


def _json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
