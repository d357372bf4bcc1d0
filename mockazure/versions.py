"""TEMPORARY stub of the api-version registry (replaced by the generated registry)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

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
]

_CHAT = frozenset(
    {
        "messages",
        "temperature",
        "top_p",
        "n",
        "stream",
        "stop",
        "max_tokens",
        "presence_penalty",
        "frequency_penalty",
        "logit_bias",
        "user",
        "functions",
        "function_call",
        "seed",
        "response_format",
        "tools",
        "tool_choice",
        "data_sources",
        "logprobs",
        "top_logprobs",
        "max_completion_tokens",
        "parallel_tool_calls",
        "stream_options",
        "model",
    }
)


@dataclass(frozen=True)
class OperationSpec:
    operation_id: str
    fields: frozenset[str]
    enums: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    maxima: Mapping[str, float] = field(default_factory=dict)
    minima: Mapping[str, float] = field(default_factory=dict)

    def allows(self, path: str, value: str) -> bool:
        return path not in self.enums or value in self.enums[path]


@dataclass(frozen=True)
class ResponseFeatures:
    prompt_filter_key: Literal["prompt_filter_results", "prompt_annotations"] | None
    prompt_filter_categories: tuple[str, ...]
    choice_filter_categories: tuple[str, ...]
    custom_blocklists_shape: Literal["array", "object"] | None
    system_fingerprint: bool
    usage_completion_details: bool
    usage_prompt_details: bool
    stream_usage: bool


@dataclass(frozen=True)
class ApiVersion:
    name: str
    preview: bool
    operations: Mapping[OperationName, OperationSpec]
    response: ResponseFeatures

    def supports(self, op: OperationName) -> bool:
        return op in self.operations

    def spec(self, op: OperationName) -> OperationSpec:
        return self.operations[op]


_FEATURES = ResponseFeatures(
    "prompt_filter_results",
    ("hate", "jailbreak", "self_harm", "sexual", "violence"),
    (
        "hate",
        "self_harm",
        "sexual",
        "violence",
        "protected_material_code",
        "protected_material_text",
    ),
    None,
    True,
    True,
    False,
    True,
)
_V = ApiVersion(
    "2024-10-21",
    False,
    {
        "chat_completions": OperationSpec(
            "ChatCompletions_Create",
            _CHAT,
            {
                "tool_choice": ("none", "auto", "required"),
                "messages.role": ("system", "user", "assistant", "tool", "function", "developer"),
            },
            {"top_logprobs": 20},
        )
    },
    _FEATURES,
)
ALL_API_VERSIONS: tuple[str, ...] = ("2024-10-21",)
LATEST_GA = "2024-10-21"


def get_api_version(name: str | None) -> ApiVersion | None:
    return _V if name in ("2024-10-21", "2024-09-01-preview", "2025-04-01-preview") else None
