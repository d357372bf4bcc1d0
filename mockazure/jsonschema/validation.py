"""JSON Schema validation with jsonschema-rs (compiled validators, Draft 2020-12 by default).

Two jobs:
- ``schema_problem``: is a user's schema (``tools[].function.parameters``, ``response_format``)
  a JSON Schema? It is checked against the meta-schema of its draft (Draft 2020-12 unless
  ``$schema`` names another) and then compiled, so bad regexes and dangling local ``$ref``s are
  caught too. The message is worded as the service words it: OpenAI/Azure validate with the
  Python ``jsonschema`` package and answer e.g. "Invalid schema for function 'f': [] is not of
  type 'object', 'boolean'." (seen in FoundationAgents/OpenManus#1162), so the error of
  jsonschema-rs is rendered in that package's words.
- ``Checker``: compiled validators for the generator's candidates, local ``$ref``s resolved
  against the root schema. Validators of whole schemas are cached (bounded LRU).

Remote references are never fetched (``offline=True``).
"""

from __future__ import annotations

import functools
import importlib
import json
from collections import OrderedDict
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema_rs

from mockazure.jsonschema.merge import ALSO

_ROOT_URI = "urn:mockazure:schema"
_SUB = "x-mockazure-sub"
_CACHE_SIZE = 256
_CACHE_MAX_KEY = 64 * 1024  # schemas larger than this are compiled each time, never kept
_cache: OrderedDict[str, jsonschema_rs.Validator] = OrderedDict()


@functools.cache
def _rs() -> ModuleType:
    """jsonschema-rs, imported on the first schema (the idle server need not map it)."""
    return importlib.import_module("jsonschema_rs")


def compiled(schema: Any) -> jsonschema_rs.Validator:
    """A validator for a whole schema; raises ``jsonschema_rs.ValidationError`` if it is invalid."""
    key = _text(schema)
    found = _cache.get(key)
    if found is not None:
        _cache.move_to_end(key)
        return found
    validator: jsonschema_rs.Validator = _rs().validator_for(schema, offline=True)
    if len(key) <= _CACHE_MAX_KEY:
        _cache[key] = validator
        if len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return validator


def schema_problem(schema: Any) -> str | None:
    """``None`` for a valid schema, else the service's description of the first problem."""
    try:
        _rs().meta.validate(schema)
        compiled(schema)
    except _rs().ValidationError as error:
        return service_message(error)
    except (_rs().ReferencingError, ValueError) as error:
        return str(error).splitlines()[0]
    return None


def service_message(error: jsonschema_rs.ValidationError) -> str:
    """The Python ``jsonschema`` package's wording of ``error`` (the service's wording)."""
    render = _WORDING.get(type(error.kind).__name__)
    if render is None:
        return error.message
    return render(error.instance, error.kind)


def _types(kind: Any) -> str:
    names = list(kind.types)
    if set(names) == {"object", "boolean"}:  # the meta-schema's order: ["object", "boolean"]
        names = ["object", "boolean"]
    return ", ".join(repr(t) for t in names)


_WORDING: dict[str, Callable[[Any, Any], str]] = {
    "Type": lambda v, k: f"{v!r} is not of type {_types(k)}",
    "AnyOf": lambda v, k: f"{v!r} is not valid under any of the given schemas",
    "OneOfNotValid": lambda v, k: f"{v!r} is not valid under any of the given schemas",
    "Enum": lambda v, k: f"{v!r} is not one of {list(k.options)!r}",
    "Required": lambda v, k: f"{k.property!r} is a required property",
    "Minimum": lambda v, k: f"{v!r} is less than the minimum of {k.limit!r}",
    "Maximum": lambda v, k: f"{v!r} is greater than the maximum of {k.limit!r}",
    "ExclusiveMinimum": lambda v, k: f"{v!r} is less than or equal to the minimum of {k.limit!r}",
    "ExclusiveMaximum": lambda v, k: (
        f"{v!r} is greater than or equal to the maximum of {k.limit!r}"
    ),
    "UniqueItems": lambda v, k: f"{v!r} has non-unique elements",
    "MinItems": lambda v, k: (
        f"{v!r} should be non-empty" if k.limit == 1 else f"{v!r} is too short"
    ),
    "Format": lambda v, k: f"{v!r} is not a {k.format!r}",
    "Pattern": lambda v, k: f"{v!r} does not match {k.pattern!r}",
}


class Checker:
    """Validates candidate values against sub-schemas of one root schema.

    A sub-schema may hold local references (``#/$defs/X``, ``#``) that mean the root; it is
    compiled inside a copy of the root (under ``$defs``) so they resolve as written.
    """

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self._has_refs = '"$ref"' in _text(root)

    def validator(self, schema: Any) -> jsonschema_rs.Validator:
        """A validator for ``schema`` (a part of the root, or built from parts of it)."""
        schema = _with_also(schema)
        if schema is self.root or not self._has_refs:
            return compiled(schema)
        defs = self.root.get("$defs")
        document = {
            **self.root,
            "$defs": {**(defs if isinstance(defs, Mapping) else {}), _SUB: schema},
        }
        registry = _rs().Registry([(_ROOT_URI, document)])
        ref = {"$ref": f"{_ROOT_URI}#/$defs/{_SUB}"}
        validator: jsonschema_rs.Validator = _rs().validator_for(
            ref, registry=registry, offline=True
        )
        return validator

    def conforms(self, schema: Any, value: Any) -> bool:
        """Whether ``value`` is valid against ``schema``; an uncompilable schema conforms to nothing."""
        try:
            return bool(self.validator(schema).is_valid(value))
        except (_rs().ValidationError, _rs().ReferencingError, ValueError):
            return False


def _with_also(schema: Any) -> Any:
    """The generator's unmerged constraints (``ALSO``) are ``allOf`` members for the validator."""
    if not isinstance(schema, Mapping) or ALSO not in schema:
        return schema
    rest = {k: v for k, v in schema.items() if k != ALSO}
    return {**rest, "allOf": [*rest.get("allOf", []), *schema[ALSO]]}


def _text(schema: Any) -> str:
    """The cache key: the schema's JSON as sent (key order counts; a miss only costs a compile)."""
    return json.dumps(schema, separators=(",", ":"), ensure_ascii=False, default=repr)
