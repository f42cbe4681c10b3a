"""Bestandsaufnahme benchmark: what the inventory adds to a build, on the demo atlas and on
synthetic atlases (benchmarks/build.py's, 30 regions).

    python benchmarks/inventory.py                  # the demo, then N = 1,000 and 10,000
    python benchmarks/inventory.py --offers 500     # any sizes

Prints, per atlas, the seconds to count (take_inventory), to write the CSV files and to render
the page in every UI language, the page's size, and the time per 1,000 offers: the work is
linear (each offer once per region page it appears on), so that figure should stay flat.
Target: at 10,000 offers the inventory costs under 2 % of the build (about 10 s at 1,000 offers/s).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas.build import load_site, today  # noqa: E402
from atlas.inventory import inventory_files, take_inventory  # noqa: E402
from atlas.inventory_page import inventory_pages  # noqa: E402
from atlas.render import PageRenderer  # noqa: E402
from benchmarks.build import write_atlas  # noqa: E402

TARGET_SHARE = 0.02  # of the build time at 1,000 offers/s


def measure(project: Path, label: str, repeat: int = 3) -> None:
    """The best of `repeat` runs of each step (the first also compiles the templates and loads CLDR data)."""
    loaded = load_site(project, today())
    site, theme, config = loaded.site, loaded.theme, loaded.site.config
    renderer = PageRenderer(site, theme)
    best = [float("inf")] * 3
    for _ in range(repeat + 1):
        started = time.perf_counter()
        inventory = take_inventory(site, today(), getattr(config, "review_after_days", 365))
        counted = time.perf_counter()
        files = inventory_files(inventory)
        written = time.perf_counter()
        pages = renderer.render_all(list(inventory_pages(site, inventory, theme.catalogs, today())))
        rendered = time.perf_counter()
        best = [min(b, t) for b, t in zip(best, (counted - started, written - counted, rendered - written),
                                          strict=True)]
    total = sum(best)
    n = len(site.offers)
    budget = n / 1000 * TARGET_SHARE  # seconds: 2 % of a build at 1,000 offers/s
    print(f"{label:>10} {n:>7} {len(site.regions):>7} {best[0]:>8.3f} {best[1]:>6.3f} {best[2]:>7.3f} "
          f"{total:>7.3f} {total / n * 1000:>9.3f} {total / budget:>8.2f}x "
          f"{len(pages[0][1]) / 1000:>7.0f} {sum(len(b) for b in files.values()) / 1000:>7.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    print(f"{'atlas':>10} {'offers':>7} {'regions':>7} {'count s':>8} {'csv s':>6} {'pages s':>7} {'total s':>7} "
          f"{'s/1k off':>9} {'vs 2 %':>9} {'page KB':>7} {'csv KB':>7}")
    measure(ROOT, "demo")
    workdir = Path(tempfile.mkdtemp(prefix="atlas-inventory-"))
    try:
        for n in args.offers:
            project = workdir / f"atlas-{n}"
            write_atlas(project, n)
            measure(project, "synthetic")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
