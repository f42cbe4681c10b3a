"""Content-hashed names for what pages load: stylesheets, scripts and the search data.

`css/atlas.css` is published as `css/atlas.<hash>.css`, `suche/index.json` as
`suche/index.<hash>.json` (and its `.gz`/`.br` as `suche/index.<hash>.json.gz` …). A new
content gets a new name, so servers may let browsers keep such files for a year
(`Cache-Control: immutable`) while the pages, which name them, are revalidated (`no-cache`):
a browser can never pair last week's search worker with today's index. The hash is of the
content alone, so the same content keeps its name (deterministic builds).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from atlas.nearwords import WORDS
from atlas.search import INDEX

HASH_LENGTH = 10
PATTERN = re.compile(r"\.[0-9a-f]{10}\.(?:css|js|json)(?:\.gz|\.br)?\Z")  # what the servers' cache lines match
_COMPRESSED = (".gz", ".br")


def is_hashed(path: str) -> bool:
    """Whether a file of the site gets a hashed name: the stylesheets and scripts under css/ and
    js/ (the search worker and npm's files too), each language's search entry file (its index
    shards and document pages are named by atlas.search, which writes their names into it) and
    the word list an empty search offers."""
    if path.endswith(("/" + INDEX, "/" + WORDS)) or path in (INDEX, WORDS):
        return True
    return (path.startswith("css/") and path.endswith(".css")) or (path.startswith("js/") and path.endswith(".js"))


def hashed_name(path: str, content: bytes) -> str:
    """'css/atlas.css' -> 'css/atlas.0123456789.css' (sha256 of the content, first 10 hex digits)."""
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    stem, dot, extension = path.rpartition(".")
    return f"{stem}.{digest}{dot}{extension}"


def fingerprinted(files: Mapping[str, bytes]) -> tuple[dict[str, bytes], dict[str, str]]:
    """The files with hashed names where they get one, and the names: {plain path: hashed path}.
    A precompressed copy (`x.json.gz`) follows its original's name."""
    names = {path: hashed_name(path, data) for path, data in files.items() if is_hashed(path)}
    renamed: dict[str, bytes] = {}
    for path, data in files.items():
        original, suffix = _original(path, names)
        renamed[names[original] + suffix if original in names else path] = data
    return dict(sorted(renamed.items())), names


def _original(path: str, names: Mapping[str, str]) -> tuple[str, str]:
    for suffix in _COMPRESSED:
        if path.endswith(suffix) and path[: -len(suffix)] in names:
            return path[: -len(suffix)], suffix
    return path, ""
