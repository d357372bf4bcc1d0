"""The api-version registry: what each official dated Azure OpenAI api-version defines.

One table, shipped as ``mockazure/data/api_versions.json`` and generated from the official specs by
``scripts/gen_api_versions.py`` (see azure-surface.md §1, §3-§6). For every api-version it records
which operations exist, the request fields each operation knows (the real service answers 400
"Unrecognized request argument supplied: X" for any other), enumerations, limits and the response
variations (content-filter keys and categories, usage details, stream usage).

Conventions for the dotted paths in ``OperationSpec.enums``/``maxima``/``minima``:

* ``messages.role`` descends through arrays: the values allowed for each message's ``role``.
* For array-valued fields (``stop``, ``functions``, ``tools``, embeddings ``input``) the limit
  counts items; for string fields (speech ``input``, image ``prompt``) it counts characters;
  otherwise it is the numeric ``maximum``/``minimum``.
* ``<field>.<model>`` keys (``n.dall-e-3``, ``prompt.dall-e-3``) hold a tighter per-model limit
  where one api-version serves several image models (2025-04-01-preview).
* Multipart fields are named as in the spec, e.g. ``timestamp_granularities[]``.

``OperationSpec.additional_properties`` is true where the spec declares the request body open
(``additionalProperties: true``; only embeddings), so no field there is "unrecognized".

Beside the dated versions the document holds ``v1`` (what ``/openai/v1/...`` accepts with no
api-version, ``v1``, ``preview`` or ``latest``; ``get_v1_api_version``) and ``aliases``, dated
versions the service answers like another on some operations (``2025-08-28``). Both are explained
in ``scripts/v1_registry.py`` and docs/v1-facts.md.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal, cast

__all__ = [
    "ALL_API_VERSIONS",
    "LATEST_GA",
    "V1_NAMES",
    "ApiVersion",
    "OperationName",
    "OperationSpec",
    "ResponseFeatures",
    "get_api_version",
    "get_v1_api_version",
    "load_raw",
]

OperationName = Literal[
    "completions",
    "embeddings",
    "chat_completions",
    "extensions_chat_completions",
    "image_generations",
    "image_edits",
    "transcriptions",
    "translations",
    "speech",
    "image_generations_submit",
    "image_operation_get",
    "image_operation_delete",
    "models_list",
    "model_get",
    "responses_create",
    "responses_get",
    "responses_delete",
    "responses_input_items",
    "responses_cancel",
    "realtime",
    "realtime_client_secrets",
    "realtime_calls",
    # The job families (operations.py `_JOB_ROWS`; the registry holds none of them).
    "files_upload",
    "files_list",
    "files_get",
    "files_delete",
    "files_content",
    "batches_create",
    "batches_list",
    "batches_get",
    "batches_cancel",
    "stored_list",
    "stored_get",
    "stored_update",
    "stored_delete",
    "stored_messages",
    "videos_create",
    "videos_list",
    "videos_get",
    "videos_delete",
    "videos_content",
    "videos_remix",
    "video_jobs_create",
    "video_jobs_list",
    "video_jobs_get",
    "video_jobs_delete",
    "video_generation_content",
]
PromptFilterKey = Literal["prompt_filter_results", "prompt_annotations"]
BlocklistShape = Literal["array", "object"]

DATA_FILE = "api_versions.json"


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class OperationSpec:
    """What one api-version defines for one operation's request."""

    operation_id: str
    fields: frozenset[str]
    enums: Mapping[str, tuple[str, ...]] = field(default_factory=_empty)
    maxima: Mapping[str, float] = field(default_factory=_empty)
    minima: Mapping[str, float] = field(default_factory=_empty)
    additional_properties: bool = False

    def allows(self, path: str, value: str) -> bool:
        """True when ``path`` has no enumeration here or ``value`` is one of its values."""
        values = self.enums.get(path)
        return values is None or value in values

    def unrecognized(self, names: Iterable[str]) -> tuple[str, ...]:
        """The given top-level field names this version does not define, sorted.

        Empty when the spec declares the body open (``additional_properties``, e.g. embeddings,
        where openai-python sends ``encoding_format`` even to versions that do not define it).
        """
        if self.additional_properties:
            return ()
        return tuple(sorted(set(names) - self.fields))


