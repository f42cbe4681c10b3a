"""The words search treats alike: the default thesaurus every atlas gets (atlas/data/thesaurus.yaml,
this field's everyday and official words in all seven interface languages) and the groups an
atlas adds in atlas.yaml's `synonyms`.

The index of a language holds the German text of every offer and its translation into that
language, so it gets the German words of each concept together with that language's words:
"روضة" typed on the Arabic page finds an offer that says "Kita". An atlas's German groups
count in every language; its groups for another language only in that language's index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from importlib.resources import files

import yaml

from atlas import languages
from atlas.words import SPLIT, rules, trim

LANGUAGES = ("de", "en", "ar", "tr", "uk", "ru", "fa")
Group = tuple[str, ...]


@cache
def default_concepts() -> tuple[dict[str, Group], ...]:
    """The shipped thesaurus: one mapping language -> words per concept (read once per process)."""
    text = files("atlas").joinpath("data/thesaurus.yaml").read_text(encoding="utf-8")
    return tuple({lang: tuple(str(w) for w in words) for lang, words in entry.items()}
                 for entry in yaml.safe_load(text))


def expansions(lang: str, configured: tuple[tuple[str, Group], ...], normalize: Callable[[str], Iterable[str]], *,
               default: bool = True, german: Callable[[str], Iterable[str]] | None = None) -> dict[str, Group]:
    """Index term -> the further terms a text holding it is indexed under, in the index of `lang`.
    `normalize` gives a word's index terms (its German stem and its own form in `lang`), so that an
    inflected form finds a thesaurus word as it finds a word of the texts ("немецкого", "немецкий");
    `german` those of a German word (the German steps only: in the Turkish index, "Schulden" with
    the Turkish ending -den off is "schul", the stem of Schule, and every school would be a debt).
    Words of a group find each other; a concept's `finds` words (official names such as
    "Integrationskurs") are found by its everyday words, but do not find them back: an
    Integrationskurs is indexed as "Deutschkurs" too, a Sprachkurs is not indexed as
    "Integrationskurs". A phrase of the thesaurus is found, and finds nothing (joined_terms)."""
    german = german or normalize
    found: dict[str, Group] = {}

    def add(term: str, others: list[str]) -> None:
        found[term] = tuple(dict.fromkeys(found.get(term, ()) + tuple(o for o in others if o != term)))

    def each(germans: Group, owns: Group) -> list[str]:
        return list(dict.fromkeys([term for word in germans for term in joined_terms(word, "de") or german(word)]
                                  + [term for word in owns for term in joined_terms(word, lang) or normalize(word)]))

    for germans, owns in groups(lang, configured, default=default):
        terms = each(tuple(w for w in germans if not _phrase(w)), tuple(w for w in owns if not _phrase(w)))
        for term in terms:
            add(term, each(germans, owns))
    for concept in default_concepts() if default else ():
        heads = each(concept.get("de", ())[:1], concept.get(lang, ())[:1] if lang != "de" else ())
        for word in concept.get("finds", ()):
            for term in german(word):
                add(term, heads)
    return found


def _phrase(word: str) -> bool:
    return len(SPLIT.split(word.strip())) > 1


def joined_terms(word: str, lang: str) -> list[str]:
    """A phrase of the thesaurus ("housing benefit", "کمک هزینه مسکن": what other languages say in
    words where German makes one compound, Wohngeld) as the terms a query typing it looks its
    neighbouring words up as, written together (atlas.query.pair_terms): "housingbenefit". A text is
    indexed under these terms, so the typed phrase finds it through every pair of its words; the
    phrase finds, but no text is found by a phrase's words alone ("benefit"). [] for one word."""
    from atlas.query import pair_terms  # the query's own join; query does not import this module back

    if not _phrase(word):
        return []
    language = rules(lang)
    words = [trim(raw) for raw in SPLIT.split(word.lower().strip())]
    return [term for word, following in zip(words, words[1:], strict=False)
            if min(len(word), len(following)) >= 2 and not {word, following} & language.stopwords
            for term in pair_terms(word, following, language)]


def groups(lang: str, configured: tuple[tuple[str, Group], ...] = (), *,
           default: bool = True) -> list[tuple[Group, Group]]:
    """The groups of words treated alike in the index of `lang`, each as its German words and its
    words of `lang`: the thesaurus's concepts, then the atlas's own German groups and those for `lang`."""
    found = [(concept.get("de", ()), concept.get(lang, ()) if lang != "de" else ())
             for concept in (default_concepts() if default else ())]
    found += [(group, ()) if group_lang == "de" else ((), group)
              for group_lang, group in configured if group_lang in ("de", lang)]
    return [(germans, owns) for germans, owns in found if len(germans) + len(owns) >= 2]


def language_names(codes: Iterable[str], lang: str) -> tuple[tuple[str, Group], ...]:
    """Each language offers are held in as a group of its names (German, in `lang`, its own; word by
    word: "Kurdî (kurmancî)"), for the index of `lang`: "Arabic" typed on the English page finds an
    offer that the German text calls "… auf Arabisch". German, which every offer speaks, is left out."""
    found = []
    for code in sorted(set(codes) - {"de"}):
        names = (languages.name_in(code, "de"), languages.name_in(code, lang), languages.autonym(code))
        words = (trim(word) for name in names for word in SPLIT.split(name))
        found.append((lang, tuple(dict.fromkeys(word for word in words if word))))
    return tuple(found)
