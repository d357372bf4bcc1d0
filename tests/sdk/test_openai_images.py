"""Contract tests: the newest openai SDK's images API against a live mockazure server."""

import base64
import io

import httpx
import pytest
from openai import AzureOpenAI, BadRequestError
from PIL import Image

from mockazure.testing import LiveServer


def make_client(server: LiveServer, version: str) -> AzureOpenAI:
    return AzureOpenAI(
        azure_endpoint=server.url, api_key="test-key", api_version=version, max_retries=0
    )


def test_sdk_images_generate_url_is_fetchable_png(server: LiveServer) -> None:
    with make_client(server, "2024-10-21") as sdk:
        result = sdk.images.generate(model="dall-e-3", prompt="A red fox", size="1024x1792")
    assert result.data is not None
    image = result.data[0]
    assert image.url is not None
    assert image.url.startswith(server.url + "/_mock/images/")
    assert image.revised_prompt
    fetched = httpx.get(image.url)
    assert fetched.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(fetched.content)).size == (1024, 1792)


def test_sdk_images_generate_b64_json_two_prompts_differ(server: LiveServer) -> None:
    with make_client(server, "2024-10-21") as sdk:
        fox = sdk.images.generate(model="dall-e-3", prompt="A fox", response_format="b64_json")
        owl = sdk.images.generate(model="dall-e-3", prompt="An owl", response_format="b64_json")
    assert fox.data is not None
    assert owl.data is not None
    fox_b64, owl_b64 = fox.data[0].b64_json, owl.data[0].b64_json
    assert fox_b64 is not None
    assert owl_b64 is not None
    fox_image = Image.open(io.BytesIO(base64.b64decode(fox_b64)))
    owl_image = Image.open(io.BytesIO(base64.b64decode(owl_b64)))
    assert fox_image.size == owl_image.size == (1024, 1024)
    assert fox_image.tobytes() != owl_image.tobytes()


def test_sdk_images_generate_gpt_image_1_usage(server: LiveServer) -> None:
    with make_client(server, "2025-04-01-preview") as sdk:
        result = sdk.images.generate(
            model="gpt-image-1", prompt="A boat", n=2, size="1024x1536", quality="high"
        )
    assert result.data is not None
    assert len(result.data) == 2
    assert result.usage is not None
    assert result.usage.output_tokens == 2 * 6240


def test_sdk_images_edit_gpt_image_1(server: LiveServer) -> None:
    source = io.BytesIO()
    Image.new("RGB", (1024, 1024), "navy").save(source, format="PNG")
    with make_client(server, "2025-04-01-preview") as sdk:
        result = sdk.images.edit(
            model="gpt-image-1",
            image=[
                ("a.png", source.getvalue(), "image/png"),
                ("b.png", source.getvalue(), "image/png"),
            ],
            prompt="Add a moon",
        )
    assert result.data is not None
    b64 = result.data[0].b64_json
    assert b64 is not None
    assert Image.open(io.BytesIO(base64.b64decode(b64))).size == (1024, 1024)


def test_sdk_images_content_filter_raises_bad_request(server: LiveServer) -> None:
    with make_client(server, "2024-10-21") as sdk, pytest.raises(BadRequestError) as caught:
        sdk.images.generate(model="dall-e-3", prompt="[[filter:violence:high]]")
    assert caught.value.code == "content_policy_violation"
