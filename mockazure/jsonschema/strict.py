"""Structured Outputs' strict mode: the two rules the service states for every object of a
strict schema (`text.format` with `strict: true`, a function tool with `strict: true`), worded
as it words them:

* "In context=(), 'additionalProperties' is required to be supplied and to be false."
  (mavam/pi-web-providers#14 quotes it from `/responses` with `param: "text.format.schema"`,
  `code: "invalid_json_schema"`; moeru-ai/xsai#202 the nested form
  "In context=('properties', 'etymology'), ..." from Azure);
* "In context=(), 'required' is required to be supplied and to be an array including every key
  in properties. Missing 'b'." (OpenAI's structured-outputs guide: "all fields must be
  required").

The context is the path from the root as a Python tuple of strings, as the service prints it.
Objects are found through `properties`, `items`, `anyOf`, `$defs` and `definitions`; the walk
is bounded by the schema's size (the request body's limit).
"""

from collections.abc import Iterator
from typing import Any

Path = tuple[str, ...]


def strict_problem(schema: Any) -> str | None:
    """`None` when every object of `schema` obeys strict mode, else the service's message."""
    for path, node in _objects(schema, ()):
        context = f"In context={path!r}, "
        if node.get("additionalProperties") is not False:
            return context + "'additionalProperties' is required to be supplied and to be false."
        properties = node.get("properties") or {}
        required = node.get("required")
        missing = [k for k in properties if not isinstance(required, list) or k not in required]
        if missing:
            return (
                context + "'required' is required to be supplied and to be an array including "
                f"every key in properties. Missing '{missing[0]}'."
            )
    return None


def _is_object(node: dict[str, Any]) -> bool:
    kind = node.get("type")
    return kind == "object" or (isinstance(kind, list) and "object" in kind) or "properties" in node


def _objects(node: Any, path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    if not isinstance(node, dict):
        return
    if _is_object(node):
        yield path, node
    for key in ("properties", "$defs", "definitions"):
        children = node.get(key)
        if isinstance(children, dict):
            for name, child in children.items():
                yield from _objects(child, (*path, key, str(name)))
    items = node.get("items")
    if isinstance(items, dict):
        yield from _objects(items, (*path, "items"))
    for key in ("anyOf",):
        options = node.get(key)
        if isinstance(options, list):
            for index, child in enumerate(options):
                yield from _objects(child, (*path, key, str(index)))
