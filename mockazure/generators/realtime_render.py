"""A planned Realtime response as its server events, in the service's order (GA names).

`iter_response_events` yields events and `Pause` marks (how much audio or how many tokens the
events before it stand for), so the session can pace them and stop between any two.
`Progress` records what was sent, so a cancelled response ends with exactly that much: a delta
counts once the session comes back for the next step (it was sent); one pulled but not sent
because a cancel came first does not.

Order per output item (OpenAI's realtime guide, "Response lifecycle"): output_item.added,
conversation.item.added, content_part.added, interleaved transcript and audio deltas (or text
deltas), audio.done, audio_transcript.done (or text.done), content_part.done,
output_item.done, conversation.item.done; then response.done.
"""

import base64
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from mockazure.generators.realtime import OutputPlan, ResponsePlan
from mockazure.generators.realtime_audio import duration_ms, frames, output_audio_tokens
from mockazure.protocol.realtime_events import (
    ServerEvent,
    call_item,
    item_event,
    message_item,
    output_item_event,
    part_event,
    response_event,
    simple_event,
    usage_body,
)
from mockazure.tokens.tokenizers import Tokenizer

NewId = Callable[[], str]


@dataclass(frozen=True)
class Pause:
    audio_ms: float = 0.0  # audio just sent: paced at the session's audio pace
    tokens: int = 0  # text tokens just sent: paced at the latency model's token rate


@dataclass
class Sent:
    started: bool = False
    done: bool = False
    text: str = ""
    audio_bytes: int = 0
    arguments: str = ""


@dataclass
class Progress:
    sent: list[Sent] = field(default_factory=list)


def audio_format(fmt: str) -> dict[str, Any]:
    return {"type": fmt, "rate": 24000} if fmt == "audio/pcm" else {"type": fmt}


def response_body(plan: ResponsePlan, status: str, output: list[dict[str, Any]]) -> dict[str, Any]:
    effective = plan.effective
    body: dict[str, Any] = {
        "object": "realtime.response",
        "id": plan.response_id,
        "status": status,
        "output": output,
        "conversation_id": "conv_" + plan.response_id.removeprefix("resp_"),
        "output_modalities": effective.modalities,
        "max_output_tokens": effective.max_output_tokens or "inf",
        "audio": {
            "output": {"format": audio_format(effective.output_format), "voice": effective.voice}
        },
        "metadata": effective.metadata,
    }
    if effective.conversation == "none":
        body["conversation_id"] = None
    return body


def output_item(output: OutputPlan, sent: Sent, plan: ResponsePlan, status: str) -> dict[str, Any]:
    """The item as far as `sent` goes (all of it once done)."""
    if output.kind == "function_call":
        return call_item(output.item_id, output.call_id, output.name, sent.arguments, status)
    if not sent.started:
        return message_item(output.item_id, "assistant", [], status)
    if output.audio or "audio" in plan.effective.modalities:
        part = {"type": "output_audio", "transcript": sent.text}
    else:
        part = {"type": "output_text", "text": sent.text}
    return message_item(output.item_id, "assistant", [part], status)


def iter_response_events(
    plan: ResponsePlan,
    progress: Progress,
    new_event_id: NewId,
    previous_item_id: str | None,
    tokenizer: Tokenizer,
) -> Iterator[ServerEvent | Pause]:
    progress.sent = [Sent() for _ in plan.outputs]
    yield response_event("created", new_event_id(), response_body(plan, "in_progress", []))
    previous = previous_item_id
    for index, output in enumerate(plan.outputs):
        sent = progress.sent[index]
        yield from _item_events(plan, index, output, sent, new_event_id, previous, tokenizer)
        previous = output.item_id
    yield response_event("done", new_event_id(), final_response(plan, progress, cancelled=False))


def _item_events(
    plan: ResponsePlan,
    index: int,
    output: OutputPlan,
    sent: Sent,
    eid: NewId,
    previous: str | None,
    tokenizer: Tokenizer,
) -> Iterator[ServerEvent | Pause]:
    rid = plan.response_id
    opening = output_item(output, Sent(), plan, "in_progress")
    yield output_item_event("added", eid(), rid, index, opening)
    if plan.effective.conversation != "none":
        yield item_event("added", eid(), opening, previous)
    sent.started = True
    if output.kind == "function_call":
        yield from _call_events(plan, index, output, sent, eid, tokenizer)
    elif output.audio:
        yield from _audio_events(plan, index, output, sent, eid, tokenizer)
    else:
        yield from _text_events(plan, index, output, sent, eid, tokenizer)
    sent.done = True
    item = output_item(output, sent, plan, "completed")
    yield output_item_event("done", eid(), rid, index, item)
    if plan.effective.conversation != "none":
        yield item_event("done", eid(), item, previous)


def _where(plan: ResponsePlan, index: int, output: OutputPlan) -> dict[str, Any]:
    return {
        "response_id": plan.response_id,
        "item_id": output.item_id,
        "output_index": index,
        "content_index": 0,
    }


