"""Chunks to server-sent events, as Azure frames them (azure-surface.md §9f, clients.md §0.5):
`data: <json>` + LF LF per chunk, `data: [DONE]` at the end, no `event:` lines, no pings.

Each event is framed into bytes here; the bytes and headers are those sse-starlette's
`EventSourceResponse` sent (with `sep="\\n"`, `ping=0`; a test compares them), without its
per-event overhead (an event object, re-encoding, a cancel scope per send).

Events that follow one another with no pause between them (no latency model, or the events
after the first one when only `first_token_ms` is set) are sent as one body message, up to
`BATCH_BYTES` (issue 16, target 3): each message crosses every middleware's `send` and costs the
server an HTTP chunk and a socket write, while the client reads the same bytes at the same time.
With a latency model each paused event is still sent after its own pause. Disconnects stop the
stream as before: Starlette's streaming response listens for them.
"""

from collections.abc import Iterable, Iterator

import anyio
from pydantic import BaseModel
from starlette.requests import ClientDisconnect
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from mockazure.errors import AzureError

# What sse-starlette sent, in its order (it lower-cases the names): ours, then its own two;
# the content type follows from the media type.
SSE_HEADERS = {
    "cache-control": "no-cache, must-revalidate",
    "connection": "keep-alive",
    "x-accel-buffering": "no",
}
DONE = b"data: [DONE]\n\n"
# At most this many bytes of unpaused events are joined into one body message (asyncio's
# default write-buffer high-water mark, so a batch fills the transport's buffer once).
BATCH_BYTES = 65_536

Paced = tuple[float, bytes]  # (pause before it in seconds, one framed event)
Batch = tuple[float, bytes, bool]  # (pause before it, framed events, whether it is the last)


def frame(data: bytes) -> bytes:
    """One event: a single-line JSON payload after `data: `, then a blank line."""
    return b"data: " + data + b"\n\n"


def paced_events(
    chunks: Iterable[BaseModel | bytes], *, first_delay_s: float = 0.0, delay_s: float = 0.0
) -> Iterator[Paced]:
    """The events of `chunks` (models, or their JSON already rendered as bytes), each with the
    pause before it; an `AzureError` while generating is reported in-band, then `[DONE]`."""
    try:
        for number, chunk in enumerate(chunks):
            pause = first_delay_s if number == 0 else delay_s
            data = chunk if isinstance(chunk, bytes) else chunk.model_dump_json(exclude_unset=True)
            yield pause, frame(data if isinstance(data, bytes) else data.encode())
    except AzureError as exc:  # headers are already sent: report the error in-band
        yield 0.0, frame(exc.envelope().model_dump_json(exclude_unset=True).encode())
    yield 0.0, DONE


def batches(events: Iterable[Paced], limit: int = BATCH_BYTES) -> Iterator[Batch]:
    """`events` joined into body messages: a batch starts at each paused event (the pause
    comes before it) or when the last one reached `limit` bytes; the last batch says so.

    If `events` fails, what was framed before the failure is yielded first: the client gets
    the same bytes before the connection ends as when every event was its own message."""
    pause, parts, size = 0.0, list[bytes](), 0
    try:
        for wait, data in events:
            if parts and (wait or size >= limit):
                yield pause, b"".join(parts), False
                pause, parts, size = 0.0, [], 0
            if not parts:
                pause = wait
            parts.append(data)
            size += len(data)
    except Exception:
        if parts:
            yield pause, b"".join(parts), False
        raise
    yield pause, b"".join(parts), True


class EventStream(StreamingResponse):
    """A `text/event-stream` response of paced, pre-framed events, sent in `batches`; the last
    batch closes the body (no empty message after it).

    A stream with no pause (`paced=False`) is sent without Starlette's disconnect listener: it
    never waits on anything but the transport, which stops waiting when the client goes
    (uvicorn then drops what is sent), so the listener task and its cancel scope (~50 µs per
    stream) would never cancel anything. A paced stream keeps it: a disconnect ends the sleep."""

    def __init__(self, events: Iterable[Paced], *, paced: bool = True) -> None:
        self.status_code = 200
        self.media_type = "text/event-stream"
        self.background = None
        self.init_headers(SSE_HEADERS)
        self.events = events
        self.paced = paced

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.paced or scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            await self.stream_response(send)
        except OSError as exc:  # what Starlette does when the server raises on a disconnect
            raise ClientDisconnect() from exc

    async def stream_response(self, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        for pause, body, last in batches(self.events):
            if pause:
                await anyio.sleep(pause)
            await send({"type": "http.response.body", "body": body, "more_body": not last})


def sse_response(
    chunks: Iterable[BaseModel | bytes], *, first_delay_s: float = 0.0, delay_s: float = 0.0
) -> StreamingResponse:
    events = paced_events(chunks, first_delay_s=first_delay_s, delay_s=delay_s)
    return EventStream(events, paced=bool(first_delay_s or delay_s))
