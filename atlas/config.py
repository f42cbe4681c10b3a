"""atlas.yaml: the site settings, read into a frozen Config."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from atlas import languages
from atlas.documents import Document, decode, load_yaml, read_bytes
from atlas.errors import Problem, errors_of
from atlas.fields import Fields
from atlas.licenses import DEFAULT as DEFAULT_LICENSE
from atlas.licenses import LAENDER, LICENSES
from atlas.schema import SLUG

CONFIG_FILE = "atlas.yaml"
BUILTIN_THEMES = Path(__file__).parent / "themes"
_KEYS = ("title", "base_url", "languages", "topics", "audiences", "theme", "notice", "synonyms", "legal",
         "license", "land", "contributor_id")
ACCESSIBILITY_STATUS = ("vollständig", "teilweise", "nicht")
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~/%-]*)?\Z")  # no query, fragment, quotes


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
class Config:
    project: Path
    title: str
    base_url: str  # absolute, ends with "/"
    languages: tuple[str, ...]  # UI languages; the first is the default
    topics: tuple[Term, ...]
    audiences: tuple[Term, ...]
    theme: str
    notice: str | None  # a banner on every page, e.g. "demo data"
    synonyms: tuple[tuple[str, ...], ...] = ()  # groups of words that search treats alike
    legal: Legal | None = None  # without it the legal pages are not built (and check says so)
    languages_line: int = 1  # where atlas.yaml lists the UI languages (a language without a catalog is reported there)
    license: str = DEFAULT_LICENSE  # of the open data on /daten/ (a key of licenses.LICENSES)
    land: str = "Hessen"  # the Bundesland, for the addresses in the open data
    contributor_id: str | None = None  # GovData's dcatde:contributorID of the publisher (a URI)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def topic(self, slug: str) -> Term:
        return next(t for t in self.topics if t.slug == slug)

    def audience(self, slug: str) -> Term:
        return next(a for a in self.audiences if a.slug == slug)


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

    title = fields.text("title", required=True)
    base_url = fields.text("base_url", required=True)
    if base_url is not None and not _URL.match(base_url):
        fields.report("base_url", f'"{base_url}" must be an absolute address like https://atlas.example.org/ '
                                  "(no query or fragment)")
        base_url = None
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
    synonyms = _synonyms(fields)
    legal = _legal(fields)
    license = fields.choice("license", tuple(LICENSES)) or DEFAULT_LICENSE
    land = fields.choice("land", LAENDER) or "Hessen"
    contributor_id = fields.text("contributor_id")
    if contributor_id is not None and not _URL.match(contributor_id):
        fields.report("contributor_id", f'"{contributor_id}" must be the URI GovData gave you, like '
                                        "http://dcat-ap.de/def/contributors/hessen")
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
        license=license,
        land=land,
        contributor_id=contributor_id,
    )
    return config, problems


def _languages(fields: Fields) -> tuple[str, ...]:
    codes = fields.language_codes("languages", required=True)
    if codes and codes[0] != "de":
        fields.nested("languages").report(0, "the first language is the default one at the site's root; it must be de")
    return codes


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


def _party(fields: Fields, key: str) -> Party:
    group = fields.mapping(key, required=True)
    if group is None:
        return Party("")
    group.unknown(("name", "address", "email", "phone"))
    return Party(group.text("name", required=True) or "", group.strings("address"), group.text("email"),
                 group.quoted("phone"))


def _synonyms(fields: Fields) -> tuple[tuple[str, ...], ...]:
    """Groups of single words, e.g. [[Deutschkurs, Sprachkurs], [Kita, Kindertagesstätte]]."""
    groups = []
    sub = fields.nested("synonyms")
    for i, item in fields.items("synonyms"):
        if not isinstance(item, list):
            sub.report(i, "must be a group of words, e.g. [Kita, Kindertagesstätte]")
            continue
        words = Fields(fields.doc, fields.problems, {}, fields.prefix + ("synonyms", i))
        group = tuple(word for j, value in enumerate(item) if (word := words.string(j, value)) is not None)
        for j, word in enumerate(group):
            if len(word.split()) != 1:
                words.report(j, f'"{word}" must be one word; search matches words, not phrases')
        if len(group) < 2:
            sub.report(i, "a group of synonyms needs at least two words")
        groups.append(group)
    return tuple(groups)


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

