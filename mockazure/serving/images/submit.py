"""The DALL-E 2 submit flow (azure-surface.md §4.6): validate the body in the operation API's
error shape, decide the outcome from the prompt's triggers, render the images, build bodies."""

import uuid
from collections.abc import Callable
from typing import Any

import anyio.to_thread
from fastapi import Request
from pydantic import ValidationError

from mockazure.config import DeploymentSpec
from mockazure.errors import InvalidPayload, InvalidRequest
from mockazure.gateway.checks import check_fields
from mockazure.gateway.validation import to_invalid_request
from mockazure.generators.images import Canvas, render
from mockazure.generators.images_filter import find_filter_hit, wants_timeout
from mockazure.protocol.images import (
    Image,
    ImageGenerationSubmit,
    ImageOperation,
    OperationFailure,
    OperationResult,
    OperationStatus,
)
from mockazure.serving.images.files import image_url, save_image
from mockazure.serving.images.operations import FILTERED, OperationRecord, save_operation
from mockazure.state import MockState
from mockazure.versions import ApiVersion

Renderer = Callable[[int], bytes]


def validate_submit(
    model: type[ImageGenerationSubmit],
    data: dict[str, Any],
    version: ApiVersion,
    deployment: DeploymentSpec | None,
    state: MockState,
) -> ImageGenerationSubmit:
    """The gate's value check for the DALL-E 2 submit: bad input → 400 `invalidPayload` in the
    Azure.Core shape, naming the field in `target` (wording as Azure's image API: "Invalid
    payload: Value for property X is invalid.")."""
    try:
        check_fields(data, version.spec("image_generations_submit"), state.settings.strict_fields)
        return model.model_validate(data, strict=True)
    except InvalidRequest as exc:
        raise InvalidPayload(f"Invalid payload: {exc.message}", target=exc.param) from exc
    except ValidationError as exc:
        refused = to_invalid_request(exc, data)
        raise InvalidPayload(
            f"Invalid payload: Value for property {refused.param} is invalid. {refused.message}",
            target=refused.param,
        ) from exc


def _operation_id(request: Request, state: MockState) -> str:
    """The optional `Operation-Id` request header names the operation when it is a uuid."""
    wanted = request.headers.get("operation-id", "")
    try:
        return str(uuid.UUID(wanted))
    except ValueError:
        return state.ids.uuid()


async def submit_operation(
    request: Request, state: MockState, body: ImageGenerationSubmit, draw: Renderer | None
) -> OperationRecord:
    """The operation, its outcome decided now; `draw` replaces the generator (a stub)."""
    created = state.created()
    record = OperationRecord(
        id=_operation_id(request, state),
        started=state.clock.now(),
        created=created,
        expires=created + int(state.settings.image_ttl_s),
        outcome="succeeded",
    )
    if find_filter_hit(body.prompt) is not None:
        record.outcome, record.error = "failed", dict(FILTERED)
    elif wants_timeout(body.prompt):
        record.outcome = "canceled"
    else:
        width, _, height = body.size.partition("x")
        canvas = Canvas(int(width), int(height))
        seed = state.request_seed(body.model_dump(), "dalle2")
        renderer = draw or (lambda index: render(body.prompt, canvas, seed + index))
        blobs = await anyio.to_thread.run_sync(lambda: [renderer(i) for i in range(body.n)])
        for blob in blobs:
            record.images.append((await save_image(state, blob, canvas.content_type), "image/png"))
    await save_operation(state, record)
    return record


def operation_body(
    request: Request,
    state: MockState,
    record: OperationRecord,
    status: OperationStatus,
    failure: dict[str, str] | None,
) -> ImageOperation:
    body = ImageOperation(
        id=record.id, created=record.created, expires=record.expires, status=status
    )
    if status == "succeeded":
        urls = [image_url(request, state, token, kind) for token, kind in record.images]
        body.result = OperationResult(created=record.created, data=[Image(url=url) for url in urls])
    if failure is not None:
        body.error = OperationFailure(**failure)
    return body
