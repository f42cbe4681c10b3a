"""The Python that the theme's templates compile to, with three of Jinja's per-use layers taken out.

An offer page runs some four hundred template expressions. Three kinds are most of the layers:
- `{{ _("Träger") }}`, a text without variables (some twenty an offer page): Jinja calls `_` through
  `context.call` and escapes what it gives, some 0.7 µs; here it is a dict lookup in the page's
  language's texts, already escaped (`TEXTS` in the context, which texts.Texts gives), and the call
  as before when the context has none (a template rendered without PageRenderer).
- `offer.title`, an attribute (some 130 an offer page): Jinja calls `environment.getattr`, whose
  first step is Python's getattr; here Python's getattr is tried in line, and Jinja's way (an item
  of that name, else undefined) follows only when the object has no such attribute.
- `url(…)`, `contact_block(…)`, a call (some sixty an offer page): Jinja goes through `context.call`,
  which asks whether the callable takes the context and passes the block's names along; here a
  function, method, macro or block that takes none is called as it is.
The output is the same: the same functions make the same values. One difference is left: a function called as
it is that raises StopIteration ends the page with an error, where Jinja would write an undefined value (none of
atlas's own does; a theme's that does gets the error, not a silent gap).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.nodes import EvalContext
from jinja2.runtime import LoopContext, Macro
from jinja2.utils import internalcode, missing, pass_eval_context
from markupsafe import Markup

TEXTS = "_texts"  # the context's name for a language's escaped texts without variables (texts.Texts)
_GETTEXT = ("_", "gettext")
_TEMPORARY = "t_attr"  # the name a walrus gives an attribute while it is compared with `missing`
_CALLED = "t_called"  # … and what a call calls while it is asked whether it takes the context
DIRECT = "atlas_direct"  # the compiled module's name for the types called as they are (templates._Template) …
METHOD = "atlas_method"  # … and for a method's type (called as it is when its function takes no context) …
MACRO = "atlas_macro"  # … and for FastMacro, called with the eval context it takes


_FOLDED = "atlas_folded"  # the attribute that marks a Getitem made of `_(text)`: the name called (`_`, `gettext`)


def fold_texts(template: nodes.Template) -> None:
    """Each `{{ _(text) }}` of the template (one argument, no variables) made `{{ TEXTS[text] }}` (marked, for the
    code generator), unless the template gives `_`, `gettext` or TEXTS a value of its own somewhere (then they may
    not be the texts'; a value given them in the context, by a template that extends or includes this one, the
    compiled lookup asks about when it runs). Jinja allows no node types of its users."""
    names = {*_GETTEXT, TEXTS}
    if any(name.name in names for name in template.find_all(nodes.Name) if name.ctx != "load") or any(
            node.target in names for node in template.find_all(nodes.Import)) or any(
            (name if isinstance(name, str) else name[-1]) in names
            for node in template.find_all(nodes.FromImport) for name in node.names) or any(
            macro.name in names for macro in template.find_all(nodes.Macro)):
        return
    for output in template.find_all(nodes.Output):
        output.nodes = [_folded(child) for child in output.nodes]


def _folded(node: nodes.Expr) -> nodes.Expr:
    plain_call = (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name in _GETTEXT
                  and len(node.args) == 1 and not node.kwargs and node.dyn_args is None and node.dyn_kwargs is None)
    if not plain_call:
        return node
    lookup = nodes.Getitem(nodes.Name(TEXTS, "load", lineno=node.lineno), node.args[0], "load", lineno=node.lineno)
    setattr(lookup, _FOLDED, node.node.name)
    return lookup


class FasterCodeGenerator(CodeGenerator):
    """Jinja's code generator with texts and attributes looked up in line (see the module's docstring)."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        fold_texts(node)
        super().visit_Template(node, frame)

    def _folds(self, node: nodes.Expr, frame: Frame) -> bool:
        """Whether `node` is a folded text written out as itself: with Jinja's usual escaping and nothing else."""
        return hasattr(node, _FOLDED) and not self.environment.is_async and frame.eval_ctx.autoescape \
            and not frame.eval_ctx.volatile and self._make_finalize().src is None

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if not self._folds(node, frame):
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if not self._folds(node, frame):
            super()._output_child_post(node, frame, finalize)

    def visit_Getitem(self, node: nodes.Getitem, frame: Frame) -> None:
        called = getattr(node, _FOLDED, None)
        if called is None:
            super().visit_Getitem(node, frame)
            return
        # the call as Jinja makes it, `_` looked up where it would be (it may be no name of this frame any more)
        call = f"context.call(context.resolve_or_missing({called!r}), "
        if not self._folds(node, frame):
            self.write(call)
            self.visit(node.arg, frame)
            self.write(")")
            return
        # the texts only while `_` is still theirs: a template that extends or includes this one may have set its own
        texts = frame.symbols.ref(TEXTS)
        self.write(f"({texts}[")
        self.visit(node.arg, frame)
        self.write(f"] if {texts} is not missing and context.resolve_or_missing({called!r}) is {texts}.gettext "
                   f"else escape({call}")  # escape: as Jinja's output (templates._Template)
        self.visit(node.arg, frame)
        self.write(")))")

    @optimizeconst
    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        # a plain function or method that takes no context (url(), urls.actor …) is called as it is, a macro with
        # the eval context as Jinja passes it; the
        # others through context.call as Jinja calls them, with the names set in the block or loop for a function
        # that takes the context (a dict made on every call, and a method's layers: some sixty calls an offer page)
        if self.environment.is_async or self.environment.sandboxed or forward_caller:
            super().visit_Call(node, frame, forward_caller=forward_caller)
            return
        arguments = self._written(lambda: self.signature(node, frame))[2:]  # signature() puts ", " before each
        self.write(f"({_CALLED}({arguments}) if type({_CALLED} := ")
        self.visit(node.node, frame)
        self.write(f") in {DIRECT} and not hasattr({_CALLED}, 'jinja_pass_arg') or type({_CALLED}) is {METHOD} and "
                   f"not hasattr({_CALLED}.__func__, 'jinja_pass_arg') else {_CALLED}(context.eval_ctx, {arguments}) "
                   f"if type({_CALLED}) is {MACRO} else context.call({_CALLED}")  # a macro takes the eval context
        extra = {name: name for name, used in (("_loop_vars", frame.loop_frame), ("_block_vars", frame.block_frame))
                 if used}
        self.signature(node, frame, extra or None)
        self.write("))")

    def _written(self, write: Callable[[], None]) -> str:
        """What `write` writes, not into the template's code but as text."""
        stream, self.stream = self.stream, StringIO()
        try:
            write()
            return self.stream.getvalue()
        finally:
            self.stream = stream

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        # only of a name or of another attribute: Jinja's way evaluates the object again, which must not call anything
        if self.environment.is_async or not isinstance(node.node, nodes.Name | nodes.Getattr):
            super().visit_Getattr(node, frame)
            return
        self.write(f"({_TEMPORARY} if ({_TEMPORARY} := getattr(")
        self.visit(node.node, frame)
        self.write(f", {node.attr!r}, missing)) is not missing else environment.getattr(")
        self.visit(node.node, frame)
        self.write(f", {node.attr!r}))")


