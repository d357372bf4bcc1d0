"""Small JSON Schema helpers: local ``$ref`` lookup, ``allOf`` merging and a light validator.

``conforms`` covers the keywords that ``schema_instances`` generates for (types, enum/const,
numeric and length bounds, pattern, object and array keywords, the combinators, ``$ref`` and
``if``/``then``/``else``). ``format`` and unknown keywords are not checked. It lets the generator
filter candidates without depending on the ``jsonschema`` package at run time.
"""

import math
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote

Schema = Mapping[str, Any]

_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_ANNOTATIONS = ("title", "description", "default", "examples", "$comment", "discriminator")
_SUBSCHEMAS = ("items", "additionalProperties", "additionalItems", "contains", "propertyNames")
ALSO = "x-mockazure-also"  # constraints that could not be merged; checked after generation
_TYPE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: _is_number(v) and (isinstance(v, int) or v.is_integer()),
    "number": lambda v: _is_number(v),
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


class UnsatisfiableSchema(ValueError):
    """No instance can be built for the schema (contradiction, unsupported construct or ref)."""


def resolve_ref(root: Schema, ref: str) -> Any:
    """Follow a local reference such as ``#/$defs/Node``, ``#/definitions/X`` or ``#``."""
    if not ref.startswith("#"):
        raise UnsatisfiableSchema(f"only local references are supported, got {ref!r}")
    node: Any = root
    for raw in unquote(ref[1:]).split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise UnsatisfiableSchema(f"reference {ref!r} does not resolve")
    return node


