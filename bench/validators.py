"""`python -m bench.validators`: jsonschema-rs against jsonschema (Python) on the schemas the
service checks, in microseconds per call (CPU time, best of 5 rounds), as JSON.

Two tool schemas: a small one (the SDK docs' weather function) and a pydantic v2 model with a
nested `$ref`, an enum, bounds, an array and a map. For each: the meta-schema check (Draft
2020-12), compiling a validator, and checking one instance with a compiled validator.
"""

import json
import random
import time
from collections.abc import Callable
from typing import Any

import jsonschema  # type: ignore[import-untyped, unused-ignore]
import jsonschema_rs

from bench.bodies import ORDER_TOOL
from mockazure.jsonschema.instances import instance_for

WEATHER = {
    "type": "object",
    "properties": {
        "location": {"type": "string", "description": "The city, e.g. Paris"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
    },
    "required": ["location"],
}
PERSON = {
    "$defs": {
        "Address": {
            "type": "object",
            "properties": {
                "street": {"type": "string"},
                "city": {"type": "string"},
                "postcode": {"type": "string", "pattern": "^\\\\d{5}$"},
            },
            "required": ["street", "city", "postcode"],
        }
    },
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "age": {"type": "integer", "minimum": 0, "maximum": 130},
        "unit": {"enum": ["a", "b", "c"]},
        "address": {"$ref": "#/$defs/Address"},
        "previous": {"type": "array", "items": {"$ref": "#/$defs/Address"}},
        "tags": {"type": "object", "additionalProperties": {"type": "integer"}},
    },
    "required": ["name", "age", "unit", "address"],
}


def _us(call: Callable[[], Any], number: int = 300) -> float:
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for _ in range(number):
            call()
        best = min(best, (time.process_time() - started) / number)
    return round(best * 1e6, 2)


def measure(schema: dict[str, Any]) -> dict[str, float]:
    value = instance_for(schema, random.Random(1))
    meta = jsonschema.Draft202012Validator(jsonschema.Draft202012Validator.META_SCHEMA)
    py = jsonschema.Draft202012Validator(schema)
    rs = jsonschema_rs.validator_for(schema)
    return {
        "meta_check_jsonschema_us": _us(lambda: meta.is_valid(schema), 30),
        "meta_check_jsonschema_rs_us": _us(lambda: jsonschema_rs.meta.is_valid(schema)),
        "compile_jsonschema_us": _us(lambda: jsonschema.Draft202012Validator(schema)),
        "compile_jsonschema_rs_us": _us(lambda: jsonschema_rs.validator_for(schema)),
        "instance_jsonschema_us": _us(lambda: py.is_valid(value)),
        "instance_jsonschema_rs_us": _us(lambda: rs.is_valid(value)),
    }


def main() -> None:
    schemas = {
        "weather": WEATHER,
        "person": PERSON,
        "bench_tool": ORDER_TOOL["function"]["parameters"],
    }
    report = {name: {"bytes": len(json.dumps(s)), **measure(s)} for name, s in schemas.items()}
    print(json.dumps(report, indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
