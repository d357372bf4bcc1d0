"""From a validated image request to the response body: the filter decision, the files, and
the per-version extras (azure-surface.md §4.5, §4.5a, §6, §9e)."""

import base64
from collections.abc import Callable

from fastapi import Request

from mockazure.errors import ContentPolicyViolation, ImageContentFiltered
from mockazure.generators.images import Canvas, revised_prompt
from mockazure.generators.images_filter import (
    find_filter_hit,
    image_filter_results,
    prompt_filter_results,
)
from mockazure.protocol.images import (
    Image,
    ImageGenerationRequest,
    ImagesResponse,
    ImageTokensDetails as TokensDetails,
    ImageUsage,
)
from mockazure.serving.images.files import publish_image
from mockazure.state import MockState
from mockazure.tokens.tokenizers import get_tokenizer
from mockazure.versions import ApiVersion

# imageResult gains content_filter_results / prompt_filter_results in 2024-02-01 (the specs);
# `usage` exists from 2025-04-01-preview, for gpt-image-1 only (§4.5a). Dated names sort in time.
FILTER_RESULTS_FROM = "2024-02-01"
USAGE_FROM = "2025-04-01-preview"
# gpt-image-1 output tokens per quality and size (OpenAI's published table).
OUTPUT_TOKENS = {
    "low": {"1024x1024": 272, "1024x1536": 408, "1536x1024": 400},
    "medium": {"1024x1024": 1056, "1024x1536": 1584, "1536x1024": 1568},
    "high": {"1024x1024": 4160, "1024x1536": 6240, "1536x1024": 6208},
}

Renderer = Callable[[int], bytes]  # image index -> encoded bytes


def screen_prompt(prompt: str, version: ApiVersion, created: int) -> None:
    """Raise the DALL-E filter error a trigger in the prompt asks for (§9e)."""
    hit = find_filter_hit(prompt)
    if hit is None:
        return
    if hit.stage == "prompt":
        raise ContentPolicyViolation(prompt_filter_results(version, hit))
    raise ImageContentFiltered(created)


def canvas_for(body: ImageGenerationRequest, model: str) -> Canvas:
    width, height = body.pixel_size(model)
    return Canvas(
        width,
        height,
        fmt=body.output_format or "png",
        compression=body.output_compression if body.output_compression is not None else 100,
        transparent=body.background == "transparent",
    )


def usage_for(body: ImageGenerationRequest, model: str, image_tokens: int = 0) -> ImageUsage:
    text_tokens = get_tokenizer("o200k_base").count(body.prompt)
    quality = body.quality if body.quality in OUTPUT_TOKENS else "medium"
    size = body.size if body.size and body.size != "auto" else "1024x1024"
    output = OUTPUT_TOKENS[quality].get(size, OUTPUT_TOKENS[quality]["1024x1024"]) * body.n
    return ImageUsage(
        total_tokens=text_tokens + image_tokens + output,
        input_tokens=text_tokens + image_tokens,
        output_tokens=output,
        input_tokens_details=TokensDetails(text_tokens=text_tokens, image_tokens=image_tokens),
    )


async def build_response(
    request: Request,
    state: MockState,
    version: ApiVersion,
    model: str,
    body: ImageGenerationRequest,
    render: Renderer,
    canvas: Canvas,
    image_tokens: int = 0,
) -> ImagesResponse:
    as_url = body.effective_format(model) == "url"
    with_filters = version.name >= FILTER_RESULTS_FROM
    data = []
    for index in range(body.n):
        blob = render(index)
        image = Image()
        if as_url:
            image.url = await publish_image(request, state, blob, canvas.content_type)
        else:
            image.b64_json = base64.b64encode(blob).decode("ascii")
        if model == "dall-e-3":
            image.revised_prompt = revised_prompt(body.prompt)
        if with_filters:
            image.content_filter_results = image_filter_results(version)
            image.prompt_filter_results = prompt_filter_results(version)
        data.append(image)
    response = ImagesResponse(created=state.created(), data=data)
    if model == "gpt-image-1" and version.name >= USAGE_FROM:
        response.usage = usage_for(body, model, image_tokens)
    return response
