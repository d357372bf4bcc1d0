"""Chunks to server-sent events, as Azure frames them (azure-surface.md §9f, clients.md §0.5):
`data: <json>` + LF LF per chunk, `data: [DONE]` at the end, no `event:` lines, no pings."""

from collections.abc import AsyncIterator, Iterable

import anyio
from pydantic import BaseModel
from sse_starlette import EventSourceResponse, ServerSentEvent

from mockazure.errors import AzureError

SEP = "\n"  # sse-starlette defaults to CRLF; Azure sends LF (clients.md §0.5)


async def to_sse(
    chunks: Iterable[BaseModel], *, first_delay_s: float = 0.0, delay_s: float = 0.0
) -> AsyncIterator[ServerSentEvent]:
    try:
        for number, chunk in enumerate(chunks):
            pause = first_delay_s if number == 0 else delay_s
            if pause:
                await anyio.sleep(pause)
            yield ServerSentEvent(data=chunk.model_dump_json(exclude_unset=True), sep=SEP)
    except AzureError as exc:  # headers are already sent: report the error in-band
        yield ServerSentEvent(data=exc.envelope().model_dump_json(exclude_unset=True), sep=SEP)
    yield ServerSentEvent(data="[DONE]", sep=SEP)


def sse_response(
    chunks: Iterable[BaseModel], *, first_delay_s: float = 0.0, delay_s: float = 0.0
) -> EventSourceResponse:
    return EventSourceResponse(
        to_sse(chunks, first_delay_s=first_delay_s, delay_s=delay_s),
        sep=SEP,
        ping=0,
        headers={"cache-control": "no-cache, must-revalidate"},
    )
