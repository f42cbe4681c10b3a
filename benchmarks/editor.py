"""Web editor figures: what /admin/ weighs, and how fast the local API answers a save.

    python benchmarks/editor.py

Prints the bytes of /admin/ (all of it, and what a browser loads before the form appears:
the page, decap-cms.js, admin.js, config.yml), gzip-compressed too; then the local API's time
per save of an existing record (splice and atomic write) over 200 saves, against a target of
50 ms (well below what a person at the form notices).
"""

from __future__ import annotations

import gzip
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas.admin import admin_files  # noqa: E402
from atlas.config import load_config  # noqa: E402
from atlas.localapi import LocalContent  # noqa: E402
from tests.conftest import CONFIG, write_atlas  # noqa: E402

EDITOR = "editor: {backend: gitea, repo: kreis/atlas, base_url: 'https://git.example.org', app_id: x}\n"
FIRST_LOAD = ("admin/index.html", "admin/decap-cms.js", "admin/admin.js", "admin/config.yml")
SAVE_TARGET_MS = 50.0


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = write_atlas(Path(folder) / "atlas", config=CONFIG + EDITOR)
        config, _ = load_config(project)
        assert config is not None
        files = admin_files(config, project)
        total = sum(len(b) for b in files.values())
        first = sum(len(files[n]) for n in FIRST_LOAD)
        first_gz = sum(len(gzip.compress(files[n], 6)) for n in FIRST_LOAD)
        print(f"/admin/: {len(files)} files, {total / 1e6:.2f} MB in all")
        print(f"first load: {first / 1e6:.2f} MB, {first_gz / 1e6:.2f} MB gzipped")
        api = LocalContent(project)
        path = "content/offers/sprachcafe.md"
        text = (project / path).read_text(encoding="utf-8")
        started = time.perf_counter()
        for i in range(200):
            raw = text.replace("summary: Deutsch sprechen", f"summary: {i} Deutsch sprechen")
            api.handle({"action": "persistEntry", "params": {"entry": {"path": path, "raw": raw}, "assets": []}})
        per_save = (time.perf_counter() - started) / 200 * 1000
        print(f"local API save: {per_save:.2f} ms per save ({per_save / SAVE_TARGET_MS:.2f} of the "
              f"{SAVE_TARGET_MS:.0f} ms target)")


if __name__ == "__main__":
    main()
