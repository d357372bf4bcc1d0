"""Render a chat plan as a `ChatCompletion` or as Azure's stream of chunks (azure-surface.md
§5.1, §9f): prompt-filter chunk first, then per choice the role chunk, content or tool-call
chunks with `content_filter_results`, the finish chunk, and the usage chunk when asked."""

import functools
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from mockazure.config import DeploymentSpec
from mockazure.determinism import IdFactory
from mockazure.errors import ContextLengthExceeded, InvalidRequest
from mockazure.generators.chat import ChoicePlan, filter_choice, last_user_text, plan_choice
from mockazure.generators.content_filter import (
    ANNOTATION_EVERY_PIECES,
    ContentFilter,
    annotation_offsets,
    safe_choice_results,
    safe_prompt_results,
)
from mockazure.generators.on_your_data import data_context
from mockazure.protocol.chat import ChatCompletionRequest, message_text
from mockazure.protocol.chat_responses import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionMessage,
    Choice,
    ChoiceDelta,
    ChoiceLogprobs,
    ChunkChoice,
    ToolCallDelta,
)
from mockazure.protocol.common import (
    CompletionTokensDetails,
    PromptFilterResult,
    PromptTokensDetails,
    Usage,
)
from mockazure.tokens.chat import count_chat_prompt_tokens
from mockazure.tokens.tokenizers import get_tokenizer
from mockazure.versions import ResponseFeatures


@dataclass
class ChatPlan:
    id: str
    created: int
    model: str
    fingerprint: str | None
    features: ResponseFeatures
    prompt_tokens: int
    completion_tokens: int
    choices: list[ChoicePlan]
    include_usage: bool = False
    prompt_results: dict[str, Any] | None = None
    async_filter: bool = False

    def usage(self) -> Usage:
        usage = Usage(
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            total_tokens=self.prompt_tokens + self.completion_tokens,
        )
        if self.features.usage_prompt_details:
            usage.prompt_tokens_details = PromptTokensDetails(cached_tokens=0)
        if self.features.usage_completion_details:
            usage.completion_tokens_details = CompletionTokensDetails(reasoning_tokens=0)
        return usage

    def prompt_filter(self) -> dict[str, Any]:
        key = self.features.prompt_filter_key
        if key is None:
            return {}
        annotation = self.prompt_results or safe_prompt_results(self.features)
        return {key: [PromptFilterResult(prompt_index=0, content_filter_results=annotation)]}

    def choice_filter(self, choice: ChoicePlan | None = None) -> dict[str, Any]:
        if self.features.prompt_filter_key is None:
            return {}
        results = choice.filter_results if choice is not None else None
        return {"content_filter_results": results or safe_choice_results(self.features)}

    def header(self) -> dict[str, Any]:
        head: dict[str, Any] = {"id": self.id, "created": self.created, "model": self.model}
        if self.features.system_fingerprint:
            head["system_fingerprint"] = self.fingerprint
        return head


def _message(choice: ChoicePlan, features: ResponseFeatures) -> ChatCompletionMessage:
    message = ChatCompletionMessage(role="assistant", content=choice.content)
    if features.message_refusal:
        message.refusal = None  # set, so it is on the wire as null

    if choice.tool_calls:
        message.tool_calls = choice.tool_calls
    if choice.function_call:
        message.function_call = choice.function_call
    if choice.context is not None:
        message.context = choice.context
    return message


def complete_chat(plan: ChatPlan) -> ChatCompletion:
    choices = []
    for index, choice in enumerate(plan.choices):
        rendered = Choice(
            index=index,
            finish_reason=choice.finish_reason,
            message=_message(choice, plan.features),
            **plan.choice_filter(choice),
        )
        # `refusal` is required beside `content` (2025-03-01-preview spec; OpenAI sends null).
        rendered.logprobs = (
            ChoiceLogprobs(content=choice.logprobs, refusal=None) if choice.logprobs else None
        )
        choices.append(rendered)
    return ChatCompletion(
        object="chat.completion",
        **plan.header(),
        **plan.prompt_filter(),
        choices=choices,
        usage=plan.usage(),
    )


def chunk_of(plan: ChatPlan, choice: ChunkChoice) -> ChatCompletionChunk:
    """The chunk carrying one choice delta."""
    chunk = ChatCompletionChunk(object="chat.completion.chunk", **plan.header(), choices=[choice])
    if plan.include_usage:
        chunk.usage = None
    return chunk


