"""atlas.aside: one step in a forked process beside another."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from atlas.aside import aside


def test_the_result_comes_from_a_child_process() -> None:
    with aside(lambda: (os.getpid(), b"x" * 200_000)) as result:  # more than a pipe holds at once
        pid, data = result()
    assert pid != os.getpid() and data == b"x" * 200_000


def test_a_failing_child_runs_its_work_again_here_so_the_error_surfaces() -> None:
    ran_in: list[int] = []

    def failing() -> None:
        ran_in.append(os.getpid())
        raise ValueError("the real error")

    with pytest.raises(ValueError, match="the real error"), aside(failing) as result:
        result()
    assert ran_in == [os.getpid()]  # the child's attempt left no trace here; this process's did


def test_a_child_whose_result_is_not_asked_for_is_stopped(tmp_path: Path) -> None:
    started, pid_file = time.monotonic(), tmp_path / "pid"

    def slow() -> None:
        pid_file.write_text(str(os.getpid()))
        time.sleep(60)

    with aside(slow):
        while not pid_file.exists() or not pid_file.read_text():
            time.sleep(0.01)
    assert time.monotonic() - started < 30
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)  # stopped and reaped, not left running or a zombie


def test_without_fork_the_work_runs_here_when_asked_for() -> None:
    with aside(os.getpid, fork=False) as result:
        assert result() == os.getpid()
