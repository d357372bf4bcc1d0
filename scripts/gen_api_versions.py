"""Generate ``mockazure/data/api_versions.json`` from the official Azure OpenAI specs.

Usage: ``python scripts/gen_api_versions.py [--specs DIR] [--out FILE] [--check]``.

The specs live in ``<repo>/../shared/azure-openai-specs`` (one ``<version>.json`` inference spec and
one ``authoring-<version>.json`` per api-version). Everything in the output is read from them,
except three clearly marked hand-written parts, each citing ``shared/reference/azure-surface.md``:
``DESCRIPTION_LIMITS`` (limits stated only in prose), ``OBSERVED`` (real-service behaviour) and
``overlay_2025_04`` (2025-04-01-preview, which has no spec file here).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import responses_registry  # scripts/ is not a package: found through the path above
import v1_registry

Json = dict[str, Any]
REPO = Path(__file__).resolve().parents[1]
DEFAULT_SPECS = REPO.parent / "shared" / "azure-openai-specs"
DEFAULT_OUT = REPO / "mockazure" / "data" / "api_versions.json"
NO_SPEC_VERSION = "2025-04-01-preview"

INFERENCE_PATHS = {
    "/deployments/{deployment-id}/completions": "completions",
    "/deployments/{deployment-id}/embeddings": "embeddings",
    "/deployments/{deployment-id}/chat/completions": "chat_completions",
    "/deployments/{deployment-id}/extensions/chat/completions": "extensions_chat_completions",
    "/deployments/{deployment-id}/images/generations": "image_generations",
    "/deployments/{deployment-id}/images/edits": "image_edits",
    "/deployments/{deployment-id}/audio/transcriptions": "transcriptions",
    "/deployments/{deployment-id}/audio/translations": "translations",
    "/deployments/{deployment-id}/audio/speech": "speech",
}
# DALL-E 2 long-running operations: authoring spec, not under /deployments (azure-surface.md §4.6).
AUTHORING_PATHS = {
    ("/images/generations:submit", "post"): "image_generations_submit",
    ("/operations/images/{operation-id}", "get"): "image_operation_get",
    ("/operations/images/{operation-id}", "delete"): "image_operation_delete",
    ("/models", "get"): "models_list",
    ("/models/{model-id}", "get"): "model_get",
    ("/models/{model_id}", "get"): "model_get",  # 2022-03/06-preview spell it with "_"
}
# Space-separated dotted request paths whose string enums are recorded, per operation. A path
# ending in "@response" is read from the 200 response body (the DALL-E 2 operation status).
ENUM_PATHS = {
    "chat_completions": "messages.role tool_choice response_format.type data_sources.type "
    "function_call reasoning_effort modalities",
    "extensions_chat_completions": "messages.role dataSources.type",
    "image_generations": "size quality style response_format output_format background",
    "image_edits": "size quality response_format",
    "transcriptions": "response_format timestamp_granularities[]",
    "translations": "response_format",
    "speech": "voice response_format",
    "image_generations_submit": "size",
    "image_operation_get": "status@response",
}

# Limits stated only in descriptions (azure-surface.md §4 "desc:"), as (op, field) -> (min, max).
# Applied only where the schema itself has no such keyword and the version defines the field.
DESCRIPTION_LIMITS: dict[tuple[str, str], tuple[float | None, float | None]] = {
    # §4.1 completions: n "Minimum of 1 and maximum of 128", stop "Up to 4 sequences", logprobs
    # "maximum of 5", best_of "maximum value of 128" (the 2024-08+ schema says 20), temperature
    # 0..2, top_p 0..1, penalties -2..2 (schema keywords only from 2024-08-01-preview).
    ("completions", "n"): (1, 128),
    ("completions", "stop"): (None, 4),
    ("completions", "logprobs"): (0, 5),
    ("completions", "best_of"): (None, 128),
    ("completions", "temperature"): (0, 2),
    ("completions", "top_p"): (0, 1),
    ("completions", "presence_penalty"): (-2, 2),
    ("completions", "frequency_penalty"): (-2, 2),
    # §4.3 chat: tools "A max of 128 functions"; functions maxItems 128 is in the schema only
    # from 2023-12-01-preview, the same limit is applied to 2023-07..2023-10-preview.
    ("chat_completions", "tools"): (None, 128),
    ("chat_completions", "functions"): (None, 128),
    # §4.5 images: prompt "maximum length is 4000 characters".
    ("image_generations", "prompt"): (None, 4000),
    # §4.7 audio: temperature "between 0 and 1".
    ("transcriptions", "temperature"): (0, 1),
    ("translations", "temperature"): (0, 1),
}
# §4.1: the 2022-03/06-preview descriptions allow completions logprobs up to 100, not 5.
EARLY_LOGPROBS_MAX = {"2022-03-01-preview": 100, "2022-06-01-preview": 100}
# embeddings encoding_format has no enum, only the description "either `float` or `base64`" (§4.2).
DESCRIPTION_ENUMS = {("embeddings", "encoding_format"): ["float", "base64"]}
# [obs] §9f: 2023-06-01-preview sends the prompt filter under "prompt_annotations"; its spec says
# prompt_filter_results.
OBSERVED = {"2023-06-01-preview": {"prompt_filter_key": "prompt_annotations"}}


def resolve(doc: Json, schema: Any) -> Json:
    """Follow local ``$ref`` pointers (``#/components/...`` or ``#/definitions/...``)."""
    while isinstance(schema, dict) and "$ref" in schema:
        node: Any = doc
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema if isinstance(schema, dict) else {}


def members(doc: Json, schema: Any, *, items: bool = True) -> Iterator[Json]:
    """The schema, its allOf/oneOf/anyOf members (recursively) and, for arrays, its items."""
    node = resolve(doc, schema)
    yield node
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in node.get(key, []):
            yield from members(doc, sub, items=items)
    if items and "items" in node:
        yield from members(doc, node["items"])


def properties(doc: Json, schema: Any) -> Json:
    """Top-level properties: allOf merged, oneOf/anyOf unioned (array items excluded)."""
    props: Json = {}
    node = resolve(doc, schema)
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in node.get(key, []):
            props.update(properties(doc, sub))
    props.update(node.get("properties", {}))
    return props


def enum_at(doc: Json, root: Any, path: str) -> list[str]:
    """String enum values at a dotted path, through arrays, unions and discriminators."""
    level: list[Any] = [root]
    parents: list[Any] = []
    for part in path.split("."):
        parents = level
        level = [
            m["properties"][part]
            for s in level
            for m in members(doc, s)
            if part in m.get("properties", {})
        ]
    values: list[str] = []
    for schema in level:
        for node in members(doc, schema):
            found = [*node.get("enum", []), *([node["const"]] if "const" in node else [])]
            values += [x for x in found if isinstance(x, str) and x not in values]
    last = path.rsplit(".", 1)[-1]
    for schema in parents:
        for node in members(doc, schema):
            disc = node.get("discriminator") or {}
            if disc.get("propertyName") == last:
                values += [x for x in disc.get("mapping", {}) if x not in values]
    return values


def limits(doc: Json, schema: Any) -> tuple[float | None, float | None]:
    """(max, min) of one field: maximum, else maxItems, else maxLength (likewise for min)."""
    found: Json = {}
    for node in members(doc, schema, items=False):
        for key in ("maximum", "minimum", "maxItems", "minItems", "maxLength", "minLength"):
            if key in node:
                found.setdefault(key, node[key])
    high = next((found[k] for k in ("maximum", "maxItems", "maxLength") if k in found), None)
    low = next((found[k] for k in ("minimum", "minItems", "minLength") if k in found), None)
    return high, low


def request_schema(operation: Json) -> Any:
    """The body schema: OpenAPI 3 ``requestBody`` (JSON or multipart) or a Swagger 2 body."""
    for content in operation.get("requestBody", {}).get("content", {}).values():
        return content.get("schema", {})
    for param in operation.get("parameters", []):
        if isinstance(param, dict) and param.get("in") == "body":
            return param.get("schema", {})
    return {}


def response_schema(operation: Json) -> Any:
    ok = operation.get("responses", {}).get("200", {})
    for content in ok.get("content", {}).values():
        return content.get("schema", {})
    return ok.get("schema", {})


def extract_operation(doc: Json, op: str, operation: Json) -> Json:
    """operation_id, request fields, enums and limits of one operation of one spec."""
    body = request_schema(operation)
    props = properties(doc, body)
    enums: dict[str, list[str]] = {}
    for path in ENUM_PATHS.get(op, "").split():
        name, _, where = path.partition("@")
        root = response_schema(operation) if where == "response" else body
        values = enum_at(doc, root, name)
        if values:
            enums[name] = values
    maxima: Json = {}
    minima: Json = {}
    for name, schema in props.items():
        high, low = limits(doc, schema)
        if high is not None:
            maxima[name] = high
        if low is not None:
            minima[name] = low
    return {
        "operation_id": operation["operationId"],
        "fields": sorted(props),
        # embeddings declares `additionalProperties: true` in every spec (azure-surface.md §4.2)
        "additional_properties": resolve(doc, body).get("additionalProperties") is True,
        "enums": enums,
        "maxima": maxima,
        "minima": minima,
    }


def apply_description_facts(version: str, op: str, spec: Json) -> None:
    if op == "completions" and version in EARLY_LOGPROBS_MAX:
        spec["maxima"].setdefault("logprobs", EARLY_LOGPROBS_MAX[version])
    for (rule_op, key), (low, high) in DESCRIPTION_LIMITS.items():
        if rule_op == op and key in spec["fields"]:
            if high is not None:
                spec["maxima"].setdefault(key, high)
            if low is not None:
                spec["minima"].setdefault(key, low)
    for (rule_op, key), values in DESCRIPTION_ENUMS.items():
        if rule_op == op and key in spec["fields"]:
            spec["enums"].setdefault(key, list(values))


def filter_categories(doc: Json, names: tuple[str, ...]) -> list[str] | None:
    schemas = doc.get("components", {}).get("schemas", {})
    for name in names:
        if name in schemas:
            return [k for k in properties(doc, schemas[name]) if k != "error"]
    return None


def blocklist_shape(doc: Json) -> str | None:
    schemas = doc.get("components", {}).get("schemas", {})
    if "contentFilterPromptResults" not in schemas:
        return None
    field = properties(doc, schemas["contentFilterPromptResults"]).get("custom_blocklists")
    return None if field is None else str(resolve(doc, field).get("type"))


def response_features(doc: Json, version: str, chat_fields: list[str]) -> Json:
    """Response variations (azure-surface.md §5, §6) read from the response schemas."""
    schemas = doc.get("components", {}).get("schemas", {})
    chat = doc["paths"].get("/deployments/{deployment-id}/chat/completions", {}).get("post")
    chat_response = properties(doc, response_schema(chat)) if chat else {}
    usage = properties(doc, schemas.get("completionUsage", {}))
    prompt = filter_categories(doc, ("contentFilterPromptResults", "contentFilterResults"))
    choice = filter_categories(doc, ("contentFilterChoiceResults", "contentFilterResults"))
    features: Json = {
        "prompt_filter_key": "prompt_filter_results" if "promptFilterResults" in schemas else None,
        "prompt_filter_categories": prompt or [],
        "choice_filter_categories": choice or [],
        "custom_blocklists_shape": blocklist_shape(doc),
        "system_fingerprint": "system_fingerprint" in chat_response,
        "usage_completion_details": "completion_tokens_details" in usage,
        "usage_prompt_details": "prompt_tokens_details" in usage,
        "stream_usage": "stream_options" in chat_fields,
        # 2024-08-01-preview+: `refusal` is a required (nullable) message field (§5.1).
        "message_refusal": "refusal"
        in schemas.get("chatCompletionResponseMessage", {}).get("required", []),
    }
    features.update(OBSERVED.get(version, {}))
    return features


def models_shape(authoring: Json | None) -> Json:
    """The keys of the dated `Model` and of its `capabilities` (the authoring spec's models)."""
    definitions = (authoring or {}).get("definitions", {})
    if "Model" not in definitions:
        return {"model_fields": [], "model_capabilities": []}
    capabilities = properties(authoring or {}, definitions.get("Capabilities", {}))
    return {
        "model_fields": sorted(properties(authoring or {}, definitions["Model"])),
        "model_capabilities": sorted(capabilities),
    }


def extract_version(doc: Json, authoring: Json | None, version: str) -> Json:
    operations: Json = {}
    for path, op in INFERENCE_PATHS.items():
        if "post" in doc["paths"].get(path, {}):
            operations[op] = extract_operation(doc, op, doc["paths"][path]["post"])
    for (path, method), op in AUTHORING_PATHS.items():
        if authoring and method in authoring["paths"].get(path, {}):
            operations[op] = extract_operation(authoring, op, authoring["paths"][path][method])
    for op, spec in operations.items():
        apply_description_facts(version, op, spec)
    chat_fields = operations.get("chat_completions", {}).get("fields", [])
    return {
        "preview": version.endswith("-preview"),
        "operations": operations,
        "response": response_features(doc, version, chat_fields) | models_shape(authoring),
    }


def carry_models_forward(versions: Json) -> None:
    """Versions after the last authoring spec here (2024-12-01-preview on) keep its models
    routes and shape (docs/v1-facts.md, models listing: an inference)."""
    last: Json | None = None
    for entry in versions.values():
        ops = entry["operations"]
        if "models_list" in ops:
            last = {op: ops[op] for op in ("models_list", "model_get")} | {
                key: entry["response"][key] for key in ("model_fields", "model_capabilities")
            }
        elif last is not None:
            ops.update(copy.deepcopy({op: last[op] for op in ("models_list", "model_get")}))
            entry["response"]["model_fields"] = list(last["model_fields"])
            entry["response"]["model_capabilities"] = list(last["model_capabilities"])


# ---------------------------------------------------------------------------------------------
# 2025-04-01-preview has no spec file here (SOURCE.md). It is 2025-03-01-preview plus the facts
# summarised in azure-surface.md from upstream inference.yaml @ b2f74197 ([idx]).
# ---------------------------------------------------------------------------------------------
IMAGE_ENUMS_2025_04 = {  # §4.5a: dall-e-2 sizes 256x256/512x512 are gone from imageSize
    "size": ["auto", "1792x1024", "1024x1792", "1024x1024", "1024x1536", "1536x1024"],
    "quality": ["auto", "high", "medium", "low", "hd", "standard"],
    "response_format": ["url", "b64_json"],
}


def add_fields(spec: Json, *names: str) -> None:
    spec["fields"] = sorted({*spec["fields"], *names})


def overlay_2025_04(base: Json) -> Json:
    version = copy.deepcopy(base)
    ops = version["operations"]
    # §4.1: completions gains stream_options.
    add_fields(ops["completions"], "stream_options")
    # §4.3a: chat additions (all already in 2024-12..2025-03-preview specs) and developer role.
    chat = ops["chat_completions"]
    add_fields(chat, "store", "metadata", "reasoning_effort", "modalities", "prediction")
    add_fields(chat, "audio", "user_security_context", "stream_options")
    roles = chat["enums"]["messages.role"]
    chat["enums"]["messages.role"] = ["developer", *[r for r in roles if r != "developer"]]
    chat["enums"]["reasoning_effort"] = ["low", "medium", "high"]
    # §4.5a: gpt-image-1 on images/generations; n 1..10 (dall-e-3 only 1); prompt 32000 chars
    # (dall-e-3 4000); output_compression 0..100.
    images = ops["image_generations"]
    add_fields(images, "output_format", "output_compression", "background")
    images["enums"].update(copy.deepcopy(IMAGE_ENUMS_2025_04))
    images["enums"]["output_format"] = ["png", "jpeg"]
    images["enums"]["background"] = ["transparent", "opaque", "auto"]
    images["maxima"].update({"n": 10, "prompt": 32000, "output_compression": 100})
    images["maxima"].update({"n.dall-e-3": 1, "prompt.dall-e-3": 4000})
    images["minima"].update({"n": 1, "prompt": 1, "output_compression": 0})
    # §4.5a: new images/edits (operationId ImageGenerations_Edit in the upstream yaml).
    ops["image_edits"] = {
        "operation_id": "ImageGenerations_Edit",
        "additional_properties": False,
        "fields": ["image", "mask", "n", "prompt", "quality", "response_format", "size", "user"],
        "enums": copy.deepcopy(IMAGE_ENUMS_2025_04),
        "maxima": {"n": 10, "prompt": 32000},
        "minima": {"n": 1, "prompt": 1},
    }
    # §4.7: speech (mp3/opus/aac/flac/wav/pcm) and timestamp_granularities[] are kept as in
    # 2025-03-01-preview. §6: ungrounded_material kept; §9f: stream usage supported.
    add_fields(ops["transcriptions"], "timestamp_granularities[]")
    version["response"]["stream_usage"] = True
    return version


def spec_versions(spec_dir: Path) -> list[str]:
    return sorted(p.stem for p in spec_dir.glob("2*.json"))


def build_registry(spec_dir: Path) -> Json:
    """The whole registry as plain JSON data, versions in chronological order."""
    versions: Json = {}
    for version in spec_versions(spec_dir):
        doc = json.loads((spec_dir / f"{version}.json").read_text(encoding="utf-8"))
        authoring_file = spec_dir / f"authoring-{version}.json"
        authoring = (
            json.loads(authoring_file.read_text(encoding="utf-8"))
            if authoring_file.exists()
            else None
        )
        versions[version] = extract_version(doc, authoring, version)
    carry_models_forward(versions)
    versions[NO_SPEC_VERSION] = overlay_2025_04(versions["2025-03-01-preview"])
    v1 = v1_registry.build_v1(spec_dir, versions[NO_SPEC_VERSION], extract_v1_operation)
    responses = responses_registry.responses_operations(spec_dir, extract_v1_operation)
    responses_registry.add_responses(versions, v1, responses)
    return {
        "generated_by": "scripts/gen_api_versions.py",
        "source": "shared/azure-openai-specs (+ azure-surface.md overlays, see the script)",
        "versions": versions,
        "aliases": v1_registry.dated_aliases(),
        "v1": v1,
    }


def extract_v1_operation(doc: Json, op: str, operation: Json) -> Json:
    spec = extract_operation(doc, op, operation)
    apply_description_facts("v1", op, spec)
    return spec


def render(registry: Json) -> str:
    return json.dumps(registry, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--specs", type=Path, default=DEFAULT_SPECS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="fail if --out is out of date")
    args = parser.parse_args(argv)
    text = render(build_registry(args.specs))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            sys.stderr.write(f"{args.out} is out of date; rerun scripts/gen_api_versions.py\n")
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
