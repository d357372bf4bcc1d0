"""Stubs on images (generations and edits): a rule's image replaces the picture, the URL or
the revised prompt; a rule's error is raised."""

import base64
import io
from typing import Any

from fastapi.testclient import TestClient
from openai import AzureOpenAI
from PIL import Image

from mockazure.stubs.rules import StubRule
from mockazure.testing import LiveServer
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


EDITS = "/openai/deployments/gpt-image-1/images/edits"
V2025 = {"api-version": "2025-04-01-preview"}


def _edit(client: TestClient, prompt: str) -> Any:
    files = [("image", ("in.png", _png("blue"), "image/png"))]
    return client.post(EDITS, params=V2025, headers=AUTH, data={"prompt": prompt}, files=files)


def test_image_edit_stub_replaces_the_picture_and_revised_prompt(client: TestClient) -> None:
    picture = _png("green")
    client.post(
        "/_mock/stubs",
        json={
            "id": "edit",
            "match": {"operation": "image_edits", "contains": "hat"},
            "response": {
                "image": {
                    "b64_json": base64.b64encode(picture).decode(),
                    "revised_prompt": "{{ prompt }} (stubbed)",
                }
            },
        },
    )
    data = _edit(client, "add a hat").json()["data"][0]
    assert base64.b64decode(data["b64_json"]) == picture
    assert data["revised_prompt"] == "add a hat (stubbed)"
    other = _edit(client, "add a scarf").json()["data"][0]
    assert base64.b64decode(other["b64_json"]) != picture
    calls = client.get("/_mock/journal").json()["calls"]
    assert [call.get("stub") for call in calls] == ["edit", None]


def test_image_edit_stub_error_and_generations_rules_stay_apart(client: TestClient) -> None:
    client.post(
        "/_mock/stubs",
        json={
            "match": {"operation": "image_edits"},
            "response": {"error": {"status": 400, "code": "invalid_image", "param": "image"}},
        },
    )
    refused = _edit(client, "anything")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid_image"
    assert refused.json()["error"]["param"] == "image"
    generated = client.post(URL, params=PARAMS, headers=AUTH, json={"prompt": "anything"})
    assert generated.status_code == 200


def test_sdk_image_edit_gets_the_stubbed_picture(fresh: LiveServer) -> None:
    picture = _png("purple")
    rule = {"response": {"image": {"b64_json": base64.b64encode(picture).decode()}}}
    fresh.state.stubs.add(StubRule.model_validate({"match": {"operation": "image_edits"}, **rule}))
    with AzureOpenAI(
        azure_endpoint=fresh.url, api_key="k", api_version="2025-04-01-preview", max_retries=0
    ) as sdk:
        result = sdk.images.edit(
            model="gpt-image-1", image=("in.png", _png("blue"), "image/png"), prompt="purple"
        )
    assert result.data is not None
    assert base64.b64decode(result.data[0].b64_json or "") == picture
