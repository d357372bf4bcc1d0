"""Batch records in the store and their lifecycle, a pure function of the app clock:
`validating` for `batch_validating_s`, `in_progress` for `batch_in_progress_s` (lines finish
evenly over it, so `request_counts` grow), `finalizing` for `batch_finalizing_s`, then
`completed`; `failed` after validating when the input did not pass; `cancelling` for
`batch_finalizing_s` after a cancel, then `cancelled` with the work done by then; `expired` (on
request, `metadata.mockazure_outcome`) where it would have completed.

The emulator's own work (validating the file, answering the lines, writing the output files:
serving/batch_work.py, driven by serving/batch_pump.py) runs behind the clock's schedule, usually
far ahead of it. A view shows what the clock says only as far as that work has reached
(`Progress`): a poll never reports a line that was not answered, nor a file not yet written."""

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from mockazure.config import Settings
from mockazure.errors import BatchNotFound
from mockazure.protocol.batches import Batch, BatchErrors, BatchRequestCounts, BatchStatus
from mockazure.state import MockState

NAMESPACE = "batches"
WINDOW_S = 86_400  # `completion_window` "24h"
TERMINAL: frozenset[str] = frozenset({"completed", "failed", "expired", "cancelled"})
OUTCOME_KEY = "mockazure_outcome"  # metadata that asks for `failed` or `expired`
REQUESTED_FAILURE = {"code": "invalidPayload", "message": "The batch failed (requested)."}


@dataclass(frozen=True)
class BatchTiming:
    validating_s: float
    in_progress_s: float
    finalizing_s: float

    @classmethod
    def from_settings(cls, settings: Settings) -> "BatchTiming":
        if settings.jobs_instant:
            return cls(0.0, 0.0, 0.0)
        return cls(
            settings.batch_validating_s, settings.batch_in_progress_s, settings.batch_finalizing_s
        )


@dataclass(frozen=True)
class Plan:
    """The validated input (serving/batch_work.py): the lines' deployment and operation, or
    the errors that fail the batch."""

    errors: list[dict[str, Any]]
    deployment: str = ""
    operation: str = ""
    lines: int = 0


@dataclass(frozen=True)
class Progress:
    """How far the work has got: the plan, the outcome flags of the lines answered so far
    ("1" answered 200, "0" not; the prefix in input order) and whether the files are written."""

    plan: Plan | None
    flags: str = ""
    final: bool = False


@dataclass
class BatchRecord:
    id: str
    endpoint: str
    input_file_id: str
    completion_window: str
    created_at: int
    started: float
    timing: dict[str, float]  # BatchTiming at create, so every replica agrees
    line_version: str = ""  # the api-version its lines are answered with
    v1: bool = False  # created on /openai/v1 (its Responses lines use the v1 registry)
    headers: list[tuple[str, str]] = field(default_factory=list)  # the create's (stubs match)
    metadata: dict[str, Any] | None = None
    requested: str = "completed"  # or "failed", "expired" (metadata.mockazure_outcome)
    output_file_id: str = ""  # reserved at create; shown once it holds lines
    error_file_id: str = ""
    cancelled: float | None = None  # clock time of the cancel
    # Names this batch's work in the store and in each process's caches: unique per create,
    # even where ids repeat (`deterministic_ids` after a reset). Never shown.
    work_key: str = ""

    def dumps(self) -> bytes:
        return json.dumps(asdict(self)).encode()

    @classmethod
    def loads(cls, raw: bytes) -> "BatchRecord":
        data = json.loads(raw)
        data["headers"] = [tuple(pair) for pair in data.get("headers", [])]
        return cls(**data)

    @property
    def phases(self) -> tuple[float, float, float]:
        """Clock times the batch enters in_progress, finalizing and its end."""
        t = BatchTiming(**self.timing)
        in_progress = self.started + t.validating_s
        finalizing = in_progress + t.in_progress_s
        return in_progress, finalizing, finalizing + t.finalizing_s

    def outcome(self, plan: Plan) -> str:
        return "failed" if plan.errors else self.requested

    def ended(self, plan: Plan) -> float:
        """When the terminal state is reached (what a poll then sees never changes)."""
        outcome = self.outcome(plan)
        if self.cancelled is not None:
            return self.cancelled + BatchTiming(**self.timing).finalizing_s
        in_progress, finalizing, end = self.phases
        if outcome == "failed":
            return in_progress
        return finalizing if outcome == "expired" else end

    def done_lines(self, at: float, plan: Plan) -> int:
        """Lines answered by clock time `at` (evenly over in_progress)."""
        if self.outcome(plan) != "completed":
            return 0
        in_progress, finalizing, _ = self.phases
        if self.cancelled is not None:
            at = min(at, self.cancelled)
        if at < in_progress:
            return 0
        if at >= finalizing:
            return plan.lines
        return math.floor(plan.lines * (at - in_progress) / (finalizing - in_progress))

    def counted_lines(self, plan: Plan) -> int:
        """The lines the batch answers in all (those done by a cancel, else every one)."""
        return self.done_lines(self.ended(plan), plan)

    def status(self, now: float, plan: Plan) -> BatchStatus:
        in_progress, finalizing, _ = self.phases
        if self.cancelled is not None:
            return "cancelled" if now >= self.ended(plan) else "cancelling"
        if now >= self.ended(plan):
            return self.outcome(plan)  # type: ignore[return-value]
        if now < in_progress:
            return "validating"
        return "in_progress" if now < finalizing else "finalizing"


