"""Stubs on images: a rule's image replaces the picture, the URL or the revised prompt."""

import base64
import io

from fastapi.testclient import TestClient
from PIL import Image

from tests.conftest import AUTH

URL = "/openai/deployments/dall-e-3/images/generations"
PARAMS = {"api-version": "2024-10-21"}


def _png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_image_stub_replaces_the_picture(client: TestClient) -> None:
    picture = _png("red")
    client.post(
        "/_mock/stubs",
        json={
            "match": {"operation": "image_generations", "contains": "logo"},
            "response": {
                "image": {
                    "b64_json": base64.b64encode(picture).decode(),
                    "revised_prompt": "A logo for {{ deployment }}",
                }
            },
        },
    )
    body = {"prompt": "a logo", "response_format": "b64_json"}
    data = client.post(URL, params=PARAMS, headers=AUTH, json=body).json()["data"][0]
    assert base64.b64decode(data["b64_json"]) == picture
    assert data["revised_prompt"] == "A logo for dall-e-3"
    served = client.post(URL, params=PARAMS, headers=AUTH, json={"prompt": "a logo"})
    image_url = served.json()["data"][0]["url"]
    assert client.get(image_url).content == picture
    other = client.post(
        URL, params=PARAMS, headers=AUTH, json={"prompt": "a cat", "response_format": "b64_json"}
    ).json()
    assert base64.b64decode(other["data"][0]["b64_json"]) != picture


def test_image_stub_url_and_error(client: TestClient) -> None:
    client.post(
        "/_mock/stubs",
        json={
            "match": {"operation": "image_generations", "contains": "fixed"},
            "response": {"image": {"url": "https://cdn.example/fixed.png"}},
        },
    )
    data = client.post(URL, params=PARAMS, headers=AUTH, json={"prompt": "fixed"}).json()
    assert data["data"][0]["url"] == "https://cdn.example/fixed.png"
    client.post(
        "/_mock/stubs",
        json={
            "match": {"operation": "image_generations", "contains": "busy"},
            "response": {"error": {"status": 429, "code": "429", "message": "slow down"}},
        },
    )
    busy = client.post(URL, params=PARAMS, headers=AUTH, json={"prompt": "busy"})
    assert busy.status_code == 429
    assert busy.json()["error"]["message"] == "slow down"
