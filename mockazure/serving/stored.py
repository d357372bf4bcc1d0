"""Stored chat completions: a chat completion created with `store: true` (2024-12-01-preview
and later, and v1) is kept with its request messages and `metadata`, for the list / get /
update / delete / messages operations (2025-02-01-preview and later, and v1; OpenAI's
"Stored chat completions" shapes). Kept in the store for `stored_completions_ttl_s` (30 days,
the Responses API's retention), so every replica answers for it."""

import json
import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from mockazure.errors import CompletionNotFound
from mockazure.gateway.gate import Call
from mockazure.protocol.chat import ChatCompletionRequest
from mockazure.protocol.chat_responses import ChatCompletion
from mockazure.state import MockState

NAMESPACE = "stored-completions"
logger = logging.getLogger(__name__)


@dataclass
class StoredCompletion:
    completion: dict[str, Any]
    messages: list[dict[str, Any]]
    deployment: str
    metadata: dict[str, str] = field(default_factory=dict)
    stored_at: float = 0.0

    @property
    def id(self) -> str:
        return str(self.completion["id"])

    def dumps(self) -> bytes:
        return json.dumps(asdict(self)).encode()

    @classmethod
    def loads(cls, raw: bytes) -> "StoredCompletion":
        return cls(**json.loads(raw))

    def view(self) -> dict[str, Any]:
        """The completion as the stored-completions operations return it: with `metadata`
        and, since it was not streamed, the whole answer."""
        return {**self.completion, "metadata": self.metadata}


def wants_store(call: Call[ChatCompletionRequest]) -> bool:
    return call.raw.get("store") is True


def _full(state: MockState, stored: int, completion: ChatCompletion) -> bool:
    """`stored_completions_max` are kept already (the emulator's memory bound; a warning
    says so)."""
    if stored < state.settings.stored_completions_max:
        return False
    logger.warning(
        "Not storing chat completion %s: %d are stored already (stored_completions_max)",
        completion.id,
        state.settings.stored_completions_max,
    )
    return True


def _record(call: Call[ChatCompletionRequest], completion: ChatCompletion) -> StoredCompletion:
    metadata = call.raw.get("metadata")
    return StoredCompletion(
        completion=json.loads(completion.model_dump_json(exclude_unset=True)),
        messages=list(call.raw.get("messages", [])),
        deployment=call.target.name,
        metadata=metadata if isinstance(metadata, dict) else {},
        stored_at=call.state.clock.now(),
    )


async def remember(call: Call[ChatCompletionRequest], completion: ChatCompletion) -> None:
    """Keep the answer, unless the store is full (`_full`)."""
    state = call.state
    if not _full(state, len(await state.store.akeys(NAMESPACE)), completion):
        await save(state, _record(call, completion))


def remember_blocking(call: Call[ChatCompletionRequest], completion: ChatCompletion) -> None:
    """`remember` for a batch line (a worker thread, off the event loop: batch_run.py)."""
    state = call.state
    if not _full(state, len(state.store.keys(NAMESPACE)), completion):
        record = _record(call, completion)
        ttl = state.settings.stored_completions_ttl_s
        state.store.put(NAMESPACE, record.id, record.dumps(), ttl_s=ttl)


async def save(state: MockState, record: StoredCompletion) -> None:
    ttl = state.settings.stored_completions_ttl_s
    await state.store.aput(NAMESPACE, record.id, record.dumps(), ttl_s=ttl)


async def load(state: MockState, completion_id: str) -> StoredCompletion:
    raw = await state.store.aget(NAMESPACE, completion_id)
    if raw is None:
        raise CompletionNotFound(completion_id)
    return StoredCompletion.loads(raw)


async def delete(state: MockState, completion_id: str) -> None:
    await load(state, completion_id)
    await state.store.adelete(NAMESPACE, completion_id)


async def matching(
    state: MockState, model: str | None, metadata: dict[str, str]
) -> list[StoredCompletion]:
    """Stored completions, oldest first, filtered by `model` (the deployment or the model name
    in the answer) and every `metadata` pair."""
    raws = [await state.store.aget(NAMESPACE, key) for key in await state.store.akeys(NAMESPACE)]
    records = [StoredCompletion.loads(raw) for raw in raws if raw is not None]
    chosen = [
        r
        for r in records
        if model in (None, r.deployment, r.completion.get("model"))
        and all(r.metadata.get(k) == v for k, v in metadata.items())
    ]
    return sorted(chosen, key=lambda r: (r.stored_at, r.id))


def message_views(record: StoredCompletion) -> list[dict[str, Any]]:
    """The request's messages with ids (`<completion id>-<index>`, OpenAI's shape)."""
    views = []
    for index, message in enumerate(record.messages):
        content = message.get("content")
        view: dict[str, Any] = {"id": f"{record.id}-{index}", "role": message.get("role")}
        view["content"] = content if isinstance(content, str) else None
        view["content_parts"] = content if isinstance(content, list) else None
        if "name" in message:
            view["name"] = message["name"]
        views.append(view)
    return views
