"""The "Änderung vorschlagen" channel (contract §4): where residents and Träger report a change.

`suggest:` in atlas.yaml is an e-mail address (the link opens a prefilled mail) or an https
address template with the placeholders {url}, {slug} and {title} (a form of the municipality,
an issue tracker …). Values are percent-encoded, so a title with "&" or "ü" cannot break the link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from atlas.fields import Fields

PLACEHOLDERS = ("url", "slug", "title")
# an address in which a mailto: link needs nothing escaped
_EMAIL = re.compile(r"^[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\Z")
_TEMPLATE = re.compile(r"^https://[A-Za-z0-9.-]+(:\d+)?(/[^\s\"'<>\\^`|]*)?\Z")
_BRACES = re.compile(r"\{([^{}]*)\}")
_MISSING = ('missing: without it, offer and actor pages have no "Änderung vorschlagen" link, and residents '
            "cannot report a wrong time or a closed offer; add an e-mail address (suggest: atlas@example.org) "
            "or a form's address with {url}, {slug}, {title}")


# urllib's quote(value, safe=""): each UTF-8 byte looked up in a dict by a C call instead of quote's Python loop
# over them (a page's prefilled subject and mail body, some 200 bytes on every offer page: 94k -> 57k instructions
# for 140 bytes, callgrind)
_UNRESERVED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"  # RFC 3986, what quote keeps
_PERCENT = {byte: chr(byte) if byte in _UNRESERVED else f"%{byte:02X}" for byte in range(256)}.__getitem__


def _encode(value: str) -> str:
    """Percent-encoding for a value inside a URL: every reserved character, spaces as %20."""
    return "".join(map(_PERCENT, value.encode("utf-8")))


@dataclass(frozen=True)
class Suggest:
    """An e-mail address, or an https address template (exactly one of them)."""

    email: str | None = None
    template: str | None = None

    def href(self, *, url: str, slug: str, title: str, subject: str, body: str) -> str:
        """The link of one page; `subject` and `body` (in the reader's language) prefill a mail."""
        if self.email is not None:
            # RFC 6068: line breaks in a mail body are CRLF
            crlf = body.replace("\r\n", "\n").replace("\n", "\r\n")
            return f"mailto:{self.email}?subject={_encode(subject)}&body={_encode(crlf)}"
        values = {"url": url, "slug": slug, "title": title}
        return _BRACES.sub(lambda m: _encode(values[m.group(1)]), self.template or "")


def read_suggest(fields: Fields) -> Suggest | None:
    """`suggest:` of atlas.yaml; a missing one is a warning, a wrong one an error at its line."""
    raw = fields.data.get("suggest")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        fields.report("suggest", _MISSING, "warning")
        return None
    value = fields.text("suggest")
    if value is None:  # not text: fields.text said so
        return None
    if "@" in value and not value.lower().startswith(("https:", "http:")):
        address = value.removeprefix("mailto:")
        if _EMAIL.match(address):
            return Suggest(email=address)
        fields.report("suggest", f'"{value}" is not an e-mail address like atlas@example.org')
        return None
    problem = template_problem(value)
    if problem:
        fields.report("suggest", problem)
        return None
    if not _BRACES.search(value):
        fields.report("suggest", f'"{value}" has none of {{url}}, {{slug}}, {{title}}: every page would link to '
                                 "the same address, without saying which entry is wrong", "warning")
    return Suggest(template=value)


def template_problem(template: str) -> str | None:
    """What is wrong with an address template, or None."""
    if not template.startswith("https://"):
        return (f'"{template}" must be an e-mail address or an https:// address '
                "(a form's address may hold {url}, {slug}, {title})")
    if not _TEMPLATE.match(template):
        return f'"{template}" is not an address: no spaces, quotes or <> (write a space as %20)'
    unknown = sorted({name for name in _BRACES.findall(template) if name not in PLACEHOLDERS})
    if unknown:
        return (f'"{{{unknown[0]}}}" is not a placeholder; use {{url}}, {{slug}} or {{title}}'
                if len(unknown) == 1 else
                f"{', '.join('{' + n + '}' for n in unknown)} are not placeholders; use {{url}}, {{slug}} or {{title}}")
    if "{" in _BRACES.sub("", template) or "}" in _BRACES.sub("", template):
        return f'"{template}" has a "{{" or "}}" that does not belong to a placeholder like {{url}}'
    return None
