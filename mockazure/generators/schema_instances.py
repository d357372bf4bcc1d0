"""TEMPORARY stub (replaced by the jsonschema branch)."""

import random
from collections.abc import Mapping
from typing import Any


def instance_for(schema: Mapping[str, Any], rng: random.Random, *, hint: str = "") -> Any:
    t = schema.get("type")
    if t == "object":
        return {k: instance_for(v, rng, hint=hint) for k, v in schema.get("properties", {}).items()}
    if t == "string":
        return "text"
    if t == "integer":
        return 1
    return None
