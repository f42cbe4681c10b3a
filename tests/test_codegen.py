"""atlas.codegen: templates compiled with texts, attributes and calls looked up in line, and loops stepped by a
generator, write what Jinja's own compiled templates write, in the cases the shortcuts take and in those they
leave to Jinja."""

from __future__ import annotations

from typing import Any

import jinja2
import pytest

from atlas.templates import _Context, _Environment, _gettext, _ngettext, _Template
from atlas.texts import Texts

SOURCES = [
    # texts: folded when the context has the language's texts, called when not; with variables always called
    '{{ _("Träger") }} {{ gettext("Träger") }} {{ _("ab %(date)s", date="<1.2.>") }} {{ _(label) }}',
    # attributes: of objects, of dicts (Jinja's item fallback), of a call's result, missing (undefined)
    "{{ thing.name }} {{ mapping.name }} {{ make().name }} {{ thing.missing is defined }} {{ mapping.x.y is defined }}",
    # calls: plain functions, methods, builtins, macros, a function that takes the context, inside loops and blocks
    "{% macro m(x, y=2) %}<{{ x }}|{{ y }}>{% endmacro %}{{ m(1) }}{{ m(x=3, y=4) }}{{ plain('<a>') }}"
    "{{ thing.method('<b>') }}{{ '<c>'.upper() }}{{ takes_context() }}"
    "{% for i in [1, 2] %}{% set z = i %}{{ takes_context() }}{{ plain(i) }}{% endfor %}",
    "{% set q = 'set' %}{% for i in items %}{{ takes_context() }}{% endfor %}",
    # macros: defaults left out, keywords, varargs and kwargs, a caller, one in a non-escaping block
    "{% macro m(x, y='<d>', z=none) %}<{{ x }}|{{ y }}|{{ z }}>{% endmacro %}{{ m('<a>') }}{{ m(1, 2) }}{{ m(1, z=3) }}"
    "{% macro v(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ v(1, 2, k=3) }}"
    "{% macro c(a) %}[{{ caller(a) }}]{% endmacro %}{% call(x) c('<q>') %}{{ x }}!{% endcall %}"
    "{% autoescape false %}{{ m('<r>') }}{{ m('<s>')|escape }}{% endautoescape %}",
    # loops: every loop attribute, over lists, tuples, generators and dicts, nested and recursive
    "{% for i in items %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.first }}{{ loop.last }}"
    "{{ loop.length }}{{ loop.previtem is defined and loop.previtem }}{{ loop.nextitem is defined and loop.nextitem }}"
    "{{ loop.cycle('a', 'b') }}{{ loop.changed(i % 2) }};{% endfor %}",
    "{% for i in pairs %}{% for j in i %}{{ loop.last }}{{ j }}{% endfor %}{% if not loop.last %}, {% endif %}"
    "{% endfor %}",
    "{% for i in generated() %}{{ i }}{{ loop.last }}{{ loop.nextitem is defined }}{% endfor %}",
    "{% for k in mapping %}{{ k }}{{ loop.last }}{% endfor %}{% for i in [] %}x{% else %}empty{% endfor %}",
    "{% for i in tree recursive %}[{{ i.name }}{{ loop.depth }}{% if i.children %}{{ loop(i.children) }}"
    "{% endif %}]{% endfor %}",
    "{% for i in items if i > 1 %}{{ i }}{{ loop.last }}{% endfor %}",
]


class Thing:
    name = "<Thing & co>"

    def method(self, value: str) -> str:
        return value * 2


@jinja2.pass_context
def _takes_context(context: Any) -> str:
    return f"[{context.get('q', '-')}|{context.get('z', '-')}]"


def _names(texts: bool) -> dict[str, Any]:
    names: dict[str, Any] = {
        "thing": Thing(), "mapping": {"name": "<mapped>", "x": {}}, "make": Thing, "plain": lambda v: f"<{v}>",
        "takes_context": _takes_context, "items": [1, 2, 3], "pairs": ((1, 2), (3,)), "label": "Wo",
        "generated": lambda: (i for i in "ab"), "tree": [{"name": "a", "children": [{"name": "b", "children": []}]}],
        "catalog": _Catalog(),
    }
    if texts:  # the language's `_`, `gettext` … and the escaped texts, as PageRenderer gives them
        names.update(Texts(_Catalog()).callables())
    return names


class _Catalog:
    lang = "en"

    def gettext(self, text: str) -> str:
        return f"«{text}» <en>"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


def _environment(environment: jinja2.Environment) -> jinja2.Environment:
    environment.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    environment.globals.update(_=_gettext, gettext=_gettext, ngettext=_ngettext)
    return environment


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("texts", [True, False])
def test_compiled_templates_write_what_jinjas_write(source: str, texts: bool) -> None:
    options: dict[str, Any] = {"autoescape": True, "undefined": jinja2.StrictUndefined,
                               "extensions": ["jinja2.ext.i18n"]}
    ours = _environment(_Environment(**options))
    ours.context_class, ours.template_class = _Context, _Template
    jinjas = _environment(jinja2.Environment(**options))
    names = _names(texts)
    assert ours.from_string(source).render(names) == jinjas.from_string(source).render(_names(False))
    if texts and "Träger" in source:  # the texts were looked up, not `_` called
        assert "Träger" in names["_texts"]


def test_a_template_that_sets_underscore_calls_its_own() -> None:
    ours = _environment(_Environment(autoescape=True, extensions=["jinja2.ext.i18n"]))
    ours.template_class = _Template
    source = '{% set _ = plain %}{{ _("x") }}'
    assert ours.from_string(source).render(_names(True)) == "&lt;x&gt;"


@pytest.mark.parametrize("templates", [
    {"page": '{% macro _(t) %}<mine:{{ t }}>{% endmacro %}{{ _("Wo") }}'},  # a macro of that name
    {"page": '{% set _ = plain %}{% extends "base" %}', "base": '{{ _("Wo") }}'},  # given by the extending template
    {"page": '{% set _ = plain %}{% include "part" %}', "part": '{{ _("Wo") }}'},  # … by the including one
])
def test_a_template_given_another_underscore_calls_that(templates: dict[str, str]) -> None:
    options: dict[str, Any] = {"autoescape": True, "extensions": ["jinja2.ext.i18n"]}
    ours = _environment(_Environment(loader=jinja2.DictLoader(templates), **options))
    ours.context_class, ours.template_class = _Context, _Template
    jinjas = _environment(jinja2.Environment(loader=jinja2.DictLoader(templates), **options))
    written = ours.get_template("page").render(_names(True))
    assert written == jinjas.get_template("page").render(_names(True)) and "en&gt;" not in written
