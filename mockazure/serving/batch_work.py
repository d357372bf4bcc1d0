"""A batch's work, in bounded steps that any process may take (each runs in a worker thread):
validate the input (the plan), answer the lines a slice of `SLICE_LINES` at a time, write the
output and error files. Steps are claimed with the store's atomic counter (`incr`), so with
several processes on one Redis each step, and so each line, is done once.

Store layout (namespace `batch-work`, keys under the batch's `work_key`): `plan` (the validated input or
its errors), `s<i>` (slice i's output lines) and `f<i>` (its outcome flags, read by polls),
`final` (the files are written), and the claim counters `plan-claim`, `claim`, `final-claim`.
Every store call here is blocking: the steps run in worker threads (serving/batch_pump.py),
never on the event loop."""

import json
import threading
from collections.abc import Callable
from dataclasses import asdict

from mockazure.errors import AzureError
from mockazure.serving.batch_input import ENDPOINT_OPERATIONS, BatchLine, check_batch_input
from mockazure.serving.batches import BatchRecord, Plan, Progress
from mockazure.serving.files import FileRecord, file_content_blocking, save_file_blocking
from mockazure.state import MockState
from mockazure.versions import ApiVersion, get_api_version, get_v1_api_version

WORK = "batch-work"
SLICE_LINES = 100  # lines a step answers: a step stays well under a second
CACHED_INPUTS = 4  # parsed input files kept per process

LineRunner = Callable[[MockState, BatchRecord, Plan, list[BatchLine], int], list[tuple[bool, str]]]


class BatchInputs:
    """Parsed input files, per process (a step reads its slice of them), a few at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lines: dict[str, list[BatchLine]] = {}

    def lines(self, state: MockState, record: BatchRecord) -> list[BatchLine]:
        with self._lock:
            found = self._lines.get(record.work_key)
        if found is not None:
            return found
        parsed = check_batch_input(state, file_content_blocking(state, record.input_file_id)).lines
        with self._lock:
            while len(self._lines) >= CACHED_INPUTS:
                self._lines.pop(next(iter(self._lines)))
            self._lines[record.work_key] = parsed
        return parsed

    def forget(self, work_key: str) -> None:
        with self._lock:
            self._lines.pop(work_key, None)


def _key(record: BatchRecord, name: str) -> str:
    return f"{record.work_key}:{name}"


def _ttl(state: MockState) -> float:
    return state.settings.files_ttl_s


def load_plan(state: MockState, record: BatchRecord) -> Plan | None:
    raw = state.store.get(WORK, _key(record, "plan"))
    return Plan(**json.loads(raw)) if raw is not None else None


def make_plan(state: MockState, record: BatchRecord, inputs: BatchInputs) -> bool:
    """Validate the input as on upload (a deployment removed since fails the batch) and that
    its lines match the batch's endpoint. False: another process has the step."""
    if state.store.incr(WORK, _key(record, "plan-claim"), 1, _ttl(state)) != 1:
        return False
    try:
        found = check_batch_input(state, file_content_blocking(state, record.input_file_id))
    except AzureError as exc:
        error = {"code": exc.instance_code or "invalidPayload", "message": exc.message}
        plan = Plan(errors=[error])
    else:
        plan = Plan([], found.deployment, found.operation, len(found.lines))
        if not _lines_fit(record, found.operation):
            message = f"The input file's lines do not match the batch endpoint '{record.endpoint}'."
            plan = Plan(
                errors=[{"code": "invalidPayload", "message": message, "param": "endpoint"}]
            )
    state.store.put(WORK, _key(record, "plan"), json.dumps(asdict(plan)).encode(), _ttl(state))
    return True


# Learn's batch guide (batch-python.md @18133099): "While passing this parameter is required, the
# system will read your input file to determine if the chat completions or responses API is
# needed": a chat endpoint runs Responses lines and the other way round.
_INTERCHANGEABLE = frozenset({"chat_completions", "responses_create"})


