"""A language's texts as the templates call them: `_`, `ngettext`, `lang_attrs`, `time`, and the escaped texts
without variables that compiled templates look up (atlas.codegen), each made once per language."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from atlas.codegen import TEXTS
from atlas.i18n import Catalog
from atlas.templates import _escaped, _formatted_date, _lang_attrs

# a text whose fields are all %(name)s or %(name)d (or %%): str's % with escaped values (numbers as they are) makes
# what Markup's % makes
_PLAIN_FIELDS = re.compile(r"(?:[^%]|%%|%\([^()]*\)[sd])*")


class Texts:
    """One language's `_` and `ngettext` for the templates, as _gettext/_ngettext but plain functions
    (no context to pass) that keep each text without variables once made: an offer page shows some
    fifty, the same on every page (a tenth of rendering one, measured)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._made: dict[str, Markup] = {}
        self._formats: dict[str, tuple[Markup, bool]] = {}  # translated text -> (escaped, only %(x)s/d fields)
        self._times: dict[tuple[date, str], Markup] = {}  # (day, format) -> <time>: offers share review days

    def gettext(self, text: str, **variables: Any) -> Markup:
        if variables:
            return self._format(self.catalog.gettext(text), variables)
        made = self._made.get(text)
        if made is None:
            made = self._made[text] = escape(self.catalog.gettext(text)) % {}
        return made

    def ngettext(self, singular: str, plural: str, n: int, **variables: Any) -> Markup:
        variables.setdefault("num", n)
        return self._format(self.catalog.ngettext(singular, plural, n), variables)

    def _format(self, translated: str, variables: dict[str, Any]) -> Markup:
        """escape(translated) % variables, as Markup's % does it; for a text whose every field is %(name)s or
        %(name)d (nearly all), the values escaped here and put in by str's %: Markup's % wraps each value in two
        objects of Python classes first (a twentieth of rendering an offer page, which fills in some ten texts)."""
        known = self._formats.get(translated)
        if known is None:
            escaped = escape(translated)
            known = self._formats[translated] = (escaped, _PLAIN_FIELDS.fullmatch(escaped) is not None)
        if known[1]:
            try:
                return Markup(str.__mod__(known[0], {name: value if type(value) is int else _escaped(value)
                                                     for name, value in variables.items()}))
            except TypeError:  # not a number for a %(num)d: Markup's % turns some into one
                pass
        return known[0] % variables

    def lang_attrs(self, text_lang: str) -> Markup:
        """lang_attrs for a page in this language."""
        return Markup("") if text_lang == self.catalog.lang else _lang_attrs(text_lang)

    def time(self, value: date, format: str = "medium") -> Markup:
        """time_element for a page in this language."""
        made = self._times.get((value, format))
        if made is None:
            made = self._times[value, format] = Markup('<time datetime="%s">%s</time>') % (
                value.isoformat(), _formatted_date(value, format, self.catalog.lang))
        return made

    NAMES = ("_", "gettext", "ngettext", "lang_attrs", "time", TEXTS)  # what callables() gives

    def callables(self) -> dict[str, Any]:
        """What a template calls: the names load_theme gives _gettext, _ngettext, lang_attrs and time_element,
        as plain functions: a function that takes the context is called with a context of its own made for it
        inside a block ({% set %} there), a fortieth of rendering an offer page (measured); and the texts that
        the compiled templates look up instead of calling `_` (atlas.codegen)."""
        gettext = self.gettext  # one bound method for both names and the texts: the compiled lookup asks `is`
        return dict(zip(self.NAMES, (gettext, gettext, self.ngettext, self.lang_attrs, self.time, _Folded(gettext)),
                        strict=True))


class _Folded(dict[str, str]):
    """text -> `_(text)` as a template writes it out (escaped), made when first asked for."""

    def __init__(self, gettext: Callable[[str], Markup]) -> None:
        super().__init__()
        self.gettext = gettext

    def __missing__(self, text: str) -> str:
        made = self[text] = str(self.gettext(text))
        return made