@dataclass(frozen=True)
class ResponseFeatures:
    """How responses of one api-version differ (azure-surface.md §5, §6, §9f)."""

    prompt_filter_key: PromptFilterKey | None
    prompt_filter_categories: tuple[str, ...]
    choice_filter_categories: tuple[str, ...]
    custom_blocklists_shape: BlocklistShape | None
    system_fingerprint: bool
    usage_completion_details: bool
    usage_prompt_details: bool
    stream_usage: bool
    message_refusal: bool = False  # `"refusal": null` in every chat message (§5.1)
    # The keys of a listed model and of its `capabilities` (authoring `Model`; v1 `OpenAI.Model`).
    model_fields: tuple[str, ...] = ()
    model_capabilities: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApiVersion:
    """One api-version (dated, or the v1 surface's): its operations and response features."""

    name: str
    preview: bool
    operations: Mapping[OperationName, OperationSpec]
    response: ResponseFeatures
    v1: bool = False  # the `/openai/v1/...` surface (`get_v1_api_version`)

    def supports(self, op: OperationName) -> bool:
        return op in self.operations

    def spec(self, op: OperationName) -> OperationSpec:
        """The operation's spec; ``KeyError`` when this version does not have it."""
        return self.operations[op]


def _operation(raw: Mapping[str, Any]) -> OperationSpec:
    return OperationSpec(
        operation_id=str(raw["operation_id"]),
        fields=frozenset(raw["fields"]),
        enums=MappingProxyType({k: tuple(v) for k, v in raw["enums"].items()}),
        maxima=MappingProxyType(dict(raw["maxima"])),
        minima=MappingProxyType(dict(raw["minima"])),
        additional_properties=bool(raw["additional_properties"]),
    )


def _response(raw: Mapping[str, Any]) -> ResponseFeatures:
    return ResponseFeatures(
        prompt_filter_key=cast("PromptFilterKey | None", raw["prompt_filter_key"]),
        prompt_filter_categories=tuple(raw["prompt_filter_categories"]),
        choice_filter_categories=tuple(raw["choice_filter_categories"]),
        custom_blocklists_shape=cast("BlocklistShape | None", raw["custom_blocklists_shape"]),
        system_fingerprint=bool(raw["system_fingerprint"]),
        usage_completion_details=bool(raw["usage_completion_details"]),
        usage_prompt_details=bool(raw["usage_prompt_details"]),
        stream_usage=bool(raw["stream_usage"]),
        message_refusal=bool(raw.get("message_refusal", False)),
        model_fields=tuple(raw.get("model_fields", ())),
        model_capabilities=tuple(raw.get("model_capabilities", ())),
    )


def _api_version(
    name: str, raw: Mapping[str, Any], *, only: Iterable[str] | None = None, v1: bool = False
) -> ApiVersion:
    operations = {
        cast("OperationName", op): _operation(spec)
        for op, spec in raw["operations"].items()
        if only is None or op in only
    }
    return ApiVersion(
        name=name,
        preview=bool(raw["preview"]),
        operations=MappingProxyType(operations),
        response=_response(raw["response"]),
        v1=v1,
    )


def load_raw() -> dict[str, Any]:
    """The shipped JSON document, parsed (a fresh copy on every call)."""
    text = (
        resources.files("mockazure")
        .joinpath("data")
        .joinpath(DATA_FILE)
        .read_text(encoding="utf-8")
    )
    return cast("dict[str, Any]", json.loads(text))


@functools.cache
def _registry() -> Mapping[str, ApiVersion]:
    versions = load_raw()["versions"]
    return MappingProxyType({name: _api_version(name, raw) for name, raw in versions.items()})


@functools.cache
def _aliases() -> Mapping[str, ApiVersion]:
    raw = load_raw()
    return MappingProxyType(
        {
            alias: _api_version(alias, raw["versions"][entry["of"]], only=entry["operations"])
            for alias, entry in raw["aliases"].items()
        }
    )


@functools.cache
def _v1_versions() -> Mapping[str, ApiVersion]:
    raw = load_raw()["v1"]
    return MappingProxyType({name: _api_version(name, raw, v1=True) for name in V1_NAMES})


def get_api_version(name: str | None) -> ApiVersion | None:
    """The dated entry for ``name`` (or its alias); ``None`` when missing or not a dated
    version the service knows (``v1``, ``preview`` and ``latest`` included)."""
    if not name:
        return None
    return _registry().get(name) or _aliases().get(name)


def get_v1_api_version(name: str | None) -> ApiVersion | None:
    """What ``/openai/v1/...`` accepts: no version (meaning ``v1``), ``v1``, ``preview`` or
    ``latest``; ``None`` for anything else (the route answers "API version not supported")."""
    return _v1_versions().get(name or "v1")


V1_NAMES: tuple[str, ...] = ("v1", "preview", "latest")
ALL_API_VERSIONS: tuple[str, ...] = tuple(sorted(_registry()))
LATEST_GA = "2024-10-21"
