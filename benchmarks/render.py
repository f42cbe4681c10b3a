"""Rendering benchmark: CPU time per page, by template, of benchmarks/build.py's synthetic atlas.

    python benchmarks/render.py                  # 1,000 offers, 7 languages
    python benchmarks/render.py --offers 10000   # any size
    python benchmarks/render.py --profile FILE   # also a cProfile of the rendering, for pstats

The pages are rendered in one process, as `atlas build` does on each core (PageRenderer over the
build's page list, in its order: its caches of cards and shared pieces work as in a build), but
nothing is written: what `render and write` spends in Python, without the disk (and, apart, what
making the renderer costs: the build makes it once, before it forks the render processes). CPU time
of the process (time.process_time), which other load on the machine hardly changes, unlike wall time.
An offer page is most of a build's pages (70,000 of 72,000 at 10,000 offers × 7 languages), so
its milliseconds are the figure to watch; the total is the whole site's rendering on one core.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas.build import _fewer_collections, exports, load_site, site_page_list  # noqa: E402
from atlas.render import PageRenderer  # noqa: E402

from build import write_atlas  # noqa: E402 (benchmarks/build.py's generator, beside this file)

ON = date(2026, 9, 20)  # a fixed build day: the same pages every run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, default=1000)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the rendering here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="atlas-render-") as folder, _fewer_collections():
        project = Path(folder) / "atlas"
        write_atlas(project, args.offers)
        loaded = load_site(project, ON)
        inventory, downloads = exports(loaded.site, loaded.theme, ON, publish=False)
        pages = site_page_list(loaded.site, loaded.theme, inventory, downloads.keys())
        making = time.process_time()
        renderer = PageRenderer(loaded.site, loaded.theme)  # compiles the templates, renders the bodies: before a fork
        seconds, count, size = collections.Counter[str](), collections.Counter[str](), 0
        profile = cProfile.Profile() if args.profile else None
        started = time.process_time()
        made = started - making
        for page in pages:
            before = time.process_time()
            if profile:
                profile.enable()
            size += len(renderer.render(page))
            if profile:
                profile.disable()
            seconds[page.template] += time.process_time() - before
            count[page.template] += 1
        total = time.process_time() - started
    if profile:
        profile.dump_stats(args.profile)
    print(f"{len(pages):,} pages, {size / 1e6:.1f} MB of HTML: {total:.2f} s CPU, and {made:.2f} s to make the "
          "renderer (once, before the build forks its render processes)")
    for template, spent in seconds.most_common():
        each = spent / count[template] * 1000
        print(f"  {template:24} {count[template]:>7,} pages {spent:>7.2f} s {each:>8.3f} ms a page")


if __name__ == "__main__":
    main()
