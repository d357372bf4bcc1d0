"""`GET /_mock/journal/events`: the journal as a live server-sent-event feed for the inspector.

This is a control path, not an Azure one: Azure's SSE framing (data-only, no `event:` lines,
no pings; azure-surface.md §9f) applies to Azure paths only, so this feed names its events
(`snapshot`, `call`, `clear`), sends `id:` lines and a comment as keep-alive. It reads the
journal from the store a few times a second (the store is shared by workers, so there is no
in-process notification to wait on) and sends only what changed: summaries, not bodies (the
page fetches `GET /_mock/journal/{id}` for the detail). A stream ends after
`FEED_LIFETIME_S`; `EventSource` reconnects by itself and gets a fresh snapshot.
"""

import json
from collections.abc import AsyncIterator
from typing import Any

import anyio
from fastapi import Request

from mockazure.journal.calls import NAMESPACE, RecordedCall
from mockazure.journal.codec import decode_entry
from mockazure.state import MockState

FEED_POLL_S = 0.2
FEED_KEEPALIVE_S = 15.0
FEED_LIFETIME_S = 300.0
RETRY_MS = 1000
_SUMMARY_FIELDS = (
    "id",
    "time",
    "method",
    "path",
    "operation",
    "deployment",
    "status",
    "latency_ms",
    "stub",
    "fault",
)


def summary(call: RecordedCall) -> dict[str, Any]:
    """What a row of the live list shows."""
    data = {name: getattr(call, name) for name in _SUMMARY_FIELDS}
    data["api_version"] = call.api_version
    data["stream"] = call.stream_chunks is not None
    return data


def event(name: str, data: Any, event_id: int | None = None) -> str:
    lines = [f"event: {name}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.append(f"data: {json.dumps(data, separators=(',', ':'))}")
    return "\n".join(lines) + "\n\n"


def _calls(raw: list[bytes]) -> list[RecordedCall]:
    return [RecordedCall.from_json(decode_entry(item, bodies=False)) for item in raw]


class FeedCursor:
    """What this stream has sent: the newest id and how many calls the journal held. The ring
    buffer never shrinks, so fewer calls than before means the journal was cleared."""

    def __init__(self) -> None:
        self.last_id = 0
        self.count = 0
        self.tail: bytes | None = None

    def snapshot(self, raw: list[bytes]) -> str:
        calls = _calls(raw)
        self.last_id = max((c.id for c in calls), default=0)
        self.count, self.tail = len(raw), (raw[-1] if raw else None)
        return event("snapshot", [summary(c) for c in calls], self.last_id)

    def changes(self, raw: list[bytes]) -> str:
        tail = raw[-1] if raw else None
        if len(raw) == self.count and tail == self.tail:
            return ""
        if len(raw) < self.count:
            return event("clear", {}) + self.snapshot(raw)
        self.count, self.tail = len(raw), tail
        fresh = [c for c in _calls(raw) if c.id > self.last_id]
        if fresh:
            self.last_id = fresh[-1].id
        return "".join(event("call", summary(c), c.id) for c in fresh)


async def journal_events(request: Request, state: MockState) -> AsyncIterator[str]:
    cursor = FeedCursor()
    yield f"retry: {RETRY_MS}\n\n" + cursor.snapshot(await state.store.aitems(NAMESPACE))
    waited = quiet = 0.0
    while waited < FEED_LIFETIME_S and not await request.is_disconnected():
        await anyio.sleep(FEED_POLL_S)
        waited += FEED_POLL_S
        quiet += FEED_POLL_S
        text = cursor.changes(await state.store.aitems(NAMESPACE))
        if not text and quiet >= FEED_KEEPALIVE_S:
            text = ": keep-alive\n\n"
        if text:
            quiet = 0.0
            yield text
