"""The web editor in real Chromium: `atlas serve --edit` on a scratch atlas, a person fills in the
form, and the record files change as `atlas check` wants them, and only where they were edited."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route

from tests.browser import chromium
from tests.test_serve import _free_port

OFFERS = "content/offers"


@pytest.fixture
def editing(atlas, tmp_path: Path) -> Iterator[tuple[Path, str]]:  # type: ignore[no-untyped-def]
    project, port = atlas(), _free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "atlas", "serve", "--edit", str(project), "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT, text=True, env={**os.environ, "TMPDIR": str(tmp_path)})
    deadline = time.monotonic() + 30
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
        log.close()
        print((tmp_path / "serve.log").read_text())


def _page_text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def _wait_for(page: Page, condition, what: str, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    """Poll `condition` while Playwright goes on serving the page (its routes run in this thread:
    time.sleep would hold every request)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(200)


def _choose(page: Page, field_id: str, text: str) -> None:
    """Pick an option of a select or relation field (react-select) by typing part of its label."""
    box = page.locator(f"#{field_id}")
    box.click()
    box.fill(text)
    page.locator("[class*='option']", has_text=text).first.click()


def _publish(page: Page) -> None:
    page.get_by_role("button", name="Veröffentlichen").click()
    page.get_by_text("Jetzt veröffentlichen").click()


def _field(page: Page, name: str) -> str:
    """The id of a field's input, by the field's name (Decap numbers its ids: title-field-1)."""
    return str(page.locator(f"[id^='{name}-field-']").first.get_attribute("id"))


def _check(project: Path) -> tuple[int, str]:
    """`atlas check` on today's date (the form dates `reviewed` today)."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    done = subprocess.run([sys.executable, "-m", "atlas", "check", str(project)], capture_output=True, text=True,
                          env=env, check=False)
    return done.returncode, done.stderr


def test_create_edit_and_translate_offers_in_the_form(editing) -> None:  # type: ignore[no-untyped-def]
    project, base = editing
    errors: list[str] = []
    foreign: list[str] = []

    def only_local(route: Route) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    with chromium() as browser:
        context = browser.new_context()
        context.route("**/*", only_local)

        def open_page(address: str) -> Page:
            """Each step in a page of its own, as a person opening the editor anew."""
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base + address)
            return page

        # a new offer: title, summary, actor from the list, a region, a topic, hours
        page = open_page("admin/#/collections/offers/new")
        page.locator(f"#{_field(page, 'title')}").fill("Nähcafé am Markt")
        page.locator(f"#{_field(page, 'summary')}").fill("Gemeinsam nähen und Deutsch sprechen.")
        _choose(page, _field(page, "actor"), "Volkshochschule Hanau")
        _choose(page, _field(page, "regions"), "Hanau")
        _choose(page, _field(page, "topics"), "Sprachförderung")
        page.get_by_role("button", name="öffnungszeiten hinzufügen").click()
        _choose(page, _field(page, "days"), "Dienstag")
        page.locator(f"#{_field(page, 'opens')}").fill("15:00")
        page.locator(f"#{_field(page, 'closes')}").fill("17:30")
        _publish(page)
        new = project / OFFERS / "nahcafe-am-markt.md"
        _wait_for(page, new.is_file, "the new offer's file")
        assert _check(project) == (0, ""), new.read_text(encoding="utf-8")
        _wait_for(page, lambda: "Nähcafé am Markt" in _page_text(base + "angebote/nahcafe-am-markt/"), "the preview")

        # an existing offer: only the summary changes in the file
        old = project / OFFERS / "sprachcafe.md"
        before = old.read_text(encoding="utf-8")
        page = open_page("admin/#/collections/offers/entries/sprachcafe")
        page.wait_for_function("[...document.querySelectorAll('[id^=title-field-]')]"
                               ".some(e => e.value === 'Sprachcafé Hanau')")
        summary = page.locator(f"#{_field(page, 'summary')}")
        summary.fill("Deutsch sprechen üben, jede Woche.")
        _publish(page)
        _wait_for(page, lambda: "jede Woche" in old.read_text(encoding="utf-8"), "the changed summary")
        assert old.read_text(encoding="utf-8") == before.replace(
            "summary: Deutsch sprechen üben bei Kaffee und Tee.", "summary: Deutsch sprechen üben, jede Woche.")

        # an English translation: only the translatable fields, named after the German record
        page = open_page("admin/#/collections/offers_en/new")
        page.get_by_text("Übersetzung von").wait_for()
        _choose(page, _field(page, "offer"), "Sprachcafé Hanau")
        page.locator(f"#{_field(page, 'title')}").fill("Language café Hanau")
        page.locator(f"#{_field(page, 'summary')}").fill("Practise German over coffee and tea.")
        _publish(page)
        english = project / OFFERS / "sprachcafe.en.md"
        _wait_for(page, english.is_file, "the translation's file")
        text = english.read_text(encoding="utf-8")
        assert text.startswith("---\ntitle: Language café Hanau\nsummary: Practise German over coffee and tea.\n")
        assert "offer" not in text and "actor" not in text
        assert _check(project) == (0, "")
        _wait_for(page, lambda: "Language café Hanau" in _page_text(base + "en/angebote/sprachcafe/"), "the preview")

        # the German list shows German records only
        page = open_page("admin/#/collections/offers")
        page.get_by_text("Nähcafé am Markt").wait_for()
        assert page.get_by_text("Language café Hanau").count() == 0
    assert errors == []
    assert foreign == []
