"""`POST /openai/batches` and `/openai/v1/batches`: the body and its input file checked, the
record written, and the work handed to the app's pump (serving/batch_pump.py): the create
answers at once, `validating`, whatever the file's size."""

import secrets
from typing import Any

from pydantic import ValidationError

from mockazure.errors import InvalidRequest, UnrecognizedArguments
from mockazure.gateway.validation import to_invalid_request
from mockazure.protocol.batches import BatchCreateRequest
from mockazure.serving.access import Access
from mockazure.serving.batch_input import ENDPOINT_OPERATIONS
from mockazure.serving.batch_pump import pump_of
from mockazure.serving.batches import OUTCOME_KEY, BatchRecord, BatchTiming, save_batch
from mockazure.serving.files import load_file
from mockazure.state import MockState
from mockazure.versions import get_api_version, get_v1_api_version

# The dated fields (authoring `BatchCreateRequest`); v1 adds `output_expires_after` (OpenAI).
DATED_FIELDS = frozenset({"input_file_id", "endpoint", "completion_window", "metadata"})
V1_FIELDS = DATED_FIELDS | {"output_expires_after"}
# The registry version batch lines of a v1 batch are checked against: the newest dated one,
# until the v1 API has its own registry entry (issue 12).
V1_LINE_VERSION = "2025-04-01-preview"
# Request headers a line's stubs may match on: all but the credentials.
SECRET_HEADERS = frozenset({"api-key", "authorization"})


def batch_endpoints(access: Access) -> list[str]:
    """The endpoints a batch may name: those whose operation the batch's api-version serves
    online (`/responses` from 2025-03-01-preview, where the Responses API starts, and on v1;
    that dated batches take it is **(inference)** from the online gating: Learn shows
    Responses batches on v1 only)."""
    version = get_v1_api_version("v1") if access.v1 else get_api_version(access.api_version)
    assert version is not None  # the gate admitted it
    return [e for e, op in ENDPOINT_OPERATIONS.items() if version.supports(op)]


async def parse_create(data: dict[str, Any], access: Access) -> BatchCreateRequest:
    known = V1_FIELDS if access.v1 else DATED_FIELDS
    unknown = sorted(set(data) - known)
    if unknown and access.state.settings.strict_fields:
        raise UnrecognizedArguments(unknown)
    try:
        body = BatchCreateRequest.model_validate({k: v for k, v in data.items() if k in known})
    except ValidationError as exc:
        raise to_invalid_request(exc, data) from exc
    endpoints = batch_endpoints(access)
    if body.endpoint not in endpoints:
        raise InvalidRequest(
            f"Invalid value: '{body.endpoint}'. Supported values are: "
            + ", ".join(f"'{e}'" for e in endpoints)
            + ".",
            param="endpoint",
            code="invalid_value",
        )
    record = await load_file(access.state, body.input_file_id)
    if record is None or record.purpose != "batch":
        raise InvalidRequest(
            f"Invalid 'input_file_id': '{body.input_file_id}'. No file with purpose 'batch' "
            "has this id.",
            param="input_file_id",
            code="invalid_value",
        )
    return body


async def create_batch(
    access: Access, data: dict[str, Any], headers: list[tuple[str, str]]
) -> BatchRecord:
    state = access.state
    body = await parse_create(data, access)
    wanted = (body.metadata or {}).get(OUTCOME_KEY)
    record = BatchRecord(
        id="batch_" + state.ids.uuid(),
        endpoint=body.endpoint,
        input_file_id=body.input_file_id,
        completion_window=body.completion_window,
        created_at=int(state.clock.now()),
        started=state.clock.now(),
        timing=BatchTiming.from_settings(state.settings).__dict__,
        line_version=access.api_version or V1_LINE_VERSION,
        v1=access.v1,
        headers=[(k, v) for k, v in headers if k.lower() not in SECRET_HEADERS],
        metadata=body.metadata,
        requested=wanted if wanted in ("failed", "expired") else "completed",
        output_file_id=_file_id(state),
        error_file_id=_file_id(state),
        work_key=secrets.token_hex(8),
    )
    await save_batch(state, record)
    pump_of(state).want(record.id)
    return record


def _file_id(state: MockState) -> str:
    return "file-" + state.ids.uuid().replace("-", "")