@dataclass(frozen=True)
class Piece:
    """A plain content delta (no logprobs), kept unbuilt: a stream renders it from a template
    (`chat_frames`), everything else as the `ChunkChoice` it stands for."""

    index: int
    content: str
    inline: dict[str, Any]

    def choice(self) -> ChunkChoice:
        delta = ChoiceDelta(content=self.content)
        return ChunkChoice(index=self.index, delta=delta, finish_reason=None, **self.inline)


def _choice_deltas(plan: ChatPlan, index: int, choice: ChoicePlan) -> Iterator[ChunkChoice | Piece]:
    role = ChoiceDelta(role="assistant", content=None if choice.content is None else "")
    if choice.context is not None:
        role.context = choice.context
    yield ChunkChoice(index=index, delta=role, finish_reason=None, **_empty_filter(plan))
    for number, call in enumerate(choice.tool_calls):
        yield ChunkChoice(
            index=index,
            delta=ChoiceDelta(
                tool_calls=[
                    ToolCallDelta(
                        index=number,
                        id=call.id,
                        type="function",
                        function={"name": call.function.name, "arguments": ""},
                    )
                ]
            ),
            finish_reason=None,
        )
        for piece in _split(call.function.arguments):
            yield ChunkChoice(
                index=index,
                delta=ChoiceDelta(
                    tool_calls=[ToolCallDelta(index=number, function={"arguments": piece})]
                ),
                finish_reason=None,
            )
    if choice.function_call:
        yield ChunkChoice(
            index=index,
            delta=ChoiceDelta(function_call={"name": choice.function_call.name, "arguments": ""}),
            finish_reason=None,
        )
        for piece in _split(choice.function_call.arguments):
            yield ChunkChoice(
                index=index,
                delta=ChoiceDelta(function_call={"arguments": piece}),
                finish_reason=None,
            )
    yield from _content_deltas(plan, index, choice)


def _content_deltas(
    plan: ChatPlan, index: int, choice: ChoicePlan
) -> Iterator[ChunkChoice | Piece]:
    """Content pieces with their annotations, then the finish chunk. A blocked completion's
    pieces carry safe results and its finish chunk the flagged ones; in asynchronous-filter
    mode the pieces carry none and annotation choices follow each segment (§9f)."""
    blocked = choice.finish_reason == "content_filter"
    inline = {} if plan.async_filter else plan.choice_filter(None if blocked else choice)
    segments = annotation_offsets(choice.pieces, ANNOTATION_EVERY_PIECES)
    pending: list[ChunkChoice] = []
    for start, end, first, last in segments:
        for number in range(start, end):
            if not choice.logprobs:
                yield Piece(index, choice.pieces[number], inline)
                continue
            delta = Piece(index, choice.pieces[number], inline).choice()
            delta.logprobs = ChoiceLogprobs(content=[choice.logprobs[number]], refusal=None)
            yield delta
        if plan.async_filter:
            yield from pending  # a segment's verdict arrives while the next one streams
            final = end == len(choice.pieces)
            pending = [_annotation(plan, index, choice if final else None, first, last)]
    if blocked:
        yield from pending
        pending = []
    finish = plan.choice_filter(choice) if blocked else _empty_filter(plan)
    yield ChunkChoice(
        index=index, delta=ChoiceDelta(), finish_reason=choice.finish_reason, **finish
    )
    yield from pending


def _annotation(
    plan: ChatPlan, index: int, choice: ChoicePlan | None, start: int, end: int
) -> ChunkChoice:
    """An asynchronous-filter annotation choice. Azure's has no `delta`; an empty one is kept
    because the openai SDK's stream helper crashes without it (clients.md §0.6, §7)."""
    offsets = {"check_offset": start, "start_offset": start, "end_offset": end}
    return ChunkChoice(
        index=index,
        delta=ChoiceDelta(),
        finish_reason=None,
        **plan.choice_filter(choice),
        content_filter_offsets=offsets,
    )


def _empty_filter(plan: ChatPlan) -> dict[str, Any]:
    return {"content_filter_results": {}} if plan.features.prompt_filter_key else {}


def _split(arguments: str, size: int = 8) -> list[str]:
    return [arguments[i : i + size] for i in range(0, len(arguments), size)]


def iter_chat_chunks(plan: ChatPlan) -> Iterator[ChatCompletionChunk]:
    for chunk in iter_chat_events(plan):
        yield chunk_of(plan, chunk.choice()) if isinstance(chunk, Piece) else chunk


