"""`atlas serve` in a real browser: the open page reloads after an edit and shows build errors."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import chromium


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(atlas, tmp_path: Path) -> Iterator[tuple[Path, str]]:  # type: ignore[no-untyped-def]
    project, port = atlas(), _free_port()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "atlas", "serve", str(project), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "TMPDIR": str(scratch)})
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield project, f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert list(scratch.iterdir()) == []  # SIGTERM cleans up the served build like Ctrl+C


def test_open_page_reloads_after_an_edit_and_shows_errors(served) -> None:  # type: ignore[no-untyped-def]
    project, base = served
    offer = project / "content/offers/sprachcafe.md"
    with chromium() as browser:
        page = browser.new_page()
        page.goto(base + "angebote/sprachcafe/")
        assert page.locator("h1").inner_text() == "Sprachcafé Hanau"
        page.wait_for_function("window.performance.getEntriesByType('resource').length > 0")

        offer.write_text(offer.read_text(encoding="utf-8").replace("title: Sprachcafé Hanau",
                                                                   "title: Sprachcafé am Freiheitsplatz"))
        page.wait_for_function("document.querySelector('h1').textContent === 'Sprachcafé am Freiheitsplatz'",
                               timeout=15000)

        offer.write_text(offer.read_text(encoding="utf-8").replace("actor: vhs", "actor: vhs-hanau"))
        banner = page.locator("#atlas-build-errors")
        banner.wait_for(timeout=15000)
        assert 'content/offers/sprachcafe.md:4: actor: unknown actor "vhs-hanau" (did you mean "vhs"?)' \
            in banner.inner_text()
        assert page.locator("h1").inner_text() == "Sprachcafé am Freiheitsplatz"  # the last good build
