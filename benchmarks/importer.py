"""Import benchmark: a spreadsheet of N offers (names, not slugs) imported into a copy of the demo atlas.

    python benchmarks/importer.py                # N = 1,000 and 10,000
    python benchmarks/importer.py --rows 500     # any sizes

Prints, per N, the wall and CPU time of `atlas import` (a fresh process, its start included;
reading, matching, checking every would-be record together with the demo's records, writing)
and rows per second (of each), with the ratio to the target: a municipality's list of 10,000
offers in under a minute (167 rows/s).
Rows name actors and regions by their names and topics by their labels, with German dates,
hours in words and a two-line description; generated from a fixed seed.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATE = 10_000 / 60  # rows per second
HEADER = ["Titel", "Kurzbeschreibung", "Träger", "Orte", "Themen", "Sprachen", "Kosten", "Öffnungszeiten",
          "Straße", "PLZ", "Ort", "Kontakt E-Mail", "Zuletzt geprüft", "Beschreibung"]
HOURS = ["Di, Do 09:00–12:00", "Mo–Fr 9 bis 12 Uhr; Mi 14–16 Uhr", "Sa 10-13 Uhr", "dienstags 18.00-20.00"]


def names(folder: Path) -> list[str]:
    return [yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1])["name"] for p in sorted(folder.glob("*.md"))]


def write_sheet(path: Path, rows: int, actors: list[str], regions: list[str], topics: list[str]) -> None:
    rng = random.Random(9)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER)
        for i in range(rows):
            town = rng.choice(regions)
            writer.writerow([f"Angebot {i} in {town}", f"Ein Angebot für alle in {town}.", rng.choice(actors), town,
                             "; ".join(rng.sample(topics, 2)), "Deutsch, Türkisch", rng.choice(["kostenlos", "5 €"]),
                             rng.choice(HOURS), f"Hauptstraße {i % 200 + 1}", "63450", town,
                             f"info{i}@example.org", "15.09.2026", "Erste Zeile.\nZweite Zeile."])


def run(rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "atlas"
        shutil.copytree(ROOT / "content", project / "content")
        shutil.copy(ROOT / "atlas.yaml", project / "atlas.yaml")
        shutil.copytree(ROOT / "themes", project / "themes")
        config = yaml.safe_load((ROOT / "atlas.yaml").read_text(encoding="utf-8"))
        sheet = Path(tmp) / "liste.csv"
        write_sheet(sheet, rows, names(ROOT / "content/actors"), names(ROOT / "content/regions"),
                    [t["label"]["de"] for t in config["topics"]])
        started, cpu = time.perf_counter(), _children_cpu()
        done = subprocess.run([sys.executable, "-m", "atlas", "import", str(sheet), str(project)],
                              capture_output=True, text=True, env={"SOURCE_DATE_EPOCH": "1790000000", "PATH": ""})
        seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu
        if done.returncode != 0:
            print(done.stdout, done.stderr[:2000])
            raise SystemExit(1)
        rate, cpu_rate = rows / seconds, rows / cpu
        print(f"{rows:>6,} rows: {seconds:6.1f} s wall, {rate:5.0f} rows/s ({rate / TARGET_RATE:.1f}× the target of "
              f"{TARGET_RATE:.0f} rows/s); {cpu:5.1f} s CPU, {cpu_rate:5.0f} rows/s ({cpu_rate / TARGET_RATE:.1f}×)"
              f" — {done.stdout.strip()}")


def _children_cpu() -> float:
    """CPU seconds of finished child processes: on a shared machine the fairer figure beside wall time."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[1000, 10_000])
    for rows in parser.parse_args().rows:
        run(rows)


if __name__ == "__main__":
    main()
