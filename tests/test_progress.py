"""A long build shows its phases and a bar on a terminal, and nothing anywhere else."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pytest

from atlas import build as build_module
from atlas import cli as cli_module
from atlas import parallel
from atlas.build import PHASES, RENDER, build
from atlas.progress import TerminalProgress, bar


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_build_reports_every_phase_in_order_and_the_pages_rendered(atlas, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "CHUNK", 5)  # several chunks of the small atlas: several reports
    heard: list[tuple[str, int, int]] = []
    result = build(atlas(), tmp_path / "out", progress=lambda *report: heard.append(report))
    assert [phase for phase, _, total in heard if total == 0] == list(PHASES)
    pages = [(done, total) for phase, done, total in heard if phase == RENDER and total]
    total = pages[-1][1]
    assert pages[-1] == (total, total)
    assert len(pages) > 2 and all(0 < a[0] <= b[0] for a, b in zip(pages, pages[1:], strict=False))
    html = [f for f in _tree(tmp_path / "out") if f.endswith(".html")]
    assert total == len(html) and result.file_count > total


def test_chunks_and_forked_workers_write_the_same_bytes(atlas, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    project = atlas()
    build(project, tmp_path / "whole", on=None, workers=1)
    monkeypatch.setattr(build_module, "CHUNK", 3)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 4)  # the few pages go to two processes
    heard: list[tuple[str, int, int]] = []
    build(project, tmp_path / "chunked", workers=2, progress=lambda *report: heard.append(report))
    assert _tree(tmp_path / "chunked") == _tree(tmp_path / "whole")
    assert parallel.slice_count(heard[-1][2], 2) == 2  # two processes rendered them
    assert heard[-1][0] == RENDER and heard[-1][1] == heard[-1][2] > 0


def test_no_progress_when_stderr_is_no_terminal(atlas, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("build", atlas(), "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert result.stderr == ""  # a CI log gets no bar, no carriage returns, no escape codes
    assert result.stdout.startswith("Built 2 offers") and "\r" not in result.stdout


def test_on_a_terminal_the_line_is_drawn_and_cleared(atlas, cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(cli_module, "_terminal", lambda: terminal)
    result = cli("build", atlas(), "-o", tmp_path / "out")
    assert result.exit_code == 0 and result.stderr == ""
    drawn = terminal.getvalue()
    for phase in PHASES:
        assert f"\r\x1b[K{phase} …" in drawn
    assert "\r\x1b[Krender and write [" + "#" * 30 + "] 100 %" in drawn
    assert drawn.endswith("\r\x1b[K")  # the summary line is printed on a clean line


def test_bar_shows_share_and_count() -> None:
    assert bar("load", 0, 0) == "load …"
    assert bar("render and write", 3500, 7000) == ("render and write [" + "#" * 15 + "·" * 15 + "]  50 % "
                                                   "(3,500/7,000 pages)")
    stream = io.StringIO()
    drawing = TerminalProgress(stream)
    drawing("render and write", 1, 100)
    drawing("render and write", 2, 100)  # within REDRAW_SECONDS of the last: not drawn again
    drawing("render and write", 100, 100)  # the end always is
    assert stream.getvalue().count("\r\x1b[K") == 2


def test_page_chunks_keep_a_languages_lists_together_and_hold_every_page_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from atlas.build import page_chunks
    from atlas.render import Page

    monkeypatch.setattr(build_module, "CHUNK", 4)
    pages = [Page(f"{kind}-{n}/", lang, f"{kind}.html", "")
             for lang in ("de", "en")
             for kind, count in (("index", 1), ("offer", 9), ("region", 3), ("term", 2)) for n in range(count)]
    chunks = page_chunks(pages)
    parts = [list(part) for _, part in chunks]
    assert [page for part in reversed(parts) for page in part] == pages  # each once, the last chunk first
    assert [through for through, _ in chunks] == list(itertools.accumulate(map(len, parts)))
    where = {id(page): n for n, part in enumerate(parts) for page in part}
    for before, after in itertools.pairwise(pages):  # only between two offer pages may a chunk end
        if not before.template == after.template == "offer.html":
            assert where[id(before)] == where[id(after)]
    # 4 pages a chunk, unless a run of lists follows (en's: to the end; de's: and en's start page)
    assert [len(part) for part in parts] == [9, 4, 9, 4, 4]
