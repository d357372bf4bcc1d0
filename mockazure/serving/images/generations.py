"""Image generations and edits between the router and the generators (azure-surface.md §4.5,
§4.5a): the prompt screened, the pictures rendered in a worker thread (PIL work of up to
1792 px per image), published, and the response built per version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anyio.to_thread
from fastapi import Response

from mockazure.gateway.gate import Call
from mockazure.generators.images import Canvas, render, render_edit
from mockazure.protocol.images import ImageEditRequest, ImageGenerationRequest
from mockazure.serving.images.results import Renderer, build_response, canvas_for, screen_prompt
from mockazure.serving.images.uploads import EditUpload
from mockazure.serving.pipeline import Answer, Whole, serve
from mockazure.stubs.book import StubHit
from mockazure.stubs.images import apply_image_stub, stubbed_renderer

if TYPE_CHECKING:  # PIL: on the first image request, not at start-up
    from PIL.Image import Image as PILImage


async def _rendered(renderer: Renderer, count: int) -> Renderer:
    """Every picture rendered off the event loop; the response then picks them by index."""
    blobs = await anyio.to_thread.run_sync(lambda: [renderer(i) for i in range(count)])
    return lambda index: blobs[index]


async def _answer(
    call: Call[Any],
    body: ImageGenerationRequest,
    hit: StubHit | None,
    draw: Renderer,
    canvas: Canvas,
    image_tokens: int = 0,
) -> Answer:
    state, model = call.state, call.target.model
    screen_prompt(body.prompt, call.version, state.created())
    renderer = await _rendered(stubbed_renderer(hit, draw), body.n)
    response = await build_response(
        call.request, state, call.version, model, body, renderer, canvas, image_tokens
    )
    return Whole(apply_image_stub(hit, response))


async def serve_image_generation(call: Call[ImageGenerationRequest]) -> Response:
    body = call.body
    canvas = canvas_for(body, call.target.model)
    seed = call.state.request_seed(call.raw, "images")

    async def generate(hit: StubHit | None) -> Answer:
        return await _answer(
            call, body, hit, lambda i: render(body.prompt, canvas, seed + i), canvas
        )

    return await serve(call, cost=lambda: 0, generate=generate)


async def serve_image_edit(call: Call[ImageEditRequest]) -> Response:
    body, upload = call.body, call.upload
    assert isinstance(upload, EditUpload)
    body.size = _edit_size(body.size, upload.images[0])
    canvas = canvas_for(body, call.target.model)
    seed = call.state.request_seed(
        {**upload.fields, "image": [i.size for i in upload.images]}, "edit"
    )

    def draw(index: int) -> bytes:
        return render_edit(body.prompt, upload.images, upload.mask, canvas, seed + index)

    async def generate(hit: StubHit | None) -> Answer:
        tokens = 85 * len(upload.images) + (85 if upload.mask else 0)
        return await _answer(call, body, hit, draw, canvas, image_tokens=tokens)

    return await serve(call, cost=lambda: 0, generate=generate)


def _edit_size(size: str | None, first: PILImage) -> str | None:
    """`auto` (or none): the output follows the first image's orientation."""
    if size not in (None, "auto"):
        return size
    if first.width > first.height:
        return "1536x1024"
    return "1024x1536" if first.height > first.width else "1024x1024"
