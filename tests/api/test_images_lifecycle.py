"""The DALL-E 2 preview operation lifecycle through the ASGI app, walked with a FrozenClock
(azure-surface.md §4.6, §9g; clients.md §2)."""

import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from mockazure.app import create_app
from mockazure.clock import FrozenClock
from mockazure.config import Settings
from tests.conftest import AUTH

SUBMIT = "/openai/images/generations:submit"
V0601 = {"api-version": "2023-06-01-preview"}
V1001 = {"api-version": "2023-10-01-preview"}


def submit(client: TestClient, params: dict[str, str] = V0601, **body: Any) -> Any:
    payload = {"prompt": "An avocado chair", **body}
    return client.post(SUBMIT, params=params, headers=AUTH, json=payload)


def poll(client: TestClient, location: str) -> Any:
    return client.get(location, headers=AUTH)


def test_submit_answers_202_with_absolute_operation_location(client: TestClient) -> None:
    response = submit(client, size="512x512", n=3)
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "notRunning"
    location = response.headers["operation-location"]
    assert location == (
        f"http://testserver/openai/operations/images/{body['id']}?api-version=2023-06-01-preview"
    )
    assert response.headers["retry-after"] == "1"
    assert response.headers["x-ms-request-id"] == response.headers["apim-request-id"]


def test_operation_walks_not_running_running_succeeded(
    client: TestClient, clock: FrozenClock
) -> None:
    location = submit(client, size="256x256", n=2).headers["operation-location"]
    first = poll(client, location)
    assert (first.status_code, first.json()["status"]) == (200, "notRunning")
    assert first.headers["retry-after"] == "1"
    assert "result" not in first.json()
    clock.advance(0.5)
    running = poll(client, location)
    assert running.json()["status"] == "running"
    assert running.headers["retry-after"] == "1"
    clock.advance(1.0)
    done = poll(client, location)
    body = done.json()
    assert body["status"] == "succeeded"
    assert "retry-after" not in done.headers
    assert body["expires"] == body["created"] + 86_400
    assert body["result"]["created"] == body["created"]
    urls = [item["url"] for item in body["result"]["data"]]
    assert len(urls) == 2
    for url in urls:
        served = client.get(url)
        assert served.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(served.content)).size == (256, 256)


def test_operation_content_filter_trigger_fails_with_error(
    client: TestClient, clock: FrozenClock
) -> None:
    location = submit(client, prompt="[[filter:sexual:high]] x").headers["operation-location"]
    assert poll(client, location).json()["status"] == "notRunning"
    clock.advance(2)
    body = poll(client, location).json()
    assert body["status"] == "failed"
    assert body["error"]["code"] == "contentFilter"
    assert body["error"]["message"]
    assert "result" not in body


def test_operation_timeout_trigger_is_canceled_where_the_version_has_it(
    client: TestClient, clock: FrozenClock
) -> None:
    location = submit(client, prompt="slow [[timeout]]").headers["operation-location"]
    clock.advance(2)
    assert poll(client, location).json()["status"] == "canceled"


def test_operation_timeout_trigger_fails_in_2023_10(client: TestClient, clock: FrozenClock) -> None:
    location = submit(client, V1001, prompt="slow [[timeout]]").headers["operation-location"]
    clock.advance(2)
    body = poll(client, location).json()
    assert body["status"] == "failed"
    assert body["error"]["message"]


def test_delete_before_terminal_is_409_then_204_then_gone(
    client: TestClient, clock: FrozenClock
) -> None:
    location = submit(client).headers["operation-location"]
    conflict = client.delete(location, headers=AUTH)
    assert conflict.status_code == 409
    assert conflict.headers["x-ms-error-code"] == "conflict"
    assert conflict.json()["error"]["code"] == "conflict"
    clock.advance(2)
    url = poll(client, location).json()["result"]["data"][0]["url"]
    deleted = client.delete(location, headers=AUTH)
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert poll(client, location).status_code == 404
    assert client.get(url).status_code == 404  # its images go too


def test_poll_never_answers_409(client: TestClient, clock: FrozenClock) -> None:
    location = submit(client).headers["operation-location"]
    statuses = []
    for _ in range(5):
        response = poll(client, location)
        statuses.append(response.status_code)
        clock.advance(0.4)
    assert set(statuses) == {200}


def test_unknown_operation_is_404_in_azure_core_shape(client: TestClient) -> None:
    for method in ("GET", "DELETE"):
        response = client.request(
            method,
            "/openai/operations/images/00000000-0000-4000-8000-000000000000",
            params=V0601,
            headers=AUTH,
        )
        assert response.status_code == 404
        assert response.headers["x-ms-error-code"] == "notFound"
        assert response.json()["error"]["code"] == "notFound"


def test_operation_expires_after_ttl(client: TestClient, clock: FrozenClock) -> None:
    location = submit(client).headers["operation-location"]
    clock.advance(86_399)
    assert poll(client, location).json()["status"] == "succeeded"
    clock.advance(2)
    assert poll(client, location).status_code == 404


def test_operation_id_header_names_the_operation(client: TestClient) -> None:
    wanted = "f508bcf2-e651-4b4b-85a7-58ad77981ffa"
    response = client.post(
        SUBMIT, params=V0601, headers={**AUTH, "Operation-Id": wanted}, json={"prompt": "x"}
    )
    assert response.json()["id"] == wanted


@pytest.mark.parametrize("version", ["2023-05-15", "2023-12-01-preview", "2024-10-21"])
def test_submit_outside_dalle2_versions_is_404(client: TestClient, version: str) -> None:
    assert submit(client, {"api-version": version}).status_code == 404


def test_submit_requires_key(client: TestClient) -> None:
    response = client.post(SUBMIT, params=V0601, json={"prompt": "x"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("body", "target"),
    [
        ({"prompt": ""}, "prompt"),
        ({"prompt": "x" * 1001}, "prompt"),
        ({"n": 0}, "n"),
        ({"n": 6}, "n"),
        ({"size": "1024x1792"}, "size"),
        ({"quality": "hd"}, None),
    ],
)
def test_submit_refuses_bad_body_with_invalid_payload(
    client: TestClient, body: dict[str, Any], target: str | None
) -> None:
    response = submit(client, **body)
    assert response.status_code == 400
    assert response.headers["x-ms-error-code"] == "invalidPayload"
    error = response.json()["error"]
    assert error["code"] == "invalidPayload"
    assert error["message"].startswith("Invalid payload: ")
    assert error.get("target") == target


@pytest.fixture
def instant_client(clock: FrozenClock) -> Iterator[TestClient]:
    app = create_app(Settings(image_operations_instant=True), clock=clock)
    with TestClient(app) as client:
        yield client


def test_instant_setting_succeeds_on_first_poll(instant_client: TestClient) -> None:
    location = submit(instant_client).headers["operation-location"]
    assert poll(instant_client, location).json()["status"] == "succeeded"


def test_operation_location_uses_public_base_url(clock: FrozenClock) -> None:
    app = create_app(Settings(public_base_url="https://aoai.example.com"), clock=clock)
    with TestClient(app) as client:
        location = submit(client).headers["operation-location"]
    assert location.startswith("https://aoai.example.com/openai/operations/images/")
