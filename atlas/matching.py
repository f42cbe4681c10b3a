"""Slugs from titles, and forgiving look-up of records and terms by slug or by name.

People type "Gelnhausen", "Caritasverband" or "beratung" where the record wants a slug; this
finds the one record meant, or says which it might have been.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from atlas.schema import SLUG

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
SLUG_MAX = 60  # a file name a person can still read


def fold(text: str) -> str:
    """'Caritasverband für den MKK e. V.' -> 'caritasverband fuer den mkk e v': what two spellings of
    a name have in common (case, umlauts or ae, accents, punctuation)."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_GERMAN).lower()).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text))


def slugify(title: str) -> str:
    """'Sprachcafé für Mütter' -> 'sprachcafe-fuer-muetter' (always a valid slug)."""
    words = fold(title).split()
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > SLUG_MAX and slug:
            break
        slug = f"{slug}-{word}" if slug else word
    slug = slug[:SLUG_MAX].strip("-") or "eintrag"
    assert SLUG.match(slug), slug
    return slug


def unique_slug(slug: str, taken: Collection[str]) -> str:
    """The slug, or with -2, -3 … when it is taken."""
    if slug not in taken:
        return slug
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"


@dataclass(frozen=True)
class Match:
    slug: str | None
    error: str | None = None


@dataclass(frozen=True)
class Names:
    """What a reference may name: slug -> the names it is known by (a record's name, a term's labels)."""

    what: str  # "actor", "region", "topic" …
    names: Mapping[str, tuple[str, ...]]

    @cached_property
    def _folded(self) -> dict[str, list[str]]:
        """slug -> its folded slug and names (folded once: a long list looks up thousands of times)."""
        return {slug: [fold(slug.replace("-", " ")), *(fold(n) for n in names)] for slug, names in self.names.items()}

    @cached_property
    def _exact(self) -> dict[str, str]:
        exact: dict[str, str] = {}
        for slug, texts in self._folded.items():
            for text in texts:
                exact.setdefault(text, slug)
        return exact

    def find(self, value: str) -> Match:
        """The slug `value` means: the slug itself, a name (folded), or the one record whose name
        holds all of the words of `value` (or whose words `value` holds: extra words)."""
        key = fold(value)
        if value in self.names or key in self._exact:
            return Match(value if value in self.names else self._exact[key])
        words = set(key.split())
        hits = sorted(slug for slug, texts in self._folded.items() if words and any(_overlap(words, t) for t in texts))
        if len(hits) == 1:
            return Match(hits[0])
        if len(hits) > 1:
            shown = ", ".join(f'"{h}"' for h in hits[:4]) + (" …" if len(hits) > 4 else "")
            return Match(None, f'"{value}" could be more than one {self.what}: {shown}; write the slug')
        return Match(None, f'unknown {self.what} "{value}"{self._did_you_mean(key)}')

    def _did_you_mean(self, key: str) -> str:
        """The closest slug or name; a name is compared with as many of its words as `key` has."""
        width = len(key.split())
        options: dict[str, str] = {}
        for slug, names in self.names.items():
            options[fold(slug.replace("-", " "))] = slug
            for name in names:
                options[" ".join(fold(name).split()[:width])] = name
                options[fold(name)] = name
        close = difflib.get_close_matches(key, list(options), n=1, cutoff=0.75)
        return f' (did you mean "{options[close[0]]}"?)' if close else ""


def _overlap(words: set[str], text: str) -> bool:
    """All words of the value are in the name, or all words of the name in the value."""
    theirs = set(text.split())
    return words <= theirs or (len(theirs) > 1 and theirs <= words)


def names_of(records: Iterable[tuple[str, Iterable[str]]], what: str) -> Names:
    return Names(what, {slug: tuple(names) for slug, names in records})
