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
from mockazure.generators.formats import Conversation, answer_in_format, answer_with_schema
from mockazure.generators.logprobs import token_logprobs
from mockazure.jsonschema.instances import instance_for
from mockazure.jsonschema.merge import UnsatisfiableSchema
from mockazure.protocol.chat import (
    ChatCompletionRequest,
    FunctionCall,
    FunctionDefinition,
    FunctionMessage,
    JsonSchemaFormat,
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
    counted: tuple[str, int] | None = None  # (content, its tokens) when the pieces were cut

    def completion_tokens(self, tokenizer: Tokenizer) -> int:
        calls = [c.function for c in self.tool_calls] + (
            [self.function_call] if self.function_call else []
        )
        tool_tokens = sum(tokenizer.count(c.name) + tokenizer.count(c.arguments) + 3 for c in calls)
        return self.content_tokens(tokenizer) + tool_tokens

    def pieces_tokens(self, tokenizer: Tokenizer) -> list[int]:
        return tokenizer.encode(self.content or "")

    def content_tokens(self, tokenizer: Tokenizer) -> int:
        """Tokens of the content: as counted when it was cut into pieces, if it is unchanged
        (a stub or the content filter may replace it), else counted now."""
        if self.counted is not None and self.counted[0] == (self.content or ""):
            return self.counted[1]
        return len(self.pieces_tokens(tokenizer))


@dataclass
class Offer:
    """The functions a request offers, in the new (tools) or legacy (functions) form."""

    functions: list[FunctionDefinition]
    legacy: bool
    forced: str | None  # a named choice
    required: bool


def _offer(body: ChatCompletionRequest) -> Offer | None:
    """What the answer may call. After a tool result, `auto` answers in text (so agent loops
    end), but a forced choice still calls: `required` "means the model must call one or more
    tools" and a named function "forces the model to call that tool" (the `tool_choice`
    description in the 2024-10-21 spec; the same for a named legacy `function_call`).
    instructor's validation re-ask sends a named tool after a tool message."""
    offer = _tools_offer(body) or _functions_offer(body)
    after_result = isinstance(body.messages[-1], (ToolMessage, FunctionMessage))
    if offer is None or (after_result and not (offer.forced or offer.required)):
        return None
    return offer


def _tools_offer(body: ChatCompletionRequest) -> Offer | None:
    if not body.tools or body.tool_choice == "none":
        return None
    choice = body.tool_choice
    forced = choice.function.name if isinstance(choice, NamedToolChoice) else None
    return Offer([t.function for t in body.tools], False, forced, choice == "required")


def _functions_offer(body: ChatCompletionRequest) -> Offer | None:
    if body.tools or not body.functions or body.function_call == "none":
        return None
    choice = body.function_call
    forced = choice.name if isinstance(choice, NamedFunction) else None
    return Offer(list(body.functions), True, forced, False)


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


def _instance_json(
    schema: dict[str, Any], rng: random.Random, hint: str, sparse: bool, **compact: Any
) -> str:
    """A schema instance as strict JSON: a bound past the largest double (`minimum: 1e309`,
    read as that double) leaves no finite number to emit, and `NaN`/`Infinity` are not JSON,
    so such a schema is unsatisfiable (400), never `{"x": NaN}`."""
    value = instance_for(schema, rng, hint=hint, sparse=sparse)
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, **compact)
    except ValueError as exc:
        raise UnsatisfiableSchema("no finite number is within its bounds") from exc


def _arguments(
    function: FunctionDefinition, hint: str, rng: random.Random, sparse: bool = False
) -> str:
    schema = function.parameters or {"type": "object", "properties": {}}
    try:
        return _instance_json(schema, rng, hint, sparse, separators=(",", ":"))
    except UnsatisfiableSchema as exc:
        raise InvalidRequest(
            f"Invalid schema for function '{function.name}': no value can satisfy it ({exc}).",
            param="tools",
            code="invalid_function_parameters",
        ) from exc


