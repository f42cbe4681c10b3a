"""Markdown bodies: rendered, and cleaned of anything that could run or load from elsewhere."""

from __future__ import annotations

import pytest

from atlas.markdown import MarkdownRenderer


@pytest.fixture
def render():  # type: ignore[no-untyped-def]
    return MarkdownRenderer().render


def test_markdown_renders_and_headings_start_below_the_page_title(render) -> None:  # type: ignore[no-untyped-def]
    html = render("# Ablauf\n\n**Wichtig:** bitte mitbringen:\n\n- Pass\n- Brief\n\n## Details")
    assert html == ("<h2>Ablauf</h2>\n<p><strong>Wichtig:</strong> bitte mitbringen:</p>\n"
                    "<ul>\n<li>Pass</li>\n<li>Brief</li>\n</ul>\n<h3>Details</h3>")


@pytest.mark.parametrize("source, expected", [
    ("<script>alert(1)</script>Text", "\n<p>Text</p>"),
    ('<a href="javascript:alert(1)">x</a>', '<p><a rel="noopener noreferrer">x</a></p>'),
    ('<p onclick="alert(1)">x</p>', "<p>x</p>"),
    ('<iframe src="https://evil.example.com/"></iframe>', ""),
    ('<img src="https://tracker.example.com/p.gif" alt="p">', '<p><img alt="p"></p>'),
    ('<img src="//tracker.example.com/p.gif" alt="p">', '<p><img alt="p"></p>'),
    ('<img src="data:image/png;base64,AAAA" alt="p">', '<p><img alt="p"></p>'),
    ('<img src="bilder/plan.png" alt="Plan">', '<p><img src="bilder/plan.png" alt="Plan"></p>'),
    # browsers read a backslash as a slash and skip leading white space: still other hosts
    ('<img src="\\\\evil.example.com/a.png" alt="p">', '<p><img alt="p"></p>'),
    ('<img src="/\\evil.example.com/a.png" alt="p">', '<p><img alt="p"></p>'),
    ('<img src="\t//evil.example.com/a.png" alt="p">', '<p><img alt="p"></p>'),
    ('<img src="/bild.png" alt="p">', '<p><img alt="p"></p>'),  # root-absolute breaks under a sub-path
    ('[Anmeldung](https://vhs.example.org/)', '<p><a href="https://vhs.example.org/" rel="noopener noreferrer">'
                                              'Anmeldung</a></p>'),
    ("<style>body{display:none}</style>x", "\n<p>x</p>"),
    ('<svg><script>alert(1)</script></svg>', "<p></p>"),
])
def test_untrusted_html_is_cleaned(render, source: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert str(render(source)) == expected


def test_renderer_keeps_no_state_between_bodies(render) -> None:  # type: ignore[no-untyped-def]
    assert render("[a]: https://a.example.org/\n\n[link][a]") != render("[link][a]")
