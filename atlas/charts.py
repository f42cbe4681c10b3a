"""Horizontal bar charts as SVG, made at build time: no chart library in the browser.

A chart is a picture of a table that stands beside it on the page; the table is the accessible
equivalent, so the SVG is hidden from screen readers (aria-hidden) and has no focusable parts.
Series differ by colour *and* pattern (solid, stripes, dots), each segment has a dark outline,
and every bar carries its number as text, so nothing depends on colour alone. Colours reach
at least 3:1 against white (graphics) and text is #1b1b1b on white (16:1).

Right-to-left pages get the mirror image: labels on the right, bars growing leftwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from markupsafe import Markup

WIDTH = 400  # user units; the SVG scales to its box
LABEL = 15  # height of a label line
BAR = 14
GAP = 8
TEXT = "#1b1b1b"
OUTLINE = "#1b1b1b"
# (fill colour, pattern): blue 6.5:1, brown 5.9:1, grey 7:1 against white
SERIES = (("#1f5f8b", "solid"), ("#8a4b00", "stripes"), ("#595959", "dots"))


def bar_chart(chart_id: str, rows: Sequence[tuple[str, Sequence[int]]], *, rtl: bool = False,
              label_width: int = 0) -> Markup:
    """One bar per row, `(label, values)`; several values stack (series 0, 1, 2 in SERIES order),
    the total stands after the bar. The label stands above its bar, so long labels fit a phone,
    or beside it in `label_width` units (short names: a more compact chart)."""
    biggest = max((sum(values) for _, values in rows), default=0) or 1
    scale = (WIDTH - label_width - 40) / biggest  # room for the number after the longest bar
    series = max((len(values) for _, values in rows), default=1)
    above = LABEL if not label_width else 0
    parts = [_defs(chart_id, series)]
    y = 0
    for label, values in rows:
        parts.append(_text(0, y + (LABEL - 3 if above else BAR - 2), label, rtl))
        x = float(label_width)
        for index, value in enumerate(values):
            if value:
                parts.append(_rect(chart_id, index, x, y + above, value * scale, rtl))
                x += value * scale
        parts.append(_text(x + 4, y + above + BAR - 2, str(sum(values)), rtl, bold=True))
        y += above + BAR + GAP
    height = max(y - GAP + 2, 1)
    direction = ' direction="rtl"' if rtl else ""
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
           f'width="{WIDTH}" height="{height}" aria-hidden="true" focusable="false"{direction} '
           f'font-size="12" fill="{TEXT}">' + "".join(parts) + "</svg>")
    return Markup(svg)


def swatch(chart_id: str, index: int) -> Markup:
    """The legend's sample of a series: the same fill and pattern as in the chart."""
    key = f"{chart_id}-key{index}"
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" class="swatch" viewBox="0 0 18 14" width="18" '
                  f'height="14" aria-hidden="true" focusable="false">{_defs(key, index + 1)}'
                  f'{_rect(key, index, 0.5, 0.5, 17, False, height=13)}</svg>')


def _defs(chart_id: str, series: int) -> str:
    patterns = []
    for index in range(min(series, len(SERIES))):
        colour, kind = SERIES[index]
        pid = f"{chart_id}-p{index}"
        if kind == "stripes":
            patterns.append(f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse" '
                            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
                            f'<rect width="3" height="6" fill="{colour}"/></pattern>')
        elif kind == "dots":
            patterns.append(f'<pattern id="{pid}" width="5" height="5" patternUnits="userSpaceOnUse">'
                            f'<rect width="5" height="5" fill="#fff"/>'
                            f'<circle cx="2.5" cy="2.5" r="1.5" fill="{colour}"/></pattern>')
    return f"<defs>{''.join(patterns)}</defs>" if patterns else ""


def _fill(chart_id: str, index: int) -> str:
    colour, kind = SERIES[index % len(SERIES)]
    return colour if kind == "solid" else f"url(#{chart_id}-p{index % len(SERIES)})"


def _rect(chart_id: str, index: int, x: float, y: float, width: float, rtl: bool, height: int = BAR) -> str:
    left = WIDTH - x - width if rtl else x
    return (f'<rect x="{left:.1f}" y="{y}" width="{width:.1f}" height="{height}" fill="{_fill(chart_id, index)}" '
            f'stroke="{OUTLINE}" stroke-width="1"/>')


def _text(x: float, y: float, text: str, rtl: bool, bold: bool = False) -> str:
    """Text starting at x from the reading side: with direction="rtl" on the chart, 'start' is the right end."""
    weight = ' font-weight="700"' if bold else ""
    if rtl:  # a German name keeps its own direction (and its final full stop) inside right-to-left text
        text = f"\u2068{text}\u2069"
    return f'<text x="{WIDTH - x if rtl else x:.1f}" y="{y}"{weight}>{escape(text)}</text>'

