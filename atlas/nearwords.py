"""What the search page offers when a search finds nothing (issue 13, "no dead ends"): the
atlas's words to suggest ("Meinten Sie …"), and per topic and audience the words that lead to
its page. One small file per UI language, `suche/woerter.json`, that the page fetches only
when a search comes up empty, so the first search downloads nothing more.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import brotli

from atlas import urls
from atlas.config import Term
from atlas.model import Site
from atlas.words import SPLIT, STOPWORDS, trim

WORDS = "suche/woerter.json"
MAX_WORDS = 4000  # the most frequent words: ~40 KB raw, enough to suggest any word of the titles
MIN_LENGTH = 4  # shorter words are near too many typed ones to be a useful suggestion
TOPIC_WORDS = 40  # per topic or audience: its label's words and its offers' most frequent title words


def _words(text: str) -> list[str]:
    found = (trim(w) for w in SPLIT.split(text))
    return [w for w in found if len(w) >= MIN_LENGTH and w.lower() not in STOPWORDS and not any(c.isdigit() for c in w)]


def _texts(site: Site, lang: str) -> Iterable[tuple[str, str, str]]:
    """(slug, title, summary) of every offer, in `lang` and in German."""
    for offer in site.offers.values():
        text = site.text(offer, lang)
        yield offer.slug, text.title, text.summary
        if text.lang != "de":
            yield offer.slug, offer.title, offer.summary


def suggestion_words(site: Site, lang: str) -> list[str]:
    """The words of titles, summaries, places and labels, most frequent first, each as it is
    mostly written ("Kita", not "kita"), then alphabetically."""
    forms: Counter[str] = Counter()
    sources = [f"{title} {summary}" for _, title, summary in _texts(site, lang)]
    sources += [r.name for r in site.regions.values()]
    sources += [t.label(lang) for t in site.config.topics + site.config.audiences]
    for source in sources:
        forms.update(_words(source))
    by_word: dict[str, Counter[str]] = {}
    for form, count in forms.items():
        by_word.setdefault(form.casefold(), Counter())[form] = count
    ranked = sorted(by_word.values(), key=lambda c: (-sum(c.values()), min(c, key=lambda f: (-c[f], f))))
    return [min(c, key=lambda f: (-c[f], f)) for c in ranked[:MAX_WORDS]]


def _term_words(site: Site, lang: str, term: Term, slugs: set[str]) -> list[str]:
    label = _words(f"{term.label(lang)} {term.label('de')}")
    titles = Counter(w.casefold() for slug, title, _ in _texts(site, lang) if slug in slugs for w in _words(title))
    return list(dict.fromkeys([w.casefold() for w in label] + [w for w, _ in titles.most_common(TOPIC_WORDS)]))


def _terms(site: Site, lang: str, kind: str, terms: tuple[Term, ...], offers: Any) -> list[list[Any]]:
    """[route, label, words] per topic or audience that has offers."""
    return [[urls.term(kind, t.slug), t.label(lang), _term_words(site, lang, t, {o.slug for o in offers[t.slug]})]
            for t in terms if offers.get(t.slug)]


def near_words(site: Site, lang: str) -> dict[str, Any]:
    config = site.config
    return {
        "words": suggestion_words(site, lang),
        "topics": _terms(site, lang, "topic", config.topics, site.offers_by_topic),
        "audiences": _terms(site, lang, "audience", config.audiences, site.offers_by_audience),
    }


def near_word_files(site: Site, languages: Sequence[str] | None = None) -> dict[str, bytes]:
    """suche/woerter.json per UI language (all, or `languages`), with its gzip and brotli copies (as the
    search data)."""
    files: dict[str, bytes] = {}
    for lang in site.config.languages if languages is None else languages:
        data = json.dumps(near_words(site, lang), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        path = urls.in_language(lang, "") + WORDS
        files[path] = data
        files[path + ".gz"] = gzip.compress(data, compresslevel=9, mtime=0)
        files[path + ".br"] = brotli.compress(data, quality=10, mode=brotli.MODE_TEXT)
    return files
