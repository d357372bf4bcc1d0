"""Responses API answers: what the model says to one request, as a finished `Response`.

Pure and deterministic: the same request, conversation and seed give the same response. Chat's
pieces are reused (text composer, schema instances, token counting with the deployment's
tokenizer). The stream is rendered from this same object (`responses_events`), so the joined
deltas always equal the stored response.

Tool choice (spec `tool_choice`): `required` makes the model call one or more tools and a named
function forces that function, also right after tool outputs (issue 15 §1); `auto` calls a
function on a fresh user turn and answers in text once the conversation ends in tool outputs,
so agent loops end; `none` answers in text.
"""

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from mockazure.config import DeploymentSpec
from mockazure.errors import InvalidRequest
from mockazure.generators import text
from mockazure.generators.content_filter import ContentFilter
from mockazure.generators.logprobs import token_logprobs
from mockazure.generators.responses_context import (
    count_input_tokens,
    last_user_text,
    trailing_tool_outputs,
)
from mockazure.generators.responses_echo import echo
from mockazure.generators.responses_filter import screen_message, screen_prompt
from mockazure.generators.responses_hosted import hosted_tool, run_hosted
from mockazure.generators.responses_mcp import (
    approval_turn,
    mcp_turn,
    pending_approval,
    tool_for,
)
from mockazure.generators.responses_reasoning import (
    is_reasoning_model,
    reasoning_item,
    reasoning_tokens,
)
from mockazure.jsonschema.instances import instance_for
from mockazure.jsonschema.merge import UnsatisfiableSchema
from mockazure.protocol.responses import ResponseCreateRequest
from mockazure.protocol.responses_objects import (
    CodeInterpreterCallOutput,
    FunctionCallOutput,
    IncompleteDetails,
    MessageOutput,
    OutputItem,
    OutputTextPart,
    Response,
    ResponseUsage,
)
from mockazure.protocol.responses_tools import (
    FunctionChoice,
    FunctionTool,
    McpTool,
    TextFormatJsonSchema,
)
from mockazure.tokens.tokenizers import Tokenizer
from mockazure.versions import ResponseFeatures

NewId = Callable[[str, int], str]  # (prefix, n) -> a fresh id
Answer = tuple[MessageOutput | None, list[OutputItem]]  # the message, and the items before it
IncompleteReason = Literal["max_output_tokens", "content_filter"]


@dataclass(frozen=True)
class ResponseContext:
    body: ResponseCreateRequest
    conversation: list[dict[str, Any]]  # chain + this input, oldest first, as item dicts
    deployment: DeploymentSpec
    tokenizer: Tokenizer
    seed: int
    response_id: str
    created_at: float
    new_id: NewId
    features: ResponseFeatures  # the api-version's content-filter categories
    prompt_text: str  # this request's instructions and input, markers kept (content filter)
    # A stub's answer (message or function calls) planned instead of a generated one.
    made: Callable[[], Answer | None] | None = None


def _forced_tools(body: ResponseCreateRequest) -> list[FunctionTool] | None:
    """The functions the model must or may call now; None for a text answer."""
    tools = body.function_tools
    choice = body.tool_choice or "auto"
    if not tools or choice == "none":
        return None
    if isinstance(choice, FunctionChoice):
        return [t for t in tools if t.name == choice.name]
    if choice in ("required", "auto"):
        return tools
    return None  # a hosted-tool choice: no function call


def _pick(
    tools: list[FunctionTool], hint: str, parallel: bool, rng: random.Random
) -> list[FunctionTool]:
    lowered = hint.lower()

    def relevance(tool: FunctionTool) -> int:
        words = f"{tool.name} {tool.description or ''}".lower().replace("_", " ").split()
        return sum(1 for word in words if len(word) > 3 and word in lowered)

    ranked = sorted(tools, key=lambda t: (-relevance(t), rng.random()))
    count = 2 if parallel and len(ranked) > 1 and rng.random() < 0.5 else 1
    return ranked[:count]


