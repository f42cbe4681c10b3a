"""Hostile-input benchmark: does every input cost time linear in its size? (issue 10)

    python benchmarks/hostile.py              # bodies of 5,000, 10,000 and 20,000 characters

For each pattern that used to be quadratic (or worse) in Python-Markdown, the YAML reader or
the compound splitter, prints the seconds at each size and the ratio of the largest to the
middle size: about 2 is linear, about 4 quadratic. The body limit is 20,000 characters.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from atlas.documents import parse_document  # noqa: E402
from atlas.markdown import MarkdownRenderer  # noqa: E402
from atlas.search import IndexWords  # noqa: E402

BODIES = ["[", "![", "[a](", "[a][", "(", "]", "<a ", "*a*", "`a", "[a](b)", "> - ", "&#"]


def _seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _row(name: str, sizes: list[int], make: Callable[[int], Callable[[], object]]) -> None:
    times = [_seconds(make(n)) for n in sizes]
    ratio = times[-1] / max(times[-2], 1e-6)
    print(f"{name:28} " + "  ".join(f"{t:7.3f}" for t in times) + f"   x{ratio:4.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 10_000, 20_000])
    sizes = parser.parse_args().sizes
    print(f"{'input':28} " + "  ".join(f"{n:>7,}" for n in sizes) + "   ratio (seconds)")
    for unit in BODIES:
        _row(f"body: {unit!r} repeated", sizes,
             lambda n, unit=unit: lambda: MarkdownRenderer().render(unit * (n // len(unit))))
    _row("front matter: 'a: [x]' lines", sizes,
         lambda n: lambda: parse_document("---\n" + "".join(f"a{i}: [x]\n" for i in range(n // 8)) + "---\n", "x.md"))
    _row("one word, compound split", [n * 10 for n in sizes],
         lambda n: lambda: IndexWords({"sprach", "kurs"}, {}).words("sprach" * (n // 6)))


if __name__ == "__main__":
    main()
