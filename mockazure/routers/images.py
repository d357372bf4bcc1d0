"""Images (azure-surface.md §4.5, §4.5a): generations (2023-12-01-preview and later), edits
(2025-04-01-preview), the DALL-E 2 operation API (§4.6; `serving/images/lifecycle.py`), and the
generated files at `/_mock/images/…`."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from mockazure.errors import ResourceNotFound
from mockazure.gateway.checks import StateDep
from mockazure.gateway.gate import Call, NoBody, gate
from mockazure.protocol.images import (
    ImageEditRequest,
    ImageGenerationRequest,
    ImageGenerationSubmit,
    ImageOperation,
    ImagesResponse,
    OperationAccepted,
)
from mockazure.routers.table import add_operation_routes
from mockazure.serving.images import lifecycle
from mockazure.serving.images.files import ROUTE_PREFIX, load_image
from mockazure.serving.images.generations import serve_image_edit, serve_image_generation
from mockazure.serving.images.submit import validate_submit
from mockazure.serving.images.uploads import read_edit_body

router = APIRouter(tags=["images"])

GenerationCall = Annotated[
    Call[ImageGenerationRequest], Depends(gate(ImageGenerationRequest, "image_generations"))
]
EditCall = Annotated[
    Call[ImageEditRequest], Depends(gate(ImageEditRequest, "image_edits", reader=read_edit_body))
]
SubmitCall = Annotated[
    Call[ImageGenerationSubmit],
    Depends(gate(ImageGenerationSubmit, "image_generations_submit", validator=validate_submit)),
]
PollCall = Annotated[Call[NoBody], Depends(gate(NoBody, "image_operation_get"))]
DeleteCall = Annotated[Call[NoBody], Depends(gate(NoBody, "image_operation_delete"))]


async def create_image_generation(call: GenerationCall) -> Response:
    return await serve_image_generation(call)


async def create_image_edit(call: EditCall) -> Response:
    return await serve_image_edit(call)


async def submit_image_generation(call: SubmitCall) -> Response:
    return await lifecycle.serve_image_submit(call)


async def get_image_operation(call: PollCall, operation_id: str) -> Response:
    return await lifecycle.get_operation(call, operation_id)


async def delete_image_operation(call: DeleteCall, operation_id: str) -> Response:
    return await lifecycle.remove_operation(call, operation_id)


add_operation_routes(
    router, "image_generations", create_image_generation, response_model=ImagesResponse
)
add_operation_routes(router, "image_edits", create_image_edit, response_model=ImagesResponse)
add_operation_routes(
    router,
    "image_generations_submit",
    submit_image_generation,
    status_code=202,
    response_model=OperationAccepted,
)
add_operation_routes(
    router, "image_operation_get", get_image_operation, response_model=ImageOperation
)
add_operation_routes(router, "image_operation_delete", delete_image_operation, status_code=204)


@router.get(ROUTE_PREFIX + "/{name}", tags=["mock"], response_class=Response)
async def get_image_file(name: str, state: StateDep) -> Response:
    """A generated image: no key needed (its URL is the secret, like a SAS link); 404 once
    expired or deleted."""
    stored = await load_image(state, name)
    if stored is None:
        raise ResourceNotFound()
    return Response(stored.data, media_type=stored.content_type)
