"""Markdown bodies to safe HTML: Python-Markdown renders, nh3 keeps only an allowlist.

Contributors are many and not all trusted, so raw HTML in a body is allowed through the
Markdown step but then cleaned: no script, no event handlers, no javascript: URLs, no
iframes, no images from other hosts (an image from elsewhere would leak readers' IPs).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import Any

import markdown as md
import nh3
from markdown.extensions import Extension
from markdown.htmlparser import HTMLExtractor
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from atlas import text
from atlas.errors import Problem

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


# Python-Markdown looks for the end of a link, an image or an HTML tag as far as the text goes,
# once for every "[", "](" or "<": 20,000 of them took minutes. So brackets that close nothing,
# or nest deeper than real text does, are escaped before rendering (they could not make a link
# anyway), and the search for a link's or a tag's end stops at WINDOW characters: what is not
# closed by then is text. Every body then costs time linear in its length.
WINDOW = 2_000
MAX_BRACKETS = 3  # "[a [b] c](d)" nests two; deeper brackets are text
MAX_DEPTH = 20  # lists and quotes nested deeper than this are no real text (and Python-Markdown recurses)
_LINKS = ("reference", "link", "image_link", "image_reference", "short_reference", "short_image_ref")
_MARKER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))")


BODY_MAX = 20_000  # characters: a long page of text


def body_problems(body: str, path: str, body_line: int) -> list[Problem]:
    """The text below the fields: bounded in length and nesting, its characters as atlas.text allows."""
    if len(body) > BODY_MAX:
        return [Problem(path, body_line, f"the text below the fields is {len(body):,} characters long; "
                                         f"at most {BODY_MAX:,} are allowed")]
    found = text.find_problem(body, multiline=True)
    if found is not None:
        where, why = found
        return [Problem(path, body_line + body.count("\n", 0, where), f"the text below the fields {why}")]
    deep = markdown_depth(body)
    if deep is not None:
        line, depth = deep
        return [Problem(path, body_line + line, f"the text below the fields nests lists or quotes {depth} levels "
                                                f"deep; at most {MAX_DEPTH} are allowed")]
    return []


def markdown_depth(body: str) -> tuple[int, int] | None:
    """(line index, depth) of the first line nested deeper than MAX_DEPTH lists and quotes."""
    for number, line in enumerate(body.split("\n")):
        markers, position = 0, 0
        while (found := _MARKER.match(line, position)) is not None:
            markers, position = markers + 1, found.end()
        if markers:
            expanded = line.expandtabs(4)
            depth = markers + (len(expanded) - len(expanded.lstrip())) // 4
            if depth > MAX_DEPTH:
                return number, depth
    return None


# Brackets that cannot make a link stand in as Unicode noncharacters while Python-Markdown runs
# (no Markdown syntax, and `atlas.text` keeps them out of every record), then are put back: a
# backslash escape would be one more inline match per bracket, which costs Python-Markdown a copy
# of the whole paragraph each.
_STAND_IN = dict(zip("[]()*_`", "\ufdd0\ufdd1\ufdd2\ufdd3\ufdd4\ufdd5\ufdd6", strict=True))
_PUT_BACK = str.maketrans({v: k for k, v in _STAND_IN.items()})
_STOOD_IN = re.compile(f"[{''.join(_STAND_IN.values())}]")
# Python-Markdown also costs time quadratic in the inline elements of one paragraph (it looks each
# one up among its siblings): a paragraph with more markup characters than this shows them as text.
MAX_MARKUP = 1_000
_MARKUP = re.compile(r"[\[\]()*_`]")
# the brackets not after a backslash (looked behind once a bracket is found: a look-behind first is tried at every
# character, five times slower)
_BRACKETS = (("[", re.compile(r"[\[\]](?<!\\.)")), ("(", re.compile(r"[()](?<!\\.)")))


def defuse(text: str) -> str:
    """Brackets "[", "]", "(" and ")" that close nothing, or nest deeper than MAX_BRACKETS, as stand-ins;
    and all markup characters of a paragraph that has more than MAX_MARKUP of them."""
    plain = bytearray(len(text))
    for opening, brackets in _BRACKETS:
        stack: list[int] = []
        for found in brackets.finditer(text):  # only the brackets, not every character, in Python
            i = found.start()
            if found.group() == opening:
                stack.append(i)
            elif not stack:
                plain[i] = 1
            elif len(stack) > MAX_BRACKETS:
                plain[i] = plain[stack.pop()] = 1
            else:
                stack.pop()
        for i in stack:
            plain[i] = 1
    start = 0
    for block in text.split("\n\n"):
        if len(_MARKUP.findall(block)) > MAX_MARKUP:
            plain[start:start + len(block)] = b"\x01" * len(block)
        start += len(block) + 2
    if 1 not in plain:  # memchr, not any()'s loop over each byte
        return text
    return "".join(_STAND_IN[c] if plain[i] and c in _STAND_IN else c for i, c in enumerate(text))


def put_back(html: str) -> str:
    # str.translate looks every character up in the table (100 µs for a body's HTML): only where a stand-in is
    return html.translate(_PUT_BACK) if _STOOD_IN.search(html) else html


class _BoundedExtractor(HTMLExtractor):
    def check_for_whole_start_tag(self, i: int) -> int:
        if self.rawdata.find(">", i, i + WINDOW) < 0:
            return -1  # no tag: the "<" is text
        return super().check_for_whole_start_tag(i)


class _BoundedHtmlBlocks(HtmlBlockPreprocessor):
    def run(self, lines: list[str]) -> list[str]:
        parser = _BoundedExtractor(self.md)
        parser.feed("\n".join(lines))
        parser.close()
        return "".join(parser.cleandoc).split("\n")


def _bounded(scan: Callable[[str, int], Any]) -> Callable[[str, int], Any]:
    def within_window(data: str, index: int) -> Any:
        return scan(data[: index + WINDOW], index)  # a slice is copied at C speed; the scan is Python

    return within_window


class _BoundedScansExtension(Extension):
    def extendMarkdown(self, markdown: md.Markdown) -> None:  # noqa: N802 (Markdown's API)
        for name in _LINKS:
            processor = markdown.inlinePatterns[name]
            processor.getText = _bounded(processor.getText)  # type: ignore[attr-defined]
            if hasattr(processor, "getLink"):
                processor.getLink = _bounded(processor.getLink)
        markdown.preprocessors.register(_BoundedHtmlBlocks(markdown), "html_block", 20)


# What Python-Markdown's inline patterns need in a text to match at all: a text without any of them is not
# handed to the pattern (each pattern costs a Python call per piece of text, matching or not: a third of a body's
# time). A text's pieces hold only its own characters and Python-Markdown's placeholders (letters, digits, STX,
# ETX); tabs become spaces and "\r" a line end before the patterns run, so a line break may come of those too.
_NEEDS = {"backtick": ("`",), "escape": ("\\",), "reference": ("[",), "link": ("[",), "image_link": ("[",),
          "image_reference": ("[",), "short_reference": ("[",), "short_image_ref": ("[",), "autolink": ("<",),
          "automail": ("<",), "linebreak": (" \n", " \r", "\t"), "html": ("<",), "entity": ("&",),
          "em_strong": ("*", "_")}


class _InlinePatterns:
    """The inline patterns a text may need, in their order, as the list Python-Markdown's inline processor walks
    (it only takes their number and each by its index); patterns not in _NEEDS are always kept."""

    def __init__(self, markdown: md.Markdown) -> None:
        self.processor = markdown.treeprocessors["inline"]
        self.patterns = list(markdown.inlinePatterns)
        self.needs: list[tuple[str, ...]] = [()] * len(self.patterns)
        for name, needs in _NEEDS.items():
            if name in markdown.inlinePatterns:
                self.needs[markdown.inlinePatterns.get_index_for_name(name)] = needs
        self.lists: dict[tuple[int, ...], list[Any]] = {}

    def use_for(self, text: str) -> None:
        kept = tuple(i for i, needs in enumerate(self.needs) if not needs or any(need in text for need in needs))
        if kept not in self.lists:
            self.lists[kept] = [self.patterns[i] for i in kept]
        self.processor.inlinePatterns = self.lists[kept]


class MarkdownRenderer:
    """One renderer per build (Python-Markdown instances keep state between calls)."""

    def __init__(self, shared: MarkdownRenderer | None = None) -> None:
        """`shared`: a renderer whose Python-Markdown instance (reset before each text) this one uses,
        with a cache of its own: `atlas serve` makes one per session, not one per rebuild (~1 ms)."""
        self._md = shared._md if shared is not None else md.Markdown(
            extensions=["sane_lists", "tables", _ShiftHeadingsExtension(), _BoundedScansExtension()])
        self._inline = shared._inline if shared is not None else _InlinePatterns(self._md)
        self._done: dict[str, Markup] = {}  # an untranslated offer's body shows in every UI language

    def render(self, text: str) -> Markup:
        if text not in self._done:
            defused = defuse(text)
            self._inline.use_for(defused)
            self._done[text] = Markup(clean_html(put_back(self._md.reset().convert(defused))))
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
