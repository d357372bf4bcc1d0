"""A finished `Response` rendered as the Responses stream (reference §3, v1 GA spec
`OpenAI.ResponseStreamEvent`): `response.created`, (`response.queued` in background),
`response.in_progress`, then per output item `output_item.added`, its parts and deltas, and
`output_item.done`, then `response.completed` (or `response.incomplete`). Sequence numbers count
from 0. Deltas are the tokenizer's pieces, so joined they equal the finished response.

`obfuscation` (required on delta events by the spec): random characters that even out payload
sizes; deterministic here (derived from the item id and position).
"""

import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from mockazure.protocol.responses_events import (
    ArgumentsDeltaEvent,
    ArgumentsDoneEvent,
    CodeDeltaEvent,
    CodeDoneEvent,
    ContentPartEvent,
    McpArgumentsDeltaEvent,
    McpArgumentsDoneEvent,
    OutputItemEvent,
    ResponseLifecycleEvent,
    StreamEvent,
    SummaryPartEvent,
    SummaryTextDeltaEvent,
    SummaryTextDoneEvent,
    TextDeltaEvent,
    TextDoneEvent,
    ToolCallProgressEvent,
)
from mockazure.protocol.responses_objects import (
    CodeInterpreterCallOutput,
    FunctionCallOutput,
    HostedCallOutput,
    McpApprovalRequestOutput,
    McpCallOutput,
    McpListToolsOutput,
    McpOutput,
    MessageOutput,
    OutputItem,
    OutputTextPart,
    ReasoningOutput,
    Response,
)
from mockazure.tokens.tokenizers import Tokenizer

OBFUSCATION_PAD_CHARS = 16
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


# Byte b of the digest stands for `_ALPHABET[b % len(_ALPHABET)]` (one `bytes.translate`).
_PAD_TABLE = bytes(ord(_ALPHABET[b % len(_ALPHABET)]) for b in range(256))


@functools.lru_cache(maxsize=256)
def _item_hash(item_id: str) -> "hashlib._Hash":
    """sha256 fed `<item id>:`, copied for each delta (a new OpenSSL hash costs twice a copy)."""
    return hashlib.sha256(f"{item_id}:".encode())


def obfuscation(item_id: str, index: int, delta: str) -> str:
    """Padding from sha256(`<item id>:<index>`)."""
    hashed = _item_hash(item_id).copy()
    hashed.update(b"%d" % index)
    digest = hashed.digest()
    length = max(1, OBFUSCATION_PAD_CHARS - len(delta))
    return digest[:length].translate(_PAD_TABLE).decode("ascii")


@dataclass(frozen=True)
class TextDelta:
    """A text delta without logprobs, kept unbuilt: a served stream renders it from a
    template (`responses_frames`), `iter_response_events` as the `TextDeltaEvent` it stands for."""

    item_id: str
    output_index: int
    content_index: int
    delta: str
    obfuscation: str

    def event(self) -> TextDeltaEvent:
        return TextDeltaEvent(
            item_id=self.item_id,
            output_index=self.output_index,
            content_index=self.content_index,
            delta=self.delta,
            logprobs=[],
            obfuscation=self.obfuscation,
        )


def shell(response: Response, status: str) -> Response:
    """The response as announced before generation: no output, no usage."""
    return response.model_copy(
        update={"status": status, "output": [], "usage": None, "incomplete_details": None}
    )


def _reasoning(item: ReasoningOutput, index: int, tokenizer: Tokenizer) -> Iterator[StreamEvent]:
    added = item.model_copy(update={"summary": []})
    yield OutputItemEvent(
        type="response.output_item.added", output_index=index, item=added.model_dump()
    )
    for n, part in enumerate(item.summary):
        where = {"item_id": item.id, "output_index": index, "summary_index": n}
        empty = {"type": "summary_text", "text": ""}
        yield SummaryPartEvent(type="response.reasoning_summary_part.added", part=empty, **where)
        for k, piece in enumerate(tokenizer.pieces(part.text)):
            yield SummaryTextDeltaEvent(
                delta=piece, obfuscation=obfuscation(item.id, k, piece), **where
            )
        yield SummaryTextDoneEvent(text=part.text, **where)
        yield SummaryPartEvent(
            type="response.reasoning_summary_part.done", part=part.model_dump(), **where
        )
    yield OutputItemEvent(
        type="response.output_item.done", output_index=index, item=item.model_dump()
    )


def _message(
    item: MessageOutput, index: int, tokenizer: Tokenizer
) -> Iterator[StreamEvent | TextDelta]:
    added = item.model_copy(update={"status": "in_progress", "content": []})
    yield OutputItemEvent(
        type="response.output_item.added", output_index=index, item=added.model_dump()
    )
    for n, part in enumerate(item.content):
        where = {"item_id": item.id, "output_index": index, "content_index": n}
        empty = part.model_copy(
            update={"text": ""} if isinstance(part, OutputTextPart) else {"refusal": ""}
        )
        yield ContentPartEvent(type="response.content_part.added", part=empty.model_dump(), **where)
        if isinstance(part, OutputTextPart):
            for k, piece in enumerate(tokenizer.pieces(part.text)):
                if not part.logprobs:
                    yield TextDelta(item.id, index, n, piece, obfuscation(item.id, k, piece))
                    continue
                yield TextDeltaEvent(
                    delta=piece,
                    logprobs=part.logprobs[k : k + 1],
                    obfuscation=obfuscation(item.id, k, piece),
                    **where,
                )
            yield TextDoneEvent(text=part.text, logprobs=part.logprobs, **where)
        yield ContentPartEvent(type="response.content_part.done", part=part.model_dump(), **where)
    yield OutputItemEvent(
        type="response.output_item.done", output_index=index, item=item.model_dump()
    )


