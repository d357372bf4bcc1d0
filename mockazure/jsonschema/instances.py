"""Build a JSON value that validates against a JSON Schema, deterministically from a ``Random``.

Used for tool-call ``arguments`` (the function's ``parameters``) and for
``response_format: json_schema`` content, including pydantic v2 schemas in OpenAI strict form.

How choices are made:
- ``$ref`` and ``allOf`` are merged into one schema first; ``anyOf``/``oneOf`` pick a branch
  (``oneOf`` retries until exactly one branch matches); ``not`` and unmergeable parts are met
  by retrying.
- Objects carry every property, optional ones too, and arrays one to three items, so a caller
  whose only property is optional (instructor's ``create_iterable``: ``tasks``) gets content.
  ``sparse=True`` keeps the older behaviour: each optional property with probability 1/2 and
  arrays from ``minItems`` (a deployment's ``options.optional_properties: "sparse"``).
- Past ``MAX_DEPTH`` levels of nesting, values that terminate are preferred: ``null`` or scalar
  branches, ``minItems`` items, required properties only. This makes recursive schemas finish.
- Every result is checked with jsonschema-rs (``jsonschema.validation``) and rebuilt on failure.
- Work is linear in the schema: an enum is filtered with one compiled validator (not a check of
  the whole enum per option), and ``MAX_STEPS`` bounds the values built per request.
"""

import copy
import math
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from mockazure.jsonschema.merge import (
    ALSO,
    Schema,
    UnsatisfiableSchema,
    json_key,
    merge,
    resolve_ref,
)
from mockazure.jsonschema.strings import hint_words, string_for
from mockazure.jsonschema.validation import Checker, compiled, schema_problem

__all__ = ["JSON", "UnsatisfiableSchema", "instance_for", "schema_problem"]

JSON = Any  # None | bool | int | float | str | list[JSON] | dict[str, JSON]

MAX_DEPTH = 4  # nesting depth after which terminating values are preferred
MAX_HARD_DEPTH = 24  # nesting depth at which generation gives up
MAX_HOPS = 32  # $ref/anyOf expansions without nesting before giving up
MAX_ARRAY_ITEMS = 3
MAX_EXTRA_PROPERTIES = 2
MAX_ATTEMPTS = 8
MAX_STEPS = 5_000  # subschema visits per instance_for call, so pathological schemas fail fast
# More items (or properties) than an answer can hold, and each of MAX_STEPS visits may build them:
# `minItems: 100000` of long strings, or `minProperties: 100000`, took a minute to give up.
MAX_MIN_ITEMS = 1_000
EXAMPLE_PROBABILITY = 0.2
SIMPLE_TYPES = ("string", "integer", "number", "boolean")
_TYPE_COST = {"null": 0, "boolean": 1, "integer": 1, "number": 1, "string": 1, "array": 2}
_INFERRED = {
    "object": ("properties", "required", "additionalProperties", "patternProperties"),
    "array": ("items", "prefixItems", "minItems", "maxItems", "contains", "uniqueItems"),
    "string": ("minLength", "maxLength", "pattern", "format"),
    "number": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
}
_DEFAULT_SPAN = 100


