"""Turn pydantic validation errors into the 400 the real service sends.

Messages follow the wording the service uses for bad values (e.g. "Invalid 'n': integer above
maximum value. Expected a value <= 128, but got 129 instead.", code `integer_above_max_value`),
with `type: invalid_request_error` and `param` naming the offending field.
"""

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from mockazure.errors import InvalidParam, InvalidRequest

_TYPE_NAMES = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "a boolean",
    "bool_parsing": "a boolean",
    "list_type": "an array",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "int_from_float": "an integer",
}


def json_type(value: Any) -> str:
    match value:
        case None:
            return "null"
        case bool():
            return "a boolean"
        case int():
            return "an integer"
        case float():
            return "a number"
        case str():
            return "a string"
        case list():
            return "an array"
        case dict():
            return "an object"
    return "a value"


def param_path(loc: Sequence[int | str], data: Any) -> str:
    """The parameter as a client names it, e.g. `messages[0].content`.

    pydantic's `loc` also holds union member and discriminator tags; walking the input keeps
    only the steps that exist in it (and a missing field as the last step).
    """
    parts: list[str] = []
    current = data
    for index, step in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(current, dict) and isinstance(step, str) and (step in current or last):
            parts.append(f".{step}" if parts else step)
            current = current.get(step)
        elif isinstance(current, list) and isinstance(step, int) and 0 <= step < len(current):
            parts.append(f"[{step}]")
            current = current[step]
    return "".join(parts)


def _bound_message(param: str, error: ErrorDetails) -> tuple[str, str]:
    ctx = error.get("ctx", {})
    value = error.get("input")
    bound_key = next(k for k in ("ge", "gt", "le", "lt") if k in ctx)
    # The field's type decides the wording: float fields declare float bounds.
    kind = "decimal" if isinstance(ctx[bound_key], float) else "integer"
    below = error["type"] in ("greater_than_equal", "greater_than")
    symbol = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}[bound_key]
    where = "below minimum" if below else "above maximum"
    code = f"{kind}_{'below_min' if below else 'above_max'}_value"
    return (
        f"Invalid '{param}': {kind} {where} value. Expected a value {symbol} {ctx[bound_key]}, "
        f"but got {value} instead.",
        code,
    )


def _length_message(param: str, error: ErrorDetails) -> tuple[str, str]:
    ctx = error.get("ctx", {})
    value = error.get("input")
    is_text = error["type"].startswith("string")
    noun = "string" if is_text else "array"
    length = len(value) if isinstance(value, (str, list, dict)) else 0
    if error["type"] in ("too_short", "string_too_short"):
        minimum = ctx.get("min_length", 1)
        if length == 0:
            return (
                f"Invalid '{param}': empty {noun}. Expected {'a' if is_text else 'an'} {noun} "
                f"with minimum length {minimum}, but got an empty {noun} instead.",
                f"empty_{noun}",
            )
        return (
            f"Invalid '{param}': {noun} too short. Expected {'a' if is_text else 'an'} {noun} "
            f"with minimum length {minimum}, but got {'a' if is_text else 'an'} {noun} with "
            f"length {length} instead.",
            f"{noun}_below_min_length",
        )
    return (
        f"Invalid '{param}': {noun} too long. Expected {'a' if is_text else 'an'} {noun} with "
        f"maximum length {ctx.get('max_length')}, but got {'a' if is_text else 'an'} {noun} "
        f"with length {length} instead.",
        f"{noun}_above_max_length",
    )


def _describe(param: str, error: ErrorDetails) -> tuple[str, str | None]:
    kind = error["type"]
    ctx = error.get("ctx", {})
    if kind == "value_error" and isinstance(ctx.get("error"), InvalidParam):
        raised: InvalidParam = ctx["error"]
        return raised.message, raised.code
    if kind == "extra_forbidden":
        # OpenAI's wording for a key a nested object does not define (Responses items).
        return f"Unknown parameter: '{param}'.", "unknown_parameter"
    if kind == "missing":
        return f"Missing required parameter: '{param}'.", "missing_required_parameter"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return _bound_message(param, error)
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        return _length_message(param, error)
    if kind in ("literal_error", "enum", "union_tag_invalid"):
        expected = ctx.get("expected", ctx.get("expected_tags", ""))
        return (
            f"Invalid value: {error.get('input')!r}. Supported values are: {expected}.",
            "invalid_value",
        )
    if kind in _TYPE_NAMES:
        return (
            f"Invalid type for '{param}': expected {_TYPE_NAMES[kind]}, but got "
            f"{json_type(error.get('input'))} instead.",
            "invalid_type",
        )
    return f"Invalid value for '{param}': {error['msg']}.", "invalid_value"


def _rank(error: ErrorDetails) -> tuple[int, int]:
    """Prefer our own named errors, then errors of the union branch whose type matched (a
    `stop` list of 1,000 items is "array too long", not "expected a string"), then plain
    errors over union-branch noise."""
    if error["type"] == "value_error" and isinstance(
        error.get("ctx", {}).get("error"), InvalidParam
    ):
        return 0, 0
    noise = sum(isinstance(step, str) and ("[" in step or "-" in step) for step in error["loc"])
    return (2 if error["type"] in _TYPE_NAMES else 1), noise


def to_invalid_request(exc: ValidationError, data: Any, at: tuple[str, ...] = ()) -> InvalidRequest:
    """The service's 400 for the first (best-ranked) error; `at`: where in `data` the
    validated value sits, when the model validated a part of it (`session` of a request)."""
    errors = sorted(exc.errors(), key=_rank)
    first = errors[0]
    ctx_error = first.get("ctx", {}).get("error")
    loc = (*at, *first["loc"])
    param = ctx_error.param if isinstance(ctx_error, InvalidParam) else param_path(loc, data)
    if first["type"] == "union_tag_invalid" and isinstance(first.get("input"), dict):
        # A message discriminated by `role` with an unknown role: name the role field.
        param = f"{param}.role" if "role" in first["input"] else param
        first = {**first, "input": first["input"].get("role")}
    message, code = _describe(param or "body", first)
    return InvalidRequest(message, param=param or None, code=code)
