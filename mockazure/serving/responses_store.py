"""Stored responses in `state.store` (namespace "responses"), so every worker and replica sees
them: the response as generated, its input items, the seed and the clock time it started.

Retention: 30 days on the app clock ("By default, response data is retained for 30 days",
reference §3); the store TTL cleans up, the kept `expires_at` decides (Redis expires by its own
clock). Background status is computed on read from the start time, the clock and the settings
(`responses_queued_s`, `responses_done_after_s`, `responses_instant`), like the DALL-E 2
operations: no background task. A cancel stamps the record; the answer stays `cancelled`.
"""

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from mockazure.config import Settings
from mockazure.protocol.responses_objects import TERMINAL_STATUSES, Response
from mockazure.state import MockState

NAMESPACE = "responses"
ITEMS_NAMESPACE = "response-items"  # output/input item id -> the item (for item_reference)
RETENTION_S = 30 * 86_400.0


@dataclass
class StoredResponse:
    response: dict[str, Any]  # the finished Response as JSON
    input_items: list[dict[str, Any]]  # this request's input, with ids
    seed: int
    started: float
    expires_at: float
    deployment: str
    tokenizer: str
    stream: bool = False
    cancelled_at: float | None = None
    conversation_tokens: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def dumps(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False).encode()

    @classmethod
    def loads(cls, raw: bytes) -> "StoredResponse":
        return cls(**json.loads(raw))

    @property
    def finished(self) -> Response:
        return Response.model_validate(self.response)

    @property
    def output_items(self) -> list[dict[str, Any]]:
        return list(self.response.get("output", []))


def _entries(
    state: MockState, record: StoredResponse
) -> tuple[float, list[tuple[str, str, bytes]]]:
    """What `save` writes: the TTL, and (namespace, key, value) for the response and its items."""
    ttl = max(1.0, record.expires_at - state.clock.now())
    entries = [(NAMESPACE, str(record.response["id"]), record.dumps())]
    for item in _identified(record):
        entries.append((ITEMS_NAMESPACE, item["id"], json.dumps(item).encode()))
    return ttl, entries


def _identified(record: StoredResponse) -> list[dict[str, Any]]:
    return [i for i in [*record.input_items, *record.output_items] if isinstance(i.get("id"), str)]


async def save(state: MockState, record: StoredResponse) -> None:
    ttl, entries = _entries(state, record)
    for namespace, key, value in entries:
        await state.store.aput(namespace, key, value, ttl_s=ttl)


def save_blocking(state: MockState, record: StoredResponse) -> None:
    """`save` for a batch line (a worker thread, off the event loop: serving/batch_run.py)."""
    ttl, entries = _entries(state, record)
    for namespace, key, value in entries:
        state.store.put(namespace, key, value, ttl_s=ttl)


def _alive(state: MockState, raw: bytes | None) -> StoredResponse | None:
    if raw is None:
        return None
    record = StoredResponse.loads(raw)
    if record.expires_at <= state.clock.now():
        return None
    return record


async def load(state: MockState, response_id: str) -> StoredResponse | None:
    return _alive(state, await state.store.aget(NAMESPACE, response_id))


def load_blocking(state: MockState, response_id: str) -> StoredResponse | None:
    """`load` for a batch line (a worker thread, off the event loop)."""
    return _alive(state, state.store.get(NAMESPACE, response_id))


async def delete(state: MockState, record: StoredResponse) -> bool:
    """The response and its items (an `item_reference` to them no longer resolves)."""
    for item in _identified(record):
        await state.store.adelete(ITEMS_NAMESPACE, item["id"])
    return await state.store.adelete(NAMESPACE, record.response["id"])


def _item(raw: bytes | None) -> dict[str, Any] | None:
    return None if raw is None else dict(json.loads(raw))


async def load_item(state: MockState, item_id: str) -> dict[str, Any] | None:
    return _item(await state.store.aget(ITEMS_NAMESPACE, item_id))


def load_item_blocking(state: MockState, item_id: str) -> dict[str, Any] | None:
    """`load_item` for a batch line (a worker thread, off the event loop)."""
    return _item(state.store.get(ITEMS_NAMESPACE, item_id))


def status_now(record: StoredResponse, now: float, settings: Settings) -> str:
    """The status a client sees now: background responses move queued -> in_progress ->
    their final status with time; a cancel before the end makes them `cancelled`."""
    final = str(record.response["status"])
    if not record.response.get("background"):
        return final
    if record.cancelled_at is not None:
        return "cancelled"
    if settings.responses_instant:
        return final
    elapsed = now - record.started
    if elapsed < settings.responses_queued_s:
        return "queued"
    if elapsed < max(settings.responses_done_after_s, settings.responses_queued_s):
        return "in_progress"
    return final


def view(record: StoredResponse, now: float, settings: Settings) -> Response:
    """The response as it looks now: a response not yet finished has no output or usage."""
    status = status_now(record, now, settings)
    response = record.finished
    if status == response.status:
        return response
    return response.model_copy(
        update={"status": status, "output": [], "usage": None, "incomplete_details": None}
    )


def is_terminal(status: str) -> bool:
    return status in TERMINAL_STATUSES