def _text_events(
    plan: ResponsePlan, index: int, output: OutputPlan, sent: Sent, eid: NewId, tok: Tokenizer
) -> Iterator[ServerEvent | Pause]:
    where = _where(plan, index, output)
    yield part_event("added", eid(), where, {"type": "text", "text": ""})
    for piece in tok.pieces(output.text):
        yield simple_event("response.output_text.delta", eid(), **where, delta=piece)
        sent.text += piece  # counted once the session comes back for more: it was sent
        yield Pause(tokens=1)
    yield simple_event("response.output_text.done", eid(), **where, text=output.text)
    yield part_event("done", eid(), where, {"type": "text", "text": output.text})


def _audio_events(
    plan: ResponsePlan, index: int, output: OutputPlan, sent: Sent, eid: NewId, tok: Tokenizer
) -> Iterator[ServerEvent | Pause]:
    """Transcript pieces go out as the audio reaches them (in proportion to its length)."""
    where = _where(plan, index, output)
    fmt = plan.effective.output_format
    yield part_event("added", eid(), where, {"type": "audio", "transcript": ""})
    pieces = tok.pieces(output.text)
    total = max(1, len(output.audio))
    given = 0
    for frame in frames(output.audio, fmt):
        due = -(-len(pieces) * (sent.audio_bytes + len(frame)) // total)
        for piece in pieces[given:due]:
            yield simple_event(
                "response.output_audio_transcript.delta", eid(), **where, delta=piece
            )
            sent.text += piece
        given = max(given, due)
        yield simple_event("response.output_audio.delta", eid(), **where, delta=_b64(frame))
        sent.audio_bytes += len(frame)
        yield Pause(audio_ms=duration_ms(len(frame), fmt))
    yield simple_event("response.output_audio.done", eid(), **where)
    yield simple_event(
        "response.output_audio_transcript.done", eid(), **where, transcript=output.text
    )
    yield part_event("done", eid(), where, {"type": "audio", "transcript": output.text})


def _call_events(
    plan: ResponsePlan, index: int, output: OutputPlan, sent: Sent, eid: NewId, tok: Tokenizer
) -> Iterator[ServerEvent | Pause]:
    ids = {
        "response_id": plan.response_id,
        "item_id": output.item_id,
        "output_index": index,
        "call_id": output.call_id,
    }
    for piece in tok.pieces(output.arguments):
        yield simple_event("response.function_call_arguments.delta", eid(), **ids, delta=piece)
        sent.arguments += piece
        yield Pause(tokens=1)
    yield simple_event(
        "response.function_call_arguments.done",
        eid(),
        **ids,
        name=output.name,
        arguments=output.arguments,
    )


def final_response(
    plan: ResponsePlan, progress: Progress, *, cancelled: bool, tokenizer: Tokenizer | None = None
) -> dict[str, Any]:
    """`response.done`'s response: everything, or (cancelled) the items as far as they went,
    with the usage of what was sent (`sent_usage`)."""
    status = "cancelled" if cancelled else plan.status
    items = []
    for output, sent in zip(plan.outputs, progress.sent, strict=False):
        if sent.started:
            items.append(
                output_item(output, sent, plan, "completed" if sent.done else "incomplete")
            )
    body = response_body(plan, status, items)
    if cancelled:
        body["status_details"] = {"type": "cancelled", "reason": "client_cancelled"}
    elif plan.reason:
        body["status_details"] = {"type": plan.status, "reason": plan.reason}
    body["usage"] = plan.usage
    if cancelled and tokenizer is not None:
        body["usage"] = sent_usage(plan, progress, tokenizer)
    return body


def sent_usage(plan: ResponsePlan, progress: Progress, tokenizer: Tokenizer) -> dict[str, Any]:
    """The usage of a cancelled response: all of its input (the model read it), and only the
    output tokens that were sent. The spec's `RealtimeResponse.usage` "will correspond to
    billing" and its `output_tokens` are "the number of output tokens sent in the Response"
    (reference/openai/openapi.json); a cancel stops generation, so what was not sent was not
    generated. Counted as `realtime.usage_for` counts a whole response."""
    details = plan.usage["input_token_details"]
    text_out = audio_out = 0
    for output, sent in zip(plan.outputs, progress.sent, strict=False):
        if not sent.started:
            continue
        if output.kind == "function_call":
            text_out += tokenizer.count(output.name) + tokenizer.count(sent.arguments) + 3
            continue
        text_out += tokenizer.count(sent.text)
        if sent.audio_bytes:
            ms = duration_ms(sent.audio_bytes, plan.effective.output_format)
            audio_out += output_audio_tokens(ms)
    text_in, audio_in = details["text_tokens"], details["audio_tokens"]
    return usage_body(text_in, audio_in, text_out, audio_out, details["cached_tokens"])


def sent_audio(output: OutputPlan, sent: Sent) -> bytes:
    return output.audio[: sent.audio_bytes]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def failed_events(
    plan: ResponsePlan, new_event_id: NewId, code: str, message: str
) -> list[ServerEvent]:
    """A response that could not run (rate limit): created, then done with status failed."""
    body = response_body(plan, "in_progress", [])
    failed = response_body(plan, "failed", [])
    failed["status_details"] = {
        "type": "failed",
        "error": {"type": "invalid_request_error", "code": code, "message": message},
    }
    failed["usage"] = usage_nothing()
    return [
        response_event("created", new_event_id(), body),
        response_event("done", new_event_id(), failed),
    ]


def usage_nothing() -> dict[str, Any]:
    return usage_body(0, 0, 0, 0)
