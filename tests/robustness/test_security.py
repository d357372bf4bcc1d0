"""Secrets, key checks, body limits (issue 6 §4)."""

import asyncio
import hmac
import logging
from collections.abc import MutableMapping
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.store.memory import MemoryStore
from tests.conftest import CHAT_URL, HELLO, PARAMS

SECRET = "sk-very-secret-key-0123456789"


def stored_bytes(store: MemoryStore) -> bytes:
    values = b"".join(value for value, _ in store._values.values())
    return values + b"".join(b"".join(items) for items in store._lists.values())


def test_api_keys_never_logged_or_stored(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(Settings(api_keys=(SECRET,)))
    caplog.set_level(logging.DEBUG)
    with TestClient(app) as client:
        for headers in ({"api-key": SECRET}, {"authorization": f"Bearer {SECRET}"}):
            assert client.post(CHAT_URL, params=PARAMS, headers=headers, json=HELLO).is_success
        wrong = client.post(CHAT_URL, params=PARAMS, headers={"api-key": SECRET + "x"}, json=HELLO)
        assert wrong.status_code == 401
        assert SECRET not in wrong.text
    assert SECRET not in caplog.text
    store = app.state.mock.store
    assert isinstance(store, MemoryStore)
    assert SECRET.encode() not in stored_bytes(store)


def test_api_key_check_compares_every_key_in_constant_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr("mockazure.gateway.checks.hmac.compare_digest", spy)
    app = create_app(Settings(api_keys=("first", "second", "third")))
    with TestClient(app) as client:
        reply = client.post(CHAT_URL, params=PARAMS, headers={"api-key": "first"}, json=HELLO)
    assert reply.status_code == 200
    assert [b for _, b in compared] == [b"first", b"second", b"third"]  # no early exit


def test_body_limit_refuses_before_reading_the_body() -> None:
    app = create_app(Settings(max_body_bytes=1000))
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        raise AssertionError("the body was read")

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": CHAT_URL,
        "raw_path": CHAT_URL.encode(),
        "query_string": b"api-version=2024-10-21",
        "headers": [(b"content-length", b"1000001"), (b"content-type", b"application/json")],
        "http_version": "1.1",
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1),
        "root_path": "",
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413


@pytest.mark.parametrize(
    "path", ["/openai/../../etc/passwd", "/openai/deployments/..%2F..%2Fetc/chat/completions"]
)
def test_path_traversal_answers_azure_404(client: TestClient, path: str) -> None:
    reply = client.get(path, params=PARAMS, headers={"api-key": "k"})
    assert reply.status_code in (404, 405)
    assert "error" in reply.json()