def _plan_calls(
    body: ChatCompletionRequest,
    offer: Offer,
    ids_seed: int,
    rng: random.Random,
    new_id: Any,
    sparse: bool,
) -> ChoicePlan:
    hint = last_user_text(body)
    parallel = body.parallel_tool_calls is not False and not offer.legacy
    chosen = _pick_functions(offer, hint, parallel, rng)
    calls = [FunctionCall(name=f.name, arguments=_arguments(f, hint, rng, sparse)) for f in chosen]
    # A named choice ends with "stop", as OpenAI does; otherwise the calls are the reason.
    if offer.legacy:
        return ChoicePlan(
            function_call=calls[0], finish_reason="stop" if offer.forced else "function_call"
        )
    tool_calls = [
        ToolCall(id=new_id(ids_seed + i), type="function", function=c) for i, c in enumerate(calls)
    ]
    return ChoicePlan(tool_calls=tool_calls, finish_reason="stop" if offer.forced else "tool_calls")


def _schema_content(fmt: JsonSchemaFormat, hint: str, rng: random.Random, sparse: bool) -> str:
    schema = fmt.schema_ or {"type": "object"}
    try:
        return _instance_json(schema, rng, hint, sparse)
    except UnsatisfiableSchema as exc:
        raise InvalidRequest(
            f"Invalid schema for response_format '{fmt.name}': no value can satisfy it ({exc}).",
            param="response_format.json_schema.schema",
            code="invalid_value",
        ) from exc


def conversation_of(body: ChatCompletionRequest, sparse: bool) -> Conversation:
    """The turns as the prompt formats (generators/formats) read them."""
    fmt = body.response_format
    turns = tuple((m.role, message_text(m)) for m in body.messages)
    json_mode = fmt is not None and fmt.type != "text"
    return Conversation(turns, json_mode=json_mode, sparse=sparse)


def _plan_text(body: ChatCompletionRequest, rng: random.Random, sparse: bool) -> str:
    fmt = body.response_format
    if fmt is not None and fmt.type == "json_schema" and fmt.json_schema is not None:
        schema = fmt.json_schema.schema_
        framed = schema and answer_with_schema(conversation_of(body, sparse), schema, rng)
        return framed or _schema_content(fmt.json_schema, last_user_text(body), rng, sparse)
    # A format the prompt asks for (DSPy, ReAct agents, a schema stated for JSON mode).
    stated = answer_in_format(conversation_of(body, sparse), rng)
    if stated is not None:
        return stated
    if fmt is not None and fmt.type != "text":
        hint = last_user_text(body)
        words = text.salient_words(hint, 3)
        reply = text.compose_reply(hint, rng)
        return json.dumps({"answer": reply, "topics": words}, ensure_ascii=False)
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
    body: ChatCompletionRequest,
    index: int,
    seed: int,
    tokenizer: Tokenizer,
    new_id: Any,
    *,
    sparse: bool = False,
) -> ChoicePlan:
    """One choice; `sparse` fills optional schema properties by chance (jsonschema.instances)."""
    rng = random.Random(f"{seed}:{index}")
    offer = _offer(body)
    if offer is not None:
        return _plan_calls(body, offer, seed + 1000 * index, rng, new_id, sparse)
    content, finish = _cut(_plan_text(body, rng, sparse), body, tokenizer, rng)
    if body.stream or body.logprobs:
        pieces, tokens = tokenizer.counted_pieces(content)
    else:  # a whole answer without logprobs renders no pieces: only the count (issue 16)
        pieces, tokens = [], len(tokenizer.encode(content))
    plan = ChoicePlan(content=content, pieces=pieces, finish_reason=finish)
    plan.counted = (content, tokens)
    if body.logprobs:
        plan.logprobs = token_logprobs(plan.pieces, body.top_logprobs or 0, rng)
    return plan


def filter_choice(
    choice: ChoicePlan, screen: ContentFilter, prompt_text: str, tokenizer: Tokenizer
) -> None:
    """Annotate one answer; a blocked one is cut and finishes with `content_filter`."""
    if choice.content is None:
        return
    verdict = screen.screen_output(prompt_text, choice.content)
    choice.filter_results = verdict.results
    if not verdict.is_blocked:
        return
    if choice.content and not choice.pieces:  # a whole answer's pieces, left uncut till now
        choice.pieces = tokenizer.pieces(choice.content, charged=False)  # charged when counted
    keep = screen.cut_point(verdict, choice.pieces)
    choice.pieces = choice.pieces[:keep]
    choice.content = "".join(choice.pieces)
    if choice.logprobs is not None:
        choice.logprobs = choice.logprobs[:keep]
    choice.finish_reason = "content_filter"
