"""Chat completions: response and stream-chunk models (azure-surface.md §5.1, §5.2, §9f)."""

from typing import Any, Literal

from mockazure.protocol.chat import FunctionCall, ToolCall
from mockazure.protocol.common import (
    FilterResults,
    FinishReason,
    PromptFilterResult,
    ResponseModel,
    Usage,
)


class ChatCompletionMessage(ResponseModel):
    role: Literal["assistant"] = "assistant"
    content: str | None = None
    refusal: str | None = None
    tool_calls: list[ToolCall] | None = None
    function_call: FunctionCall | None = None
    context: dict[str, Any] | None = None


class TopLogprob(ResponseModel):
    token: str
    logprob: float
    bytes: list[int] | None


class TokenLogprob(TopLogprob):
    top_logprobs: list[TopLogprob]


class ChoiceLogprobs(ResponseModel):
    content: list[TokenLogprob] | None
    refusal: list[TokenLogprob] | None = None


class Choice(ResponseModel):
    index: int
    finish_reason: FinishReason | None
    message: ChatCompletionMessage
    logprobs: ChoiceLogprobs | None = None
    content_filter_results: FilterResults | None = None


class ChatCompletion(ResponseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    system_fingerprint: str | None = None
    prompt_filter_results: list[PromptFilterResult] | None = None
    prompt_annotations: list[PromptFilterResult] | None = None
    choices: list[Choice]
    usage: Usage | None = None


class ToolCallDelta(ResponseModel):
    index: int
    id: str | None = None
    type: Literal["function"] | None = None
    function: dict[str, str] | None = None


class ChoiceDelta(ResponseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None
    refusal: str | None = None
    tool_calls: list[ToolCallDelta] | None = None
    function_call: dict[str, str] | None = None
    context: dict[str, Any] | None = None


class ChunkChoice(ResponseModel):
    index: int
    delta: ChoiceDelta
    finish_reason: FinishReason | None = None
    logprobs: ChoiceLogprobs | None = None
    content_filter_results: FilterResults | None = None


class ChatCompletionChunk(ResponseModel):
    """A stream event. Azure's first event (prompt filter) has empty `id`, `object`, `model`,
    `created` 0 and no choices (azure-surface.md §9f)."""

    id: str
    object: Literal["chat.completion.chunk", ""] = "chat.completion.chunk"
    created: int
    model: str
    system_fingerprint: str | None = None
    prompt_filter_results: list[PromptFilterResult] | None = None
    prompt_annotations: list[PromptFilterResult] | None = None
    choices: list[ChunkChoice]
    usage: Usage | None = None
