"""`/_mock/journal/events` (a live feed for the inspector) and `/_mock/journal/{id}` (one call in
full). Included by `control.py`, so the admin-key guard applies."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from mockazure.errors import ResourceNotFound
from mockazure.gateway.checks import StateDep
from mockazure.journal.calls import NAMESPACE
from mockazure.journal.codec import decode_entry
from mockazure.journal.feed import journal_events

router = APIRouter()


@router.get("/journal/events", response_class=StreamingResponse)
async def stream_journal(request: Request, state: StateDep) -> StreamingResponse:
    """Server-sent events: `snapshot` (every call, summarised), then `call` for each new one
    and `clear` when the journal was emptied."""
    return StreamingResponse(
        journal_events(request, state),
        media_type="text/event-stream",
        headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
    )


@router.get("/journal/{call_id:int}")
async def get_journal_call(call_id: int, state: StateDep) -> dict[str, Any]:
    for raw in await state.store.aitems(NAMESPACE):
        data: dict[str, Any] = decode_entry(raw)
        if data.get("id") == call_id:
            return data
    raise ResourceNotFound()  # gone from the ring buffer, or never recorded
