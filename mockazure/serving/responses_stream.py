"""Typed server-sent events for the Responses API: `event: <type>` then `data: <json>` and a
blank line per event (reference §3), no `[DONE]` at the end. An error after the headers went
out is reported in-band as an `error` event. Paced by the deployment's latency model, and sent
in batches as chat streams are (`gateway/sse.py`)."""

from collections.abc import Iterable, Iterator

from mockazure.errors import AzureError
from mockazure.gateway.responses import Pacing
from mockazure.gateway.sse import EventStream, Paced
from mockazure.generators.responses_frames import Frame
from mockazure.protocol.responses_events import ErrorEvent


def frame_event(event: Frame) -> bytes:
    return b"event: " + event.type.encode() + b"\ndata: " + event.data + b"\n\n"


def paced_events(
    events: Iterable[Frame], pacing: Pacing, *, starting_after: int | None = None
) -> Iterator[Paced]:
    number = -1
    try:
        for number, event in enumerate(events):
            if starting_after is not None and event.sequence_number <= starting_after:
                continue
            pause = pacing.first_s if number == 0 else pacing.per_chunk_s
            yield pause, frame_event(event)
    except AzureError as exc:  # headers are already sent: report the error in-band
        body = exc.envelope().error
        error = ErrorEvent(
            sequence_number=number + 1, code=body.code, message=body.message, param=body.param
        )
        yield 0.0, frame_event(Frame.of(error))


def events_response(
    events: Iterable[Frame], pacing: Pacing, *, starting_after: int | None = None
) -> EventStream:
    paced = bool(pacing.first_s or pacing.per_chunk_s)
    return EventStream(paced_events(events, pacing, starting_after=starting_after), paced=paced)
