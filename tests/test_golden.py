"""Golden output: the scratch atlas of conftest builds to exactly the files in tests/golden/.

Refresh after an intended change with:  UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
then read the diff (git diff tests/golden) before committing it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.conftest import write_atlas

GOLDEN = Path(__file__).parent / "golden"


VENDOR = "js/vendor/"  # npm's files, copied at build time; never kept in this repository


def _tree(root: Path) -> dict[str, bytes]:
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    return {name: data for name, data in files.items() if not name.startswith(VENDOR)}


def test_build_matches_golden_output(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    project = write_atlas(tmp_path / "project")
    out = tmp_path / "out"
    result = cli("build", project, "-o", out)
    assert result.exit_code == 0, result.stderr
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN, ignore=shutil.ignore_patterns("vendor"))
    built, golden = _tree(out), _tree(GOLDEN)
    assert sorted(built) == sorted(golden), "the set of built files changed"
    for name in built:
        assert built[name] == golden[name], f"{name} differs from tests/golden/{name}"
