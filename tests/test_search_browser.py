"""Search as residents use it, in Debian's Chromium, under the strict CSP with Trusted Types."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from atlas import query, search
from atlas.build import build
from tests.browser import serve
from tests.conftest import published
from tests.test_search import QUERIES, built_documents, built_index

# Queries beyond the relevance list, so that parity covers at least 60: several words, no hits, accents
MORE_QUERIES = ["Deutsch lernen", "kurs frauen hanau", "cafe", "Übersetzer", "Hilfe beim Antrag", "Yoga",
                "İstanbul", "Şule", "sprachkurs b1 abends", "Deutsch\ufeffkurs", "Deutsch\x85kurs", "frauen und",
                "aus", "Ausb"]


@pytest.fixture(scope="module")
def site(demo_built, demo_served: str) -> tuple[str, Path]:  # type: ignore[no-untyped-def]
    """The demo built and served once per session (tests/conftest.py): (base URL, output folder)."""
    return demo_served, demo_built[1]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page whose console errors (CSP and Trusted Types violations among them) fail the test."""
    context = browser.new_context(viewport={"width": 390, "height": 900})
    context.set_default_timeout(120_000)  # only a bound for a failing wait: CI machines are shared
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
    yield page
    context.close()
    assert errors == []


def wait_until(page: Page, expression: str, timeout: float = 60) -> None:  # generous: CI machines are shared
    """Poll a JavaScript expression until it is true. (wait_for_function evaluates with eval,
    which the site's CSP forbids, as it should.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.03)


def search_for(page: Page, text: str) -> list[str]:
    """Type into the search field; the slugs of the results shown, in rank order."""
    page.fill("#q", text)
    answered(page, text)
    return shown(page)


def answered(page: Page, text: str) -> None:
    """Wait until the result list answers `text` (the live region speaks once typing pauses)."""
    wait_until(page, f"document.querySelector('[data-atlas-results]').getAttribute('data-query') === "
                     f"{json.dumps(text.strip())}")


def shown(page: Page) -> list[str]:
    hrefs = page.eval_on_selector_all("[data-atlas-result]", "links => links.map(a => a.getAttribute('href'))")
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]


# Each text submitted through the form as Enter does, the list's links read once it answers that text:
# one round trip for a whole list (typing each, waiting out the typing pause and polling took minutes)
RANK_IN_PAGE = """async (texts) => {
    const form = document.querySelector("form[data-atlas-search]");
    const input = form.querySelector("input[name=q]");
    const list = document.querySelector("[data-atlas-results]");
    const answers = [];
    for (const text of texts) {
        input.value = text;
        const wanted = input.value.trim();  // what the list says it answers (search.js: data-query)
        await new Promise((resolve, reject) => {
            const late = setTimeout(() => reject(new Error("no answer for " + JSON.stringify(text))), 60000);
            const observer = new MutationObserver(() => {
                if (list.getAttribute("data-query") !== wanted) { return; }
                observer.disconnect();
                clearTimeout(late);
                resolve();
            });
            observer.observe(list, { attributes: true, attributeFilter: ["data-query"] });
            form.requestSubmit();
        });
        answers.push([...list.querySelectorAll("[data-atlas-result]")].map(a => a.getAttribute("href")));
    }
    return answers;
}"""


def ranked_in_page(page: Page, texts: list[str]) -> dict[str, list[str]]:
    """The slugs the search page shows for each text, in rank order (see RANK_IN_PAGE)."""
    answers = page.evaluate(RANK_IN_PAGE, texts)
    return {text: [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]
            for text, hrefs in zip(texts, answers, strict=True)}


def open_search(page: Page, base: str, query: str = "") -> None:
    page.goto(base + "suche/" + query)
    wait_until(page, "document.getElementById('suche-status').textContent.includes('gefunden')")


def documents(out: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    return built_documents(out)


def test_browser_ranks_exactly_as_python_for_every_query(site, demo_loaded, page: Page) -> None:  # type: ignore[no-untyped-def]
    base, out = site
    python_site = demo_loaded.site
    index = built_index(out)
    queries = list(dict.fromkeys([c["q"] for c in QUERIES] + MORE_QUERIES))
    assert len(queries) >= 60
    open_search(page, base)
    shown_for = ranked_in_page(page, queries)
    for text in queries:
        expected = query.ranked_slugs(python_site, index, text)[:30]
        assert shown_for[text] == expected, text


def test_browser_ranks_as_python_in_every_language(site, demo_loaded, page: Page) -> None:  # type: ignore[no-untyped-def]
    """The relevance list's queries in the other UI languages, on that language's search page."""
    base, out = site
    python_site = demo_loaded.site
    cases = [c for c in QUERIES if c.get("lang", "de") != "de"]
    assert {c["lang"] for c in cases} == {"en", "ar", "tr", "uk", "ru", "fa"}
    for lang in sorted({c["lang"] for c in cases}):
        index = built_index(out, f"{lang}/")
        page.goto(base + f"{lang}/suche/")
        wait_until(page, "document.getElementById('suche-status').textContent !== ''")
        texts = [c["q"] for c in cases if c["lang"] == lang]
        shown_for = ranked_in_page(page, texts)
        for text in texts:
            expected = query.ranked_slugs(python_site, index, text, lang)[:30]
            assert shown_for[text] == expected, (lang, text)


# Words beyond the demo's vocabulary that the rules must treat alike on both sides
EDGE_WORDS = ["İstanbul", "ISTANBUL", "ıstanbul", "DANIŞMANLIK", "danışmanlıklar", "Kurslarımızda", "خانواده‌ها",
              "خانوادهها", "كتابي", "والاستشارات", "بالمدرسة", "فالأطفال", "الاعْتِرَاف", "اعتـــراف", "آموزش",
              "здоров'я", "здоров’я", "здоровʼя", "Жильё", "ЁЛКА", "консультаций", "families", "women’s", "classes",
              "Frauenschwimmkurs", "Hausaufgabenhilfe", "Beratng", "aus", "x" * 40, "Straße", "Muetter", "Café",
              "e\u0301", "ß" * 3, "Sprach Café",
              "Frauen schwimm kurs", "Eltern und Café", "DANIŞMANLIK kurslar",
              "١٢٣", "B1", "Deutsch\ufeffkurs", "a-b", "🙂", "Ǆemal", "ΣΟΦΟΣ",
              # a word's terms share its boost, two words join as their own forms too (relevance4)
              "ورزش زنان", "السيرة الذاتية", "iş başvuruları", "women sport", "ــ الذاتية", "курсы немецкого",
              # hostile queries (hostile4): an object's own names, stop words or clitics alone, marks alone
              "__proto__", "constructor", "toString kurs", "kurs hasOwnProperty", "und der die das", "the of and",
              "وال بال لل", "الـــ", "\u0301\u0302", "a\u0301\u0302", "\u200f\u200e kurs", "\u200ckurs ک\u200cی",
              "½ ² Ⅻ ①", "ﬁnanz", "𝐊𝐮𝐫𝐬", "ｋｕｒｓ", "\U0001F600kurs", "kurs\u3000kurs\u1680kurs\u205fkurs"]


def test_every_word_of_the_demo_gives_the_same_clauses_in_the_browser(site, demo_loaded, page: Page) -> None:  # type: ignore[no-untyped-def]
    """Word-level parity: every word of every language's indexed text, and the edge cases above,
    through query.clauses in Python and atlasSearch.clauses in Chromium, with the language's rules
    as the search data ships them."""
    base, out = site
    python_site = demo_loaded.site
    page.goto("about:blank")  # the scripts as they are built, without the site's CSP around them
    for script in ["js/vendor/lunr.min.js", "js/vendor/lunr.stemmer.support.min.js", "js/vendor/lunr.de.min.js",
                   "js/search-pipeline.js"]:
        page.add_script_tag(content=published(out, script).read_text(encoding="utf-8"))
    checked = 0
    for lang in python_site.config.languages:
        folder = "" if lang == "de" else f"{lang}/"
        pipeline = json.loads(published(out, folder + search.INDEX).read_bytes())["pipeline"]  # the entry file
        vocabulary = sorted({word for text in search.index_text(python_site, lang) for key, value in text.items()
                             if key != "ref" for word in value.split()} | set(EDGE_WORDS))
        # as one JSON string: Playwright's own transfer of 5,000 nested lists took seconds per language
        browser = json.loads(page.evaluate("""([pipeline, words]) => {
            atlasSearch.configure(pipeline);
            return JSON.stringify(words.map(w => atlasSearch.clauses(w).map(c => [c.term, c.boost,
                c.wildcard === lunr.Query.wildcard.TRAILING, c.editDistance || 0, c.word, c.span])));
        }""", [pipeline, vocabulary]))
        python = [[[c.term, c.boost, bool(c.wildcard), c.edit_distance, c.word, c.span]
                   for c in query.clauses(word, lang)]
                  for word in vocabulary]
        assert dict(zip(vocabulary, browser, strict=True)) == dict(zip(vocabulary, python, strict=True)), lang
        checked += len(vocabulary)
    assert checked > 20_000


def test_results_appear_while_typing_and_are_announced(site, page: Page) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    open_search(page, base)
    page.click("#q")
    page.keyboard.type("Sprachk", delay=60)
    wait_until(page, "document.getElementById('suche-status').textContent.includes('„Sprachk“')")
    assert shown(page)[0] == "berufssprachkurs-b2"
    status = page.locator("#suche-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert status.inner_text().endswith("Angebote für „Sprachk“ gefunden.")
    marks = page.locator("[data-atlas-results] mark").all_inner_texts()
    assert "Berufssprachkurs" in marks  # the matched word is marked


@pytest.mark.parametrize("group, value, label", [
    ("region", "maintal", "Maintal"),
    ("thema", "gesundheit-sport", "Gesundheit und Sport"),
    ("zielgruppe", "frauen", "Frauen"),
    ("sprache", "tr", "Türkçe"),
    ("kostenlos", "1", "Nur kostenlose Angebote"),
])
def test_each_filter_narrows_the_results_and_says_how_many(site, page: Page, group: str, value: str,
                                                           label: str) -> None:
    base, out = site
    docs = documents(out)
    open_search(page, base)
    box = page.locator(f"input[name={group}][value='{value}']")
    summary = box.locator("xpath=ancestor::details/summary")
    if summary.count() and not box.is_visible():
        summary.click()
    count = page.locator(f"[data-count='{group}:{value}']" if group != "kostenlos" else "[data-count=kostenlos]")
    promised = int(count.inner_text().strip("()"))
    box.check()
    wait_until(page, f"location.search.includes('{group}={value}')")
    wait_until(page, f"document.getElementById('suche-status').textContent.startsWith('{promised} Angebot')")
    page.click("#suche-mehr") if page.locator("#suche-mehr").is_visible() else None
    results = shown(page)
    for slug in results:
        doc = docs[slug]
        assert doc["kostenlos"] if group == "kostenlos" else value in doc[group], slug
    expected = [s for s, d in docs.items() if (d["kostenlos"] if group == "kostenlos" else value in d[group])]
    assert promised == len(expected)
    if group == "region":  # Maintal includes offers for the whole Kreis, not Hanau's own
        assert "asylverfahrensberatung-mkk" in expected and "buergergeld-antragshilfe-hanau" not in expected


def test_filters_work_with_text_and_combine(site, page: Page) -> None:  # type: ignore[no-untyped-def]
    base, out = site
    docs = documents(out)
    open_search(page, base, "?q=beratung&region=gelnhausen&sprache=ar")
    results = shown(page)
    assert results and all("gelnhausen" in docs[s]["region"] and "ar" in docs[s]["sprache"] for s in results)
    assert page.locator("#q").input_value() == "beratung"


def test_state_lives_in_the_query_string_reload_and_back_restore_it(site, page: Page) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    open_search(page, base)
    first = search_for(page, "kurs")
    page.keyboard.press("Enter")  # submitting records the state as a step in the history
    page.locator("input[name=zielgruppe][value=frauen]").locator("xpath=ancestor::details/summary").click()
    page.check("input[name=zielgruppe][value=frauen]")
    wait_until(page, "location.search === '?q=kurs&zielgruppe=frauen'")
    # the status said „kurs“ before the filter too: wait for the list the filter gives
    wait_until(page, f"document.querySelectorAll('[data-atlas-result]').length < {len(first)}")
    narrowed = shown(page)
    assert narrowed and len(narrowed) < len(first)

    page.reload()
    wait_until(page, "document.getElementById('suche-status').textContent.includes('„kurs“')")
    wait_until(page, f"document.querySelectorAll('[data-atlas-result]').length === {len(narrowed)}")
    assert page.locator("#q").input_value() == "kurs"
    assert page.locator("input[name=zielgruppe][value=frauen]").is_checked()
    assert shown(page) == narrowed

    page.go_back()
    wait_until(page, "location.search === '?q=kurs'")
    wait_until(page, "!document.querySelector('input[name=zielgruppe][value=frauen]').checked")
    wait_until(page, f"document.querySelectorAll('[data-atlas-result]').length === {len(first)}")
    assert shown(page) == first


def test_without_javascript_the_page_offers_the_browse_pages(site, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "suche/?q=kurs")
    assert page.get_by_text("Die Suche braucht JavaScript.").is_visible()
    assert page.locator(".filters").count() == 2 and not page.locator(".filters").first.is_visible()
    assert not page.locator(".filters").last.is_visible()  # the near-me and open-now controls need scripts too
    links = page.locator("[data-no-js] a").all()
    assert [a.get_attribute("href") for a in links] == ["../regionen/", "../themen/", "../zielgruppen/", "../angebote/"]
    context.close()


def test_search_works_with_the_keyboard_alone(site, page: Page) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    open_search(page, base)
    for _ in range(30):  # from the top of the page to the search field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("Moschee")
    wait_until(page, "document.getElementById('suche-status').textContent.includes('„Moschee“')")
    for _ in range(40):  # on through the filters to the first result
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-atlas-result')"):
            break
    assert page.evaluate("document.activeElement.textContent") == "Tag der offenen Moschee in Hanau-Nord"
    page.keyboard.press("Enter")
    page.wait_for_url("**/angebote/tag-der-offenen-moschee-hanau/")


HOSTILE = """\
---
title: <img src=x onerror=alert(1)>
summary: <script>alert("summary")</script> Zusammenfassung
actor: vhs
regions: [hanau]
topics: [beratung]
reviewed: 2026-01-01
---
"""


def test_hostile_title_is_shown_as_text(atlas, page: Page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "site"
    build(atlas({"content/offers/boese.md": HOSTILE}), out)
    with serve(out) as base:
        open_search(page, base)
        assert search_for(page, "onerror") == ["boese"]
        result = page.locator("[data-atlas-result]")
        assert result.inner_text() == "<img src=x onerror=alert(1)>"
        assert page.locator("[data-atlas-results] img, [data-atlas-results] script").count() == 0
        assert 'alert("summary")' in page.locator(".offer-card-summary").inner_text()


def test_search_box_on_every_page_leads_to_the_search(site, page: Page) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    page.goto(base + "regionen/hanau/")
    page.fill("#header-q", "Kita")
    page.keyboard.press("Enter")
    page.wait_for_url("**/suche/?q=Kita")
    wait_until(page, "document.getElementById('suche-status').textContent.includes('„Kita“')")
    assert "kita-anmeldung-hilfe-kesselstadt" in shown(page)[:3]



def test_search_data_loads_only_when_search_is_used(site, page: Page) -> None:  # type: ignore[no-untyped-def]
    base, out = site
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base + "angebote/stadtteilmuetter-lamboy/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if "/suche/" in url or "search-worker" in url]
    page.focus("#header-q")  # first use of the search box: the data is fetched ahead of the search page
    wait_until(page, "document.querySelectorAll('link[rel=prefetch]').length === 1")
    page.wait_for_load_state("networkidle")
    assert {url.rsplit("/", 1)[-1] for url in requested if "/suche/" in url} == {published(out, search.INDEX).name}


def test_a_pasted_wall_of_text_does_not_stall_the_search(site, page: Page) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    open_search(page, base, "?q=" + "Integrationskurs" * 400)  # 6,400 letters in one word
    started = time.monotonic()
    assert "kita-anmeldung-hilfe-kesselstadt" in search_for(page, "Kita")[:3]
    assert time.monotonic() - started < 20  # the stall took minutes; 20 s: room for a loaded CI
    assert page.locator("#q").get_attribute("maxlength") == "200"


def test_a_word_on_its_way_is_searched_even_when_it_is_a_stop_word_so_far(site, page: Page) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    open_search(page, base)
    assert search_for(page, "aus")  # on the way to "Ausbildung": not "Keine Angebote"
    assert "ausbildungslotsen-junge-gefluechtete" in search_for(page, "Ausb")
    everything = len(search_for(page, "d"))  # one letter is no search: all offers, A–Z
    assert everything == 30 and page.locator("#suche-mehr").is_visible()


def test_only_words_that_matched_are_marked(site, page: Page) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    open_search(page, base)
    search_for(page, "Eltern")
    marks = {m.lower() for m in page.locator("[data-atlas-results] mark").all_inner_texts()}
    assert "eltern" in marks
    assert not marks & {"alter", "ältere", "gebastelt"}


def test_enter_after_typing_adds_no_second_history_step(site, page: Page) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    open_search(page, base)
    search_for(page, "beratung")
    page.keyboard.press("Enter")
    page.go_back()
    wait_until(page, "location.search === ''")
    assert page.url.endswith("/suche/")


# Each change of what the list shows: how many results, whether the rest are still loading, the
# query it answers in full, and whether its first result is still the element first shown
WATCH_LIST = """() => {
    const list = document.querySelector("[data-atlas-results]");
    window.steps = [];
    new MutationObserver(() => {
        const first = list.firstElementChild;
        if (list.getAttribute("aria-busy")) {
            window.firstShown = first;
            window.partialLinks = [...list.querySelectorAll("[data-atlas-result]")]
                .map(a => a.getAttribute("href").replace(/\\/$/, "").split("/").pop());
        }
        const step = [list.children.length, list.getAttribute("aria-busy"), list.getAttribute("data-query"),
                      first === window.firstShown, document.getElementById("suche-mehr").hidden];
        if (JSON.stringify(step) !== JSON.stringify(window.steps[window.steps.length - 1])) { window.steps.push(step); }
    }).observe(list, { attributes: true, childList: true });
}"""


def test_a_new_search_shows_a_screen_of_results_first_and_adds_the_rest_below(site, page: Page) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    open_search(page, base)  # all offers A–Z: the first three document pages are in
    page.evaluate(WATCH_LIST)
    search_for(page, "beratung")  # 41 offers, the first 30 on pages not all loaded yet
    steps = page.evaluate("window.steps")
    partial = [step for step in steps if step[1] == "true"]
    assert partial and partial[0][0] == search.FIRST_SHOWN, steps  # the first answer: a screen's worth
    assert partial[0][4], "no 'more' while the rest are on their way"
    assert steps[-1] == [30, None, "beratung", True, False], steps  # the rest added below the same elements
    assert page.evaluate("window.partialLinks") == shown(page)[:search.FIRST_SHOWN]  # in the same order


def test_more_results_survive_a_visit_to_a_result(site, page: Page) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    open_search(page, base)
    search_for(page, "beratung")
    page.click("#suche-mehr")
    wait_until(page, "document.querySelectorAll('[data-atlas-result]').length > 30")
    count = len(shown(page))
    assert page.evaluate("document.activeElement.getAttribute('href')").endswith(f"/{shown(page)[30]}/")
    page.locator("[data-atlas-result]").nth(31).click()
    page.wait_for_url("**/angebote/**")
    page.go_back()
    wait_until(page, f"document.querySelectorAll('[data-atlas-result]').length === {count}")


def test_when_the_search_data_cannot_load_the_browse_pages_are_offered(demo_built, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                       page: Page) -> None:
    out = tmp_path / "site"
    shutil.copytree(demo_built[1], out)  # a copy of the session's demo build, whose index is then removed
    index = published(out, "suche/index.json")
    for file in [index, index.with_name(index.name + ".gz"), index.with_name(index.name + ".br")]:
        file.unlink()
    with serve(out) as base:
        page.on("console", lambda message: None)
        page.goto(base + "suche/?q=Kita")
        wait_until(page, "document.getElementById('suche-status').textContent.includes('nicht geladen')")
        assert page.locator("[data-no-js] a").first.is_visible()
        page.fill("#q", "Beratung")
        time.sleep(0.3)
        assert "nicht geladen" in page.locator("#suche-status").inner_text()  # the message stays


# -- in the reader's language ------------------------------------------------------------------------

def test_arabic_interface_finds_german_words_and_speaks_arabic(site: tuple[str, Path], page: Page) -> None:
    base, out = site
    page.goto(base + "ar/suche/?q=Kinderzuschlag")
    answered(page, "Kinderzuschlag")
    assert shown(page)[0] == "buergergeld-antragshilfe-hanau"
    first = page.locator("[data-atlas-result]").first
    assert first.get_attribute("href").endswith("/ar/angebote/buergergeld-antragshilfe-hanau/")  # type: ignore[union-attr]
    assert "المساعدة" in first.inner_text()  # the Arabic title of its translation
    assert first.get_attribute("lang") is None
    wait_until(page, "document.getElementById('suche-status').textContent !== ''")
    status = page.inner_text("#suche-status")
    assert "Kinderzuschlag" in status and "خدم" in status and "Angebot" not in status

    # an offer without a translation shows its German title, marked as German and left to right
    search_for(page, "Roshan")
    german = page.locator("[data-atlas-result]").first
    assert german.inner_text() == "Frauentreff Roshan"
    assert german.get_attribute("lang") == "de" and german.get_attribute("dir") == "ltr"

    # the switcher leads to the same page in another language; its search data is that language's
    page.click("nav.languages a[hreflang=uk]")
    page.wait_for_url(base + "uk/suche/")
    assert page.get_attribute("html", "lang") == "uk"
    search_for(page, "житлову")
    assert shown(page)[0] == "buergergeld-antragshilfe-hanau"


def test_marking_reads_only_as_much_of_the_query_as_search_does(site, page: Page) -> None:  # type: ignore[no-untyped-def]
    """A query from the address may be longer than the field's 200 characters: what lies beyond
    is neither searched nor marked (marking the whole of a pasted page took minutes)."""
    base, _ = site
    open_search(page, base, "?q=Eltern" + "+" * 194 + "Kita")
    marks = {m.lower() for m in page.locator("[data-atlas-results] mark").all_inner_texts()}
    assert "eltern" in marks
    assert not {m for m in marks if "kita" in m}


PROTOTYPE_WORDS = "constructor __proto__ toString valueOf hasOwnProperty prototype"


def test_words_that_name_an_objects_own_parts_rank_as_in_python(atlas, page: Page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Offers and queries whose words are the names of a JavaScript object's own parts (hostile4):
    the browser looks them up as any word, and ranks them as Python does."""
    from datetime import date

    from atlas.build import load_site
    from tests.test_hostile import offer

    project = atlas({"content/offers/proto.md": offer(title="constructor Kurs", body=PROTOTYPE_WORDS),
                     "content/offers/proto2.md": offer(title="Elterncafé __proto__", body="toString toString")})
    out = tmp_path / "site"
    build(project, out)
    python_site = load_site(project, date(2026, 9, 21)).site
    index = built_index(out)
    texts = [*PROTOTYPE_WORDS.split(), "__proto__ constructor", "toString Kurs", "__defineGetter__"]
    with serve(out) as base:
        open_search(page, base)
        shown_for = ranked_in_page(page, texts)
        page.goto("about:blank")  # the worker may still fetch the last results' pages: not from a stopped server
    for text in texts:
        assert shown_for[text] == query.ranked_slugs(python_site, index, text)[:30], text
    assert shown_for["constructor"][:1] == ["proto"] and shown_for["toString"][:1] == ["proto2"]
