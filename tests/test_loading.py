"""Loading at a Land's scale: the build reads and checks each file on every core (records.read_records),
and records keep their field lines compactly (documents.Lines); both give what the plain steps give."""

from __future__ import annotations

import os
import pickle
from collections.abc import Sequence
from pathlib import Path

import pytest

from atlas import parallel
from atlas.config import load_config
from atlas.documents import parse_document
from atlas.records import parse_records, read_records
from atlas.sources import read_sources

ROOT = Path(__file__).resolve().parent.parent

BROKEN = {  # one of each kind of trouble: reading, YAML, fields, references, a translation without its offer
    "content/offers/kaputt.md": "---\ntitle: [unclosed\n---\n",
    "content/offers/falsch.md": "---\ntitle: Falsch\nsummary: x\nactor: niemand\nregions: [nirgendwo]\n"
                                "topics: [beratung]\nreviewed: 2026-02-30\n---\nText.\n",
    "content/offers/leer.md": "",
    "content/offers/waise.en.md": "---\ntitle: Orphan\nsummary: No German record.\n---\n",
    "content/regions/schleife.md": "---\nname: Schleife\nkind: stadt\nparent: schleife\n---\n",
}


def _both(project: Path, workers: int) -> tuple[tuple[object, list[object]], tuple[object, list[object]]]:
    config, problems = load_config(project)
    assert config is not None, problems
    sources, read = read_sources(project, workers)
    records, parsed = parse_records(sources, config)
    fused, found = read_records(project, config, workers)
    return (records, sorted(read + parsed)), (fused, sorted(found))


def test_reading_on_two_cores_gives_the_records_and_problems_of_the_two_steps(
        atlas, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(parallel, "MIN_ITEMS", 4)  # the scratch atlas's few files go to two processes
    project = atlas(BROKEN)
    assert parallel.slice_count(len(list((project / "content").rglob("*.md"))), 2, parallel.MIN_ITEMS // 2) == 2
    steps, fused = _both(project, 2)
    assert fused == steps
    messages = " ".join(p.message for p in steps[1])  # type: ignore[attr-defined]
    for trouble in ("YAML", "niemand", "nirgendwo", "2026-02-30", "empty", "no offer waise.md", "own parent"):
        assert trouble in messages, trouble


def test_the_demo_reads_alike_both_ways() -> None:
    steps, fused = _both(ROOT, 2)
    assert fused == steps and len(fused[0].offers) > 100  # type: ignore[attr-defined]


def test_lines_answer_as_the_dict_they_were_made_from() -> None:
    text = "---\ntitle: A\nhours:\n  - days: [mo]\n    opens: '9:00'\n---\nBody\n"
    document, problems = parse_document(text, "content/offers/a.md")
    assert document is not None and not problems
    lines = document.origin().lines
    assert dict(lines) == dict(document.lines) and lines == document.lines
    assert lines[("hours", 0, "opens")] == 5 and ("hours", 0) in lines and ("parent",) not in lines
    assert lines.get(("parent",)) is None and len(lines) == len(document.lines)
    assert document.origin().line("hours", 0, "closes") == 4  # a missing key: its nearest parent's line


def test_records_written_alike_share_their_keys_also_across_processes() -> None:
    shapes: dict = {}  # type: ignore[type-arg]
    origins = [parse_document(f"---\ntitle: T{i}\nsummary: S\n---\n", f"o{i}.md")[0].origin(shapes)  # type: ignore[union-attr]
               for i in range(3)]
    assert len(shapes) == 1
    back = pickle.loads(pickle.dumps(origins, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == origins
    assert len({id(o.lines._shape) for o in back}) == 1  # one pickle: one copy of the keys


def test_a_child_that_fails_has_its_share_run_again_in_the_parent() -> None:
    parent = os.getpid()

    def work(part: Sequence[int]) -> list[int]:
        if os.getpid() != parent and part[0] > 0:
            raise RuntimeError("only in the child")
        return [n * 2 for n in part]

    assert parallel.map_slices(work, range(2000), 2) == [n * 2 for n in range(2000)]


def test_a_queue_hands_each_item_to_whichever_process_is_free() -> None:
    """parallel.started: the child takes items while this process is busy elsewhere; results come in
    the items' order, each item done once."""
    parent, (told, tell) = os.getpid(), os.pipe()

    def work(n: int) -> tuple[int, int]:
        if os.getpid() != parent:
            os.write(tell, b".")  # this process is busy until the child has done an item
        return n * 2, os.getpid()

    with parallel.started(work, range(6), 2) as job:
        job_children = set(job.children)
        assert os.read(told, 1) == b"."
        results = job.results()
    os.close(told), os.close(tell)
    assert [n for n, _ in results] == [0, 2, 4, 6, 8, 10]
    assert {pid for _, pid in results} <= job_children | {parent} and len(job_children) == 1
    assert {pid for _, pid in results} & job_children  # the child took some (it started before this core came)


def test_an_item_a_queued_child_failed_is_done_again_in_the_parent() -> None:
    parent = os.getpid()

    def work(n: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        return n * 2

    finished: list[list[int]] = []
    redone: list[int] = []
    with parallel.started(lambda n: redone.append(n) or work(n), range(5), 2,
                          finished=lambda: finished.append(sorted(redone))) as job:
        assert finished == [] and job.results() == [0, 2, 4, 6, 8]
    assert finished == [[0, 1, 2, 3, 4]]  # once, here, after the failed child's items were done again


def test_a_queue_left_early_ends_its_children() -> None:
    with pytest.raises(KeyError), parallel.started(lambda n: n, range(3), 2) as job:
        children = list(job.children)
        raise KeyError("the caller failed before it collected the results")
    for pid in children:
        with pytest.raises(ChildProcessError):  # reaped: no longer this process's child
            os.waitpid(pid, os.WNOHANG)


def test_slices_whose_parent_share_fails_leave_no_child_behind() -> None:
    """map_slices: the error of this process's own share comes out, and the children (which would block
    on a full pipe that nobody reads) are ended and reaped, not left as zombies with open pipes."""
    parent, (started, tell) = os.getpid(), os.pipe()
    children = []

    def work(part: Sequence[int]) -> list[int]:
        if os.getpid() == parent:  # fails once the child is at work
            children.append(int.from_bytes(os.read(started, 4), "little"))
            raise KeyError("this process's share failed")
        os.write(tell, os.getpid().to_bytes(4, "little"))
        return list(range(100_000))  # more than a pipe holds: the child blocks until it is read

    with pytest.raises(KeyError):
        parallel.map_slices(work, range(2000), 2)
    os.close(started), os.close(tell)
    [child] = children
    with pytest.raises(ChildProcessError):  # reaped: no longer this process's child
        os.waitpid(child, os.WNOHANG)
