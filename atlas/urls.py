"""The URL scheme of the built site (contract §3) and relative links between its pages.

Every page lives in a folder (`angebote/<slug>/index.html`) and every link is relative, so
the built folder works under any sub-path of a web server. A page's *route* is its path in
German, at the root; the same page in another UI language lives under `<lang>/` + route.
"""

from __future__ import annotations

from collections.abc import Collection

HOME = ""
OFFERS = "angebote/"
ACTORS = "akteure/"
REGIONS = "regionen/"
TOPICS = "themen/"
AUDIENCES = "zielgruppen/"
SEARCH = "suche/"
IMPRINT = "impressum/"
PRIVACY = "datenschutz/"
ACCESSIBILITY = "barrierefreiheit/"
EASY_LANGUAGE = "leichte-sprache/"
DATA = "daten/"  # the open-data page; its files (daten/hsds/…) are the same for every language
SECTIONS = (OFFERS, ACTORS, REGIONS, TOPICS, AUDIENCES, SEARCH, IMPRINT, PRIVACY, ACCESSIBILITY,
            EASY_LANGUAGE, DATA)  # folders the build fills
GENERATED_FILES = ("index.html", "404.html", "sitemap.xml", "robots.txt")


def is_generated(path: str, languages: Collection[str] = ()) -> bool:
    """Whether the build writes this path itself (so a theme's static file there would be lost)."""
    top = path.split("/")[0]
    return path in GENERATED_FILES or top + "/" in SECTIONS or (top in languages and "/" in path)


def is_page(route: str) -> bool:
    """Whether a path is a page's route (then it has a version per language) rather than a
    static file like css/atlas.css, which all languages share."""
    return route == HOME or route.split("/")[0] + "/" in SECTIONS


def in_language(lang: str, route: str, default: str = "de") -> str:
    """The path of a page in a UI language: ('en', 'angebote/x/') -> 'en/angebote/x/'."""
    return route if lang == default else f"{lang}/{route}"


def offer(slug: str) -> str:
    return f"{OFFERS}{slug}/"


def actor(slug: str) -> str:
    return f"{ACTORS}{slug}/"


def region(slug: str) -> str:
    return f"{REGIONS}{slug}/"


VOCABULARIES = {"topic": TOPICS, "audience": AUDIENCES}


def term(kind: str, slug: str) -> str:
    """A topic's or an audience's page: term('topic', 'beratung') -> 'themen/beratung/'."""
    return f"{VOCABULARIES[kind]}{slug}/"


def output_file(path: str) -> str:
    """The file that serves a page path: 'angebote/x/' -> 'angebote/x/index.html'."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def relative(from_page: str, target: str) -> str:
    """A link from one page path to another, e.g. ('angebote/x/', 'themen/y/') -> '../../themen/y/'."""
    depth = from_page.count("/")
    return "../" * depth + target or "./"


def absolute(base_url: str, path: str) -> str:
    return base_url + path
