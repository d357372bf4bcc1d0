"""Chat answers: what each choice says, decided once and rendered as a completion or a stream.

Pure and deterministic: the same request and seed give the same plan. `complete_chat` and
`iter_chat_chunks` (in `chat_chunks`) both render one `ChatPlan`, so the joined deltas always
equal the non-streamed content.
"""

import json
import random
from dataclasses import dataclass, field
from typing import Any

from mockazure.errors import InvalidRequest
from mockazure.generators import text
from mockazure.generators.content_filter import ContentFilter, strip_markers
from mockazure.generators.logprobs import token_logprobs
from mockazure.jsonschema.instances import instance_for
from mockazure.jsonschema.merge import UnsatisfiableSchema
from mockazure.protocol.chat import (
    ChatCompletionRequest,
    FunctionCall,
    FunctionDefinition,
    FunctionMessage,
    NamedFunction,
    NamedToolChoice,
    ToolCall,
    ToolMessage,
    UserMessage,
    message_text,
)
from mockazure.protocol.chat_responses import TokenLogprob
from mockazure.protocol.common import FinishReason
from mockazure.tokens.tokenizers import Tokenizer


@dataclass
class ChoicePlan:
    content: str | None = None
    pieces: list[str] = field(default_factory=list)
    tool_calls: list[ToolCall] = field(default_factory=list)
    function_call: FunctionCall | None = None
    finish_reason: FinishReason = "stop"
    logprobs: list[TokenLogprob] | None = None
    context: dict[str, Any] | None = None
    # The completion's content-filter annotation (None: the version's safe defaults).
    filter_results: dict[str, Any] | None = None

    def completion_tokens(self, tokenizer: Tokenizer) -> int:
        calls = [c.function for c in self.tool_calls] + (
            [self.function_call] if self.function_call else []
        )
        tool_tokens = sum(tokenizer.count(c.name) + tokenizer.count(c.arguments) + 3 for c in calls)
        return len(self.pieces_tokens(tokenizer)) + tool_tokens

    def pieces_tokens(self, tokenizer: Tokenizer) -> list[int]:
        return tokenizer.encode(self.content or "")


@dataclass
class Offer:
    """The functions a request offers, in the new (tools) or legacy (functions) form."""

    functions: list[FunctionDefinition]
    legacy: bool
    forced: str | None  # a named choice
    required: bool


def _offer(body: ChatCompletionRequest) -> Offer | None:
    last = body.messages[-1]
    if isinstance(last, (ToolMessage, FunctionMessage)):
        return None  # answer the tool results in text, so agent loops end
    if body.tools:
        choice = body.tool_choice
        if choice == "none":
            return None
        forced = choice.function.name if isinstance(choice, NamedToolChoice) else None
        return Offer([t.function for t in body.tools], False, forced, choice == "required")
    if body.functions:
        legacy_choice = body.function_call
        if legacy_choice == "none":
            return None
        forced = legacy_choice.name if isinstance(legacy_choice, NamedFunction) else None
        return Offer(list(body.functions), True, forced, False)
    return None


def last_user_text(body: ChatCompletionRequest) -> str:
    for message in reversed(body.messages):
        if isinstance(message, UserMessage):
            return strip_markers(message_text(message))
    return strip_markers(message_text(body.messages[-1]))


def _tool_outputs(body: ChatCompletionRequest) -> list[str]:
    outputs: list[str] = []
    for message in reversed(body.messages):
        if not isinstance(message, (ToolMessage, FunctionMessage)):
            break
        outputs.insert(0, message_text(message))
    return outputs


def _pick_functions(
    offer: Offer, hint: str, parallel: bool, rng: random.Random
) -> list[FunctionDefinition]:
    if offer.forced:
        return [f for f in offer.functions if f.name == offer.forced]
    lowered = hint.lower()

    def relevance(function: FunctionDefinition) -> int:
        words = f"{function.name} {function.description or ''}".lower().replace("_", " ").split()
        return sum(1 for word in words if len(word) > 3 and word in lowered)

    ranked = sorted(offer.functions, key=lambda f: (-relevance(f), rng.random()))
    count = 2 if parallel and len(ranked) > 1 and rng.random() < 0.5 else 1
    return ranked[:count]


