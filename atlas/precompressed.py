"""The gzip and brotli copies the build writes beside each search file, for servers that send such
files as they are (nginx gzip_static/brotli_static, Apache), compressed by what the file is: the
most for what a first search loads whole, the fastest settings that keep the bytes for the many
index shards and document pages (gzip only: brotli made them no smaller). Reproducible: gzip's
header carries mtime 0.
"""

from __future__ import annotations

import hashlib
import zlib
from typing import Literal

import brotli

Kind = Literal["entry", "filters", "shard", "page"]  # search.py: the entry file, the filters, index-<n>, docs-<n>

# gzip level and strategy, brotli quality (None: no brotli copy), per kind. Measured on 10,000 offers, one language:
# - the shards (19.7 MB of digits and commas): gzip at 4 with zlib's strategy for such data (short matches,
#   more Huffman coding) makes 5.26 MB in 0.30 s, against 5.32 MB in 1.50 s at 9 and 5.35 MB in 0.69 s at 6
#   the usual way. Brotli at the qualities worth their time made them larger than that gzip (1,000 offers x 7
#   languages: 4.15 MB at 3, 4.13 MB at 4, against gzip's 4.02 MB): a server that prefers a .br copy would send
#   more, so they have none, and the server sends the .gz
# - the document pages (text): gzip at 6 is as good as 9 on these small files, and brotli at 4 no better
#   (1,000 x 7: 728 KB against gzip's 727 KB): no brotli copy either
# - the filters: brotli at 9, where 4 leaves them larger than gzip's (55 KB in 0.03 s against 79 KB)
# - the entry file, which every first search loads: the best worthwhile of both (brotli 8 % smaller)
SETTINGS: dict[Kind, tuple[int, int, int | None]] = {
    "entry": (9, zlib.Z_DEFAULT_STRATEGY, 10),
    "filters": (9, zlib.Z_DEFAULT_STRATEGY, 9),
    "shard": (4, zlib.Z_FILTERED, None),
    "page": (6, zlib.Z_DEFAULT_STRATEGY, None),
}


def copies(path: str, data: bytes, kind: Kind) -> dict[str, bytes]:
    """`path`.gz of `data`, and `path`.br where brotli does better (SETTINGS)."""
    level, strategy, quality = SETTINGS[kind]
    made = {path + ".gz": gzipped(data, level, strategy)}
    if quality is not None:
        made[path + ".br"] = brotli.compress(data, quality=quality, mode=brotli.MODE_TEXT)
    return made


def gzipped(data: bytes, level: int, strategy: int = zlib.Z_DEFAULT_STRATEGY) -> bytes:
    """A gzip file of `data`, as gzip.compress(data, level, mtime=0) makes it, with zlib's `strategy`."""
    packer = zlib.compressobj(level, zlib.DEFLATED, 31, 8, strategy)  # 31: a gzip file
    return packer.compress(data) + packer.flush()


class Repeated:
    """copies() for files that one language's search data shares with the next's (the document pages of
    offers without a translation, the filters, a few shards): the copies of the last language's files
    are kept by their content's digest and handed out again instead of compressed anew. Off (`kept`
    false) where no language follows: a one-language atlas would only hold them."""

    def __init__(self, kept: bool = True) -> None:
        self.kept = kept
        self._last: dict[bytes, dict[str, bytes]] = {}
        self._now: dict[bytes, dict[str, bytes]] = {}

    def copies(self, path: str, data: bytes, kind: Kind) -> dict[str, bytes]:
        if not self.kept:
            return copies(path, data, kind)
        key = hashlib.sha256(data).digest() + kind.encode()
        made = self._now.get(key) or self._last.get(key) or copies("", data, kind)
        self._now[key] = made
        return {path + suffix: copy for suffix, copy in made.items()}

    def turn(self) -> None:
        """A language begins: the last one's copies are those it may repeat."""
        self._last, self._now = self._now, {}

    def done(self) -> None:
        """A language ends: the copies of the one before it go (a process holds one language's only)."""
        self._last = {}