def _lines_fit(record: BatchRecord, operation: str) -> bool:
    """The lines' operation is the endpoint's (or its chat/Responses twin), and the batch's
    api-version serves it (Responses lines: v1, or a dated version that has the API)."""
    named = ENDPOINT_OPERATIONS[record.endpoint]
    if named != operation and not {named, operation} <= _INTERCHANGEABLE:
        return False
    return line_version(record, operation) is not None


def line_version(record: BatchRecord, operation: str) -> ApiVersion | None:
    """The api-version a batch's lines are answered with: the batch's (a v1 batch's chat and
    embeddings lines, the newest dated registry entry's; its Responses lines, the v1 API's)."""
    if record.v1 and operation == "responses_create":
        return get_v1_api_version("v1")
    version = get_api_version(record.line_version)
    return version if version is not None and version.supports(operation) else None  # type: ignore[arg-type]


def slices(lines: int) -> int:
    return -(-lines // SLICE_LINES)


def run_slice(
    state: MockState, record: BatchRecord, plan: Plan, inputs: BatchInputs, run: LineRunner
) -> bool:
    """Claim the next slice and answer its lines. False: every slice needed is claimed."""
    needed = slices(record.counted_lines(plan))
    index = state.store.incr(WORK, _key(record, "claim"), 1, _ttl(state)) - 1
    if index >= needed:
        return False
    start = index * SLICE_LINES
    chunk = inputs.lines(state, record)[start : start + SLICE_LINES]
    results = run(state, record, plan, chunk, start)
    text = "".join(line + "\n" for _, line in results).encode()
    state.store.put(WORK, _key(record, f"s{index}"), text, _ttl(state))
    flags = "".join("1" if ok else "0" for ok, _ in results)
    state.store.put(WORK, _key(record, f"f{index}"), flags.encode(), _ttl(state))
    return True


def read_flags(state: MockState, record: BatchRecord, upto: int, cache: dict[str, str]) -> str:
    """The outcome flags of the answered prefix, at least `upto` lines long where answered
    (slices found in `cache` are not read again: they never change)."""
    flags: list[str] = []
    for index in range(slices(upto)):
        key = _key(record, f"f{index}")
        found = cache.get(key)
        if found is None:
            raw = state.store.get(WORK, key)
            if raw is None:
                break
            found = cache[key] = raw.decode()
        flags.append(found)
    return "".join(flags)


def is_final(state: MockState, record: BatchRecord) -> bool:
    return state.store.get(WORK, _key(record, "final")) is not None


def write_files(state: MockState, record: BatchRecord, plan: Plan) -> bool:
    """The output (answered 200) and error (every other) files of the lines the batch counts,
    once every slice is answered. False: not yet, or another process writes them."""
    counted = record.counted_lines(plan)
    flags = read_flags(state, record, counted, {})
    if len(flags) < counted:
        return False
    if state.store.incr(WORK, _key(record, "final-claim"), 1, _ttl(state)) != 1:
        return False
    lines: list[str] = []
    for index in range(slices(counted)):
        raw = state.store.get(WORK, _key(record, f"s{index}"))
        lines += (raw or b"").decode().split("\n")[:-1]  # JSON escapes its own newlines
    chosen = list(zip(flags[:counted], lines[:counted], strict=True))
    ended = record.ended(plan)
    for file_id, flag, suffix in (
        (record.output_file_id, "1", "output"),
        (record.error_file_id, "0", "error"),
    ):
        content = "".join(text + "\n" for ok, text in chosen if ok == flag).encode()
        if not content:
            continue
        file = FileRecord(
            id=file_id,
            filename=f"{record.id}_{suffix}.jsonl",
            purpose="batch_output",
            size=len(content),
            created_at=int(ended),
            started=ended,
            visible_at=ended,
        )
        save_file_blocking(state, file, content)
    state.store.put(WORK, _key(record, "final"), b"1", _ttl(state))
    return True


def progress_of(
    state: MockState, record: BatchRecord, upto: int, cache: dict[str, str]
) -> Progress:
    plan = load_plan(state, record)
    if plan is None:
        return Progress(None)
    return Progress(plan, read_flags(state, record, upto, cache), is_final(state, record))
