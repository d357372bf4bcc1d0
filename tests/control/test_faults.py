"""Faults by header and globally: parsing, latency, errors, reproducible probability."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.faults.rules import Fault, parse_header
from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS


def _chat(client: TestClient, **headers: str) -> Any:
    return client.post(CHAT_URL, params=PARAMS, headers={**AUTH, **headers}, json=HELLO)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("drop", Fault(kind="drop")),
        ("cut=3", Fault(kind="cut", after_chunks=3)),
        ("error=503; probability=0.5", Fault(kind="error", status=503, probability=0.5)),
        ("throttle=20", Fault(kind="throttle", retry_after_ms=20)),
        ('{"kind": "latency", "latency_ms": 5}', Fault(kind="latency", latency_ms=5)),
    ],
)
def test_header_syntax(header: str, expected: Fault) -> None:
    assert parse_header(header) == expected


def test_bad_fault_header_is_a_400(client: TestClient) -> None:
    reply = _chat(client, **{"x-mock-fault": "explode"})
    assert reply.status_code == 400
    assert reply.json()["error"]["code"] == "InvalidFault"


def test_error_fault_has_an_azure_body_and_headers(client: TestClient) -> None:
    reply = _chat(client, **{"x-mock-fault": "error=500"})
    assert reply.status_code == 500
    assert reply.json() == {
        "error": {
            "code": "InternalServerError",
            "message": "The server had an error while processing your request. Sorry about that!",
        }
    }
    assert "apim-request-id" in reply.headers
    assert client.get("/_mock/journal").json()["calls"][0]["fault"] == "error=500"


def test_latency_fault_still_answers(client: TestClient) -> None:
    reply = _chat(client, **{"x-mock-fault": "latency=1"})
    assert reply.status_code == 200
    assert client.get("/_mock/journal").json()["calls"][0]["fault"] == "latency=1.0"


def test_global_faults_filter_by_operation(client: TestClient) -> None:
    client.put("/_mock/faults", json=[{"kind": "error", "status": 502, "operation": "embeddings"}])
    assert _chat(client).status_code == 200
    client.put("/_mock/faults", json={"kind": "throttle", "operation": "chat_completions"})
    throttled = _chat(client)
    assert throttled.status_code == 429
    assert throttled.headers["retry-after-ms"] == "1000"
    assert client.delete("/_mock/faults").status_code == 204
    assert _chat(client).status_code == 200


def _pattern(seed: int) -> list[int]:
    client = TestClient(create_app(Settings(seed=seed)))
    client.put("/_mock/faults", json={"kind": "error", "status": 503, "probability": 0.5})
    return [_chat(client).status_code for _ in range(16)]


def test_probability_is_reproducible_with_the_seed() -> None:
    first = _pattern(7)
    assert first == _pattern(7)
    assert set(first) == {200, 503}
    assert first != _pattern(8)