def _arguments(function: FunctionDefinition, hint: str, rng: random.Random) -> str:
    schema = function.parameters or {"type": "object", "properties": {}}
    try:
        value = instance_for(schema, rng, hint=hint)
    except UnsatisfiableSchema as exc:
        raise InvalidRequest(
            f"Invalid schema for function '{function.name}': no value can satisfy it ({exc}).",
            param="tools",
            code="invalid_function_parameters",
        ) from exc
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _plan_calls(
    body: ChatCompletionRequest, offer: Offer, ids_seed: int, rng: random.Random, new_id: Any
) -> ChoicePlan:
    hint = last_user_text(body)
    parallel = body.parallel_tool_calls is not False and not offer.legacy
    chosen = _pick_functions(offer, hint, parallel, rng)
    calls = [FunctionCall(name=f.name, arguments=_arguments(f, hint, rng)) for f in chosen]
    # A named choice ends with "stop", as OpenAI does; otherwise the calls are the reason.
    if offer.legacy:
        return ChoicePlan(
            function_call=calls[0], finish_reason="stop" if offer.forced else "function_call"
        )
    tool_calls = [
        ToolCall(id=new_id(ids_seed + i), type="function", function=c) for i, c in enumerate(calls)
    ]
    return ChoicePlan(tool_calls=tool_calls, finish_reason="stop" if offer.forced else "tool_calls")


def _json_content(body: ChatCompletionRequest, rng: random.Random) -> str | None:
    fmt = body.response_format
    if fmt is None or fmt.type == "text":
        return None
    hint = last_user_text(body)
    if fmt.type == "json_schema" and fmt.json_schema is not None:
        schema = fmt.json_schema.schema_ or {"type": "object"}
        try:
            return json.dumps(instance_for(schema, rng, hint=hint), ensure_ascii=False)
        except UnsatisfiableSchema as exc:
            raise InvalidRequest(
                f"Invalid schema for response_format '{fmt.json_schema.name}': "
                f"no value can satisfy it ({exc}).",
                param="response_format.json_schema.schema",
                code="invalid_value",
            ) from exc
    words = text.salient_words(hint, 3)
    return json.dumps(
        {"answer": text.compose_reply(hint, rng), "topics": words}, ensure_ascii=False
    )


def _plan_text(body: ChatCompletionRequest, rng: random.Random) -> str:
    as_json = _json_content(body, rng)
    if as_json is not None:
        return as_json
    outputs = _tool_outputs(body)
    if outputs:
        return text.compose_tool_followup(outputs, rng)
    reply = text.compose_reply(last_user_text(body), rng)
    if body.data_sources:
        reply = reply.rstrip(".") + " [doc1]. More detail is in the second source [doc2]."
    return reply


def _cut(
    content: str, body: ChatCompletionRequest, tokenizer: Tokenizer, rng: random.Random
) -> tuple[str, FinishReason]:
    stops = [body.stop] if isinstance(body.stop, str) else list(body.stop or [])
    hits = [content.find(s) for s in stops if s and s in content]
    if hits:
        content = content[: min(hits)]
    limit = body.output_limit
    if limit is not None and tokenizer.count(content) > limit:
        return tokenizer.truncate(content, limit), "length"
    return content, "stop"


def plan_choice(
    body: ChatCompletionRequest, index: int, seed: int, tokenizer: Tokenizer, new_id: Any
) -> ChoicePlan:
    rng = random.Random(f"{seed}:{index}")
    offer = _offer(body)
    if offer is not None:
        return _plan_calls(body, offer, seed + 1000 * index, rng, new_id)
    content, finish = _cut(_plan_text(body, rng), body, tokenizer, rng)
    plan = ChoicePlan(content=content, pieces=tokenizer.pieces(content), finish_reason=finish)
    if body.logprobs:
        plan.logprobs = token_logprobs(plan.pieces, body.top_logprobs or 0, rng)
    return plan


def filter_choice(choice: ChoicePlan, screen: ContentFilter, prompt_text: str) -> None:
    """Annotate one answer; a blocked one is cut and finishes with `content_filter`."""
    if choice.content is None:
        return
    verdict = screen.screen_output(prompt_text, choice.content)
    choice.filter_results = verdict.results
    if not verdict.is_blocked:
        return
    keep = screen.cut_point(verdict, choice.pieces)
    choice.pieces = choice.pieces[:keep]
    choice.content = "".join(choice.pieces)
    if choice.logprobs is not None:
        choice.logprobs = choice.logprobs[:keep]
    choice.finish_reason = "content_filter"
