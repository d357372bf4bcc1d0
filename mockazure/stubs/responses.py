"""A stub hit applied to a Responses answer: `content` becomes the message text, `tool_calls`
become `function_call` items, `finish_reason: length` makes the response `incomplete`, `usage`
replaces the counts it names (`prompt_tokens` -> `input_tokens`, `completion_tokens` ->
`output_tokens`). Reasoning items, ids and the echoed settings stay the generator's."""

from typing import Any

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


def _stubbed_output(hit: StubHit, response: Response, new_id: Any) -> list[OutputItem]:
    kept: list[OutputItem] = [i for i in response.output if i.type == "reasoning"]
    stub = hit.response
    if stub.tool_calls:
        return kept + [
            FunctionCallOutput(
                id=new_id("fc_", n),
                call_id=call.id or new_id("call_", n),
                name=call.name,
                arguments=stub_arguments(call, hit),
            )
            for n, call in enumerate(stub.tool_calls)
        ]
    if stub.content is not None:
        part = OutputTextPart(text=hit.content() or "")
        return [*kept, MessageOutput(id=new_id("msg_", 0), content=[part])]
    return list(response.output)


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


def apply_responses_stub(
    response: Response, hit: StubHit, tokenizer: Tokenizer, new_id: Any
) -> Response:
    output = _stubbed_output(hit, response, new_id)
    update: dict[str, Any] = {"output": output, "usage": _usage(response, output, hit, tokenizer)}
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
    elif hit.response.content is not None or hit.response.tool_calls:
        update |= {"status": "completed", "incomplete_details": None}
    return response.model_copy(update=update)