def _stamp(at: float, now: float) -> int | None:
    return int(at) if now >= at else None


def _shown(record: BatchRecord, progress: Progress, now: float) -> tuple[BatchStatus, int]:
    """The status and lines done a poll at `now` shows: the clock's, as far as the work got."""
    plan = progress.plan
    if plan is None:
        return "validating", 0
    status = record.status(now, plan)
    due = record.done_lines(now, plan)
    done = min(due, len(progress.flags))
    unwritten = status in TERMINAL and record.counted_lines(plan) > 0 and not progress.final
    if done < due or unwritten:
        status = "cancelling" if record.cancelled is not None else "in_progress"
    return status, done


def batch_view(
    record: BatchRecord, progress: Progress, now: float, *, created: bool = False
) -> Batch:
    """The batch as a poll at `now` sees it (`created`: the create response, `validating`)."""
    status, done = ("validating", 0) if created else _shown(record, progress, now)
    ok = progress.flags[:done].count("1")
    terminal = status in TERMINAL
    plan = progress.plan
    errors = (
        (plan.errors or ([REQUESTED_FAILURE] if record.requested == "failed" else []))
        if (plan is not None and status == "failed")
        else []
    )
    # Azure's samples: `total` 0 while validating, the file's lines from then on.
    total = plan.lines if plan is not None and status != "validating" else 0
    shown_flags = progress.flags[:done] if terminal else ""
    view = Batch(
        id=record.id,
        endpoint=record.endpoint,
        input_file_id=record.input_file_id,
        completion_window=record.completion_window,
        status=status,
        created_at=record.created_at,
        expires_at=record.created_at + WINDOW_S,
        request_counts=BatchRequestCounts(total=total, completed=ok, failed=done - ok),
        metadata=record.metadata,
        errors=BatchErrors.model_validate({"data": errors}) if errors else None,
        output_file_id=record.output_file_id if "1" in shown_flags else None,
        error_file_id=record.error_file_id if "0" in shown_flags else None,
    )
    if created or plan is None:
        return view
    _add_stamps(view, record, plan, now)
    return view


def _add_stamps(view: Batch, record: BatchRecord, plan: Plan, now: float) -> None:
    in_progress, finalizing, _ = record.phases
    started = record.outcome(plan) == "completed" and view.status != "validating"
    view.in_progress_at = _stamp(in_progress, now) if started else None
    reached_finalizing = view.status not in ("in_progress", "cancelling", "cancelled")
    if started and record.cancelled is None and reached_finalizing:
        view.finalizing_at = _stamp(finalizing, now)
    if record.cancelled is not None:
        view.cancelling_at = int(record.cancelled)
        if view.status == "cancelled":
            view.cancelled_at = int(record.ended(plan))
    elif view.status in TERMINAL:
        setattr(view, f"{view.status}_at", int(record.ended(plan)))


async def save_batch(state: MockState, record: BatchRecord) -> None:
    await state.store.aput(NAMESPACE, record.id, record.dumps(), ttl_s=state.settings.files_ttl_s)


def _found(batch_id: str, raw: bytes | None) -> BatchRecord:
    if raw is None:
        raise BatchNotFound(batch_id)
    return BatchRecord.loads(raw)


async def load_batch(state: MockState, batch_id: str) -> BatchRecord:
    return _found(batch_id, await state.store.aget(NAMESPACE, batch_id))


def load_batch_blocking(state: MockState, batch_id: str) -> BatchRecord:
    """`load_batch` for a batch step (a worker thread, off the event loop: batch_pump.py)."""
    return _found(batch_id, state.store.get(NAMESPACE, batch_id))


async def all_batches(state: MockState) -> list[BatchRecord]:
    raws = [await state.store.aget(NAMESPACE, key) for key in await state.store.akeys(NAMESPACE)]
    records = [BatchRecord.loads(raw) for raw in raws if raw is not None]
    return sorted(records, key=lambda r: (-r.started, r.id))
