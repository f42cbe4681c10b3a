"""The URL scheme of the built site (contract §3) and relative links between its pages.

Every page lives in a folder (`angebote/<slug>/index.html`) and every link is relative, so
the built folder works under any sub-path of a web server.
"""

from __future__ import annotations

HOME = ""
OFFERS = "angebote/"
ACTORS = "akteure/"
REGIONS = "regionen/"
TOPICS = "themen/"
AUDIENCES = "zielgruppen/"
SEARCH = "suche/"


def offer(slug: str) -> str:
    return f"{OFFERS}{slug}/"


def actor(slug: str) -> str:
    return f"{ACTORS}{slug}/"


def region(slug: str) -> str:
    return f"{REGIONS}{slug}/"


def topic(slug: str) -> str:
    return f"{TOPICS}{slug}/"


def audience(slug: str) -> str:
    return f"{AUDIENCES}{slug}/"


def in_language(path: str, lang: str, default: str) -> str:
    """German at the root, every other UI language under /<lang>/ with the same paths."""
    return path if lang == default else f"{lang}/{path}"


def output_file(path: str) -> str:
    """The file that serves a page path: 'angebote/x/' -> 'angebote/x/index.html'."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def relative(from_page: str, target: str) -> str:
    """A link from one page path to another, e.g. ('angebote/x/', 'themen/y/') -> '../../themen/y/'."""
    depth = from_page.count("/")
    return "../" * depth + target or "./"


def absolute(base_url: str, path: str) -> str:
    return base_url + path
