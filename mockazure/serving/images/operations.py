"""DALL-E 2 image operations (azure-surface.md §4.6, §9g), kept in `state.store` (namespace
"operations") so that any worker answers a poll for an operation another one accepted.

The status is a pure function of the time since submit (`state.clock`) and the configured
durations: `notRunning` → `running` → terminal, with no background task. The terminal state
(`succeeded`, `failed` or `canceled`) is decided at submit time from the prompt's triggers; the
images are rendered then too and their URLs expire with the operation (`image_ttl_s`).
"""

import json
from dataclasses import asdict, dataclass, field
from typing import Literal

from mockazure.config import Settings
from mockazure.protocol.images import OperationStatus
from mockazure.state import MockState
from mockazure.versions import ApiVersion

NAMESPACE = "operations"
TERMINAL: frozenset[str] = frozenset({"succeeded", "failed", "canceled", "deleted"})
Outcome = Literal["succeeded", "failed", "canceled"]

# The failure bodies a client reads on `failed` (openai 0.28 raises with `error.message`).
FILTERED = {
    "code": "contentFilter",
    "message": "Your task failed as a result of our safety system.",
}
# Not documented: "canceled" is described only as "task has timed out" (§9g); where a version
# has no `canceled`, the mock reports the timeout as `failed` with this error.
TIMED_OUT = {"code": "internalFailure", "message": "The image generation task timed out."}


@dataclass(frozen=True)
class Timing:
    running_after_s: float
    done_after_s: float
    instant: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> "Timing":
        return cls(
            settings.image_operation_running_after_s,
            max(settings.image_operation_done_after_s, settings.image_operation_running_after_s),
            settings.image_operations_instant,
        )


@dataclass
class OperationRecord:
    id: str
    started: float  # clock time of the submit
    created: int  # the `created` the body reports
    expires: int
    outcome: Outcome
    images: list[tuple[str, str]] = field(default_factory=list)  # (token, content type)
    error: dict[str, str] | None = None

    def dumps(self) -> bytes:
        return json.dumps(asdict(self)).encode()

    @classmethod
    def loads(cls, raw: bytes) -> "OperationRecord":
        data = json.loads(raw)
        data["images"] = [tuple(item) for item in data["images"]]
        return cls(**data)


def status_at(
    record: OperationRecord, now: float, timing: Timing, statuses: tuple[str, ...]
) -> OperationStatus:
    """The status a poll at `now` sees, in the vocabulary of the poll's api-version."""
    elapsed = now - record.started
    if not timing.instant:
        if elapsed < timing.running_after_s:
            return "notRunning"
        if elapsed < timing.done_after_s:
            return "running"
    if record.outcome == "canceled" and "canceled" not in statuses:
        return "failed"
    return record.outcome


def statuses_of(version: ApiVersion) -> tuple[str, ...]:
    """The status vocabulary of the request's api-version (the registry's enum)."""
    return version.spec("image_operation_get").enums.get("status", ())


def failure_of(record: OperationRecord, status: OperationStatus) -> dict[str, str] | None:
    if status not in ("failed", "canceled"):
        return None
    return record.error or TIMED_OUT


async def save_operation(state: MockState, record: OperationRecord) -> None:
    await state.store.aput(NAMESPACE, record.id, record.dumps(), ttl_s=state.settings.image_ttl_s)


async def load_operation(state: MockState, operation_id: str) -> OperationRecord | None:
    raw = await state.store.aget(NAMESPACE, operation_id)
    return None if raw is None else OperationRecord.loads(raw)


async def delete_operation(state: MockState, record: OperationRecord) -> None:
    """The operation and its images go (§4.6: "all generated and user provided images")."""
    for token, _ in record.images:
        await state.store.adelete("images", token)
    await state.store.adelete(NAMESPACE, record.id)
