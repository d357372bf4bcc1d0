"""The generator's schema algebra: local ``$ref`` lookup, ``allOf`` merging, JSON equality.

Validation itself is jsonschema-rs (``jsonschema.validation``); this module only reshapes schemas so
that ``jsonschema.instances`` can build one value for several constraints at once.
"""

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

Schema = Mapping[str, Any]

_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_ANNOTATIONS = ("title", "description", "default", "examples", "$comment", "discriminator")
_SUBSCHEMAS = ("items", "additionalProperties", "additionalItems", "contains", "propertyNames")
ALSO = "x-mockazure-also"  # constraints that could not be merged; checked after generation


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


def json_key(value: Any) -> str:
    """A hashable key with JSON Schema's equality: ``1`` and ``1.0`` alike, ``True`` and ``1`` not.

    Sets of keys make enum intersection and ``uniqueItems`` linear (pairwise equality was
    quadratic: a 4,000-value enum took seconds).
    """
    return json.dumps(_normal(value), sort_keys=True, ensure_ascii=False)


def _normal(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    return value


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
            allowed = {json_key(y) for y in value}
            out[key] = [x for x in out[key] if json_key(x) in allowed]
        elif key in ("properties", "patternProperties", "$defs", "definitions"):
            out[key] = _merge_maps(out[key], value)
        elif key in ("allOf", ALSO):
            out[key] = [*out[key], *value]
        elif key in _SUBSCHEMAS and isinstance(out[key], Mapping) and isinstance(value, Mapping):
            out[key] = {"allOf": [out[key], value]}
        elif key in _SUBSCHEMAS and (out[key] is False or value is False):
            out[key] = False
        elif json_key(out[key]) != json_key(value):
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
