"""Batch records in the store and their lifecycle, a pure function of the app clock (no
background task): `validating` for `batch_validating_s`, `in_progress` for
`batch_in_progress_s` (lines finish evenly over it, so `request_counts` grow), `finalizing` for
`batch_finalizing_s`, then `completed`; `failed` after validating when the input did not pass;
`cancelling` for `batch_finalizing_s` after a cancel, then `cancelled` with the work done by
then; `expired` (on request, `metadata.mockazure_outcome`) where it would have completed.

Every line is answered when the batch is created (serving/batch_run.py); the output and error
files are written then and become visible when the batch reaches its terminal state."""

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from mockazure.config import Settings
from mockazure.errors import BatchNotFound
from mockazure.protocol.batches import Batch, BatchErrors, BatchRequestCounts, BatchStatus
from mockazure.serving.files import FileRecord, save_file
from mockazure.state import MockState

NAMESPACE = "batches"
LINES = "batch-lines"  # every answered line, in input order (rewritten files on cancel)
WINDOW_S = 86_400  # `completion_window` "24h"
TERMINAL: frozenset[str] = frozenset({"completed", "failed", "expired", "cancelled"})
OUTCOME_KEY = "mockazure_outcome"  # metadata that asks for `failed` or `expired`


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


@dataclass
class BatchRecord:
    id: str
    endpoint: str
    input_file_id: str
    completion_window: str
    created_at: int
    started: float
    timing: dict[str, float]  # BatchTiming at create, so every replica agrees
    outcomes: str = ""  # "1" answered 200, "0" not, per line in input order
    metadata: dict[str, Any] | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)  # validation failures
    outcome: str = "completed"  # or "failed", "expired"
    output_file_id: str | None = None
    error_file_id: str | None = None
    cancelled: float | None = None  # clock time of the cancel

    def dumps(self) -> bytes:
        return json.dumps(asdict(self)).encode()

    @classmethod
    def loads(cls, raw: bytes) -> "BatchRecord":
        return cls(**json.loads(raw))

    @property
    def phases(self) -> tuple[float, float, float]:
        """Clock times the batch enters in_progress, finalizing and its end."""
        t = BatchTiming(**self.timing)
        in_progress = self.started + t.validating_s
        finalizing = in_progress + t.in_progress_s
        return in_progress, finalizing, finalizing + t.finalizing_s

    @property
    def ended(self) -> float:
        """When the terminal state is reached (what a poll then sees never changes)."""
        if self.cancelled is not None:
            return self.cancelled + BatchTiming(**self.timing).finalizing_s
        in_progress, finalizing, end = self.phases
        if self.outcome == "failed":
            return in_progress
        return finalizing if self.outcome == "expired" else end

    def done_lines(self, at: float) -> int:
        """Lines answered by clock time `at` (evenly over in_progress)."""
        if self.outcome != "completed":
            return 0
        in_progress, finalizing, _ = self.phases
        if self.cancelled is not None:
            at = min(at, self.cancelled)
        if at < in_progress:
            return 0
        if at >= finalizing:
            return len(self.outcomes)
        return math.floor(len(self.outcomes) * (at - in_progress) / (finalizing - in_progress))

    def status(self, now: float) -> BatchStatus:
        in_progress, finalizing, _ = self.phases
        if self.cancelled is not None:
            return "cancelled" if now >= self.ended else "cancelling"
        if now >= self.ended:
            return "completed" if self.outcome == "completed" else self.outcome  # type: ignore[return-value]
        if now < in_progress:
            return "validating"
        return "in_progress" if now < finalizing else "finalizing"


def _stamp(at: float, now: float) -> int | None:
    return int(at) if now >= at else None


def batch_view(record: BatchRecord, now: float, *, created: bool = False) -> Batch:
    """The batch as a poll at `now` sees it (`created`: the create response, `validating`)."""
    status: BatchStatus = "validating" if created else record.status(now)
    in_progress, finalizing, _ = record.phases
    done = 0 if created else record.done_lines(now)
    ok = record.outcomes[:done].count("1")
    terminal = status in TERMINAL
    started = record.outcome == "completed"
    view = Batch(
        id=record.id,
        endpoint=record.endpoint,
        input_file_id=record.input_file_id,
        completion_window=record.completion_window,
        status=status,
        created_at=record.created_at,
        expires_at=record.created_at + WINDOW_S,
        request_counts=BatchRequestCounts(
            total=len(record.outcomes), completed=ok, failed=done - ok
        ),
        metadata=record.metadata,
        errors=BatchErrors.model_validate({"data": record.errors}) if record.errors else None,
        output_file_id=record.output_file_id if terminal else None,
        error_file_id=record.error_file_id if terminal else None,
    )
    if created:
        return view
    ended = record.ended
    view.in_progress_at = _stamp(in_progress, now) if started else None
    view.finalizing_at = _stamp(finalizing, now) if started and record.cancelled is None else None
    if record.cancelled is not None:
        view.cancelling_at = int(record.cancelled)
        view.cancelled_at = _stamp(ended, now)
    elif terminal:
        setattr(view, f"{status}_at", int(ended))
    return view


def save_batch(state: MockState, record: BatchRecord) -> None:
    state.store.put(NAMESPACE, record.id, record.dumps(), ttl_s=state.settings.files_ttl_s)


def load_batch(state: MockState, batch_id: str) -> BatchRecord:
    raw = state.store.get(NAMESPACE, batch_id)
    if raw is None:
        raise BatchNotFound(batch_id)
    return BatchRecord.loads(raw)


def all_batches(state: MockState) -> list[BatchRecord]:
    raws = [state.store.get(NAMESPACE, key) for key in state.store.keys(NAMESPACE)]
    records = [BatchRecord.loads(raw) for raw in raws if raw is not None]
    return sorted(records, key=lambda r: (-r.started, r.id))


def write_results(state: MockState, record: BatchRecord, lines: list[str]) -> None:
    """The output (answered 200) and error (every other) files of the lines done by the end,
    visible from then on."""
    done = record.done_lines(record.ended)
    chosen = list(zip(record.outcomes[:done], lines[:done], strict=True))
    for file_id, flag, suffix in (
        (record.output_file_id, "1", "output"),
        (record.error_file_id, "0", "error"),
    ):
        if file_id is None:
            continue
        content = "".join(text + "\n" for ok, text in chosen if ok == flag).encode()
        file = FileRecord(
            id=file_id,
            filename=f"{record.id}_{suffix}.jsonl",
            purpose="batch_output",
            size=len(content),
            created_at=int(record.ended),
            started=record.ended,
            visible_at=record.ended,
        )
        save_file(state, file, content)