def _arguments(tool: FunctionTool, hint: str, rng: random.Random) -> str:
    schema = tool.parameters or {"type": "object", "properties": {}}
    try:
        value = instance_for(schema, rng, hint=hint)
    except UnsatisfiableSchema as exc:
        raise InvalidRequest(
            f"Invalid schema for function '{tool.name}': no value can satisfy it ({exc}).",
            param="tools",
            code="invalid_function_parameters",
        ) from exc
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _calls(ctx: ResponseContext, rng: random.Random) -> list[OutputItem] | None:
    body = ctx.body
    candidates = _forced_tools(body)
    if candidates is None:
        return None
    outputs = trailing_tool_outputs(ctx.conversation)
    if outputs and body.tool_choice in (None, "auto"):
        return None  # answer the tool results in text, so agent loops end
    hint = last_user_text(ctx.conversation)
    chosen = _pick(candidates, hint, body.parallel_tool_calls is not False, rng)
    return [
        FunctionCallOutput(
            id=ctx.new_id("fc_", n),
            call_id=ctx.new_id("call_", n),
            name=tool.name,
            arguments=_arguments(tool, hint, rng),
        )
        for n, tool in enumerate(chosen)
    ]


def _text(ctx: ResponseContext, rng: random.Random) -> str:
    body, hint = ctx.body, last_user_text(ctx.conversation)
    fmt = body.text.format if body.text else None
    if isinstance(fmt, TextFormatJsonSchema):
        try:
            return json.dumps(instance_for(fmt.schema_, rng, hint=hint), ensure_ascii=False)
        except UnsatisfiableSchema as exc:
            raise InvalidRequest(
                f"Invalid schema for response_format '{fmt.name}': no value can satisfy it "
                f"({exc}).",
                param="text.format.schema",
                code="invalid_value",
            ) from exc
    if fmt is not None and fmt.type == "json_object":
        return json.dumps(
            {"answer": text.compose_reply(hint, rng), "topics": text.salient_words(hint, 3)},
            ensure_ascii=False,
        )
    outputs = trailing_tool_outputs(ctx.conversation)
    if outputs:
        return text.compose_tool_followup(outputs, rng)
    return text.compose_reply(hint or "your request", rng)


def _message(
    ctx: ResponseContext,
    content: str,
    budget: int,
    rng: random.Random,
    annotations: list[dict[str, Any]] | None = None,
) -> MessageOutput:
    tokenizer = ctx.tokenizer
    cut = tokenizer.count(content) > budget
    if cut:
        content = tokenizer.truncate(content, budget)
    kept = [a for a in annotations or () if a.get("end_index", 0) <= len(content)]
    part = OutputTextPart(text=content, annotations=kept)
    if ctx.body.includes("message.output_text.logprobs"):
        pieces = tokenizer.pieces(content)
        part.logprobs = [
            lp.model_dump() for lp in token_logprobs(pieces, ctx.body.top_logprobs or 0, rng)
        ]
    return MessageOutput(
        id=ctx.new_id("msg_", 0), status="incomplete" if cut else "completed", content=[part]
    )


def _answer(ctx: ResponseContext, rng: random.Random, budget: int) -> Answer:
    """Function calls (and no message), or a hosted tool's call and the message that uses it,
    or a message alone."""
    calls = _calls(ctx, rng)
    if calls is not None:
        return None, calls
    tool = None if trailing_tool_outputs(ctx.conversation) else hosted_tool(ctx.body)
    if isinstance(tool, McpTool):
        return _mcp_answer(ctx, rng, budget)
    if tool is not None:
        hint = last_user_text(ctx.conversation)
        result = run_hosted(tool, ctx.body, hint, ctx.new_id, rng)
        return _message(ctx, result.text, budget, rng, result.annotations), [result.item]
    return _message(ctx, _text(ctx, rng), budget, rng), []


