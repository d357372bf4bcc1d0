"""DALL-E 2 preview operations (azure-surface.md §4.6, §9g; 2023-06-01-preview …
2023-10-01-preview): `POST /openai/images/generations:submit` → 202 + `operation-location`,
`GET` / `DELETE /openai/operations/images/{operation_id}`.

Never answer 409 to a poll: openai 0.28 retries 409 in a tight loop (clients.md §2); only DELETE
of a running operation may (the spec says it deletes "if in terminal state")."""

from fastapi import APIRouter, Request, Response

from mockazure.errors import OperationConflict, OperationNotFound
from mockazure.gateway.checks import (
    get_state,
    read_json_object,
    require_api_key,
    require_api_version,
)
from mockazure.gateway.responses import json_response
from mockazure.protocol.images import ImageOperation, OperationAccepted, OperationStatus
from mockazure.serving.images.operations import (
    TERMINAL,
    OperationRecord,
    Timing,
    delete_operation,
    failure_of,
    load_operation,
    status_at,
    statuses_of,
)
from mockazure.serving.images.submit import operation_body, submit_operation, validate_submit
from mockazure.state import MockState
from mockazure.versions import OperationName

router = APIRouter(tags=["images"])


def _set_headers(request: Request, headers: dict[str, str]) -> None:
    request.state.azure_headers.update({"x-ms-request-id": request.state.request_id, **headers})


@router.post("/openai/images/generations:submit", status_code=202, response_model=OperationAccepted)
async def submit_image_generation(request: Request) -> Response:
    state = get_state(request)
    version = require_api_version(request, "image_generations_submit")
    require_api_key(request, state)
    body = validate_submit(await read_json_object(request), version, state)
    record = submit_operation(request, state, body, version)
    location = request.url_for("get_image_operation", operation_id=record.id)
    base = state.settings.public_base_url
    url = f"{base.rstrip('/')}{location.path}" if base else str(location)
    _set_headers(
        request,
        {
            "operation-location": f"{url}?api-version={version.name}",
            "retry-after": str(state.settings.image_operation_retry_after_s),
        },
    )
    return json_response(OperationAccepted(id=record.id, status="notRunning"), status_code=202)


def _current(
    request: Request, operation_id: str, operation: OperationName
) -> tuple[MockState, OperationRecord, OperationStatus]:
    """Gateway checks, then the operation and its status now (a pure function of time)."""
    state = get_state(request)
    version = require_api_version(request, operation)
    require_api_key(request, state)
    record = load_operation(state, operation_id)
    if record is None:
        raise OperationNotFound(operation_id)
    statuses = statuses_of(version)
    status = status_at(record, state.clock.now(), Timing.from_settings(state.settings), statuses)
    return state, record, status


@router.get("/openai/operations/images/{operation_id}", response_model=ImageOperation)
async def get_image_operation(request: Request, operation_id: str) -> Response:
    state, record, status = _current(request, operation_id, "image_operation_get")
    headers = {}
    if status not in TERMINAL:
        headers["retry-after"] = str(state.settings.image_operation_retry_after_s)
    _set_headers(request, headers)
    return json_response(operation_body(request, state, record, status, failure_of(record, status)))


@router.delete("/openai/operations/images/{operation_id}", status_code=204)
async def delete_image_operation(request: Request, operation_id: str) -> Response:
    state, record, status = _current(request, operation_id, "image_operation_delete")
    if status not in TERMINAL:
        raise OperationConflict(operation_id, status)
    delete_operation(state, record)
    _set_headers(request, {})
    return Response(status_code=204)