class SteppedLoop(LoopContext):
    """Jinja's `loop` of a `{% for %}` that uses it, stepped by a generator over a list or tuple rather than by
    LoopContext's __next__ in Python (a method call for each item: the separators of an offer page's lists of
    partners, regions, topics and hours); anything else is stepped as Jinja steps it."""

    _items: list[Any] | tuple[Any, ...] | None = None

    def __iter__(self) -> Any:
        if type(self._iterable) not in (list, tuple):
            return self
        self._items = self._iterable  # type: ignore[assignment]
        self._length = len(self._items)
        return self._steps(self._items)

    def _steps(self, items: list[Any] | tuple[Any, ...]) -> Iterator[tuple[Any, LoopContext]]:
        for item in items:
            self.index0 += 1
            self._before, self._current = self._current, item
            yield item, self

    def _peek_next(self) -> Any:
        if self._items is None:
            return super()._peek_next()
        following = self.index0 + 1
        return self._items[following] if following < len(self._items) else missing


class FastMacro(Macro):
    """Jinja's macro, which a call with its arguments in their order (and, for those left out, their defaults) calls
    without Jinja's Python matching them up by name: term_links(topics, "topic"), contact_block(offer.contact)."""

    _plain: bool | None = None  # whether it takes nothing but its arguments: asked on its first call (a page makes
    # a macro for each {% call %}, which is seldom called: shared_block keeps what it made)

    @internalcode
    @pass_eval_context
    def __call__(self, *args: Any, **kwargs: Any) -> str:
        if self._plain is None:
            self._plain = not (self.caller or self.explicit_caller or self.catch_kwargs or self.catch_varargs
                               or self._environment.is_async)
        if not (self._plain and not kwargs and args and type(args[0]) is EvalContext
                and len(args) <= self._argument_count + 1):
            return super().__call__(*args, **kwargs)  # type: ignore[no-any-return]
        made = self._func(*args[1:], *[missing] * (self._argument_count + 1 - len(args)))
        return Markup(made) if args[0].autoescape else made  # type: ignore[no-any-return]