def _call(item: FunctionCallOutput, index: int, tokenizer: Tokenizer) -> Iterator[StreamEvent]:
    added = item.model_copy(update={"status": "in_progress", "arguments": ""})
    yield OutputItemEvent(
        type="response.output_item.added", output_index=index, item=added.model_dump()
    )
    for k, piece in enumerate(tokenizer.pieces(item.arguments)):
        yield ArgumentsDeltaEvent(
            item_id=item.id,
            output_index=index,
            delta=piece,
            obfuscation=obfuscation(item.id, k, piece),
        )
    yield ArgumentsDoneEvent(item_id=item.id, output_index=index, arguments=item.arguments)
    yield OutputItemEvent(
        type="response.output_item.done", output_index=index, item=item.model_dump()
    )


_STEPS = {
    "web_search_call": ("in_progress", "searching", "completed"),
    "file_search_call": ("in_progress", "searching", "completed"),
    "code_interpreter_call": ("in_progress", "interpreting", "completed"),
    "image_generation_call": ("in_progress", "generating", "completed"),
}


def _hosted(item: HostedCallOutput, index: int, tokenizer: Tokenizer) -> Iterator[StreamEvent]:
    """A hosted tool's call: added, its progress events (and its code), done."""
    added = item.model_copy(update={"status": "in_progress"})
    yield OutputItemEvent(
        type="response.output_item.added", output_index=index, item=added.model_dump()
    )
    first, middle, last = _STEPS[item.type]
    where = {"output_index": index, "item_id": item.id}
    yield ToolCallProgressEvent(type=f"response.{item.type}.{first}", **where)
    if isinstance(item, CodeInterpreterCallOutput) and item.code is not None:
        for k, piece in enumerate(tokenizer.pieces(item.code)):
            yield CodeDeltaEvent(delta=piece, obfuscation=obfuscation(item.id, k, piece), **where)
        yield CodeDoneEvent(code=item.code, **where)
    yield ToolCallProgressEvent(type=f"response.{item.type}.{middle}", **where)
    yield ToolCallProgressEvent(type=f"response.{item.type}.{last}", **where)
    yield OutputItemEvent(
        type="response.output_item.done", output_index=index, item=item.model_dump()
    )


def _mcp(item: McpOutput, index: int, tokenizer: Tokenizer) -> Iterator[StreamEvent]:
    """MCP items: list tools (in_progress, completed), a call (in_progress, its arguments,
    completed); an approval request is added and done."""
    added = item.model_copy(update={"output": None} if isinstance(item, McpCallOutput) else {})
    yield OutputItemEvent(
        type="response.output_item.added", output_index=index, item=added.model_dump()
    )
    where = {"output_index": index, "item_id": item.id}
    if isinstance(item, McpListToolsOutput):
        yield ToolCallProgressEvent(type="response.mcp_list_tools.in_progress", **where)
        yield ToolCallProgressEvent(type="response.mcp_list_tools.completed", **where)
    elif isinstance(item, McpCallOutput):
        yield ToolCallProgressEvent(type="response.mcp_call.in_progress", **where)
        for k, piece in enumerate(tokenizer.pieces(item.arguments)):
            yield McpArgumentsDeltaEvent(
                delta=piece, obfuscation=obfuscation(item.id, k, piece), **where
            )
        yield McpArgumentsDoneEvent(arguments=item.arguments, **where)
        yield ToolCallProgressEvent(type="response.mcp_call.completed", **where)
    yield OutputItemEvent(
        type="response.output_item.done", output_index=index, item=item.model_dump()
    )


def _item_events(
    item: OutputItem, index: int, tokenizer: Tokenizer
) -> Iterator[StreamEvent | TextDelta]:
    if isinstance(item, ReasoningOutput):
        return _reasoning(item, index, tokenizer)
    if isinstance(item, MessageOutput):
        return _message(item, index, tokenizer)
    if isinstance(item, FunctionCallOutput):
        return _call(item, index, tokenizer)
    if isinstance(item, (McpListToolsOutput, McpCallOutput, McpApprovalRequestOutput)):
        return _mcp(item, index, tokenizer)
    return _hosted(item, index, tokenizer)


def iter_unbuilt_events(
    response: Response, tokenizer: Tokenizer
) -> Iterator[StreamEvent | TextDelta]:
    """The stream's events in order, unnumbered, with plain text deltas left as `TextDelta`s."""
    if response.background:
        yield ResponseLifecycleEvent(type="response.created", response=shell(response, "queued"))
        yield ResponseLifecycleEvent(type="response.queued", response=shell(response, "queued"))
    else:
        yield ResponseLifecycleEvent(
            type="response.created", response=shell(response, "in_progress")
        )
    yield ResponseLifecycleEvent(
        type="response.in_progress", response=shell(response, "in_progress")
    )
    for index, item in enumerate(response.output):
        yield from _item_events(item, index, tokenizer)
    final = {
        "completed": "response.completed",
        "incomplete": "response.incomplete",
        "failed": "response.failed",
    }.get(response.status, "response.completed")
    yield ResponseLifecycleEvent(type=final, response=response)


def iter_response_events(response: Response, tokenizer: Tokenizer) -> Iterator[StreamEvent]:
    """Every event of the stream of `response`, numbered from 0."""
    for number, unbuilt in enumerate(iter_unbuilt_events(response, tokenizer)):
        event = unbuilt.event() if isinstance(unbuilt, TextDelta) else unbuilt
        event.sequence_number = number
        yield event
