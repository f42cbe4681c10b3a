"""The web editor in real Chromium: `atlas serve --edit` on a scratch atlas, a person fills in the
form, and the record files change as `atlas check` wants them, and only where they were edited."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from atlas.admin import content_security_policy, editor_files
from atlas.config import load_config
from atlas.localapi import LocalContent
from tests.browser import QuietServer
from tests.conftest import CONFIG
from tests.test_serve import start_serve

OFFERS = "content/offers"


@pytest.fixture
def editing(atlas, tmp_path: Path) -> Iterator[tuple[Path, str]]:  # type: ignore[no-untyped-def]
    project = atlas()
    process, base = start_serve(project, tmp_path / "serve.log", tmp_path, "--edit")
    try:
        yield project, base
    finally:
        process.terminate()
        process.wait(timeout=30)
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


def test_create_edit_and_translate_offers_in_the_form(editing, new_context) -> None:  # type: ignore[no-untyped-def]
    project, base = editing
    errors: list[str] = []
    foreign: list[str] = []

    def only_local(route: Route) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context = new_context()
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
    page.get_by_label("kostenlos").check()
    _publish(page)
    new = project / OFFERS / "nahcafe-am-markt.md"
    _wait_for(page, new.is_file, "the new offer's file")
    created = new.read_text(encoding="utf-8")
    assert _check(project) == (0, ""), created
    for line in ("title: Nähcafé am Markt", "actor: vhs", "  - hanau", "  - sprachfoerderung", "cost: free",
                 "      - di", "    opens: 15:00", "    closes: 17:30"):  # YAML 1.2: times unquoted
        assert f"\n{line}\n" in created, created
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


# -- the Content-Security-Policy /admin/ needs --------------------------------------------------

class _AdminHandler(http.server.SimpleHTTPRequestHandler):
    """The built site with a CSP header; /admin/config.yml and /api/v1 for the local files, so the
    whole form (not only the login page) renders under the policy."""

    policy = ""
    project = Path()
    local = True  # False: /admin/ exactly as built, for the git host (its login page)

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.policy)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        local = {"/admin/config.yml": "admin/config.yml", "/admin/": "admin/index.html"}
        if self.local and self.path in local:
            config, _ = load_config(self.project)
            assert config is not None
            api = f"http://{self.headers['Host']}/api/v1"
            self._reply(editor_files(config, api)[local[self.path]], "text/html" if "html" in local[self.path]
                        else "text/yaml")
        else:
            super().do_GET()

    def do_POST(self) -> None:  # noqa: N802
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self._reply(json.dumps(LocalContent(self.project).handle(request)).encode(), "application/json")

    def _reply(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _violations(browser: Browser, site: Path, project: Path, policy: str, local: bool = True,
                expect: str = "") -> list[str]:
    """What the console says about the policy while the offer form (or, not `local`, the git
    host's login page) is shown; requests to other hosts are refused and counted too. With `expect`,
    a violation the policy must cause: it is waited for instead of the form (which a policy
    without 'unsafe-eval' never lets appear: waiting for it cost a minute's timeout)."""
    handler = type("Handler", (_AdminHandler,), {"policy": policy, "project": project, "local": local})
    server = QuietServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    found: list[str] = []
    context = browser.new_context()
    context.set_default_timeout(120_000)  # Decap's bundle loads slowly on a loaded machine (30 s timed out)
    try:
        own = f"http://127.0.0.1:{server.server_address[1]}/"
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(own)
                      else (found.append(f"request to {route.request.url}"), route.abort()))
        page = context.new_page()
        page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                             "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))")
        page.on("console", lambda m: found.append(m.text) if "violat" in m.text.lower()
                or "Content Security Policy" in m.text else None)
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/admin/#/collections/offers/new")
        try:
            if not local:
                page.get_by_role("button", name="Mit Gitea einloggen").wait_for(timeout=60000)
                page.wait_for_timeout(1000)
                return found
            if expect:
                _wait_for(page, lambda: any(expect in v for v in found), f"a violation of {expect}")
                return found
            page.get_by_text("Kurzbeschreibung").first.wait_for(timeout=60000)
            page.get_by_role("button", name="öffnungszeiten hinzufügen").click()
            page.wait_for_timeout(1000)
        except PlaywrightTimeout:
            found.append("the form did not appear")
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    return found


def test_admin_works_under_its_csp_and_needs_what_it_asks_for(atlas, cli, browser: Browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    editor = ("editor: {backend: gitea, repo: kreis/atlas, base_url: 'https://git.example.org', app_id: x}\n")
    project = atlas(config=CONFIG + editor)
    assert cli("build", project, "-o", tmp_path / "site").exit_code == 0
    config, _ = load_config(project)
    assert config is not None
    policy = content_security_policy(config.editor)
    assert "https://git.example.org" in policy
    assert _violations(browser, tmp_path / "site", project, policy, local=False) == []
    assert _violations(browser, tmp_path / "site", project, policy) == []
    no_eval = policy.replace(" 'unsafe-eval'", "")
    assert any("eval" in v for v in _violations(browser, tmp_path / "site", project, no_eval, expect="eval"))
    no_inline_styles = policy.replace(" 'unsafe-inline'", "")
    assert any("style-src" in v for v in _violations(browser, tmp_path / "site", project, no_inline_styles,
                                                     expect="style-src"))
