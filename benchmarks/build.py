"""Build benchmark: a synthetic atlas of N offers, built by `atlas build` in a fresh process.

    python benchmarks/build.py                 # N = 1,000 and 10,000
    python benchmarks/build.py --offers 500    # any sizes

Prints, per N, the build's phases (`atlas build --timings`), then wall time, offers per
second and peak memory (max RSS of the build process) with the ratio to the targets: at
least 1,000 offers/s, and under 1 GB at 10,000 offers; and the exports (the build's "exports"
phase: /daten/ with HSDS JSON and CSV package, angebote.csv and DCAT, the Atom feeds, the
calendar files and the Bestandsaufnahme's tables) with what they add to the rest of the build
(target: at most 15 % at 10,000 offers, issue 9).
The synthetic offers look like real ones: every field filled in, 80–150 word bodies drawn from
the demo atlas's own words with their real frequencies, spread over the Kreis and its 29
towns; generated from a fixed seed.
"""

from __future__ import annotations

import argparse
import collections
import functools
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATE = 1000.0  # offers per second
TARGET_MEMORY_MB = 1024.0  # at 10,000 offers
TARGET_EXPORT_SHARE = 0.15  # what the open-data exports may add to the build time

TOWNS = ["Bad Orb", "Bad Soden-Salmünster", "Biebergemünd", "Birstein", "Brachttal", "Bruchköbel", "Erlensee",
         "Flörsbachtal", "Freigericht", "Gelnhausen", "Großkrotzenburg", "Gründau", "Hammersbach", "Hanau",
         "Hasselroth", "Jossgrund", "Langenselbold", "Linsengericht", "Maintal", "Neuberg", "Nidderau",
         "Niederdorfelden", "Rodenbach", "Ronneburg", "Schlüchtern", "Schöneck", "Sinntal",
         "Steinau an der Straße", "Wächtersbach"]
TITLES = ["Sprachcafé", "Integrationskurs", "Migrationsberatung", "Hausaufgabenhilfe", "Frauentreff",
          "Elterncafé", "Bewerbungstraining", "Fußball für alle", "Nähcafé", "Lernpatenschaft",
          "Sozialberatung", "Interkultureller Garten", "Seniorentreff", "Jugendtreff", "Mieterberatung"]


def slug(name: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "-"})
    return name.lower().translate(table).replace("--", "-")


@functools.cache
def vocabulary() -> tuple[list[str], list[int]]:
    """The demo atlas's words and how often they occur: synthetic bodies then read like real ones
    (a few words very often, most rarely), not like a handful of words in every offer."""
    counts = collections.Counter(
        word for file in sorted((ROOT / "content/offers").glob("*.md")) if file.name.count(".") == 1  # German
        for word in re.findall(r"[A-Za-zÄÖÜäöüß]{2,}", file.read_text(encoding="utf-8").split("---", 2)[-1]))
    words = sorted(counts)
    return words, [counts[w] for w in words]


def text(rng: random.Random, count: int) -> str:
    words, weights = vocabulary()
    return " ".join(rng.choices(words, weights, k=count))


