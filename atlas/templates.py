"""The theme: Jinja templates and static files, with single-file overrides from the site.

Lookup order, first match wins:
  1. <project>/themes/<theme>/    the site's own theme or its overrides of single files
  2. atlas/themes/<theme>/        a theme shipped with atlas (when one has that name)
  3. atlas/themes/default/        everything else
So a municipality overrides one template or one stylesheet and keeps the rest.
"""

from __future__ import annotations

import json
import os
import stat
import types
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date, get_day_names
from jinja2 import meta
from jinja2.loaders import split_template_path
from jinja2.utils import htmlsafe_json_dumps
from jinja2.utils import missing as _missing
from markupsafe import Markup, escape

from atlas import languages, text, urls
from atlas.codegen import DIRECT, MACRO, METHOD, FasterCodeGenerator, FastMacro, SteppedLoop
from atlas.config import BUILTIN_THEMES, CONFIG_FILE, Config
from atlas.documents import THEME_FILE_MAX, read_bytes
from atlas.errors import AtlasError, Problem
from atlas.i18n import Catalog, catalog_files, load_catalogs, message_ids, missing_texts

CATALOG_TEMPLATE = BUILTIN_THEMES / "default" / "locale" / "messages.pot"


@dataclass(frozen=True)
class Theme:
    environment: jinja2.Environment
    folders: tuple[Path, ...]  # theme folders, most specific first
    catalogs: dict[str, Catalog]  # per UI language
    catalog_problems: tuple[Problem, ...]  # catalogs that could not be read

    def static_sources(self) -> dict[str, Path]:
        """Every plain file under static/ of every theme folder by its path in the site; the most
        specific wins. Links and special files are left out (see `unsafe_files`)."""
        sources: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            for file in sorted(static.rglob("*")) if static.is_dir() and not static.is_symlink() else ():
                if not file.name.startswith(".") and stat.S_ISREG(file.lstat().st_mode):
                    sources[file.relative_to(static).as_posix()] = file
        return dict(sorted(sources.items()))

    def unsafe_files(self) -> list[Path]:
        """Links and special files in the theme folders: a link could publish a file from outside
        the project (git stores links, so a pull request can add one); a FIFO would hang the build."""
        found = []
        for folder in self.folders:
            for part in ("templates", "static", "locale"):
                inner = folder / part
                if inner.is_symlink():
                    found.append(inner)
                elif inner.is_dir():
                    found += [f for f in sorted(inner.rglob("*"))
                              if f.is_symlink() or not stat.S_ISREG(f.lstat().st_mode) and not f.is_dir()]
        return found

    def static_files(self, languages: tuple[str, ...]) -> dict[str, bytes]:
        """The static files to publish: all but those at generated paths (see theme_problems)."""
        return {path: _read(file) for path, file in self.static_sources().items()
                if not urls.is_generated(path, languages)}


def _read(file: Path) -> bytes:
    data, problems = read_bytes(file, str(file), THEME_FILE_MAX)
    if data is None:  # it was a plain file a moment ago
        raise AtlasError(f"could not read {file}: {problems[0].message}")
    return data


class _PlainFileLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, but templates are read as `read_bytes` reads records: no symbolic
    links, no FIFOs or devices, bounded in size."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            filename = os.path.join(folder, *pieces)
            if not os.path.lexists(filename) or Path(folder).is_symlink():
                continue
            data, problems = read_bytes(Path(filename), filename, THEME_FILE_MAX)
            if data is None:
                raise jinja2.TemplateSyntaxError(problems[0].message, 1, template, filename)
            try:
                return data.decode("utf-8"), os.path.normpath(filename), lambda: True
            except UnicodeDecodeError:
                raise jinja2.TemplateSyntaxError("is not UTF-8", 1, template, filename) from None
        raise jinja2.TemplateNotFound(template)


def theme_folders(config: Config) -> tuple[Path, ...]:
    candidates = [config.project / "themes" / config.theme, BUILTIN_THEMES / config.theme,
                  BUILTIN_THEMES / "default"]
    unique: list[Path] = []
    for folder in candidates:
        if folder.is_dir() and not folder.is_symlink() and folder not in unique:
            unique.append(folder)
    return tuple(unique)


