"""Stub templates: Jinja2 in its sandbox, so a rule file cannot reach Python internals.

Jinja2 (pallets) is the well-kept template engine the issue asks for; `SandboxedEnvironment`
blocks attribute access to internals (`__class__`, `mro`, ...) and unsafe callables, which
matters because stubs can be posted over HTTP at run time. On top of the sandbox:

* escape attempts are refused when the rule is added (400), not when a request renders it:
  attributes and keys starting with `_`, and `include` / `extends` / `import` (no loader);
* rendering is bounded, since the sandbox guards Python's internals but not the CPU or memory:
  at most `MAX_STEPS` loop iterations and `MAX_OUTPUT_CHARS` of output per render, `*` and `**`
  that would build huge values, and sizes or widths above `MAX_SIZE_ARGUMENT` given to filters
  and methods (`center(10**10)`, `'%*s' % (10**10, x)`, `'{:>1000000000}'.format(x)`) are
  refused. A template that fails this way (or any other) answers the stub's 500.
"""

import contextvars
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import Template, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from mockazure.errors import InternalServerError

MAX_STEPS = 100_000
MAX_OUTPUT_CHARS = 1_000_000
MAX_SIZE_ARGUMENT = 100_000
COMPILED_TEMPLATES = 256  # distinct stub templates kept compiled (LRU)
_HUGE_WIDTH = re.compile(r"\d{7,}")  # a width or precision of a million or more
_FORBIDDEN_NODES = (nodes.Include, nodes.Extends, nodes.Import, nodes.FromImport)
_steps: contextvars.ContextVar[list[int]] = contextvars.ContextVar("stub_template_steps")


def _bounded(values: Iterable[Any]) -> Iterator[Any]:
    """Every `{% for %}` iterates through this: one shared budget per render."""
    budget = _steps.get([MAX_STEPS])
    for value in values:
        budget[0] -= 1
        if budget[0] < 0:
            raise SecurityError(f"the template ran more than {MAX_STEPS} loop iterations")
        yield value


def _check_sizes(args: Iterable[Any]) -> None:
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_SIZE_ARGUMENT:
            raise SecurityError(f"the number {arg} is too large for a template")


def _check_format(text: Any) -> None:
    if isinstance(text, str) and _HUGE_WIDTH.search(text):
        raise SecurityError("the format string asks for a huge width or precision")


def _guard_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        # `pass_context` / `pass_environment` filters get that first, then the value.
        start = 2 if hasattr(function, "jinja_pass_arg") else 1
        _check_sizes([*args[start:], *kwargs.values()])
        if function.__name__ == "do_format":
            _check_format(args[start - 1])
        if function.__name__ == "do_replace" and len(args) > start and args[start] == "":
            raise SecurityError("replace() of the empty string")
        return function(*args, **kwargs)

    return guarded


class BoundedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                sized = isinstance(seq, (str, list, tuple)) and isinstance(times, int)
                if sized and len(seq) * times > MAX_OUTPUT_CHARS:
                    raise SecurityError("the template builds a value that is too large")
        elif operator == "**":
            if isinstance(right, int) and right > 64 and not -1 <= left <= 1:
                raise SecurityError("the template raises to a power that is too large")
        elif operator == "%":
            _check_format(left)
            _check_sizes(right if isinstance(right, tuple) else [right])
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_sizes([*args, *kwargs.values()])
        target = getattr(__obj, "__wrapped__", __obj)
        if getattr(target, "__name__", "") in ("format", "format_map"):
            _check_format(getattr(target, "__self__", None))
        return super().call(__context, __obj, *args, **kwargs)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "mock_bounded", [], [], None, None)
        return tree


@functools.cache
def environment() -> SandboxedEnvironment:
    env = BoundedSandbox(autoescape=False, keep_trailing_newline=True)
    env.filters = {name: _guard_filter(f) for name, f in env.filters.items()}
    env.filters["json"] = lambda value: json.dumps(value, ensure_ascii=False)
    env.filters["mock_bounded"] = _bounded
    return env


def _forbidden(tree: nodes.Template) -> str | None:
    for statement in tree.find_all(_FORBIDDEN_NODES):
        return f"'{type(statement).__name__.lower()}' is not available in stub templates"
    for access in tree.find_all((nodes.Getattr, nodes.Getitem)):
        key = access.attr if isinstance(access, nodes.Getattr) else None
        if isinstance(access, nodes.Getitem) and isinstance(access.arg, nodes.Const):
            key = access.arg.value
        if isinstance(key, str) and key.startswith("_"):
            return f"access to '{key}' is not allowed (the template sandbox)"
    for applied in tree.find_all(nodes.Filter):
        named = applied.args[0] if applied.name == "attr" and applied.args else None
        key = named.value if isinstance(named, nodes.Const) else None
        if isinstance(key, str) and key.startswith("_"):
            return f"access to '{key}' is not allowed (the template sandbox)"
    return None


def check_template(text: str) -> None:
    """Raise ValueError (for pydantic) when `text` does not compile or reaches for internals."""
    try:
        tree = environment().parse(text)
    except TemplateSyntaxError as exc:
        raise ValueError(f"template error: {exc.message} (line {exc.lineno})") from exc
    except RecursionError as exc:  # nesting deep enough to exhaust the parser
        raise ValueError("template error: nested too deeply") from exc
    problem = _forbidden(tree)
    if problem is not None:
        raise ValueError(f"template error: {problem}")


@functools.lru_cache(maxsize=COMPILED_TEMPLATES)
def compiled(text: str) -> Template:
    """A stub's template, compiled once (Jinja's `from_string` compiles on every call: a fifth
    of a stubbed chat request's CPU, measured with cProfile)."""
    return environment().from_string(text)


def render(text: str, context: dict[str, Any]) -> str:
    if "{" not in text and len(text) <= MAX_OUTPUT_CHARS:
        return text  # no `{{`, `{%` or `{#`: Jinja would give the text back unchanged
    token = _steps.set([MAX_STEPS])
    try:
        parts, size = [], 0
        for part in compiled(text).generate(**context):
            size += len(part)
            if size > MAX_OUTPUT_CHARS:
                raise SecurityError(f"the output is longer than {MAX_OUTPUT_CHARS} characters")
            parts.append(part)
        return "".join(parts)
    except Exception as exc:  # TemplateError, and what the template's own code raises
        error = InternalServerError()
        error.message = f"mockazure stub template failed: {exc}"
        raise error from exc
    finally:
        _steps.reset(token)
