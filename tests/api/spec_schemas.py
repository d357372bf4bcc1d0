"""Validate payloads against a component schema of an official OpenAPI 3.0 spec with
jsonschema: `nullable` is rewritten into JSON Schema's `null` type first."""

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

REPO = Path(__file__).resolve().parents[2]
SPECS_DIR = Path(
    os.environ.get("MOCKAZURE_SPECS_DIR", REPO.parent / "shared" / "azure-openai-specs")
)
V1_SPEC = SPECS_DIR / "v1" / "azure-v1-v1-generated.json"


def _nullable(node: Any) -> Any:
    if isinstance(node, list):
        return [_nullable(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _nullable(v) for k, v in node.items() if k != "discriminator"}
    if node.pop("nullable", False):
        combined = any(k in node for k in ("allOf", "anyOf", "oneOf", "$ref", "enum"))
        if isinstance(node.get("type"), str) and not combined:
            node["type"] = [node["type"], "null"]
        else:
            return {"anyOf": [node, {"type": "null"}]}
    return node


@cache
def _registry(path: Path) -> tuple[Registry, dict[str, Any]]:
    spec = _nullable(json.loads(path.read_text(encoding="utf-8")))
    resource: Resource[Any] = DRAFT202012.create_resource(spec)
    return Registry().with_resource("spec", resource), spec


def discriminator_mapping(name: str, path: Path = V1_SPEC) -> dict[str, str]:
    spec = json.loads(path.read_text(encoding="utf-8"))
    mapping = spec["components"]["schemas"][name]["discriminator"]["mapping"]
    return {k: v.rsplit("/", 1)[-1] for k, v in mapping.items()}


def validate(instance: Any, schema_name: str, path: Path = V1_SPEC) -> None:
    registry, _ = _registry(path)
    schema = {"$ref": f"spec#/components/schemas/{schema_name}"}
    jsonschema.Draft202012Validator(schema, registry=registry).validate(instance)