def iter_chat_events(plan: ChatPlan) -> Iterator[ChatCompletionChunk | Piece]:
    """The stream's chunks, with plain content deltas left as `Piece`s."""
    prompt_filter = plan.prompt_filter()
    if prompt_filter:
        yield ChatCompletionChunk(
            id="", object="", created=0, model="", choices=[], **prompt_filter
        )
    for index, choice in enumerate(plan.choices):
        for delta in _choice_deltas(plan, index, choice):
            if isinstance(delta, Piece):
                yield delta
            elif delta.model_extra and "content_filter_offsets" in delta.model_extra:
                yield ChatCompletionChunk(
                    id="", object="", created=0, model="", choices=[delta], usage=None
                )
            else:
                yield chunk_of(plan, delta)
    if plan.include_usage:
        yield ChatCompletionChunk(
            object="chat.completion.chunk", **plan.header(), choices=[], usage=plan.usage()
        )


def _check_limits(body: ChatCompletionRequest, deployment: DeploymentSpec, prompt: int) -> None:
    limit = body.output_limit
    param = "max_completion_tokens" if body.max_completion_tokens is not None else "max_tokens"
    if limit is not None and limit > deployment.max_output_tokens:
        raise InvalidRequest(
            f"{param} is too large: {limit}. This model supports at most "
            f"{deployment.max_output_tokens} completion tokens, whereas you "
            f"provided {limit}.",
            param=param,
            code="invalid_value",
        )
    if prompt > deployment.context_window or prompt + (limit or 0) > deployment.context_window:
        raise ContextLengthExceeded(deployment.context_window, prompt, limit, "messages")


@functools.lru_cache(maxsize=1024)
def system_fingerprint(model: str, version: str) -> str:
    digest = hashlib.sha256(f"{model}:{version}".encode()).hexdigest()
    return f"fp_{digest[:10]}"


def response_model_name(deployment: DeploymentSpec) -> str:
    """Azure reports dated model versions in the name (`gpt-4o-2024-08-06`)."""
    version = deployment.version
    return (
        f"{deployment.model}-{version}"
        if version[:4].isdigit() and "-" in version
        else deployment.model
    )


def chat_prompt_tokens(raw: dict[str, Any], deployment: DeploymentSpec) -> int:
    """The prompt's tokens as the service counts them (messages, tools, functions)."""
    return count_chat_prompt_tokens(
        raw["messages"],
        get_tokenizer(deployment.tokenizer),
        tools=raw.get("tools"),
        functions=raw.get("functions"),
    )


def plan_chat(
    body: ChatCompletionRequest,
    raw: dict[str, Any],
    deployment: DeploymentSpec,
    features: ResponseFeatures,
    seed: int,
    ids: IdFactory,
    created: int,
    prompt_tokens: int | None = None,
    made: Callable[[int], ChoicePlan | None] | None = None,
) -> ChatPlan:
    """The whole answer; `prompt_tokens` as `chat_prompt_tokens` counted them, if it did.
    `made(index)` is a choice made elsewhere (a stub's), planned instead of a generated one and
    screened as one: the completion filter judges the text that is sent (the spec's
    `finish_reason: content_filter` is "content was omitted due to a flag", 2024-10-21)."""
    tokenizer = get_tokenizer(deployment.tokenizer)
    prompt = prompt_tokens if prompt_tokens is not None else chat_prompt_tokens(raw, deployment)
    _check_limits(body, deployment, prompt)

    def new_id(call_seed: int) -> str:
        return ids.token("call_", 24, request_seed=call_seed)

    screen = ContentFilter(deployment, features)
    prompt_text = "\n".join(message_text(message) for message in body.messages)
    prompt_results = screen.screen_prompts([prompt_text])[0]  # raises when blocked
    # A deployment's `options.optional_properties: "sparse"` keeps optional schema properties
    # by chance (jsonschema.instances); by default every one is filled.
    sparse = deployment.options.get("optional_properties") == "sparse"
    choices = [
        (made and made(index)) or plan_choice(body, index, seed, tokenizer, new_id, sparse=sparse)
        for index in range(body.n or 1)
    ]
    for choice in choices:
        filter_choice(choice, screen, prompt_text, tokenizer)
    if body.data_sources:
        for choice in choices:
            choice.context = data_context(last_user_text(body), body.data_sources)
    include_usage = bool(body.stream_options and body.stream_options.include_usage)
    return ChatPlan(
        id=ids.token("chatcmpl-", request_seed=seed),
        created=created,
        model=response_model_name(deployment),
        fingerprint=system_fingerprint(deployment.model, deployment.version),
        features=features,
        prompt_tokens=prompt,
        completion_tokens=sum(c.completion_tokens(tokenizer) for c in choices),
        choices=choices,
        include_usage=include_usage and features.stream_usage,
        prompt_results=prompt_results,
        async_filter=screen.asynchronous and screen.annotates,
    )
