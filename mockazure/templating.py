"""Stub templates: Jinja2 in its sandbox, so a rule file cannot reach Python internals.

Jinja2 (pallets) is the well-kept template engine the issue asks for; `SandboxedEnvironment`
blocks attribute access to internals (`__class__`, `mro`, ...) and unsafe callables, which
matters because stubs can be posted over HTTP at run time.
"""

import functools
import json
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from mockazure.errors import InternalServerError


@functools.cache
def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=False, keep_trailing_newline=True)
    env.filters["json"] = lambda value: json.dumps(value, ensure_ascii=False)
    return env


def check_template(text: str) -> None:
    """Raise TemplateSyntaxError (a ValueError for pydantic) when `text` does not compile."""
    try:
        environment().parse(text)
    except TemplateSyntaxError as exc:
        raise ValueError(f"template error: {exc.message} (line {exc.lineno})") from exc


def render(text: str, context: dict[str, Any]) -> str:
    try:
        return environment().from_string(text).render(**context)
    except TemplateError as exc:
        error = InternalServerError()
        error.message = f"mockazure stub template failed: {exc}"
        raise error from exc
