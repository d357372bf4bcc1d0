"""Images (azure-surface.md §4.5, §4.5a): `POST …/images/generations` (2023-12-01-preview and
later), `POST …/images/edits` (2025-04-01-preview), the generated files at `/_mock/images/…`, and
the DALL-E 2 operation routes (`routers/image_operations.py`)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from PIL.Image import Image as PILImage

from mockazure.dependencies import (
    Call,
    StateDep,
    check_fields,
    get_state,
    inference_call,
    meter,
    require_api_key,
    require_api_version,
    require_deployment,
    validate_body,
)
from mockazure.errors import ResourceNotFound
from mockazure.generators.images import render, render_edit
from mockazure.image_files import ROUTE_PREFIX, load_image
from mockazure.image_results import build_response, canvas_for, screen_prompt
from mockazure.image_uploads import read_edit_upload
from mockazure.protocol.images import ImageEditRequest, ImageGenerationRequest, ImagesResponse
from mockazure.responses import json_response
from mockazure.routers import image_operations
from mockazure.stub_book import lookup_stub, stub_for
from mockazure.stub_images import apply_image_stub, stubbed_renderer

router = APIRouter(tags=["images"])
router.include_router(image_operations.router)

GenerationCall = Annotated[
    Call[ImageGenerationRequest],
    Depends(inference_call(ImageGenerationRequest, "image_generations")),
]


@router.post(
    "/openai/deployments/{deployment_id}/images/generations", response_model=ImagesResponse
)
async def create_image_generation(call: GenerationCall) -> Response:
    body, model, state = call.body, call.deployment.model, call.state
    hit = stub_for(call)
    if hit is not None:
        hit.raise_error()
    meter(call, 0)
    screen_prompt(body.prompt, call.version, state.created())
    canvas = canvas_for(body, model)
    seed = state.request_seed(call.raw, "images")
    renderer = stubbed_renderer(hit, lambda index: render(body.prompt, canvas, seed + index))
    response = build_response(call.request, state, call.version, model, body, renderer, canvas)
    return json_response(apply_image_stub(hit, response))


@router.post("/openai/deployments/{deployment_id}/images/edits", response_model=ImagesResponse)
async def create_image_edit(request: Request, deployment_id: str) -> Response:
    state = get_state(request)
    version = require_api_version(request, "image_edits")
    require_api_key(request, state)
    deployment = require_deployment(state, deployment_id, "image_edits", request)
    upload = await read_edit_upload(request)
    check_fields(upload.fields, version.spec("image_edits"), state.settings.strict_fields)
    body = validate_body(ImageEditRequest, upload.fields, version, deployment)
    meter(Call(request, state, version, "image_edits", deployment, body, upload.fields), 0)
    # Content matching sees the prompt, as for generations (README "Stubs").
    hit = lookup_stub(
        state, request, "image_edits", deployment.name, upload.fields, model=deployment.model
    )
    if hit is not None:
        hit.raise_error()
    screen_prompt(body.prompt, version, state.created())
    body.size = _edit_size(body.size, upload.images[0])
    canvas = canvas_for(body, deployment.model)
    seed = state.request_seed({**upload.fields, "image": [i.size for i in upload.images]}, "edit")
    renderer = stubbed_renderer(
        hit,
        lambda index: render_edit(body.prompt, upload.images, upload.mask, canvas, seed + index),
    )
    response = build_response(
        request,
        state,
        version,
        deployment.model,
        body,
        renderer,
        canvas,
        image_tokens=85 * len(upload.images) + (85 if upload.mask else 0),
    )
    return json_response(apply_image_stub(hit, response))


def _edit_size(size: str | None, first: PILImage) -> str | None:
    """`auto` (or none): the output follows the first image's orientation."""
    if size not in (None, "auto"):
        return size
    if first.width > first.height:
        return "1536x1024"
    return "1024x1536" if first.height > first.width else "1024x1024"


@router.get(ROUTE_PREFIX + "/{name}", tags=["mock"], response_class=Response)
async def get_image_file(name: str, state: StateDep) -> Response:
    """A generated image: no key needed (its URL is the secret, like a SAS link); 404 once
    expired or deleted."""
    stored = load_image(state, name)
    if stored is None:
        raise ResourceNotFound()
    return Response(stored.data, media_type=stored.content_type)
