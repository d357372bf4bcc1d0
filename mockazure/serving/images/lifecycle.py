"""The DALL-E 2 preview operation API (azure-surface.md §4.6, §9g; 2023-06-01-preview …
2023-10-01-preview): submit → 202 + `operation-location`; the operation's status on GET, a pure
function of time; DELETE once it is terminal.

Never answer 409 to a poll: openai 0.28 retries 409 in a tight loop (clients.md §2); only DELETE
of a running operation may (the spec says it deletes "if in terminal state")."""

from collections.abc import Callable
from typing import Any

from fastapi import Request, Response

from mockazure.errors import OperationConflict, OperationNotFound
from mockazure.gateway.gate import Call
from mockazure.gateway.hosts import request_base_url
from mockazure.gateway.notes import request_notes
from mockazure.gateway.responses import json_response
from mockazure.protocol.images import ImageGenerationSubmit, OperationAccepted, OperationStatus
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
from mockazure.serving.images.submit import operation_body, submit_operation
from mockazure.serving.pipeline import Answer, Whole, serve
from mockazure.state import MockState
from mockazure.stubs.book import StubHit
from mockazure.stubs.images import stubbed_renderer


def _set_headers(request: Request, headers: dict[str, str]) -> None:
    notes = request_notes(request)
    notes.azure_headers.update({"x-ms-request-id": notes.request_id, **headers})


async def serve_image_submit(call: Call[ImageGenerationSubmit]) -> Response:
    """Metered against the catalogue's DALL-E 2 deployment, and stubbable, like the rest."""
    state, request = call.state, call.request
    dalle2 = next((d for d in state.deployments.values() if d.model == "dall-e-2"), None)

    async def generate(hit: StubHit | None) -> Answer:
        record = await submit_operation(request, state, call.body, _stub_picture(hit))
        location = request.url_for("get_image_operation", operation_id=record.id)
        # Never from a host the guard refuses (gateway/hosts.py).
        base = request_base_url(request.scope, state.settings, str(request.base_url))
        url = base + location.path
        _set_headers(
            request,
            {
                "operation-location": f"{url}?api-version={call.version.name}",
                "retry-after": str(state.settings.image_operation_retry_after_s),
            },
        )
        return Whole(OperationAccepted(id=record.id, status="notRunning"), status_code=202)

    return await serve(call, cost=lambda: 0, generate=generate, meter_as=dalle2)


def _stub_picture(hit: StubHit | None) -> Callable[[int], bytes] | None:
    """A stub's `image.b64_json` replaces the generated pictures."""
    image = hit.response.image if hit is not None else None
    if image is None or image.b64_json is None:
        return None
    return stubbed_renderer(hit, lambda _index: b"")


async def current(
    call: Call[Any], operation_id: str
) -> tuple[MockState, OperationRecord, OperationStatus]:
    """The operation and its status now."""
    state = call.state
    record = await load_operation(state, operation_id)
    if record is None:
        raise OperationNotFound(operation_id)
    statuses = statuses_of(call.version)
    status = status_at(record, state.clock.now(), Timing.from_settings(state.settings), statuses)
    return state, record, status


async def get_operation(call: Call[Any], operation_id: str) -> Response:
    state, record, status = await current(call, operation_id)
    headers = {}
    if status not in TERMINAL:
        headers["retry-after"] = str(state.settings.image_operation_retry_after_s)
    _set_headers(call.request, headers)
    body = operation_body(call.request, state, record, status, failure_of(record, status))
    return json_response(body)


async def remove_operation(call: Call[Any], operation_id: str) -> Response:
    state, record, status = await current(call, operation_id)
    if status not in TERMINAL:
        raise OperationConflict(operation_id, status)
    await delete_operation(state, record)
    _set_headers(call.request, {})
    return Response(status_code=204)
