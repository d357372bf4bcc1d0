"""Completions: request and response models (azure-surface.md §4.1, §5.3, §9f).

The request model holds the widest limits of all versions (`logprobs` ≤ 100 and `best_of` ≤ 128
in the 2022 previews); the registry narrows them per version (`logprobs` ≤ 5, `best_of` ≤ 20
from 2024-08-01-preview) before the route runs.
"""

from typing import Annotated, Literal, Self

from pydantic import Field, ValidationInfo, model_validator

from mockazure.errors import InvalidParam
from mockazure.protocol.chat import StreamOptions
from mockazure.protocol.common import (
    AzureModel,
    FilterResults,
    FinishReason,
    LogitBias,
    PromptFilterResult,
    ResponseModel,
    Usage,
)

MAX_PROMPTS = 2048  # "Maximum allowed size of string list is 2048" (§4.1)
DEFAULT_MAX_TOKENS = 16
# Token-id prompts (int[] and int[][]) are in the spec only for these versions (§4.1).
TOKEN_PROMPT_VERSIONS = frozenset({"2022-03-01-preview", "2022-06-01-preview"})
# From 2024-08-01-preview `prompt` is required (before, it defaulted to <|endoftext|>).
PROMPT_REQUIRED_FROM = "2024-08-01-preview"

TokenIds = Annotated[list[int], Field(min_length=1)]
Prompt = (
    str
    | Annotated[list[str], Field(min_length=1, max_length=MAX_PROMPTS)]
    | TokenIds
    | Annotated[list[TokenIds], Field(min_length=1, max_length=MAX_PROMPTS)]
)


class CompletionRequest(AzureModel):
    prompt: Prompt | None = None
    max_tokens: int | None = Field(default=None, ge=0)
    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    top_p: float | None = Field(default=None, ge=0.0, le=1.0)
    logit_bias: LogitBias | None = None
    user: str | None = None
    n: int | None = Field(default=None, ge=1, le=128)
    stream: bool | None = None
    logprobs: int | None = Field(default=None, ge=0, le=100)
    suffix: str | None = None
    echo: bool | None = None
    stop: str | Annotated[list[str], Field(min_length=1, max_length=4)] | None = None
    presence_penalty: float | None = Field(default=None, ge=-2.0, le=2.0)
    frequency_penalty: float | None = Field(default=None, ge=-2.0, le=2.0)
    best_of: int | None = Field(default=None, ge=0, le=128)
    seed: int | None = None
    stream_options: StreamOptions | None = None
    completion_config: str | None = None
    cache_level: int | None = None
    model: str | None = None

    @model_validator(mode="after")
    def _version_rules(self, info: ValidationInfo) -> Self:
        version = getattr((info.context or {}).get("version"), "name", None)
        if version is not None and version >= PROMPT_REQUIRED_FROM and self.prompt is None:
            raise InvalidParam(
                "prompt", "Missing required parameter: 'prompt'.", "missing_required_parameter"
            )
        if version is not None and version not in TOKEN_PROMPT_VERSIONS and self.is_tokens:
            raise InvalidParam(
                "prompt",
                "Invalid type for 'prompt': expected a string or an array of strings, "
                "but got an array of integers instead.",
                "invalid_type",
            )
        return self

    @model_validator(mode="after")
    def _best_of_rules(self) -> Self:
        # "best_of must be greater than n" and "Results cannot be streamed" (§4.1); the
        # wording follows the spec's description, not a captured response.
        if self.best_of is not None and self.best_of < self.choices_per_prompt:
            raise InvalidParam(
                "best_of",
                f"best_of must be greater than or equal to n, got n={self.choices_per_prompt} "
                f"and best_of={self.best_of}.",
            )
        if self.stream and (self.best_of or 1) > 1:
            raise InvalidParam("best_of", "Cannot stream results with best_of > 1.")
        if self.stream_options is not None and not self.stream:
            raise InvalidParam(
                "stream_options",
                "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
            )
        return self

    @property
    def is_tokens(self) -> bool:
        prompt = self.prompt
        return isinstance(prompt, list) and bool(prompt) and not isinstance(prompt[0], str)

    @property
    def choices_per_prompt(self) -> int:
        return self.n or 1

    @property
    def candidates_per_prompt(self) -> int:
        return max(self.best_of or 1, self.choices_per_prompt)

    @property
    def output_limit(self) -> int:
        return DEFAULT_MAX_TOKENS if self.max_tokens is None else self.max_tokens

    @property
    def stops(self) -> list[str]:
        return [self.stop] if isinstance(self.stop, str) else list(self.stop or [])


# ---------------------------------------------------------------- responses


class CompletionLogprobs(ResponseModel):
    tokens: list[str]
    token_logprobs: list[float | None]
    top_logprobs: list[dict[str, float] | None]
    text_offset: list[int]


class CompletionChoice(ResponseModel):
    text: str
    index: int
    finish_reason: FinishReason | None
    logprobs: CompletionLogprobs | None = None
    content_filter_results: FilterResults | None = None


class Completion(ResponseModel):
    """A completion, and also each stream event: "both the streamed and non-streamed response
    objects share the same shape" (§5.3). Azure's first event (prompt filter) has empty `id`,
    `object`, `model` and `created` 0 (§9f)."""

    id: str
    object: Literal["text_completion", ""] = "text_completion"
    created: int
    model: str
    system_fingerprint: str | None = None
    prompt_filter_results: list[PromptFilterResult] | None = None
    prompt_annotations: list[PromptFilterResult] | None = None
    choices: list[CompletionChoice]
    usage: Usage | None = None
