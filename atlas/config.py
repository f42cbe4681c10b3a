"""atlas.yaml: the site settings, read into a frozen Config."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from atlas import languages
from atlas.documents import Document, decode, load_yaml, read_bytes
from atlas.errors import Problem, errors_of
from atlas.fields import Fields, did_you_mean
from atlas.licenses import DEFAULT as DEFAULT_LICENSE
from atlas.licenses import LICENSES
from atlas.schema import SLUG, TEXT_MAX
from atlas.suggest import Suggest, read_suggest

CONFIG_FILE = "atlas.yaml"
BUILTIN_THEMES = Path(__file__).parent / "themes"
_KEYS = ("title", "base_url", "languages", "topics", "audiences", "theme", "notice", "synonyms", "legal",
         "review_after_days", "suggest", "land", "license", "contributor_id", "editor",
         "timezone")
ACCESSIBILITY_STATUS = ("vollständig", "teilweise", "nicht")
# the Länder by their ISO 3166-2 code (DE-HE); `land:` picks whose public holidays the calendar files leave out
LAENDER = {"BW": "Baden-Württemberg", "BY": "Bayern", "BE": "Berlin", "BB": "Brandenburg", "HB": "Bremen",
           "HH": "Hamburg", "HE": "Hessen", "MV": "Mecklenburg-Vorpommern", "NI": "Niedersachsen",
           "NW": "Nordrhein-Westfalen", "RP": "Rheinland-Pfalz", "SL": "Saarland", "SN": "Sachsen",
           "ST": "Sachsen-Anhalt", "SH": "Schleswig-Holstein", "TH": "Thüringen"}
DEFAULT_REVIEW_AFTER_DAYS = 365
DEFAULT_TIMEZONE = "Europe/Berlin"
MAX_REVIEW_AFTER_DAYS = 3650  # ten years; beyond that the date says nothing about the entry
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~/%-]*)?\Z")  # no query, fragment, quotes
# base_url hosts no published atlas has: the demo's, and the example domains themselves (RFC 2606).
# Other hosts under them (the tests' atlas.example.org) are not flagged: every scratch atlas would warn.
_PLACEHOLDER_HOSTS = frozenset(["integrationsatlas.example.org"] + [f"{www}example.{tld}" for www in ("", "www.")
                                                                    for tld in ("org", "com", "net")])


@dataclass(frozen=True)
class Term:
    """An entry of a vocabulary (a topic or an audience) with its labels per language."""

    slug: str
    labels: Mapping[str, str]

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels["de"]


@dataclass(frozen=True)
class Party:
    """Who is named on a legal page: a body or an office, with how to reach it."""

    name: str
    address: tuple[str, ...] = ()
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Gap:
    what: str
    why: str


@dataclass(frozen=True)
class Legal:
    """What the Impressum, the Datenschutzerklärung and the Erklärung zur Barrierefreiheit state."""

    operator: Party  # Anbieter (§ 5 DDG)
    represented_by: str
    responsible: Party  # verantwortlich für den Inhalt (§ 18 Abs. 2 MStV)
    privacy_officer: Party
    hosting: str  # who runs the web server and so keeps its logs
    log_days: int
    supervisory_authority: Party
    accessibility_status: str  # vollständig | teilweise | nicht (BITV 2.0)
    accessibility_date: date
    accessibility_method: str
    gaps: tuple[Gap, ...]
    feedback: Party
    enforcement: Party  # Schlichtungs- bzw. Durchsetzungsstelle


@dataclass(frozen=True)
class Editor:
    """The git host behind the web editor at /admin/ (contract §4)."""

    backend: str  # gitea | gitlab | github
    repo: str  # owner/name (GitLab: group/subgroup/name)
    branch: str = "main"
    base_url: str | None = None  # the host (gitea, gitlab) or the OAuth helper (github)
    api_root: str | None = None
    app_id: str | None = None  # the OAuth application's client id (PKCE: no secret)


@dataclass(frozen=True)
class Config:
    project: Path
    title: str
    base_url: str  # absolute, ends with "/"
    languages: tuple[str, ...]  # UI languages; the first is the default
    topics: tuple[Term, ...]
    audiences: tuple[Term, ...]
    theme: str
    notice: str | None  # a banner on every page, e.g. "demo data"
    # (language, group) pairs of words that search treats alike, added to atlas/data/thesaurus.yaml
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    legal: Legal | None = None  # without it the legal pages are not built (and check says so)
    languages_line: int = 1  # where atlas.yaml lists the UI languages (a language without a catalog is reported there)
    review_after_days: int = DEFAULT_REVIEW_AFTER_DAYS  # an offer reviewed longer ago is due for review
    suggest: Suggest | None = None  # where to report a change; without it the pages have no such link
    land: str = "HE"  # ISO 3166-2 code without DE-: public holidays (calendar files), the Land of addresses
    license: str = DEFAULT_LICENSE  # of the open data on /daten/ (a key of licenses.LICENSES)
    contributor_id: str | None = None  # GovData's dcatde:contributorID of the publisher (a URI)
    editor: Editor | None = None  # without it the build writes no /admin/
    timezone: str = DEFAULT_TIMEZONE  # IANA name: "open now" in the search and on offer pages counts in it

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def topic(self, slug: str) -> Term:
        found = self._terms[0].get(slug)
        return found if found is not None else next(t for t in self.topics if t.slug == slug)  # as before: none

    def audience(self, slug: str) -> Term:
        found = self._terms[1].get(slug)
        return found if found is not None else next(a for a in self.audiences if a.slug == slug)

    @cached_property
    def _terms(self) -> tuple[dict[str, Term], dict[str, Term]]:
        """Topics and audiences by slug (every offer page, search document and feed entry looks up a few; a
        walk through the vocabulary each time was a fiftieth of rendering an offer page). Made on first use, kept
        beside the fields (not one of them: equality and repr stay the fields')."""
        return {t.slug: t for t in reversed(self.topics)}, {a.slug: a for a in reversed(self.audiences)}


def load_config(project: Path) -> tuple[Config | None, list[Problem]]:
    file = project / CONFIG_FILE
    if not file.is_file():
        return None, [Problem(CONFIG_FILE, 1, f"not found in {project}; an atlas project needs an atlas.yaml")]
    data, problems = read_bytes(file, CONFIG_FILE)
    text, found = decode(data, CONFIG_FILE) if data is not None else (None, [])
    problems += found
    if text is None:
        return None, problems
    data, lines, raw, problems = load_yaml(text, CONFIG_FILE)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [Problem(CONFIG_FILE, 1, "must hold settings written as 'name: value'")]
    doc = Document(CONFIG_FILE, lines, data, raw, "", 0)
    fields = Fields(doc, problems)

    title = fields.text("title", required=True, max_length=TEXT_MAX)
    base_url = fields.text("base_url", required=True)
    if base_url is not None and not _URL.match(base_url):
        fields.report("base_url", f'"{base_url}" must be an absolute address like https://atlas.example.org/ '
                                  "(no query or fragment)")
        base_url = None
    elif base_url is not None and _is_placeholder(base_url):
        fields.report("base_url", f'"{base_url}" is an example address (the demo\'s): set the address the atlas '
                                  "is published at, e.g. https://www.hanau.de/integrationsatlas/; sitemap.xml, "
                                  "robots.txt, the canonical links and the 404 page's links are made from it",
                      "warning")
    langs = _languages(fields)
    topics = _vocabulary(fields, "topics")
    audiences = _vocabulary(fields, "audiences")
    _missing_labels(fields, langs, topics + audiences)
    theme = fields.text("theme") or "default"
    if not SLUG.match(theme):
        fields.report("theme", f'"{theme}" is not a theme name: use a-z, 0-9 and hyphens (a folder in themes/)')
    elif not (project / "themes" / theme).is_dir() and not (BUILTIN_THEMES / theme).is_dir():
        fields.report("theme", f'no theme "{theme}": there is no folder themes/{theme}/')
    notice = fields.text("notice")
    synonyms = _synonyms(fields, langs)
    legal = _legal(fields)
    review_after_days = _review_after_days(fields)
    suggest = read_suggest(fields)
    land = _land(fields)
    license = fields.choice("license", tuple(LICENSES)) or DEFAULT_LICENSE
    contributor_id = fields.text("contributor_id")
    if contributor_id is not None and not _URL.match(contributor_id):
        fields.report("contributor_id", f'"{contributor_id}" must be the URI GovData gave you, like '
                                        "http://dcat-ap.de/def/contributors/hessen")
    editor = editor_block(fields)
    timezone = _timezone(fields)
    fields.unknown(_KEYS)

    if title is None or base_url is None or not langs or errors_of(problems):
        return None, problems
    config = Config(
        project=project,
        title=title,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        languages=langs,
        topics=topics,
        audiences=audiences,
        theme=theme,
        notice=notice,
        synonyms=synonyms,
        legal=legal,
        languages_line=doc.line("languages"),
        review_after_days=review_after_days,
        suggest=suggest,
        land=land,
        license=license,
        contributor_id=contributor_id,
        editor=editor,
        timezone=timezone,
    )
    return config, problems


def _is_placeholder(base_url: str) -> bool:
    """Whether base_url is still the demo's (or example.org's): copied and not yet set."""
    return (urlsplit(base_url).hostname or "").rstrip(".").lower() in _PLACEHOLDER_HOSTS


def _languages(fields: Fields) -> tuple[str, ...]:
    codes = fields.language_codes("languages", required=True)
    if codes and codes[0] != "de":
        fields.nested("languages").report(0, "the first language is the default one at the site's root; it must be de")
    return codes


def _review_after_days(fields: Fields) -> int:
    """After how many days an offer is due for review: a whole number, 365 when not given."""
    value = fields.data.get("review_after_days")
    if value is None:
        return DEFAULT_REVIEW_AFTER_DAYS
    if isinstance(value, str) and value.strip().isdigit():
        fields.report("review_after_days", f'"{value}" is text in quotes; write the number without them: '
                                           f"review_after_days: {value.strip()}")
        return DEFAULT_REVIEW_AFTER_DAYS
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_REVIEW_AFTER_DAYS:
        shown = fields.doc.raw.get(("review_after_days",), str(value))
        fields.report("review_after_days", f'"{shown}" is not a number of days: write a whole number from 1 to '
                                           f"{MAX_REVIEW_AFTER_DAYS}, e.g. 365 for once a year")
        return DEFAULT_REVIEW_AFTER_DAYS
    return value


def _legal(fields: Fields) -> Legal | None:
    """The legal block; every missing part is a warning, so a demo builds and a municipality's
    `check --strict` does not."""
    legal = fields.mapping("legal")
    if legal is None:
        fields.report("legal", "missing: without it there is no Impressum, Datenschutzerklärung and Erklärung "
                               "zur Barrierefreiheit, which a public body must publish", "warning")
        return None
    before = len(fields.problems)
    access = legal.mapping("accessibility", required=True)
    privacy = legal.mapping("privacy", required=True)
    result = Legal(
        operator=_party(legal, "operator"),
        represented_by=legal.text("represented_by", required=True) or "",
        responsible=_party(legal, "responsible"),
        privacy_officer=_party(privacy, "officer") if privacy else Party(""),
        hosting=(privacy.text("hosting", required=True) if privacy else None) or "",
        log_days=int((privacy.number("log_days", low=0, high=365) if privacy else None) or 7),
        supervisory_authority=_party(privacy, "authority") if privacy else Party(""),
        accessibility_status=(access.choice("status", ACCESSIBILITY_STATUS, required=True) if access else None)
        or "teilweise",
        accessibility_date=(access.date("date", required=True) if access else None) or date.min,
        accessibility_method=(access.text("method", required=True) if access else None) or "",
        gaps=tuple(Gap(g.text("what", required=True) or "", g.text("why", required=True) or "")
                   for g in (access.mappings("gaps") if access else [])),
        feedback=_party(access, "feedback") if access else Party(""),
        enforcement=_party(access, "enforcement") if access else Party(""),
    )
    legal.unknown(("operator", "represented_by", "responsible", "privacy", "accessibility"))
    if privacy:
        privacy.unknown(("officer", "hosting", "log_days", "authority"))
    if access:
        access.unknown(("status", "date", "method", "gaps", "feedback", "enforcement"))
    # legal data cannot be half right: what is missing is reported (as warnings); the pages wait for all of it
    found = fields.problems[before:]
    fields.problems[before:] = [replace(problem, severity="warning") for problem in found]
    return None if found else result


def _land(fields: Fields) -> str:
    """`land: HE`, `land: DE-HE` or `land: Hessen` (Hessen, the demo's Land, when absent)."""
    value = fields.text("land")
    if value is None:
        return "HE"
    code = value.upper().removeprefix("DE-")
    if code in LAENDER:
        return code
    names = {name.casefold(): c for c, name in LAENDER.items()}  # "Hessen" or "Hesen" -> HE
    if value.casefold() in names:
        return names[value.casefold()]
    by_name = difflib.get_close_matches(value.casefold(), names, n=1, cutoff=0.7)
    hint = f' (did you mean "{names[by_name[0]]}"?)' if by_name else did_you_mean(code, LAENDER)
    fields.report("land", f'"{value}" is not a German Land; write its code, e.g. HE or DE-HE{hint}')
    return "HE"


def _timezone(fields: Fields) -> str:
    """`timezone: Europe/Berlin` (the default): an IANA name the browsers' Intl knows too."""
    value = fields.text("timezone")
    if value is None:
        return DEFAULT_TIMEZONE
    if value not in available_timezones() | {DEFAULT_TIMEZONE}:  # a system without tzdata knows none
        fields.report("timezone", f'"{value}" is not a time zone name; write one like Europe/Berlin'
                                  f"{did_you_mean(value, sorted(available_timezones()))}")
        return DEFAULT_TIMEZONE
    return value


def _party(fields: Fields, key: str) -> Party:
    group = fields.mapping(key, required=True)
    if group is None:
        return Party("")
    group.unknown(("name", "address", "email", "phone"))
    return Party(group.text("name", required=True) or "", group.strings("address"), group.text("email"),
                 group.quoted("phone"))


def _synonyms(fields: Fields, langs: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(language, group) pairs: `synonyms: {de: [[Kita, Kindergarten]], ar: [[…]]}`, or the older
    list of groups, which counts as German (German groups apply in every language's index)."""
    raw = fields.data.get("synonyms")
    sub = fields.mapping("synonyms") if isinstance(raw, dict) else None
    if sub is not None:
        found: list[tuple[str, tuple[str, ...]]] = []
        for lang in map(str, sub.data):
            if lang not in langs:
                sub.report(lang, f'"{lang}" is not one of the atlas\'s languages ({", ".join(langs)}): '
                                 "its synonyms would never be used", "warning")
            found += [(lang, group) for group in _synonym_groups(sub, lang)]
        return tuple(found)
    return tuple(("de", group) for group in _synonym_groups(fields, "synonyms"))


def _synonym_groups(fields: Fields, key: str) -> list[tuple[str, ...]]:
    """Groups of single words, e.g. [[Deutschkurs, Sprachkurs], [Kita, Kindertagesstätte]]."""
    groups = []
    sub = fields.nested(key)
    for i, item in fields.items(key):
        if not isinstance(item, list):
            sub.report(i, "must be a group of words, e.g. [Kita, Kindertagesstätte]")
            continue
        words = Fields(fields.doc, fields.problems, {}, fields.prefix + (key, i))
        group = tuple(word for j, value in enumerate(item) if (word := words.string(j, value)) is not None)
        for j, word in enumerate(group):
            if len(word.split()) != 1 or "-" in word:
                words.report(j, f'"{word}" must be one word; search matches words, not phrases')
        if len(group) < 2:
            sub.report(i, "a group of synonyms needs at least two words")
        groups.append(group)
    return groups


def _missing_labels(fields: Fields, langs: tuple[str, ...], terms: tuple[Term, ...]) -> None:
    """A topic or audience without a label in a UI language shows its German one there."""
    for lang in langs[1:]:
        missing = [t.slug for t in terms if lang not in t.labels]
        if missing:
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            fields.report("languages", f"{len(missing)} topics and audiences have no {lang} label and show in "
                                       f"German: {shown}", "warning")


def _vocabulary(fields: Fields, key: str) -> tuple[Term, ...]:
    terms: list[Term] = []
    for entry in fields.mappings(key, required=True):
        slug = entry.text("slug", required=True)
        if slug is not None and not SLUG.match(slug):
            entry.report("slug", f'"{slug}" is not a slug: use a-z, 0-9 and single hyphens')
            slug = None
        if slug is not None and any(t.slug == slug for t in terms):
            entry.report("slug", f'"{slug}" is listed twice')
            slug = None
        label_fields = entry.mapping("label", required=True)
        labels: dict[str, str] = {}
        if label_fields is not None:
            for lang in label_fields.data:
                text = label_fields.text(lang)
                if not languages.is_known(str(lang)):
                    label_fields.report(lang, "is not an ISO 639-1 language code like de, en, ar")
                elif text:
                    labels[lang] = text
            if "de" not in labels:
                label_fields.report(None, "needs a German label (de: …)")
        entry.unknown(("slug", "label"))
        if slug is not None and "de" in labels:
            terms.append(Term(slug, dict(sorted(labels.items()))))
    return tuple(terms)



EDITOR_BACKENDS = ("gitea", "gitlab", "github")
_EDITOR_KEYS = ("backend", "repo", "branch", "base_url", "api_root", "app_id")
_REPO = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+\Z")
_HTTPS = re.compile(r"^https://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~/%-]*)?\Z")
_API_PATHS = {"gitea": "/api/v1", "gitlab": "/api/v4"}


def editor_block(fields: Fields) -> Editor | None:
    """`editor:` {backend, repo, branch, base_url, api_root, app_id}; the API root of a
    self-hosted Gitea or GitLab follows from its base_url when not given."""
    block = fields.mapping("editor")
    if block is None:
        return None
    before = len(fields.problems)
    backend = block.choice("backend", EDITOR_BACKENDS, required=True)
    repo = block.text("repo", required=True)
    if repo is not None and not _REPO.match(repo):
        block.report("repo", f'"{repo}" must name the repository as owner/name, e.g. kreis/integrationsatlas')
    urls = {key: _https(block, key) for key in ("base_url", "api_root")}
    app_id = block.text("app_id")
    block.unknown(_EDITOR_KEYS, "error")
    if backend in ("gitea", "gitlab") and app_id is None and "app_id" not in block.data:
        block.report(None, f"app_id: missing; {backend} logs in with the Client ID of an OAuth application "
                           "(see the README, 'the web editor')")
    if backend == "gitea" and urls["base_url"] is None and "base_url" not in block.data:
        block.report(None, "base_url: missing; the address of the Gitea or Forgejo server, e.g. https://git.example.org")
    if backend == "github" and urls["base_url"] is None and "base_url" not in block.data:
        block.report(None, "base_url: missing; GitHub needs an OAuth helper for the login, give its https:// address")
    if len(fields.problems) > before and errors_of(fields.problems[before:]):
        return None
    base, api = urls["base_url"], urls["api_root"]
    if api is None and base is not None and backend in _API_PATHS:
        api = base.rstrip("/") + _API_PATHS[backend]
    return Editor(backend or "", repo or "", block.text("branch") or "main", base and base.rstrip("/"), api, app_id)


def _https(block: Fields, key: str) -> str | None:
    url = block.text(key)
    if url is not None and not _HTTPS.match(url):
        block.report(key, f'"{url}" must be an https:// address without query or fragment')
        return None
    return url
