"""A stub hit in a Responses answer: `content` becomes the message text and `tool_calls`
become `function_call` items, planned instead of the generator's answer (and screened by the
content filter as it would be), `finish_reason: length` makes the response `incomplete`, `usage`
replaces the counts it names (`prompt_tokens` -> `input_tokens`, `completion_tokens` ->
`output_tokens`). Reasoning items, ids and the echoed settings stay the generator's."""

from typing import Any

from mockazure.generators.responses import Answer
from mockazure.protocol.responses_objects import (
    FunctionCallOutput,
    IncompleteDetails,
    MessageOutput,
    OutputItem,
    OutputTextPart,
    Response,
    ResponseUsage,
)
from mockazure.stubs.book import StubHit
from mockazure.stubs.chat import stub_arguments
from mockazure.tokens.tokenizers import Tokenizer


def stub_answer(hit: StubHit, new_id: Any) -> Answer | None:
    """The answer a rule's `tool_calls` or `content` make, planned instead of the generator's
    (generators/responses.py `ResponseContext.made`); None when the rule gives neither."""
    stub = hit.response
    if stub.tool_calls:
        calls: list[OutputItem] = [
            FunctionCallOutput(
                id=new_id("fc_", n),
                call_id=call.id or new_id("call_", n),
                name=call.name,
                arguments=stub_arguments(call, hit),
            )
            for n, call in enumerate(stub.tool_calls)
        ]
        return None, calls
    if stub.content is not None:
        part = OutputTextPart(text=hit.content() or "")
        return MessageOutput(id=new_id("msg_", 0), content=[part]), []
    return None


def _usage(
    response: Response, output: list[OutputItem], hit: StubHit, tokenizer: Tokenizer
) -> ResponseUsage:
    old = response.usage or ResponseUsage(input_tokens=0, output_tokens=0, total_tokens=0)
    reasoning = old.output_tokens_details.reasoning_tokens
    visible = sum(
        tokenizer.count(i.text) if isinstance(i, MessageOutput) else tokenizer.count(i.arguments)
        for i in output
        if isinstance(i, (MessageOutput, FunctionCallOutput))
    )
    usage = old.model_copy(update={"output_tokens": visible + reasoning})
    override = hit.response.usage
    if override is not None:
        if override.prompt_tokens is not None:
            usage.input_tokens = override.prompt_tokens
        if override.completion_tokens is not None:
            usage.output_tokens = override.completion_tokens
    usage.total_tokens = usage.input_tokens + usage.output_tokens
    if override is not None and override.total_tokens is not None:
        usage.total_tokens = override.total_tokens
    return usage


def apply_responses_stub(response: Response, hit: StubHit, tokenizer: Tokenizer) -> Response:
    """The rule's `finish_reason` and `usage` over a response whose output `stub_answer` made
    (or the generator, when the rule gives no answer)."""
    update: dict[str, Any] = {"usage": _usage(response, response.output, hit, tokenizer)}
    if hit.response.finish_reason == "length":
        update |= {
            "status": "incomplete",
            "incomplete_details": IncompleteDetails(reason="max_output_tokens"),
        }
    elif hit.response.finish_reason == "content_filter":
        update |= {
            "status": "incomplete",
            "incomplete_details": IncompleteDetails(reason="content_filter"),
        }
    return response.model_copy(update=update)
