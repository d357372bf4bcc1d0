"""Issue 14's classes against the surfaces built after it: the v1 API, Responses, Realtime
(client secrets and WebSocket events), files, batches, stored completions, the ARM management
plane. Every bad input gets an Azure-shaped 4xx (naming the parameter where the service does),
never FastAPI's 422, `{"detail": ...}`, a 307 or a 500.

Strict types are one mechanism: the request models' bases (`AzureModel`, `RealtimeModel`, ARM's
`ArmBody`) validate strictly, so `true` is not a number and `1` is not a boolean on every path
that validates a body with them, whichever module calls `model_validate`."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.config import Settings
from tests.api.realtime_support import open_session, recv, send, until
from tests.processes import serving

AUTH = {"api-key": "k"}
V1 = {"api-version": "v1"}
DATED = {"api-version": "2025-04-01-preview"}
ARM_VERSION = {"api-version": "2024-10-01"}
BEARER = {"Authorization": "Bearer test-token"}
ACCOUNT = (
    "/subscriptions/00000000-0000-0000-0000-00000000c0de/resourceGroups/rg/providers/"
    "Microsoft.CognitiveServices/accounts/acct"
)
CHAT: dict[str, Any] = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}
RESPONSE: dict[str, Any] = {"model": "gpt-4o", "input": "hi"}
DEPLOYMENT: dict[str, Any] = {
    "sku": {"name": "Standard", "capacity": 1},
    "properties": {"model": {"format": "OpenAI", "name": "gpt-4o", "version": "2024-08-06"}},
}


def _deep(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"a": 1}
    for _ in range(levels):
        value = {"x": value}
    return value


# (label, method, path, query, body, status, param): param None = the service names none.
DATA_PLANE: list[tuple[str, str, str, dict[str, str], Any, int, str | None]] = [
    ("v1 chat temperature true", "POST", "/openai/v1/chat/completions", V1,
     {**CHAT, "temperature": True}, 400, "temperature"),
    ("v1 chat n true", "POST", "/openai/v1/chat/completions", V1, {**CHAT, "n": True}, 400, "n"),
    ("v1 chat stream 1", "POST", "/openai/v1/chat/completions", V1,
     {**CHAT, "stream": 1}, 400, "stream"),
    ("v1 chat store 0", "POST", "/openai/v1/chat/completions", V1,
     {**CHAT, "store": 0}, 400, "store"),
    ("v1 chat messages empty", "POST", "/openai/v1/chat/completions", V1,
     {**CHAT, "messages": []}, 400, "messages"),
    ("v1 chat n huge", "POST", "/openai/v1/chat/completions", V1,
     {**CHAT, "n": 10**9}, 400, "n"),
    ("v1 chat nested deeply", "POST", "/openai/v1/chat/completions", V1,
     {**CHAT, "metadata": _deep(150)}, 400, None),
    ("v1 chat unknown field", "POST", "/openai/v1/chat/completions", V1,
     {**CHAT, "foo": 1}, 400, None),
    ("responses temperature true", "POST", "/openai/v1/responses", V1,
     {**RESPONSE, "temperature": True}, 400, "temperature"),
    ("responses stream 1", "POST", "/openai/v1/responses", V1,
     {**RESPONSE, "stream": 1}, 400, "stream"),
    ("responses store 0 (dated)", "POST", "/openai/responses", DATED,
     {**RESPONSE, "store": 0}, 400, "store"),
    ("responses max_output_tokens true", "POST", "/openai/v1/responses", V1,
     {**RESPONSE, "max_output_tokens": True}, 400, "max_output_tokens"),
    ("responses top_p false", "POST", "/openai/v1/responses", V1,
     {**RESPONSE, "top_p": False}, 400, "top_p"),
    ("responses parallel_tool_calls 1", "POST", "/openai/v1/responses", V1,
     {**RESPONSE, "parallel_tool_calls": 1}, 400, "parallel_tool_calls"),
    ("responses nested deeply", "POST", "/openai/v1/responses", V1,
     {**RESPONSE, "metadata": _deep(150)}, 400, None),
    ("client secret max_output_tokens true", "POST", "/openai/v1/realtime/client_secrets", V1,
     {"session": {"type": "realtime", "model": "gpt-realtime", "max_output_tokens": True}},
     400, "session.max_output_tokens"),
    ("client secret expiry seconds true", "POST", "/openai/v1/realtime/client_secrets", V1,
     {"expires_after": {"anchor": "created_at", "seconds": True}},
     400, "expires_after.seconds"),
    ("batch types", "POST", "/openai/v1/batches", V1,
     {"input_file_id": 1, "endpoint": "/chat/completions", "completion_window": "24h"},
     400, "input_file_id"),
    ("batch nested deeply", "POST", "/openai/v1/batches", V1, _deep(150), 400, None),
    ("files limit true", "GET", "/openai/v1/files", {**V1, "limit": "true"}, None, 400, "limit"),
    ("batches limit 0", "GET", "/openai/v1/batches", {**V1, "limit": "0"}, None, 400, "limit"),
    ("stored limit huge", "GET", "/openai/v1/chat/completions", {**V1, "limit": "100000"},
     None, 400, "limit"),
    ("input items order", "GET", "/openai/v1/responses/resp_x/input_items",
     {**V1, "order": "x"}, None, 400, "order"),
    ("file bad id", "GET", "/openai/v1/files/bad", V1, None, 404, None),
    ("batch bad id", "GET", "/openai/v1/batches/bad", V1, None, 404, None),
    ("response bad id", "GET", "/openai/v1/responses/bad", V1, None, 404, None),
    ("stored bad id", "GET", "/openai/v1/chat/completions/bad", V1, None, 404, None),
    ("video bad id", "GET", "/openai/v1/videos/bad", V1, None, 404, None),
    ("video seconds as a number", "POST", "/openai/v1/videos", V1,
     {"model": "sora-2", "prompt": "a cat", "seconds": 4}, 400, "seconds"),
    ("video size as a list", "POST", "/openai/v1/videos", V1,
     {"model": "sora-2", "prompt": "a cat", "size": [720, 1280]}, 400, "size"),
    ("video unknown field", "POST", "/openai/v1/videos", V1,
     {"model": "sora-2", "prompt": "a cat", "fps": 30}, 400, "fps"),
    ("video remix unknown field", "POST", "/openai/v1/videos/video_x/remix", V1,
     {"prompt": "a dog", "seconds": "8"}, 400, "seconds"),
    ("file id of 3,000 characters", "GET", "/openai/v1/files/" + "x" * 3000, V1, None, 404, None),
    *[
        (f"trailing slash {path}", "POST", f"/openai/v1/{path}/", V1, {}, 404, None)
        for path in ("chat/completions", "responses", "files", "batches", "videos", "embeddings")
    ],
]  # fmt: skip


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings()), raise_server_exceptions=False) as test_client:
        yield test_client


def _assert_azure_error(reply: Any, status: int) -> dict[str, Any]:
    assert reply.status_code == status, reply.text
    body = reply.json()
    assert set(body) == {"error"}, body  # never FastAPI's {"detail": ...}
    error: dict[str, Any] = body["error"]
    assert error["message"], error
    return error


@pytest.mark.parametrize(
    ("method", "path", "query", "body", "status", "param"),
    [case[1:] for case in DATA_PLANE],
    ids=[case[0] for case in DATA_PLANE],
)
def test_new_surface_bad_input_is_an_azure_error_naming_the_parameter(
    client: TestClient,
    method: str,
    path: str,
    query: dict[str, str],
    body: Any,
    status: int,
    param: str | None,
) -> None:
    reply = client.request(method, path, params=query, headers=AUTH, json=body)
    error = _assert_azure_error(reply, status)
    if param is not None:
        assert error.get("param") == param, error


ARM_CASES: list[tuple[str, str, Any, str]] = [
    ("account location number", "", {"location": 1, "kind": "OpenAI", "sku": {"name": "S0"}},
     "InvalidRequestContent"),
    ("account sku name true", "", {"location": "eastus", "kind": "OpenAI", "sku": {"name": True}},
     "InvalidRequestContent"),
    ("account tags true", "", {"location": "eastus", "kind": "OpenAI", "sku": {"name": "S0"},
                               "tags": True}, "InvalidRequestContent"),
    ("account nested deeply", "", {"location": "eastus", "kind": "OpenAI", "sku": {"name": "S0"},
                                   "properties": _deep(150)}, "InvalidRequestContent"),
    ("deployment capacity true", "/deployments/d1",
     {**DEPLOYMENT, "sku": {"name": "Standard", "capacity": True}}, "InvalidRequestContent"),
    ("deployment capacity huge", "/deployments/d1",
     {**DEPLOYMENT, "sku": {"name": "Standard", "capacity": 10**12}}, "InvalidRequestContent"),
    ("deployment model number", "/deployments/d1",
     {**DEPLOYMENT, "properties": {"model": 1}}, "InvalidRequestContent"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("where", "body", "code"), [case[1:] for case in ARM_CASES], ids=[c[0] for c in ARM_CASES]
)
def test_management_bad_input_is_an_arm_error(
    client: TestClient, where: str, body: Any, code: str
) -> None:
    account = {"location": "eastus", "kind": "OpenAI", "sku": {"name": "S0"}}
    created = client.put(ACCOUNT, params=ARM_VERSION, headers=BEARER, json=account)
    assert created.status_code in (200, 201), created.text
    reply = client.put(f"{ACCOUNT}{where}", params=ARM_VERSION, headers=BEARER, json=body)
    error = _assert_azure_error(reply, 400)
    assert error["code"] == code, error


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    with serving("--api-key", "test-key") as url:
        yield url


@pytest.mark.parametrize(
    ("event", "param"),
    [
        ({"type": "session.update", "session": {"type": "realtime", "max_output_tokens": True}},
         "session.max_output_tokens"),
        ({"type": "response.create", "response": {"max_output_tokens": False}},
         "response.max_output_tokens"),
        ({"type": "conversation.item.create", "item": {"type": "message", "role": "user",
                                                       "content": 1}}, None),
        ({"type": "session.update", "session": _deep(150)}, None),
    ],
    ids=["session.update number true", "response.create number false", "item content number",
         "nested deeply"],
)  # fmt: skip
def test_realtime_bad_event_is_an_error_event(
    server_url: str, event: dict[str, Any], param: str | None
) -> None:
    with open_session(server_url) as ws:
        until(ws, "session.created")
        send(ws, {**event, "event_id": "evt_bad"})
        reply = recv(ws)
        assert reply["type"] == "error", reply
        assert reply["error"]["type"] == "invalid_request_error", reply
        if param is not None:
            assert reply["error"]["param"] == param, reply
        send(ws, {"type": "session.update", "session": {"type": "realtime"}})
        assert recv(ws)["type"] == "session.updated"  # the session goes on
    assert json.dumps(event)  # the case itself is JSON


def test_chat_messages_past_the_documented_maximum_are_a_400(client: TestClient) -> None:
    """ "Max number of /chat/completions messages: 2048" (Learn: quotas and limits)."""
    messages = [{"role": "user", "content": "hi"}] * 2049
    for path, query in (("/openai/v1/chat/completions", V1),):
        reply = client.post(path, params=query, headers=AUTH, json={**CHAT, "messages": messages})
        error = _assert_azure_error(reply, 400)
        assert error["param"] == "messages", error
        assert error["code"] == "array_above_max_length", error
    dated = "/openai/deployments/gpt-4o/chat/completions"
    reply = client.post(
        dated, params={"api-version": "2024-10-21"}, headers=AUTH, json={"messages": messages}
    )
    assert _assert_azure_error(reply, 400)["param"] == "messages"
