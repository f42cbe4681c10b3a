"""Markdown bodies to safe HTML: Python-Markdown renders, nh3 keeps only an allowlist.

Contributors are many and not all trusted, so raw HTML in a body is allowed through the
Markdown step but then cleaned: no script, no event handlers, no javascript: URLs, no
iframes, no images from other hosts (an image from elsewhere would leak readers' IPs).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown as md
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "a", "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "img", "abbr",
    "sub", "sup", "dl", "dt", "dd", "span", "bdi",
}
ATTRIBUTES = {
    "*": {"lang", "dir"},
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


_RELATIVE_PATH = re.compile(r"^[A-Za-z0-9._~-][A-Za-z0-9._~/%-]*\Z")


def _same_host_images(tag: str, attribute: str, value: str) -> str | None:
    """Keep an image only with a plain relative path: browsers read '\\host', ' //host' and
    'data:' as places elsewhere, so anything but path characters is dropped."""
    if tag == "img" and attribute == "src" and not _RELATIVE_PATH.match(value):
        return None
    return value


class _ShiftHeadings(Treeprocessor):
    """The page's title is the only h1: a body's `#` becomes h2, `##` h3, and so on."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag in ("h1", "h2", "h3", "h4", "h5"):
                element.tag = f"h{int(element.tag[1]) + 1}"


class _ShiftHeadingsExtension(Extension):
    def extendMarkdown(self, markdown: md.Markdown) -> None:  # noqa: N802 (Markdown's API)
        markdown.treeprocessors.register(_ShiftHeadings(markdown), "atlas_shift_headings", 5)


class MarkdownRenderer:
    """One renderer per build (Python-Markdown instances keep state between calls)."""

    def __init__(self) -> None:
        self._md = md.Markdown(extensions=["sane_lists", "tables", _ShiftHeadingsExtension()])
        self._done: dict[str, Markup] = {}  # an untranslated offer's body shows in every UI language

    def render(self, text: str) -> Markup:
        if text not in self._done:
            self._done[text] = Markup(clean_html(self._md.reset().convert(text)))
        return self._done[text]


def clean_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_same_host_images,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
