"""What the search page offers when a search finds nothing (issue 13, "no dead ends"): the
atlas's words to suggest ("Meinten Sie …"), and per topic and audience the words that lead to
its page. One small file per UI language, `suche/woerter.json`, that the page fetches only
when a search comes up empty, so the first search downloads nothing more.
"""

from __future__ import annotations

import gzip
import itertools
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import brotli

from atlas import urls
from atlas.config import Term
from atlas.model import Site
from atlas.words import STOPWORDS, split, trim

WORDS = "suche/woerter.json"
MAX_WORDS = 4000  # the most frequent words: ~40 KB raw, enough to suggest any word of the titles
MIN_LENGTH = 4  # shorter words are near too many typed ones to be a useful suggestion
TOPIC_WORDS = 40  # per topic or audience: its label's words and its offers' most frequent title words


def _words(text: str, known: dict[str, str]) -> list[str]:
    """The words of `text` worth suggesting; `known` (Verdicts) holds each token's verdict ("" for none),
    so that a language's texts check each distinct token once, not each of its ~100,000 occurrences."""
    return list(filter(None, map(known.__getitem__, split(text))))  # looked up in C; judged on a miss


class Verdicts(dict[str, str]):
    """Each token's word worth suggesting, "" for none, judged on first sight."""

    def __missing__(self, token: str) -> str:
        self[token] = word = _word(token)
        return word


def _word(token: str) -> str:
    word = trim(token)
    return "" if len(word) < MIN_LENGTH or word.lower() in STOPWORDS or any(map(str.isdigit, word)) else word


def _texts(site: Site, lang: str) -> Iterable[tuple[str, str, str]]:
    """(slug, title, summary) of every offer, in `lang` and in German."""
    for offer in site.offers.values():
        text = site.text(offer, lang)
        yield offer.slug, text.title, text.summary
        if text.lang != "de":
            yield offer.slug, offer.title, offer.summary


def suggestion_words(site: Site, lang: str, known: dict[str, str],
                     texts: Iterable[tuple[str, str, str]] | None = None) -> list[str]:
    """The words of titles, summaries, places and labels, most frequent first, each as it is
    mostly written ("Kita", not "kita"), then alphabetically. `texts`: _texts(site, lang), if made."""
    sources = [f"{title} {summary}" for _, title, summary in (_texts(site, lang) if texts is None else texts)]
    sources += [r.name for r in site.regions.values()]
    sources += [t.label(lang) for t in site.config.topics + site.config.audiences]
    forms = Counter(itertools.chain.from_iterable(_words(source, known) for source in sources))
    by_word: dict[str, Counter[str]] = {}
    for form, count in forms.items():
        by_word.setdefault(form.casefold(), Counter())[form] = count
    mostly = [(sum(c.values()), min(c, key=lambda f: (-c[f], f))) for c in by_word.values()]  # (count, form)
    return [form for _, form in sorted(mostly, key=lambda pair: (-pair[0], pair[1]))[:MAX_WORDS]]


# (slug, the words of a title, case folded) of every offer in `lang` and in German, in the order of _texts
Titles = list[tuple[str, list[str]]]


def _term_words(lang: str, term: Term, slugs: set[str], titles: Titles, known: dict[str, str]) -> list[str]:
    label = _words(f"{term.label(lang)} {term.label('de')}", known)
    counts = Counter(w for slug, words in titles if slug in slugs for w in words)  # ties: in the offers' order
    return list(dict.fromkeys([w.casefold() for w in label] + [w for w, _ in counts.most_common(TOPIC_WORDS)]))


def _terms(lang: str, kind: str, terms: tuple[Term, ...], offers: Any, titles: Titles,
           known: dict[str, str]) -> list[list[Any]]:
    """[route, label, words] per topic or audience that has offers."""
    return [[urls.term(kind, t.slug), t.label(lang),
             _term_words(lang, t, {o.slug for o in offers[t.slug]}, titles, known)]
            for t in terms if offers.get(t.slug)]


def near_words(site: Site, lang: str, known: Verdicts | None = None) -> dict[str, Any]:
    """`known`: the tokens judged so far (Verdicts), which every language's texts share (German words)."""
    config, known, texts = site.config, Verdicts() if known is None else known, list(_texts(site, lang))
    titles = [(slug, [w.casefold() for w in _words(title, known)]) for slug, title, _ in texts]
    return {
        "words": suggestion_words(site, lang, known, texts),
        "topics": _terms(lang, "topic", config.topics, site.offers_by_topic, titles, known),
        "audiences": _terms(lang, "audience", config.audiences, site.offers_by_audience, titles, known),
    }


def near_word_files(site: Site, languages: Sequence[str] | None = None,
                    known: Verdicts | None = None) -> dict[str, bytes]:
    """suche/woerter.json per UI language (all, or `languages`), with its gzip and brotli copies (as the
    search data); `known` keeps the tokens judged for the next language (the build's processes take several)."""
    files: dict[str, bytes] = {}
    known = Verdicts() if known is None else known
    for lang in site.config.languages if languages is None else languages:
        data = json.dumps(near_words(site, lang, known), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        path = urls.in_language(lang, "") + WORDS
        files[path] = data
        files[path + ".gz"] = gzip.compress(data, compresslevel=9, mtime=0)
        # quality 9, not 10: 7 % larger (1,000 offers: 12.7 KB against 11.9 KB a language) in a fifth of the
        # time, for a file that only a search that found nothing loads
        files[path + ".br"] = brotli.compress(data, quality=9, mode=brotli.MODE_TEXT)
    return files
