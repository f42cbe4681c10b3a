"""Interface texts in the reader's language: one gettext catalog (.po) per UI language.

German is the source language: templates and Python hold the German text as the message id,
so a text that a catalog lacks shows in German. Catalogs live beside the templates, in
`<theme>/locale/<lang>.po`; a site's theme may carry its own .po files, whose entries win over
the default theme's (one corrected word does not need a copy of the whole catalog).
`locale/messages.pot` lists every text; `scripts/catalogs` refreshes it and the .po files.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.pofile import PoFileError, read_po

from atlas import languages
from atlas.documents import THEME_FILE_MAX, read_bytes
from atlas.errors import Problem

SOURCE_LANGUAGE = "de"


def N_(text: str) -> str:
    """Marks a text for the catalogs where it is defined; it is translated where it is shown."""
    return text


@dataclass(frozen=True)
class Catalog:
    """The translations of one language: msgid -> text, or msgid -> plural forms."""

    lang: str
    messages: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    plural: Callable[[int], int] = lambda n: int(n != 1)

    def gettext(self, text: str) -> str:
        found = self.messages.get(text)
        if isinstance(found, tuple):  # a word that also has plural forms elsewhere ("Ort"/"Orte")
            found = found[self.plural(1)]
        return found or text

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        forms = self.messages.get(singular)
        if isinstance(forms, tuple):
            index = self.plural(n)
            if 0 <= index < len(forms) and forms[index]:
                return forms[index]
        return singular if n == 1 else plural

    def plural_forms(self, singular: str, plural: str) -> dict[str, str]:
        """A plural text by CLDR category (one, few, many, other …), for the browser's
        Intl.PluralRules: the gettext form each category's numbers take in this language."""
        locale = languages.locale(self.lang)
        categories: dict[str, str] = {}
        for n in range(0, 200):  # counts of offers are whole numbers: their categories all show below 200
            category = locale.plural_form(n) if locale else ("one" if n == 1 else "other")
            categories.setdefault(category, self.ngettext(singular, plural, n))
        categories.setdefault("other", self.ngettext(singular, plural, 1_000_000))  # search.js's last resort
        return categories


def catalog_files(theme_folders: Iterable[Path], lang: str) -> list[Path]:
    """The .po files of a language, most general first (so that later entries win)."""
    return [p for p in (folder / "locale" / f"{lang}.po" for folder in reversed(list(theme_folders))) if p.is_file()]


def load_catalogs(theme_folders: tuple[Path, ...], languages: Iterable[str]) -> tuple[dict[str, Catalog],
                                                                                        list[Problem]]:
    """Each UI language's catalog (German: none needed), and the problems of reading them."""
    catalogs: dict[str, Catalog] = {}
    problems: list[Problem] = []
    for lang in languages:
        messages: dict[str, str | tuple[str, ...]] = {}
        plural: Callable[[int], int] = Catalog.plural
        for path in catalog_files(theme_folders, lang) if lang != SOURCE_LANGUAGE else []:
            data, trouble = read_bytes(path, str(path), THEME_FILE_MAX)  # no links, no FIFOs
            if data is None:
                problems += trouble
                continue
            try:
                po = read_po(io.BytesIO(data), locale=lang, abort_invalid=True)
            except (PoFileError, ValueError, UnicodeDecodeError) as exc:
                problems.append(Problem(str(path), _line_of(exc), f"this catalog cannot be read: {exc}"))
                continue
            messages.update(_translations(po))
            plural = gettext.c2py(po.plural_expr) if po.locale else plural
        catalogs[lang] = Catalog(lang, messages, plural)
    return catalogs, problems


def _translations(po: PoCatalog) -> dict[str, str | tuple[str, ...]]:
    """Entries a translator has finished: not fuzzy (a guess of `pybabel update`), not empty."""
    found: dict[str, str | tuple[str, ...]] = {}
    for message in po:
        if not message.id or message.fuzzy:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if isinstance(message.string, tuple):
            if all(message.string):
                found[key] = tuple(message.string)
        elif message.string:
            found[key] = message.string
    return found


def _line_of(exc: Exception) -> int:
    return getattr(exc, "lineno", None) or 1


def message_ids(template: Path) -> list[str]:
    """The texts of the catalog template (messages.pot), in its order."""
    with template.open("rb") as file:
        po = read_po(file)
    return [m.id[0] if isinstance(m.id, tuple) else m.id for m in po if m.id]


def missing_texts(catalogs: Mapping[str, Catalog], wanted: list[str]) -> dict[str, list[str]]:
    """Per UI language, the texts it shows in German because its catalog lacks them."""
    return {
        lang: [text for text in wanted if text not in catalog.messages]
        for lang, catalog in catalogs.items()
        if lang != SOURCE_LANGUAGE
    }
