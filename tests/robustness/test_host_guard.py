"""DNS rebinding: on a loopback bind, /_mock/ answers only to loopback names (issue 14 §3)."""

from collections.abc import Iterator

import httpx
import pytest

from mockazure import Settings, create_app
from mockazure.testing import LiveServer, live_server
from tests.conftest import AUTH, PARAMS

EVIL = "evil.example:8000"
STUB = {"id": "pwned", "response": {"content": "owned"}}


@pytest.fixture(scope="module")
def guarded() -> Iterator[LiveServer]:
    settings = Settings(allowed_hosts=("mockazure.internal",), image_operations_instant=True)
    with live_server(create_app(settings)) as running:
        yield running


def _port(server: LiveServer) -> int:
    return int(server.url.rsplit(":", 1)[1])


def test_rebinding_page_cannot_add_stubs_or_read_the_journal(guarded: LiveServer) -> None:
    rebinding = {"host": EVIL, "origin": f"http://{EVIL}"}
    added = httpx.post(f"{guarded.url}/_mock/stubs", json=STUB, headers=rebinding)
    assert added.status_code == 403
    error = added.json()["error"]
    assert error["code"] == "403"
    assert "evil.example" in error["message"]
    assert httpx.get(f"{guarded.url}/_mock/journal", headers={"host": EVIL}).status_code == 403
    assert httpx.get(f"{guarded.url}/_mock/ui", headers={"host": EVIL}).status_code == 403
    assert httpx.get(f"{guarded.url}/_mock/stubs").json()["stubs"] == []  # nothing was added


@pytest.mark.parametrize(
    "host", ["localhost", "127.0.0.1", "[::1]", "LOCALHOST", "mockazure.internal"]
)
def test_loopback_and_configured_names_reach_the_control_api(
    guarded: LiveServer, host: str
) -> None:
    reply = httpx.get(f"{guarded.url}/_mock/stubs", headers={"host": f"{host}:{_port(guarded)}"})
    assert reply.status_code == 200


def test_health_and_azure_paths_answer_any_host(guarded: LiveServer) -> None:
    assert httpx.get(f"{guarded.url}/_mock/health", headers={"host": EVIL}).status_code == 200
    reply = httpx.get(f"{guarded.url}/openai/deployments", params=PARAMS, headers={"host": EVIL})
    assert reply.status_code == 404
    assert reply.json()["error"]["code"] == "404"


def test_links_are_never_built_from_a_refused_host(guarded: LiveServer) -> None:
    headers = {**AUTH, "host": EVIL}
    submitted = httpx.post(
        f"{guarded.url}/openai/images/generations:submit",
        params={"api-version": "2023-06-01-preview"},
        headers=headers,
        json={"prompt": "a cat", "n": 1},
    )
    assert submitted.status_code == 202, submitted.text
    location = submitted.headers["operation-location"]
    assert "evil.example" not in location
    assert location.startswith(f"http://127.0.0.1:{_port(guarded)}/openai/operations/images/")
    trusted = httpx.post(
        f"{guarded.url}/openai/images/generations:submit",
        params={"api-version": "2023-06-01-preview"},
        headers={**AUTH, "host": f"localhost:{_port(guarded)}"},
        json={"prompt": "a cat", "n": 1},
    )
    assert trusted.headers["operation-location"].startswith(f"http://localhost:{_port(guarded)}/")
    result = httpx.get(location, headers=headers).json()
    assert all("evil.example" not in item["url"] for item in result["result"]["data"])
