"""Chunks to server-sent events, as Azure frames them (azure-surface.md §9f, clients.md §0.5):
`data: <json>` + LF LF per chunk, `data: [DONE]` at the end, no `event:` lines, no pings.

Each event is framed into bytes here and sent as one body message by a plain Starlette
`StreamingResponse`: the bytes and headers are those sse-starlette's `EventSourceResponse`
sent (with `sep="\\n"`, `ping=0`; a test compares them), without its per-event overhead (an
event object, re-encoding, a cancel scope per send). Disconnects stop the stream as before:
Starlette's streaming response listens for them.
"""

from collections.abc import AsyncIterator, Iterable

import anyio
from pydantic import BaseModel
from starlette.responses import StreamingResponse

from mockazure.errors import AzureError

# What sse-starlette sent, in its order (it lower-cases the names): ours, then its own two;
# the content type follows from the media type.
SSE_HEADERS = {
    "cache-control": "no-cache, must-revalidate",
    "connection": "keep-alive",
    "x-accel-buffering": "no",
}
DONE = b"data: [DONE]\n\n"


def frame(data: bytes) -> bytes:
    """One event: a single-line JSON payload after `data: `, then a blank line."""
    return b"data: " + data + b"\n\n"


async def framed(
    chunks: Iterable[BaseModel | bytes], *, first_delay_s: float = 0.0, delay_s: float = 0.0
) -> AsyncIterator[bytes]:
    """The events of `chunks` (models, or their JSON already rendered as bytes), paced."""
    try:
        for number, chunk in enumerate(chunks):
            pause = first_delay_s if number == 0 else delay_s
            if pause:
                await anyio.sleep(pause)
            data = chunk if isinstance(chunk, bytes) else chunk.model_dump_json(exclude_unset=True)
            yield frame(data if isinstance(data, bytes) else data.encode())
    except AzureError as exc:  # headers are already sent: report the error in-band
        yield frame(exc.envelope().model_dump_json(exclude_unset=True).encode())
    yield DONE


def sse_response(
    chunks: Iterable[BaseModel | bytes], *, first_delay_s: float = 0.0, delay_s: float = 0.0
) -> StreamingResponse:
    return StreamingResponse(
        framed(chunks, first_delay_s=first_delay_s, delay_s=delay_s),
        media_type="text/event-stream",
        headers=SSE_HEADERS,
    )