class _Budget:
    def __init__(self, steps: int) -> None:
        self.steps = steps

    def spend(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise UnsatisfiableSchema(f"schema too complex: gave up after {MAX_STEPS} steps")


@dataclass(frozen=True)
class _Context:
    root: Schema
    rng: random.Random
    hints: tuple[str, ...]
    budget: _Budget
    check: Checker
    depth: int = 0
    hops: int = 0
    sparse: bool = False  # optional properties with probability 1/2, arrays from minItems

    @property
    def terminal(self) -> bool:
        return self.depth >= MAX_DEPTH or self.hops >= MAX_HOPS // 2

    def nested(self) -> "_Context":
        if self.depth >= MAX_HARD_DEPTH:
            raise UnsatisfiableSchema(f"schema nests deeper than {MAX_HARD_DEPTH} levels")
        return replace(self, depth=self.depth + 1, hops=0)

    def hop(self) -> "_Context":
        if self.hops >= MAX_HOPS:
            raise UnsatisfiableSchema("schema recurses without producing a value")
        return replace(self, hops=self.hops + 1)


def instance_for(
    schema: Mapping[str, Any], rng: random.Random, *, hint: str = "", sparse: bool = False
) -> JSON:
    """Return a JSON value valid against ``schema``; ``hint`` supplies plausible words."""
    budget, check = _Budget(MAX_STEPS), Checker(schema)
    context = _Context(
        root=schema, rng=rng, hints=hint_words(hint), budget=budget, check=check, sparse=sparse
    )
    error = UnsatisfiableSchema("no valid instance found")
    for _ in range(MAX_ATTEMPTS):
        try:
            value = _generate(schema, context, "")
        except UnsatisfiableSchema as exc:
            error = exc
            continue
        except (KeyError, TypeError, AttributeError, re.error) as exc:
            raise UnsatisfiableSchema(f"malformed schema: {exc!r}") from exc
        if check.conforms(schema, value):
            return value
    raise error


def _generate(schema: Any, ctx: _Context, name: str) -> JSON:
    ctx.budget.spend()
    flat = _flatten(schema, ctx.root, 0)
    pending = [*flat.get(ALSO, []), *([{"not": flat["not"]}] if "not" in flat else [])]
    for _ in range(MAX_ATTEMPTS if pending else 1):
        value = _build(flat, ctx, name)
        if all(ctx.check.conforms(sub, value) for sub in pending):
            return value
    raise UnsatisfiableSchema(f"no value satisfies {pending!r}")


def _flatten(schema: Any, root: Schema, hops: int) -> dict[str, Any]:
    """Inline ``$ref`` and ``allOf`` into one schema (booleans become ``{}`` / ``{"not": {}}``)."""
    if hops > MAX_HOPS:
        raise UnsatisfiableSchema("reference cycle without a value")
    if isinstance(schema, bool):
        return {} if schema else {"not": {}}
    if not isinstance(schema, Mapping):
        raise UnsatisfiableSchema(f"not a schema: {schema!r}")
    out = {k: v for k, v in schema.items() if k not in ("$ref", "allOf")}
    if "$ref" in schema:
        out = merge(_flatten(resolve_ref(root, schema["$ref"]), root, hops + 1), out)
    for sub in schema.get("allOf", []):
        out = merge(out, _flatten(sub, root, hops + 1))
    return out


def _build(flat: dict[str, Any], ctx: _Context, name: str) -> JSON:
    if "const" in flat:
        return copy.deepcopy(flat["const"])
    if "enum" in flat:
        rest = {k: v for k, v in flat.items() if k != "enum"}  # one validator for every option
        try:
            validator = ctx.check.validator(rest)
        except ValueError as exc:  # jsonschema_rs.ValidationError: the rest does not compile
            raise UnsatisfiableSchema(f"invalid schema: {exc}") from exc
        options = [v for v in flat["enum"] if validator.is_valid(v)]
        if not options:
            raise UnsatisfiableSchema(f"no enum value satisfies {flat!r}")
        return copy.deepcopy(ctx.rng.choice(options))
    examples = [*([flat["default"]] if "default" in flat else []), *flat.get("examples", [])]
    if examples and ctx.rng.random() < EXAMPLE_PROBABILITY:
        example = ctx.rng.choice(examples)
        if ctx.check.conforms(flat, example):
            return copy.deepcopy(example)
    if "oneOf" in flat or "anyOf" in flat:
        return _branch(flat, ctx, name)
    if "if" in flat:
        return _conditional(flat, ctx, name)
    kind = _pick_type(flat, ctx)
    if kind == "null":
        return None
    if kind == "boolean":
        return ctx.rng.random() < 0.5
    if kind in ("integer", "number"):
        return _number(flat, ctx.rng, integer=kind == "integer")
    if kind == "string":
        return string_for(flat, ctx.rng, name, ctx.hints)
    if kind == "array":
        return _array(flat, ctx, name)
    return _object(flat, ctx)


def _branch(flat: dict[str, Any], ctx: _Context, name: str) -> JSON:
    key = "oneOf" if "oneOf" in flat else "anyOf"
    branches: list[Any] = list(flat[key])
    rest = {k: v for k, v in flat.items() if k != key}
    if ctx.terminal:
        order = sorted(branches, key=lambda b: (_cost(b), ctx.rng.random()))
    else:
        order = ctx.rng.sample(branches, len(branches))
    error = UnsatisfiableSchema(f"no {key} branch can be satisfied")
    for branch in order + order:
        try:
            value = _generate(merge(rest, _flatten(branch, ctx.root, 0)), ctx.hop(), name)
        except UnsatisfiableSchema as exc:
            error = exc
            continue
        if key == "anyOf" or sum(ctx.check.conforms(b, value) for b in branches) == 1:
            return value
    raise error


def _conditional(flat: dict[str, Any], ctx: _Context, name: str) -> JSON:
    rest = {k: v for k, v in flat.items() if k not in ("if", "then", "else")}
    rule = {k: flat[k] for k in ("if", "then", "else") if k in flat}
    options = [
        merge(rest, {"allOf": [flat["if"], flat.get("then", True)]}),
        merge(rest, {"allOf": [{"not": flat["if"]}, flat.get("else", True)]}),
    ]
    for option in ctx.rng.sample(options, 2):
        try:
            value = _generate(option, ctx.hop(), name)
        except UnsatisfiableSchema:
            continue
        if ctx.check.conforms(rule, value):
            return value
    raise UnsatisfiableSchema("neither branch of if/then/else can be satisfied")


def _cost(schema: Any) -> int:
    """Rough size of the smallest value of ``schema``: lower terminates sooner."""
    if not isinstance(schema, Mapping):
        return 1
    if "$ref" in schema:
        return 3
    types = schema.get("type")
    names = [types] if isinstance(types, str) else types or [""]
    return min(_TYPE_COST.get(t, 2) for t in names)


def _pick_type(flat: dict[str, Any], ctx: _Context) -> str:
    declared = flat.get("type")
    if declared is None:
        types = [t for t, keys in _INFERRED.items() if any(k in flat for k in keys)]
        types = types or list(SIMPLE_TYPES)
    else:
        types = [declared] if isinstance(declared, str) else list(declared)
    if isinstance(flat.get("not"), Mapping) and set(flat["not"]) == {"type"}:
        excluded = flat["not"]["type"]
        types = [
            t for t in types if t not in ([excluded] if isinstance(excluded, str) else excluded)
        ]
    if not types:
        raise UnsatisfiableSchema(f"no type is allowed by {flat!r}")
    if ctx.terminal:
        cheapest = min(_TYPE_COST.get(t, 3) for t in types)
        types = [t for t in types if _TYPE_COST.get(t, 3) == cheapest]
    return str(ctx.rng.choice(types))


def _number(flat: Mapping[str, Any], rng: random.Random, *, integer: bool) -> int | float:
    try:
        return _number_within(flat, rng, integer=integer)
    except OverflowError as exc:  # bounds past float range with a fractional step or type
        raise UnsatisfiableSchema(f"number bounds out of range in {flat!r}") from exc


def _number_within(flat: Mapping[str, Any], rng: random.Random, *, integer: bool) -> int | float:
    lo, hi = _bounds(flat)
    step = flat.get("multipleOf")
    if integer or step is not None:
        value = _stepped(flat, rng, lo, hi, step or 1, integer)
    else:
        candidates = [round(rng.uniform(lo, hi), 2), rng.uniform(lo, hi), (lo + hi) / 2, lo, hi]
        value = next((c for c in candidates if _number_ok(flat, c)), None)
    if value is None:
        raise UnsatisfiableSchema(f"no number satisfies {flat!r}")
    return value


_NUMBER_KEYWORDS = (
    "type",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
)


def _number_ok(flat: Mapping[str, Any], value: int | float) -> bool:
    """Type, bounds and ``multipleOf`` of a candidate number (the validator is cached)."""
    try:
        valid = compiled({k: flat[k] for k in _NUMBER_KEYWORDS if k in flat}).is_valid(value)
    except ValueError:  # jsonschema_rs.ValidationError: bounds of the wrong type
        return False
    return bool(valid) and _float_multiple(value, flat.get("multipleOf"))


def _float_multiple(value: int | float, step: Any) -> bool:
    """jsonschema-rs accepts 16.9 as a multiple of 0.01; the Python validators clients use
    (``jsonschema``, pydantic) divide in floats and do not, so a candidate must pass both."""
    if step is None or (not isinstance(step, float) and not isinstance(value, float)):
        return True
    quotient = value / step
    return math.isfinite(quotient) and float(quotient).is_integer()


def _bounds(flat: Mapping[str, Any]) -> tuple[float, float]:
    lo = _tightest(flat.get("minimum"), flat.get("exclusiveMinimum"), max)
    hi = _tightest(flat.get("maximum"), flat.get("exclusiveMaximum"), min)
    span = max(_DEFAULT_SPAN, 10 * flat.get("multipleOf", 1))
    if lo is None:
        lo = 0 if hi is None or hi > 0 else hi - span
    return lo, lo + span if hi is None else hi


def _tightest(inclusive: Any, exclusive: Any, pick: Callable[[float, float], float]) -> Any:
    if not isinstance(exclusive, int | float) or isinstance(exclusive, bool):
        return inclusive
    return exclusive if inclusive is None else pick(inclusive, exclusive)


def _stepped(
    flat: Mapping[str, Any], rng: random.Random, lo: float, hi: float, step: float, integer: bool
) -> int | float | None:
    if isinstance(lo, int) and isinstance(hi, int) and isinstance(step, int):
        first, last = -(-lo // step), hi // step  # exact, also past float range (10**400)
    else:
        first, last = math.ceil(lo / step), math.floor(hi / step)
    if first > last:
        return None
    ks = [rng.randint(first, last) for _ in range(10)] + list(
        range(first, min(last, first + 50) + 1)
    )
    for k in ks:
        for value in (k * step, round(k * step, 10)):
            if integer and isinstance(value, float) and value.is_integer():
                value = int(value)
            if _number_ok(flat, value):
                return value
    return None


def _array(flat: Mapping[str, Any], ctx: _Context, name: str) -> list[JSON]:
    prefix, items = list(flat.get("prefixItems", [])), flat.get("items", True)
    if isinstance(items, list):  # draft-04 tuple form
        prefix, items = items, flat.get("additionalItems", True)
    low, high = flat.get("minItems", 0), flat.get("maxItems", math.inf)
    if items is False:
        high = min(high, len(prefix))
    wanted = flat.get("minContains", 1) if "contains" in flat else 0
    low = max(low, min(high, len(prefix) + wanted) if wanted else low)
    if low > high:
        raise UnsatisfiableSchema(f"array bounds cannot be met: {flat!r}")
    if low > MAX_MIN_ITEMS:
        raise UnsatisfiableSchema(f"an array of at least {low} items is too large to generate")
    if ctx.terminal:
        count = low
    else:
        cap = max(1, MAX_ARRAY_ITEMS - max(0, ctx.depth - 1))  # fewer items deeper down
        least = low if ctx.sparse else max(low, min(1, high))
        count = ctx.rng.randint(least, max(low, min(high, cap)))
        count = max(count, min(high, len(prefix)))
    nested, out = ctx.nested(), list[JSON]()
    for index in range(count):
        sub = prefix[index] if index < len(prefix) else items
        if wanted and index >= len(prefix) and index < len(prefix) + wanted:
            sub = {"allOf": [sub, flat["contains"]]}
        value = _unique_item(sub, nested, name, out, bool(flat.get("uniqueItems")))
        if value is _MISSING:
            if len(out) >= low:
                break
            raise UnsatisfiableSchema(f"cannot build {low} unique items for {flat!r}")
        out.append(value)
    return out


_MISSING = object()


def _unique_item(sub: Any, ctx: _Context, name: str, seen: list[JSON], unique: bool) -> JSON:
    for _ in range(10 if unique else 1):
        value = _generate(sub, ctx, name)
        if not unique or json_key(value) not in {json_key(other) for other in seen}:
            return value
    return _MISSING


def _object(flat: Mapping[str, Any], ctx: _Context) -> dict[str, JSON]:
    props: Mapping[str, Any] = flat.get("properties", {})
    required: list[str] = list(flat.get("required", []))
    low, high = flat.get("minProperties", 0), flat.get("maxProperties", math.inf)
    if low > MAX_MIN_ITEMS:
        raise UnsatisfiableSchema(f"an object of at least {low} properties is too large")
    chosen = set(required)
    optional = [k for k in props if k not in chosen]
    if not ctx.terminal:
        chosen.update(k for k in optional if not ctx.sparse or ctx.rng.random() < 0.5)
    for key in optional:
        if len(chosen) >= low:
            break
        chosen.add(key)
    for key, deps in flat.get("dependentRequired", {}).items():
        if key in chosen:
            chosen.update(deps)
    keys = [k for k in props if k in chosen] + sorted(k for k in chosen if k not in props)
    # Free-form keys only for map-like objects (dict[str, X]), never for bare {"type": "object"}.
    map_like = isinstance(flat.get("additionalProperties"), Mapping) or "patternProperties" in flat
    extra = 0 if ctx.terminal or props or not map_like else ctx.rng.randint(1, MAX_EXTRA_PROPERTIES)
    keys += _extra_keys(flat, ctx, max(low - len(keys), extra), set(keys))
    keys = [k for k in keys if k in required] + [k for k in keys if k not in required]
    keys = keys[: int(min(len(keys), max(high, len(required))))]
    nested = ctx.nested()
    return {key: _generate(_schema_for_key(flat, key), nested, key) for key in keys}


def _extra_keys(flat: Mapping[str, Any], ctx: _Context, count: int, taken: set[str]) -> list[str]:
    patterns = list(flat.get("patternProperties", {}))
    additional = flat.get("additionalProperties", True)
    if count <= 0 or (additional is False and not patterns):
        return []
    names_schema = flat.get("propertyNames", {})
    words = [*ctx.hints, "alpha", "bravo", "delta", "echo", "kilo", "lima", "nova", "orbit"]
    keys: list[str] = []
    for attempt in range(count * 6):
        if patterns and (additional is False or ctx.rng.random() < 0.5):
            key_schema = merge(names_schema, {"pattern": ctx.rng.choice(patterns)})
            key = str(_generate(merge(key_schema, {"type": "string"}), ctx.hop(), ""))
        elif names_schema:
            key = str(_generate(merge(names_schema, {"type": "string"}), ctx.hop(), ""))
        else:
            key = words[attempt % len(words)] if attempt < len(words) else f"key{attempt}"
        if key not in taken and key not in keys:
            keys.append(key)
        if len(keys) == count:
            break
    return keys


def _schema_for_key(flat: Mapping[str, Any], key: str) -> Any:
    subs = [sub for pat, sub in flat.get("patternProperties", {}).items() if re.search(pat, key)]
    if key in flat.get("properties", {}):
        subs.append(flat["properties"][key])
    if not subs:
        subs.append(flat.get("additionalProperties", True))
    return subs[0] if len(subs) == 1 else {"allOf": subs}