def load_theme(config: Config) -> Theme:
    folders = theme_folders(config)
    catalogs, problems = load_catalogs(folders, config.languages)
    environment = _Environment(
        loader=_PlainFileLoader([str(f / "templates") for f in folders]),
        autoescape=True,  # every field value is escaped; only sanitised Markdown is marked safe
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a build reads each template once; `serve` makes a new theme per build
        cache_size=-1,  # a theme's few templates in a plain dict: the LRU's lock and reordering cost each of the
        # five or so look-ups of a page (its template, base.html, the imports)
        extensions=["jinja2.ext.i18n"],
    )
    environment.context_class = _Context
    environment.policies["json.dumps_function"] = _json_dumps
    environment.template_class = _Template
    # one environment for every language: the texts come from the catalog of the page being rendered
    environment.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    # … then called directly: Jinja's newstyle wrappers and its `_` alias are three context.call layers
    # per text, about a quarter of rendering an offer page (measured); these do the same in one
    environment.globals.update(_=_gettext, gettext=_gettext, ngettext=_ngettext)
    environment.filters.update(
        date=local_date,
        tel=tel_href,
        autonym=languages.autonym,
        language_name=languages.name_in,
        direction=languages.direction,
        weekday=weekday,
        paragraphs=paragraphs,
        no_bidi=text.without_bidi,  # <title> cannot hold <bdi>: an isolate there must not turn the site name
    )
    environment.globals.update(bdi=bdi, time=time_element, lang_attrs=lang_attrs)
    return Theme(environment, folders, catalogs,
                 tuple(replace_path(p, config) for p in problems))


_SORTED_JSON = json.JSONEncoder(sort_keys=True)  # what json.dumps(value, sort_keys=True) makes anew for each call


def _json_dumps(value: Any, **options: Any) -> str:
    """json.dumps for |tojson (Jinja passes sort_keys=True), with one encoder for every call: an offer page
    writes two values (its JSON-LD and its opening hours)."""
    return _SORTED_JSON.encode(value) if options == {"sort_keys": True} else json.dumps(value, **options)


def json_attribute(value: Any) -> Markup:
    """What `value|tojson|forceescape` writes (JSON in a double-quoted attribute), for a value a page's context
    gives written out already."""
    return escape(str(htmlsafe_json_dumps(value, dumps=_json_dumps, sort_keys=True)))  # Jinja's default options


