"""`POST /openai/batches` and `/openai/v1/batches`: the body, the input file (re-checked as on
upload: a deployment removed since then fails the batch), every line answered off the event
loop, then the record and its result files."""

from typing import Any

import anyio
from fastapi import Request
from pydantic import ValidationError

from mockazure.errors import AzureError, InvalidRequest, UnrecognizedArguments
from mockazure.gateway.validation import to_invalid_request
from mockazure.operations import operation_named
from mockazure.protocol.batches import BatchCreateRequest
from mockazure.serving.access import Access
from mockazure.serving.batch_input import ENDPOINT_OPERATIONS, BatchInput, check_batch_input
from mockazure.serving.batch_run import LineJob, run_lines
from mockazure.serving.batches import (
    LINES,
    OUTCOME_KEY,
    BatchRecord,
    BatchTiming,
    save_batch,
    write_results,
)
from mockazure.serving.files import file_content, load_file
from mockazure.state import MockState
from mockazure.versions import ApiVersion, get_api_version

# The dated fields (authoring `BatchCreateRequest`); v1 adds `output_expires_after` (OpenAI).
DATED_FIELDS = frozenset({"input_file_id", "endpoint", "completion_window", "metadata"})
V1_FIELDS = DATED_FIELDS | {"output_expires_after"}
# The registry version batch lines of a v1 batch are checked against: the newest dated one,
# until the v1 API has its own registry entry (issue 12).
V1_LINE_VERSION = "2025-04-01-preview"


def parse_create(data: dict[str, Any], access: Access) -> BatchCreateRequest:
    known = V1_FIELDS if access.v1 else DATED_FIELDS
    unknown = sorted(set(data) - known)
    if unknown and access.state.settings.strict_fields:
        raise UnrecognizedArguments(unknown)
    try:
        body = BatchCreateRequest.model_validate({k: v for k, v in data.items() if k in known})
    except ValidationError as exc:
        raise to_invalid_request(exc, data) from exc
    if body.endpoint not in ENDPOINT_OPERATIONS:
        raise InvalidRequest(
            f"Invalid value: '{body.endpoint}'. Supported values are: "
            + ", ".join(f"'{e}'" for e in ENDPOINT_OPERATIONS)
            + ".",
            param="endpoint",
            code="invalid_value",
        )
    record = load_file(access.state, body.input_file_id)
    if record is None or record.purpose != "batch":
        raise InvalidRequest(
            f"Invalid 'input_file_id': '{body.input_file_id}'. No file with purpose 'batch' "
            "has this id.",
            param="input_file_id",
            code="invalid_value",
        )
    return body


def _line_version(access: Access) -> ApiVersion:
    version = get_api_version(access.api_version or V1_LINE_VERSION)
    assert version is not None  # the gate admitted it
    return version


def _validated(access: Access, body: BatchCreateRequest) -> tuple[BatchInput | None, list[Any]]:
    try:
        found = check_batch_input(access.state, file_content(access.state, body.input_file_id))
    except AzureError as exc:
        return None, [{"code": exc.instance_code or "invalidPayload", "message": exc.message}]
    if ENDPOINT_OPERATIONS[body.endpoint] != found.operation:
        message = f"The input file's lines do not match the batch endpoint '{body.endpoint}'."
        return None, [{"code": "invalidPayload", "message": message, "param": "endpoint"}]
    return found, []


async def create_batch(request: Request, access: Access, data: dict[str, Any]) -> BatchRecord:
    state = access.state
    body = parse_create(data, access)
    found, errors = _validated(access, body)
    wanted = (body.metadata or {}).get(OUTCOME_KEY)
    record = BatchRecord(
        id="batch_" + state.ids.uuid(),
        endpoint=body.endpoint,
        input_file_id=body.input_file_id,
        completion_window=body.completion_window,
        created_at=int(state.clock.now()),
        started=state.clock.now(),
        timing=BatchTiming.from_settings(state.settings).__dict__,
        metadata=body.metadata,
        errors=errors,
        outcome="failed" if errors or wanted == "failed" else "completed",
    )
    if wanted == "expired" and not errors:
        record.outcome = "expired"
    if found is not None and record.outcome == "failed" and not errors:
        errors.append({"code": "invalidPayload", "message": "The batch failed (requested)."})
    lines: list[str] = []
    if found is not None:
        record.outcomes = "0" * len(found.lines)
    if found is not None and record.outcome == "completed":
        lines = await _answer_lines(request, access, record, found)
    state.store.put(LINES, record.id, "\n".join(lines).encode(), ttl_s=state.settings.files_ttl_s)
    write_results(state, record, lines)
    save_batch(state, record)
    return record


async def _answer_lines(
    request: Request, access: Access, record: BatchRecord, found: BatchInput
) -> list[str]:
    """Every line answered in a worker thread; the record learns each line's outcome and the
    ids of the files that will hold them."""
    state = access.state
    deployment = state.deployments.get(found.deployment)
    assert deployment is not None  # check_batch_input found it
    operation = operation_named(found.operation)
    job = LineJob(
        state, _line_version(access), operation, deployment, request.headers.raw, record.id
    )
    results = await anyio.to_thread.run_sync(run_lines, job, found.lines)
    record.outcomes = "".join("1" if r.ok else "0" for r in results)
    record.output_file_id = _file_id(state) if "1" in record.outcomes else None
    record.error_file_id = _file_id(state) if "0" in record.outcomes else None
    return [r.text for r in results]


def _file_id(state: MockState) -> str:
    return "file-" + state.ids.uuid().replace("-", "")


def stored_lines(access: Access, record: BatchRecord) -> list[str]:
    raw = access.state.store.get(LINES, record.id)
    return raw.decode().split("\n") if raw else []
