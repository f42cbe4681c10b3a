"""Does the default thesaurus (atlas/data/thesaurus.yaml) help more than it hurts?

    python benchmarks/thesaurus.py

Runs the relevance list tests/search_queries.yaml over the demo atlas twice, with and without
the default thesaurus (atlas.yaml's own `synonyms` count in both runs), and prints both pass
counts, per language and in all, the mean reciprocal rank of the expected offers (1 when each
is first; a pass count misses a drop from 1st to 3rd in a top 3), and every query whose outcome
changed. Exit status 1 when a query that passes without the thesaurus fails with it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas import query, search, thesaurus, urls  # noqa: E402
from tests.test_search import _site  # noqa: E402

Case = dict  # type: ignore[type-arg]


def outcomes(with_thesaurus: bool) -> dict[int, tuple[bool, float]]:
    """Pass or fail per query (by position in the list), and the mean of 1 / rank of its expected
    offers (0 for one not found)."""
    site = _site(ROOT)
    cases: list[Case] = yaml.safe_load((ROOT / "tests" / "search_queries.yaml").read_text(encoding="utf-8"))
    patch: Callable[[], object] = thesaurus.default_concepts if with_thesaurus else (lambda: ())
    with mock.patch.object(thesaurus, "default_concepts", patch):
        files = search.search_files(site)
    indexes = {lang: query.built_files(files, urls.in_language(lang, "")) for lang in site.config.languages}
    found = {}
    for number, case in enumerate(cases):
        lang = case.get("lang", "de")
        ranked = query.ranked_slugs(site, indexes[lang], case["q"], lang)
        reciprocal = [1 / (ranked.index(slug) + 1) if slug in ranked else 0.0 for slug in case["expect"]]
        found[number] = (all(slug in ranked[: case["top"]] for slug in case["expect"]),
                         sum(reciprocal) / len(reciprocal))
    return found


def main() -> int:
    cases: list[Case] = yaml.safe_load((ROOT / "tests" / "search_queries.yaml").read_text(encoding="utf-8"))
    ranks_without, ranks_with = outcomes(False), outcomes(True)
    without, with_ = ({n: passed for n, (passed, _) in found.items()} for found in (ranks_without, ranks_with))
    langs = sorted({c.get("lang", "de") for c in cases}, key=thesaurus.LANGUAGES.index)
    print(f"{'':8}{'queries':>9}{'without':>9}{'with':>9}{'MRR without':>13}{'MRR with':>10}")
    for lang in [*langs, "all"]:
        numbers = [n for n, c in enumerate(cases) if lang in ("all", c.get("lang", "de"))]
        mrr = [sum(found[n][1] for n in numbers) / len(numbers) for found in (ranks_without, ranks_with)]
        print(f"{lang:8}{len(numbers):>9}{sum(without[n] for n in numbers):>9}{sum(with_[n] for n in numbers):>9}"
              f"{mrr[0]:>13.3f}{mrr[1]:>10.3f}")
    worse = [n for n in without if without[n] and not with_[n]]
    better = [n for n in without if with_[n] and not without[n]]
    for title, numbers in (("now found", better), ("now lost", worse)):
        print(f"\n{title} ({len(numbers)}):")
        for n in numbers:
            print(f"  [{cases[n].get('lang', 'de')}] {cases[n]['q']}")
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