class _Environment(jinja2.Environment):
    """Jinja's environment, whose templates' globals are a plain dict: Jinja makes them a ChainMap over the
    environment's, which every render copies into the context's names key by key in Python (dict(ChainMap)), some
    forty of them, for each page, card and shared part. load_theme sets every global before a template is loaded,
    as Jinja asks."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}

    code_generator_class = FasterCodeGenerator


_PLAIN_CALLABLES = (types.FunctionType, types.MethodType, types.BuiltinFunctionType, types.BuiltinMethodType)
# what compiled templates call as it is, when it takes no context (codegen): none of these classes' __call__ does
_DIRECT = frozenset({types.FunctionType, types.BuiltinFunctionType, jinja2.runtime.BlockReference})


class _Context(jinja2.runtime.Context):
    """Jinja's context, with a short way through `call` for what templates call most: plain functions and
    methods that take no context (url(), _(), urls.in_language …). Jinja's own way looks for a context
    argument twice on every call, a tenth of rendering an offer page (measured); the rest goes its way."""

    def resolve_or_missing(self, key: str) -> Any:
        # Jinja's override point; one look-up in each dict rather than two (`in`, then the item): some seventy
        # names a page
        found = self.vars.get(key, _missing)
        return self.parent.get(key, _missing) if found is _missing else found

    @jinja2.utils.internalcode
    def call(self, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        kind = type(obj)
        # a method answers for its function's attributes, but a name it lacks costs it an exception (0.6 µs, for
        # each of some sixty `_()` on a page): asked of the function itself
        if kind not in _PLAIN_CALLABLES or hasattr(obj.__func__ if kind is types.MethodType else obj, "jinja_pass_arg"):
            return super().call(obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
        try:
            return obj(*args, **kwargs)
        except StopIteration:
            return self.environment.undefined("value was undefined because a callable raised a StopIteration exception")


try:
    from markupsafe import _escape_inner  # markupsafe.escape's C part, without the Markup (MarkupSafe 3)
except ImportError:  # MarkupSafe 2, which Jinja 3.1 allows
    def _escape_inner(text: str, /) -> str:
        return str(escape(text))


def _escaped(value: Any) -> str:
    """markupsafe.escape without wrapping the result in Markup: what a template writes out is only joined."""
    kind = type(value)
    if kind is str:
        return _escape_inner(value)
    if kind is Markup:  # what its __html__ gives, without the call in Python
        return value
    if hasattr(value, "__html__"):
        return value.__html__()  # type: ignore[no-any-return]
    return _escape_inner(str(value))


# the name under which a renderer puts its keeper of imported modules into a page's context (see make_module)
IMPORTED = "imported_modules"


class _Template(jinja2.Template):
    """Jinja's template, whose output tags (`{{ … }}`, the only place Jinja's code calls `escape`) escape to
    a plain string: markupsafe.escape makes each piece a Markup first, in Python (Markup.__new__), about a
    tenth of rendering an offer page, for pieces that are only ever joined into the page.

    An import `with context` (`{% from "partials.html" import … with context %}`) makes the imported template a
    module of its own on every page (a new context, a Macro for each of its macros: a thirtieth of an offer page).
    When the page's context holds a keeper of modules (IMPORTED, see PageRenderer) and the imported template reads
    of the context only names the keeper says are the same on all of its pages, its module is made once and kept.
    """

    _free_names: frozenset[str] | None = None

    def free_names(self) -> frozenset[str] | None:
        """The names the template, and every template it includes, imports or extends, read of the context they
        are rendered or imported with (not their own); None when that is not known (a template without a file,
        or one that names another by an expression)."""
        if self._free_names is None and self.name is not None and self.environment.loader is not None:
            source = self.environment.loader.get_source(self.environment, self.name)[0]
            tree = self.environment.parse(source)
            names = set(meta.find_undeclared_variables(tree))
            for other in meta.find_referenced_templates(tree):
                used = self.environment.get_template(other).free_names() if other is not None else None
                if used is None:
                    return None
                names |= used
            self._free_names = frozenset(names)
        return self._free_names

    def make_module(self, vars: dict[str, Any] | None = None, shared: bool = False,
                    locals: Mapping[str, Any] | None = None) -> jinja2.environment.TemplateModule:
        keeper = vars.get(IMPORTED) if shared and vars else None
        if keeper is None or any(value is not _missing for value in (locals or {}).values()):
            return super().make_module(vars, shared, locals)
        return keeper(self, lambda: super(_Template, self).make_module(vars, shared, locals))

    def render_names(self, names: dict[str, Any]) -> str:
        """`render(**names)` for a dict made for this one call that holds the template's globals already, which the
        context takes as it is (render copies some ninety names of a page twice: into a dict of its own, then into
        one with the globals)."""
        if self.environment.is_async:
            return self.render(names)
        context = self.new_context(names, shared=True)
        try:
            return self.environment.concat(self.root_render_func(context))  # type: ignore[no-any-return]
        except Exception:
            self.environment.handle_exception()  # as render: the template's lines in the traceback, then raised

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: types.CodeType, globals: MutableMapping[str, Any],
                  uptodate: Callable[[], bool] | None = None) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = _escaped  # the module's name for markupsafe.escape
        # and the names of what atlas.codegen's code calls
        template.root_render_func.__globals__.update({DIRECT: _DIRECT, METHOD: types.MethodType, MACRO: FastMacro,
                                                      "Macro": FastMacro, "LoopContext": SteppedLoop})
        return template


# Translations are text, not HTML: escaped, so that a quote typed in a .po cannot end an attribute;
# then, as Jinja's newstyle gettext does, always a format string (its values escaped by Markup's %)
@jinja2.pass_context
def _gettext(context: jinja2.runtime.Context, text: str, **variables: Any) -> Markup:
    return escape(context["catalog"].gettext(text)) % variables


@jinja2.pass_context
def _ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int, **variables: Any) -> Markup:
    variables.setdefault("num", n)
    return escape(context["catalog"].ngettext(singular, plural, n)) % variables


def replace_path(problem: Problem, config: Config) -> Problem:
    return Problem(_template_path(problem.path, config), problem.line, problem.message, problem.severity)


def theme_problems(theme: Theme, config: Config) -> list[Problem]:
    """Static files at paths the build writes itself would be overwritten without a word;
    catalogs that cannot be read or lack texts (those show in German)."""
    problems = [
        Problem(_template_path(str(file), config), 1,
                f"{path} is a path of the generated site; this file would be replaced, so it is left out", "warning")
        for path, file in theme.static_sources().items()
        if urls.is_generated(path, config.languages[1:])
    ]
    problems += [Problem(_template_path(str(file), config), 1, "is a symbolic link or a special file; a theme "
                     "holds only plain folders and files (a link could publish a file from outside the project)")
                 for file in theme.unsafe_files()]
    own = config.project / "themes" / config.theme
    if own.is_symlink():
        problems.append(Problem(_template_path(str(own), config), 1, "is a symbolic link; it is not used (a "
                                "link could publish files from outside the project); put the folder itself here"))
    problems += theme.catalog_problems
    for lang, missing in missing_texts(theme.catalogs, message_ids(CATALOG_TEMPLATE)).items():
        if not missing:
            continue
        files = catalog_files(theme.folders, lang)
        where = _template_path(str(files[-1]), config) if files else CONFIG_FILE
        shown = ", ".join(f'"{text}"' for text in missing[:3]) + (f" and {len(missing) - 3} more"
                                                               if len(missing) > 3 else "")
        problems.append(Problem(where, 1 if files else config.languages_line,
                                f"{len(missing)} interface texts are not translated into {lang} and show in German: "
                                f"{shown}", "warning"))
    return problems


def template_problem(exc: Exception, config: Config) -> Problem | None:
    """A failure while rendering as path:line of the theme file, or None when it is no template's:
    Jinja's own errors, and any error raised by the code of a template in the site's theme folder
    (a municipality's override), are the theme's; anything else is a bug of atlas."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Problem(_template_path(exc.filename or exc.name or "?", config), exc.lineno or 1,
                       f"template error: {exc.message}")
    frame, line = None, 1
    tb = exc.__traceback__
    while tb is not None:  # Jinja maps its frames onto template files and lines
        if tb.tb_frame.f_code.co_filename.endswith(".html"):
            frame, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    if isinstance(exc, jinja2.TemplateError):
        what = str(exc)
    elif frame is not None and Path(frame).resolve().is_relative_to(config.project.resolve() / "themes"):
        what = f"{type(exc).__name__}: {exc}"
    else:
        return None
    if frame is None:
        return Problem(CONFIG_FILE, 1, f"the site could not be rendered ({what})")
    return Problem(_template_path(frame, config), line, f"template error: {what}")


