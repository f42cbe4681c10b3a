"""Feeds and calendar files benchmark: what they add to a build of N synthetic offers.

    python benchmarks/feeds.py                 # N = 10,000
    python benchmarks/feeds.py --offers 1000

Every synthetic offer (benchmarks/build.py) has weekly hours, so each gets a calendar file:
the worst case. Prints the time of the feeds (one per UI language) and of the calendar files
on their own, their sizes, and the whole build with and without them (one process per
build; `--parts-only` skips these), with the ratio to the target: the open-data exports of issue 9 together add at most
15 % to the build time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from atlas.build import load_site  # noqa: E402
from atlas.calendars import calendar_files  # noqa: E402
from atlas.feeds import feed_files  # noqa: E402

from build import write_atlas  # noqa: E402

TARGET_SHARE = 0.15
BUILD_DAY = date(2026, 9, 21)
# a build in a fresh process, with the two exports switched off when argv[3] says so
_BUILD = """\
import sys
import atlas.build
if sys.argv[3] == "without":
    atlas.build.feed_files = lambda site, catalogs: {}
    atlas.build.calendar_files = lambda site: {}
from atlas.cli import main
main(["build", sys.argv[1], "-o", sys.argv[2]])
"""


def timed(work):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def build_seconds(project: Path, out: Path, mode: str) -> float:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1790000000"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _BUILD, str(project), str(out), mode], capture_output=True,
                          text=True, env=env)
    if done.returncode != 0:
        sys.exit(f"build failed:\n{done.stderr}")
    return time.perf_counter() - started


def run(offers: int, workdir: Path, whole_builds: bool) -> None:
    project = workdir / f"atlas-{offers}"
    write_atlas(project, offers)
    loaded = load_site(project, BUILD_DAY, workers=1)
    site, catalogs, config = loaded.site, loaded.theme.catalogs, loaded.site.config
    feeds, feed_time = timed(lambda: feed_files(site, catalogs))
    calendars, calendar_time = timed(lambda: calendar_files(site))
    print(f"{offers} offers, {len(config.languages)} languages")
    print(f"  feeds:     {feed_time:6.2f} s  {len(feeds)} files, {sum(map(len, feeds.values())) / 1e3:,.0f} KB "
          f"(the German one {len(feeds['feed.xml']) / 1e3:,.0f} KB)")
    print(f"  calendars: {calendar_time:6.2f} s  {len(calendars)} files, "
          f"{sum(map(len, calendars.values())) / 1e6:,.1f} MB")
    if not whole_builds:
        return
    without = build_seconds(project, workdir / "without", "without")
    with_them = build_seconds(project, workdir / "with", "with")
    share = with_them / without - 1
    print(f"  build without them {without:6.2f} s, with them {with_them:6.2f} s: +{share:.1%} "
          f"({share / TARGET_SHARE:.2f}x of the 15 % that all exports may add)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, nargs="+", default=[10000])
    parser.add_argument("--parts-only", action="store_true", help="time feeds and calendars, not two whole builds")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="atlas-feeds-bench-"))
    try:
        for n in args.offers:
            run(n, workdir, not args.parts_only)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
