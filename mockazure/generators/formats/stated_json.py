"""JSON mode with the wanted object described in the prompt (instructor `Mode.JSON`, LangChain's
`PydanticOutputParser` / `JsonOutputParser` format instructions, llama-index's output parsers).

These send `response_format: json_object` and state, in a system or user message, a JSON Schema
(fenced or inline, often a pydantic `model_json_schema()` dump) or an example object. The last
schema stated wins (LangChain's instructions show a small example schema before the real one);
with no schema, the last example object gives the shape. No statement: None (the usual object).
"""

import json
import random
from typing import Any

from mockazure.generators.formats.conversation import MAX_SCAN_CHARS, Conversation, try_instance
from mockazure.jsonschema.instances import JSON, schema_problem

MAX_DECODE_ATTEMPTS = 64  # '{' positions tried per message, so a brace-heavy prompt stays cheap
_DECODER = json.JSONDecoder()
_SCHEMA_WORDS = frozenset(
    [
        "type",
        "properties",
        "required",
        "items",
        "$defs",
        "definitions",
        "$ref",
        "anyOf",
        "oneOf",
        "allOf",
        "enum",
        "title",
        "description",
        "additionalProperties",
        "$schema",
        "format",
        "minimum",
        "maximum",
    ]
)


def answer(conversation: Conversation, rng: random.Random) -> str | None:
    if not conversation.json_mode:
        return None
    schema = stated_schema(conversation)
    if schema is None:
        return None
    ok, value = try_instance(conversation, schema, rng, conversation.last_user)
    return json.dumps(value, ensure_ascii=False) if ok else None


def stated_schema(conversation: Conversation) -> dict[str, Any] | None:
    """The JSON Schema the prompt states, or one inferred from its example object."""
    found: list[dict[str, Any]] = []
    ordered = [t for r, t in conversation.turns if r in ("system", "developer")]
    ordered += [t for r, t in conversation.turns if r == "user"]
    for content in ordered:
        found.extend(_objects(content[:MAX_SCAN_CHARS]))
    schemas = [value for value in found if _is_schema(value)]
    if schemas:
        return schemas[-1]
    return schema_of(found[-1]) if found else None


def _objects(content: str) -> list[dict[str, Any]]:
    """The JSON objects written in `content` (outermost only), fenced or inline."""
    objects: list[dict[str, Any]] = []
    position = content.find("{")
    for _ in range(MAX_DECODE_ATTEMPTS):
        if position < 0:
            break
        try:
            value, end = _DECODER.raw_decode(content, position)
        except (ValueError, RecursionError):  # deep nesting: not a statement to follow
            position = content.find("{", position + 1)
            continue
        if isinstance(value, dict) and value:
            objects.append(value)
        position = content.find("{", end)
    return objects


def _is_schema(value: dict[str, Any]) -> bool:
    properties = value.get("properties")
    if isinstance(properties, dict):
        described = all(isinstance(sub, dict) for sub in properties.values())
    else:
        described = "$schema" in value or (
            value.get("type") in ("object", "array") and set(value) <= _SCHEMA_WORDS
        )
    return described and schema_problem(value) is None


def schema_of(example: JSON) -> dict[str, Any]:
    """A schema every value shaped like `example` meets: same keys, same kinds of values."""
    if isinstance(example, dict):
        return {
            "type": "object",
            "properties": {key: schema_of(sub) for key, sub in example.items()},
            "required": list(example),
            "additionalProperties": False,
        }
    if isinstance(example, list):
        return {"type": "array", "items": schema_of(example[0]) if example else {}}
    if isinstance(example, bool):
        return {"type": "boolean"}
    if isinstance(example, int):
        return {"type": "integer"}
    if isinstance(example, float):
        return {"type": "number"}
    return {"type": "null"} if example is None else {"type": "string"}