def _mcp_answer(ctx: ResponseContext, rng: random.Random, budget: int) -> Answer:
    servers = [t for t in ctx.body.tools or () if isinstance(t, McpTool)]
    hint = last_user_text(ctx.conversation)
    approval = pending_approval(ctx.conversation)
    if approval is not None:
        server = tool_for(servers, ctx.conversation, approval)
        items, said = approval_turn(server, approval, ctx.conversation, hint, ctx.new_id, rng)
        return _message(ctx, said, budget, rng), items
    items, maybe = mcp_turn(servers[0], ctx.conversation, hint, ctx.new_id, rng)
    return (None if maybe is None else _message(ctx, maybe, budget, rng)), items


def _output_tokens(items: list[OutputItem], tokenizer: Tokenizer) -> int:
    total = 0
    for item in items:
        if isinstance(item, MessageOutput):
            total += tokenizer.count(item.text)
        elif isinstance(item, FunctionCallOutput):
            total += tokenizer.count(item.name) + tokenizer.count(item.arguments) + 3
        elif isinstance(item, CodeInterpreterCallOutput):
            total += tokenizer.count(item.code or "")
    return total


def _reasoning(
    ctx: ResponseContext, rng: random.Random, budget: int
) -> tuple[list[OutputItem], int]:
    """The reasoning item of a reasoning deployment and the tokens it spent (none otherwise)."""
    body = ctx.body
    if not is_reasoning_model(ctx.deployment.model):
        return [], 0
    effort = body.reasoning.effort if body.reasoning else None
    mode = body.reasoning.summary or body.reasoning.generate_summary if body.reasoning else None
    spent = min(budget, reasoning_tokens(effort, rng))
    item = reasoning_item(
        ctx.new_id("rs_", 0),
        last_user_text(ctx.conversation),
        rng,
        summary=mode is not None,
        encrypted=body.includes("reasoning.encrypted_content"),
        seed=ctx.seed,
    )
    return [item], spent


def _usage(ctx: ResponseContext, output: list[OutputItem], reasoning: int) -> ResponseUsage:
    tools = [t.model_dump() for t in ctx.body.function_tools]
    input_tokens = count_input_tokens(ctx.body.instructions, ctx.conversation, tools, ctx.tokenizer)
    output_tokens = _output_tokens(output, ctx.tokenizer) + reasoning
    usage = ResponseUsage(
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        total_tokens=input_tokens + output_tokens,
    )
    usage.output_tokens_details.reasoning_tokens = reasoning
    return usage


def complete_response(ctx: ResponseContext) -> Response:
    """The finished response (status `completed`, or `incomplete` at `max_output_tokens`). A
    stub's answer (`ctx.made`) is screened as a generated one: the filter judges what is sent."""
    rng = random.Random(ctx.seed)
    screen = ContentFilter(ctx.deployment, ctx.features)
    filters = [screen_prompt(screen, ctx.prompt_text)]  # raises when the prompt is blocked
    limit = ctx.deployment.max_output_tokens
    budget = min(ctx.body.max_output_tokens or limit, limit)
    output, spent = _reasoning(ctx, rng, budget)
    reason: IncompleteReason | None = "max_output_tokens" if spent >= budget else None
    made = ctx.made() if ctx.made is not None else None
    if made is not None:
        reason = None  # a rule's answer is whole: only its `finish_reason` ends it early
    if reason is None:
        message, items = made or _answer(ctx, rng, budget - spent)
        output.extend(items)
        if message is not None:
            reason = "max_output_tokens" if message.status == "incomplete" else None
            message, completion = screen_message(screen, ctx.prompt_text, message, ctx.tokenizer)
            reason = "content_filter" if completion["blocked"] else reason
            filters.append(completion)
            output.append(message)
    return echo(
        ctx.body,
        ctx.deployment,
        id=ctx.response_id,
        created_at=ctx.created_at,
        status="completed" if reason is None else "incomplete",
        incomplete_details=None if reason is None else IncompleteDetails(reason=reason),
        content_filters=filters,
    ).model_copy(update={"output": output, "usage": _usage(ctx, output, spent)})
