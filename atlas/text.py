"""Which characters a record's text may hold, in one place (`fields` and `records` ask here).

Records come from people the municipality does not know. Characters that do not show but
change what is shown are the tools of spoofing: a bidirectional override turns "Caritas"
around, a zero-width space makes a second "Caritas" that is not the first, a title of
zero-width characters looks empty but passes "required", and a control character forges
lines on a terminal. The policy:

  controls (C0, C1, U+2028/9)   never; in multi-line text (body, notes) tab and newline are fine
  overrides and embeddings      never (U+202A–U+202E): an unclosed one reverses the text after it
  isolates (U+2066–U+2069)      in text, when each one is closed again (Arabic or Persian names)
  zero-width space, word joiner, BOM, other format characters   never
  ZWNJ, ZWJ (U+200C, U+200D)    between two letters of a non-Latin script (Persian needs ZWNJ)
  marks LRM, RLM, ALM           fine: they only set the direction of their neighbours
  soft hyphen                   fine: a hyphenation hint
  noncharacters (U+FDD0 …)      never: they are no text (and Markdown rendering uses them inside)
"""

from __future__ import annotations

import re
import unicodedata

OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e")
ISOLATE_OPEN = frozenset("\u2066\u2067\u2068")
ISOLATE_CLOSE = "\u2069"
JOINERS = frozenset("\u200c\u200d")  # ZWNJ, ZWJ
ALLOWED_FORMAT = frozenset("\u00ad\u200e\u200f\u061c") | ISOLATE_OPEN | {ISOLATE_CLOSE} | JOINERS
BIDI_CONTROLS = OVERRIDES | ISOLATE_OPEN | {ISOLATE_CLOSE, "\u200e", "\u200f", "\u061c"}
_MULTILINE_OK = frozenset("\t\n")
_BIDI_PATTERN = re.compile(f"[{''.join(sorted(BIDI_CONTROLS))}]")
# what a terminal or a CI log must never get raw: controls, line and paragraph separators, and
# bidi controls (which reorder the line they stand in)
_UNPRINTABLE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{''.join(sorted(BIDI_CONTROLS))}]")


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name.lower()})" if name else "")


def problem(text: str, *, multiline: bool = False) -> str | None:
    """Why `text` cannot be taken as it is, or None. Linear in the text's length."""
    found = find_problem(text, multiline=multiline)
    return found[1] if found else None


# characters none of the checks below can object to (printable Latin, common punctuation, €): a
# text made of these alone needs no walk character by character, the most of a build's loading
_PLAIN = re.compile("[\x20-\x7e\xa0-\xac\xae-\u024f\u2010-\u2027\u20ac]*")
_PLAIN_LINES = re.compile("[\t\n\x20-\x7e\xa0-\xac\xae-\u024f\u2010-\u2027\u20ac]*")


def find_problem(text: str, *, multiline: bool = False) -> tuple[int, str] | None:
    """(where, why) of the first character that cannot be taken, or None."""
    if (_PLAIN_LINES if multiline else _PLAIN).fullmatch(text):
        return None
    depth, opened = 0, 0
    for i, char in enumerate(text):
        category = unicodedata.category(char)
        if category == "Cc" or category in ("Zl", "Zp"):
            if multiline and char in _MULTILINE_OK:
                continue
            return i, f"contains the control character {_describe(char)}; delete it" + (
                "" if multiline else " (this field is one line of text)")
        if category == "Cn" and (0xFDD0 <= ord(char) <= 0xFDEF or ord(char) & 0xFFFE == 0xFFFE):
            return i, f"contains {_describe(char)}, which is not a character; delete it"
        if category == "Cs":
            return i, f"contains {_describe(char)}, half of a character; write the character itself"
        if char in OVERRIDES:
            return i, (f"contains the invisible direction override {_describe(char)}, which can reverse the "
                       "text around it; delete it (right-to-left text shows correctly without it)")
        if char in ISOLATE_OPEN:
            depth, opened = depth + 1, i if depth == 0 else opened
        elif char == ISOLATE_CLOSE:
            depth -= 1
            if depth < 0:
                return i, f"closes a direction isolate ({_describe(char)}) that was never opened; delete it"
        elif char in JOINERS and not _joins_letters(text, i):
            return i, (f"contains the invisible {_describe(char)} outside a word of a non-Latin script; "
                       "delete it")
        elif category == "Cf" and char not in ALLOWED_FORMAT:
            return i, f"contains the invisible character {_describe(char)}; delete it"
    if depth:
        return opened, ("opens a direction isolate (U+2066–U+2068) that is never closed with U+2069; "
                        "close or delete it")
    return None


def _joins_letters(text: str, i: int) -> bool:
    """ZWNJ and ZWJ belong between two letters (or marks), not both Latin: Persian
    "می‌خواهم", Devanagari conjuncts, Arabic ligatures; ZWJ also joins emoji (👩‍💻)."""
    if i == 0 or i == len(text) - 1:
        return False
    before, after = text[i - 1], text[i + 1]
    if not all(unicodedata.category(c)[0] in "LM" or unicodedata.category(c) in ("So", "Sk") or c in JOINERS
               for c in (before, after)):
        return False
    return not (_latin(before) and _latin(after))


def _latin(char: str) -> bool:
    return char.isascii() or unicodedata.name(char, "").startswith("LATIN")


def visible(text: str) -> bool:
    """Whether the text shows anything: not only spaces, format characters and marks."""
    return any(unicodedata.category(c)[0] not in "ZCM" for c in text)


def without_bidi(text: str) -> str:
    """The text without direction controls, for places that cannot hold <bdi> (the <title>)."""
    return _BIDI_PATTERN.sub("", text)


def printable(text: str) -> str:
    """Text for one line of a terminal or a CI log: controls as \\n, \\x1b, \\u202e …"""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
