"""Does the default thesaurus (atlas/data/thesaurus.yaml) help more than it hurts?

    python benchmarks/thesaurus.py

Runs the relevance list tests/search_queries.yaml over the demo atlas twice, with and without
the default thesaurus (atlas.yaml's own `synonyms` count in both runs), and prints both pass
counts, per language and in all, and every query whose outcome changed. Exit status 1 when a
query that passes without the thesaurus fails with it.
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


def outcomes(with_thesaurus: bool) -> dict[int, bool]:
    """Pass or fail per query (by position in the list)."""
    site = _site(ROOT)
    cases: list[Case] = yaml.safe_load((ROOT / "tests" / "search_queries.yaml").read_text(encoding="utf-8"))
    patch: Callable[[], object] = thesaurus.default_concepts if with_thesaurus else (lambda: ())
    with mock.patch.object(thesaurus, "default_concepts", patch):
        files = search.search_files(site)
    indexes = {lang: query.built_files(files, urls.in_language(lang, "")) for lang in site.config.languages}
    found = {}
    for number, case in enumerate(cases):
        lang = case.get("lang", "de")
        ranked = query.ranked_slugs(site, indexes[lang], case["q"], lang)[: case["top"]]
        found[number] = all(slug in ranked for slug in case["expect"])
    return found


def main() -> int:
    cases: list[Case] = yaml.safe_load((ROOT / "tests" / "search_queries.yaml").read_text(encoding="utf-8"))
    without, with_ = outcomes(False), outcomes(True)
    langs = sorted({c.get("lang", "de") for c in cases}, key=thesaurus.LANGUAGES.index)
    print(f"{'':8}{'queries':>9}{'without':>9}{'with':>9}")
    for lang in [*langs, "all"]:
        numbers = [n for n, c in enumerate(cases) if lang in ("all", c.get("lang", "de"))]
        print(f"{lang:8}{len(numbers):>9}{sum(without[n] for n in numbers):>9}{sum(with_[n] for n in numbers):>9}")
    worse = [n for n in without if without[n] and not with_[n]]
    better = [n for n in without if with_[n] and not without[n]]
    for title, numbers in (("now found", better), ("now lost", worse)):
        print(f"\n{title} ({len(numbers)}):")
        for n in numbers:
            print(f"  [{cases[n].get('lang', 'de')}] {cases[n]['q']}")
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