def write_atlas(root: Path, offers: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    root.mkdir(parents=True)
    config = (ROOT / "atlas.yaml").read_text(encoding="utf-8").replace("theme: main-kinzig\n", "")
    (root / "atlas.yaml").write_text(config, encoding="utf-8")
    topics = [line.split(":")[1].strip() for line in config.splitlines() if line.startswith("  - slug:")]
    topic_slugs, audience_slugs = topics[:11], topics[11:]
    for kind in ("regions", "actors", "offers"):
        (root / "content" / kind).mkdir(parents=True)
    (root / "content/regions/main-kinzig-kreis.md").write_text("---\nname: Main-Kinzig-Kreis\nkind: kreis\n---\n")
    regions = ["main-kinzig-kreis"]
    for town in TOWNS:
        regions.append(slug(town))
        (root / f"content/regions/{slug(town)}.md").write_text(
            f'---\nname: {town}\nkind: stadt\nparent: main-kinzig-kreis\npostcodes: ["63{rng.randint(400, 699)}"]\n'
            f"---\n{town} liegt im Main-Kinzig-Kreis.\n", encoding="utf-8")
    actors = [f"traeger-{i}" for i in range(max(20, offers // 40))]
    for i, actor in enumerate(actors):
        (root / f"content/actors/{actor}.md").write_text(
            f"---\nname: Träger Nummer {i} e. V.\nkind: verein\nregions: [{rng.choice(regions)}]\n"
            f"email: info{i}@example.org\n---\nEin Verein.\n", encoding="utf-8")
    for i in range(offers):
        town = rng.choice(TOWNS)
        actor, partner = rng.sample(actors, 2)
        body = text(rng, rng.randint(80, 150))
        paragraphs = body.split(" und ", 2)
        days = sorted(rng.sample(["mo", "di", "mi", "do", "fr"], 2), key=["mo", "di", "mi", "do", "fr"].index)
        (root / f"content/offers/angebot-{i}.md").write_text(f"""\
---
title: {rng.choice(TITLES)} {town} {i}
summary: {text(rng, 18).capitalize()}.
actor: {actor}
partners: [{partner}]
regions: [{"main-kinzig-kreis" if i % 10 == 0 else slug(town)}]
topics: [{", ".join(rng.sample(topic_slugs, 2))}]
audiences: [{rng.choice(audience_slugs)}]
languages: [de, {rng.choice(["tr", "ar", "uk", "ru", "fa", "en"])}]
cost: {"free" if i % 3 else '{amount: "20 €", note: "Ermäßigung möglich"}'}
appointment: {rng.choice(["required", "possible", "none"])}
locations:
  - name: Treffpunkt {town}
    street: Beispielstraße {i % 90 + 1}
    postcode: "63{rng.randint(400, 699)}"
    city: {town}
    lat: 50.{rng.randint(100, 300)}
    lon: 9.{rng.randint(0, 300)}
    accessible: {rng.choice(["yes", "partly", "no", "unknown"])}
hours:
  - days: [{", ".join(days)}]
    opens: "{rng.randint(8, 15):02d}:00"
    closes: "{rng.randint(16, 20):02d}:00"
contact: {{name: Team, phone: "069 90009 {i % 1000:03d}", email: angebot{i}@example.org}}
reviewed: 2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}
---
{paragraphs[0].capitalize()}.

**Wichtig:** {" und ".join(paragraphs[1:])}.

- Anmeldung: {text(rng, 3)}
- Ort: {town}
""", encoding="utf-8")


def run(offers: int, workdir: Path) -> tuple[float, float, float]:
    project = workdir / f"atlas-{offers}"
    write_atlas(project, offers)
    os.sync()  # time the build, not the disk flushing the generated atlas
    command = [sys.executable, "-c",
               "import resource, sys; from atlas.cli import main\n"
               "try:\n    main(['build', sys.argv[1], '-o', sys.argv[2], '--timings'])\n"
               "except SystemExit as e:\n"
               "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); raise",
               str(project), str(workdir / f"out-{offers}")]
    started = time.perf_counter()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1790000000"}
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"build of {offers} offers failed:\n{done.stderr}")
    peak_mb = int(done.stderr.strip().splitlines()[-1]) / 1024  # ru_maxrss is in KiB on Linux
    phases = done.stdout.strip().splitlines()[-1]
    print(f"        {offers} offers: {phases}")
    exports = re.search(r"exports ([0-9.]+) s", phases)
    return seconds, peak_mb, float(exports.group(1)) if exports else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    try:
        print(f"{'offers':>7} {'seconds':>8} {'offers/s':>9} {'vs 1,000/s':>10} {'peak MB':>8} {'vs 1 GB':>8} "
              f"{'exports s':>9} {'adds':>6} {'vs 15 %':>8}")
        for n in args.offers:
            seconds, peak, exports = run(n, workdir)
            rate = n / seconds
            adds = exports / (seconds - exports)  # the build with the exports vs. without them
            print(f"{n:>7} {seconds:>8.2f} {rate:>9.0f} {rate / TARGET_RATE:>9.2f}x {peak:>8.0f} "
                  f"{peak / TARGET_MEMORY_MB:>7.2f}x {exports:>9.2f} {adds:>6.1%} {adds / TARGET_EXPORT_SHARE:>7.2f}x")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