def json_equal(a: Any, b: Any) -> bool:
    """Equality as JSON Schema defines it: ``1 == 1.0`` but ``True != 1``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if _is_number(a) and _is_number(b):
        return bool(a == b)
    return type(a) is type(b) and bool(a == b)


def merge(a: Schema, b: Schema) -> dict[str, Any]:
    """Combine two schemas into one that implies both; unmerged parts go under ``ALSO``."""
    out = dict(a)
    for key, value in b.items():
        if key not in out or key in _ANNOTATIONS:
            out.setdefault(key, value)
        elif key in _LOWER_BOUNDS:
            out[key] = max(out[key], value)
        elif key in _UPPER_BOUNDS:
            out[key] = min(out[key], value)
        elif key == "required":
            out[key] = list(dict.fromkeys([*out[key], *value]))
        elif key == "type":
            out[key] = _merge_types(out[key], value)
        elif key == "enum":
            out[key] = [x for x in out[key] if any(json_equal(x, y) for y in value)]
        elif key in ("properties", "patternProperties", "$defs", "definitions"):
            out[key] = _merge_maps(out[key], value)
        elif key in ("allOf", ALSO):
            out[key] = [*out[key], *value]
        elif key in _SUBSCHEMAS and isinstance(out[key], Mapping) and isinstance(value, Mapping):
            out[key] = {"allOf": [out[key], value]}
        elif key in _SUBSCHEMAS and (out[key] is False or value is False):
            out[key] = False
        elif not json_equal(out[key], value):
            out[ALSO] = [*out.get(ALSO, []), {key: value}]
    return out


def _merge_types(a: str | list[str], b: str | list[str]) -> list[str]:
    left, right = ([a] if isinstance(a, str) else a), ([b] if isinstance(b, str) else b)
    both = [t for t in left if t in right]
    if "integer" not in both and (
        ("integer" in left and "number" in right) or ("number" in left and "integer" in right)
    ):
        both.append("integer")
    return both


def _merge_maps(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for key, value in b.items():
        out[key] = {"allOf": [out[key], value]} if key in out else value
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def conforms(schema: Any, value: Any, root: Schema) -> bool:
    """Best-effort validation of ``value`` against ``schema`` (``format`` is not checked)."""
    if isinstance(schema, bool):
        return schema
    if not isinstance(schema, Mapping):
        return False
    checks = (_check_core, _check_number, _check_string, _check_array, _check_object, _check_logic)
    return all(check(schema, value, root) for check in checks)


def _check_core(schema: Schema, value: Any, root: Schema) -> bool:
    if "$ref" in schema and not conforms(resolve_ref(root, schema["$ref"]), value, root):
        return False
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else types
        if not any(_TYPE_CHECKS[t](value) for t in names if t in _TYPE_CHECKS):
            return False
    if "const" in schema and not json_equal(schema["const"], value):
        return False
    return "enum" not in schema or any(json_equal(x, value) for x in schema["enum"])


def number_conforms(schema: Schema, value: Any) -> bool:
    """Type, bound and ``multipleOf`` check for a candidate number."""
    return _check_core({"type": schema.get("type")}, value, {}) and _check_number(schema, value, {})


def _check_number(schema: Schema, value: Any, root: Schema) -> bool:
    if not _is_number(value):
        return True
    lo, hi = schema.get("minimum"), schema.get("maximum")
    xlo, xhi = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if xlo is True or xhi is True:  # draft-04 boolean form
        xlo, xhi = (lo if xlo is True else None), (hi if xhi is True else None)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        return False
    if _is_number(xlo) and value <= xlo or _is_number(xhi) and value >= xhi:
        return False
    step = schema.get("multipleOf")
    if step is None:
        return True
    if isinstance(step, float) or isinstance(value, float):
        quotient = value / step
        return math.isfinite(quotient) and float(quotient).is_integer()
    return bool(value % step == 0)


def _check_string(schema: Schema, value: Any, root: Schema) -> bool:
    if not isinstance(value, str):
        return True
    if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", math.inf):
        return False
    return "pattern" not in schema or re.search(schema["pattern"], value) is not None


def _check_array(schema: Schema, value: Any, root: Schema) -> bool:
    if not isinstance(value, list):
        return True
    if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", math.inf):
        return False
    prefix = schema.get("prefixItems", [])
    items = schema.get("items", True)
    if isinstance(items, list):  # draft-04 tuple form
        prefix, items = items, schema.get("additionalItems", True)
    for index, item in enumerate(value):
        sub = prefix[index] if index < len(prefix) else items
        if not conforms(sub, item, root):
            return False
    if schema.get("uniqueItems") and any(
        json_equal(value[i], value[j]) for i in range(len(value)) for j in range(i)
    ):
        return False
    if "contains" in schema:
        hits = sum(conforms(schema["contains"], item, root) for item in value)
        return bool(schema.get("minContains", 1) <= hits <= schema.get("maxContains", math.inf))
    return True


def _check_object(schema: Schema, value: Any, root: Schema) -> bool:
    if not isinstance(value, dict):
        return True
    if any(key not in value for key in schema.get("required", [])):
        return False
    if not schema.get("minProperties", 0) <= len(value) <= schema.get("maxProperties", math.inf):
        return False
    props, patterns = schema.get("properties", {}), schema.get("patternProperties", {})
    for key, item in value.items():
        matched = [sub for pat, sub in patterns.items() if re.search(pat, key)]
        if key in props:
            matched.append(props[key])
        elif not matched:
            matched.append(schema.get("additionalProperties", True))
        if not all(conforms(sub, item, root) for sub in matched):
            return False
        if "propertyNames" in schema and not conforms(schema["propertyNames"], key, root):
            return False
    for key, deps in schema.get("dependentRequired", {}).items():
        if key in value and any(dep not in value for dep in deps):
            return False
    return True


def _check_logic(schema: Schema, value: Any, root: Schema) -> bool:
    subs = [*schema.get("allOf", []), *schema.get(ALSO, [])]
    if not all(conforms(sub, value, root) for sub in subs):
        return False
    if "anyOf" in schema and not any(conforms(sub, value, root) for sub in schema["anyOf"]):
        return False
    if "oneOf" in schema and sum(conforms(sub, value, root) for sub in schema["oneOf"]) != 1:
        return False
    if "not" in schema and conforms(schema["not"], value, root):
        return False
    if "if" in schema:
        branch = "then" if conforms(schema["if"], value, root) else "else"
        return conforms(schema.get(branch, True), value, root)
    return True


_TYPE_NAMES = frozenset(_TYPE_CHECKS)
_SUBSCHEMA_KEYS = (
    *("items", "additionalProperties", "additionalItems", "contains", "propertyNames", "not"),
    *("if", "then", "else", "unevaluatedItems", "unevaluatedProperties"),
)
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_COUNTS = (
    *("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"),
    *("minContains", "maxContains"),
)
_NUMBERS = ("minimum", "maximum", "multipleOf")


def is_valid_schema(schema: Any) -> bool:
    """Cheap structural check: a mapping whose known keywords have the right shapes.

    Unknown keywords are allowed (JSON Schema ignores them); local ``$ref`` targets must exist.
    """
    return isinstance(schema, Mapping) and _valid(schema, schema, 0)


def _valid(node: Any, root: Schema, depth: int) -> bool:
    if isinstance(node, bool):
        return True
    if not isinstance(node, Mapping) or depth > 64 or not all(isinstance(k, str) for k in node):
        return False
    return _valid_scalars(node, root) and _valid_children(node, root, depth + 1)


def _valid_scalars(node: Schema, root: Schema) -> bool:
    types = node.get("type", "string")
    names = [types] if isinstance(types, str) else types
    if not isinstance(names, list) or not names or not all(t in _TYPE_NAMES for t in names):
        return False
    if not all(isinstance(r, str) for r in _as_list(node.get("required", []))):
        return False
    if "enum" in node and not isinstance(node["enum"], list):
        return False
    if not all(_is_count(node[k]) for k in _COUNTS if k in node):
        return False
    if not all(_is_number(node[k]) for k in _NUMBERS if k in node):
        return False
    if not node.get("multipleOf", 1) > 0:
        return False
    for key in ("exclusiveMinimum", "exclusiveMaximum"):
        if key in node and not (_is_number(node[key]) or isinstance(node[key], bool)):
            return False
    patterns = [
        *node.get("patternProperties", {}),
        *([node["pattern"]] if "pattern" in node else []),
    ]
    return all(_compiles(p) for p in patterns) and _valid_ref(node.get("$ref"), root)


def _valid_children(node: Schema, root: Schema, depth: int) -> bool:
    children: list[Any] = [node[k] for k in _SUBSCHEMA_KEYS if k in node]
    for key in _SUBSCHEMA_LISTS:
        if key in node:
            if not isinstance(node[key], list):
                return False
            children.extend(node[key])
    for key in _SUBSCHEMA_MAPS:
        if key in node:
            if not isinstance(node[key], Mapping):
                return False
            children.extend(node[key].values())
    if isinstance(node.get("items"), list):  # draft-04 tuple form
        children = [c for c in children if c is not node["items"]] + node["items"]
    return all(_valid(child, root, depth) for child in children)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [None]


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _compiles(pattern: Any) -> bool:
    try:
        re.compile(pattern)
    except (re.error, TypeError, OverflowError, RecursionError):  # a{99999999999999999999}
        return False
    return True


def _valid_ref(ref: Any, root: Schema) -> bool:
    if ref is None:
        return True
    if not isinstance(ref, str):
        return False
    try:
        resolve_ref(root, ref)
    except UnsatisfiableSchema:
        return not ref.startswith("#")  # remote references are not checked here
    return True