def _template_path(filename: str, config: Config) -> str:
    path = Path(filename)
    for root in (config.project, BUILTIN_THEMES.parent.parent):  # the site's theme, or atlas/themes/…
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            continue
    return filename


@jinja2.pass_context
def local_date(context: jinja2.runtime.Context, value: date, lang: str | None = None, format: str = "medium") -> str:
    """A date as the reader's language writes it: 21.11.2026, Nov 21, 2026, 21.11.2026 г. …
    (`lang` for a date inside text that stays German: |date("de"); format="long": 21. November 2026)."""
    return _formatted_date(value, format, lang or context["lang"])


@lru_cache(maxsize=4096)  # Babel parses the locale on every call: pages show the same few dates
def _formatted_date(value: date, format: str, lang: str) -> str:
    return format_date(value, format=format, locale=lang)


@jinja2.pass_context
def weekday(context: jinja2.runtime.Context, day: str) -> str:
    """'mo' -> Montag, Monday, الاثنين … (CLDR's names)."""
    return _day_names(context["lang"])[day]


@cache
def _day_names(lang: str) -> dict[str, Any]:
    names = get_day_names("wide", locale=lang)  # 0 is Monday
    return dict(zip(("mo", "di", "mi", "do", "fr", "sa", "so"), (names[i] for i in range(7)), strict=True))


def tel_href(phone: str) -> str:
    """'069 90009 123' -> 'tel:06990009123'; keeps a leading +."""
    digits = "".join(c for c in phone if c.isdigit())
    return "tel:" + ("+" if phone.strip().startswith("+") else "") + digits


def bdi(text: str) -> Markup:
    """A name kept in its own direction inside text of the other one (German names in Arabic)."""
    return Markup("<bdi>%s</bdi>") % text


@jinja2.pass_context
def time_element(context: jinja2.runtime.Context, value: date, format: str = "medium") -> Markup:
    return Markup('<time datetime="%s">%s</time>') % (value.isoformat(), local_date(context, value, format=format))


@jinja2.pass_context
def lang_attrs(context: jinja2.runtime.Context, text_lang: str) -> Markup:
    """' lang="de" dir="ltr"' for a text in another language than the page's (a German fallback);
    nothing when the text is in the page's language."""
    lang = context["lang"]
    return Markup("") if text_lang == lang else _lang_attrs(text_lang)


@lru_cache(maxsize=256)  # a few languages, on every card and offer page of the others (Markup's % is slow)
def _lang_attrs(text_lang: str) -> Markup:
    return Markup(' lang="%s" dir="%s"') % (text_lang, languages.direction(text_lang))


def paragraphs(text: str) -> Markup:
    """Plain text with blank lines -> escaped <p> paragraphs (for notices from atlas.yaml)."""
    parts = [p.strip() for p in text.split("\n\n") if p.strip()]
    return Markup("".join(f"<p>{escape(p)}</p>" for p in parts))
