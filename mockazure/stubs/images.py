"""Stubbed images: a rule's `image` replaces the generated picture (`b64_json`: the bytes to
serve, inline or behind the mock's URL), the URL (`url`: returned verbatim) or the
`revised_prompt`."""

import base64
import binascii
from collections.abc import Callable

from mockazure.errors import InvalidRequest
from mockazure.protocol.images import ImagesResponse
from mockazure.stubs.book import StubHit

Renderer = Callable[[int], bytes]


def stubbed_renderer(hit: StubHit | None, render: Renderer) -> Renderer:
    image = hit.response.image if hit is not None else None
    if image is None or image.b64_json is None:
        return render
    try:
        blob = base64.b64decode(image.b64_json, validate=True)
    except binascii.Error as exc:
        raise InvalidRequest(
            f"Stub {hit.rule_id if hit else ''} has invalid image.b64_json."
        ) from exc
    return lambda _index: blob


def apply_image_stub(hit: StubHit | None, response: ImagesResponse) -> ImagesResponse:
    image = hit.response.image if hit is not None else None
    if image is None:
        return response
    for item in response.data:
        if image.url is not None and item.url is not None:
            item.url = image.url
        if image.revised_prompt is not None:
            item.revised_prompt = hit.render(image.revised_prompt) if hit else image.revised_prompt
    return response
