"""Settings and stubs cannot poison later requests (issue 14 §5): latency options are bounded,
stub headers are checked when added, no response carries a non-finite number, fault codes echo
as sent, and fault errors name the fields a fault has (§7)."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure import Settings
from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS


@pytest.mark.parametrize(
    ("latency", "param"),
    [
        ({"first_token_ms": 1e12}, "options.latency.first_token_ms"),
        ({"first_token_ms": -1}, "options.latency.first_token_ms"),
        ({"first_token_ms": True}, "options.latency.first_token_ms"),
        ({"tokens_per_second": 1e-9}, "options.latency.tokens_per_second"),
        ({"first_ms": 10}, "options.latency.first_ms"),
    ],
)
def test_deployment_latency_is_bounded_when_set(
    client: TestClient, latency: dict[str, Any], param: str
) -> None:
    body = {"model": "gpt-4o", "options": {"latency": latency}}
    reply = client.put("/_mock/deployments/slow", json=body)
    assert reply.status_code == 400, reply.text
    assert reply.json()["error"]["param"] == param
    assert client.get("/_mock/deployments").json()["deployments"][-1]["name"] != "slow"


def test_settings_stream_delays_are_bounded() -> None:
    with pytest.raises(ValueError, match="stream_first_token_ms"):
        Settings(stream_first_token_ms=1e12)


@pytest.mark.parametrize("value", ["a\r\nx-injected: 1", "nul\x00", "euro €"])
def test_stub_error_headers_are_checked_when_added(client: TestClient, value: str) -> None:
    rule = {"response": {"error": {"status": 429, "headers": {"retry-after": value}}}}
    reply = client.post("/_mock/stubs", json=rule)
    assert reply.status_code == 400, reply.text
    assert "headers" in reply.json()["error"]["param"]
    assert client.get("/_mock/stubs").json()["stubs"] == []


def test_stub_error_header_names_must_be_tokens(client: TestClient) -> None:
    rule = {"response": {"error": {"headers": {"bad name:": "1"}}}}
    assert client.post("/_mock/stubs", json=rule).status_code == 400


def test_valid_stub_headers_still_fire(client: TestClient) -> None:
    rule = {"response": {"error": {"status": 429, "headers": {"retry-after": "7"}}}}
    assert client.post("/_mock/stubs", json=rule).status_code == 201
    reply = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=HELLO)
    assert (reply.status_code, reply.headers["retry-after"]) == (429, "7")


def _strict_json(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise ValueError(name)

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("bound", ["minimum", "maximum", "exclusiveMinimum"])
def test_tool_arguments_never_hold_non_finite_numbers(client: TestClient, bound: str) -> None:
    number = "-1e309" if bound == "maximum" else "1e309"
    raw = (
        '{"messages": [{"role": "user", "content": "call it"}], "tool_choice": "required", '
        '"tools": [{"type": "function", "function": {"name": "f", "parameters": '
        f'{{"type": "object", "properties": {{"x": {{"type": "number", "{bound}": {number}}}}}, '
        '"required": ["x"]}}}]}'
    )
    reply = client.post(
        CHAT_URL, params=PARAMS, headers={**AUTH, "content-type": "application/json"}, content=raw
    )
    assert reply.status_code in (200, 400), reply.text
    _strict_json(reply.text)
    if reply.status_code == 200:
        arguments = reply.json()["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]
        _strict_json(arguments)


def test_fault_code_echoes_as_sent(client: TestClient) -> None:
    headers = [(k.encode(), v.encode()) for k, v in AUTH.items()]
    headers.append((b"x-mock-fault", "error=418; code=é-teapot".encode()))
    reply = client.post(CHAT_URL, params=PARAMS, headers=headers, json=HELLO)
    assert reply.status_code == 418
    assert reply.json()["error"]["code"] == "é-teapot"


def test_fault_errors_name_the_fields_a_fault_has(client: TestClient) -> None:
    reply = client.put("/_mock/faults", json={"kind": "latency", "ms": 200})
    assert reply.status_code == 400
    error = reply.json()["error"]
    assert error["param"] == "faults[0].ms"
    assert "latency_ms" in error["message"]
    header = client.post(
        CHAT_URL,
        params=PARAMS,
        headers={**AUTH, "x-mock-fault": '{"kind": "latency", "ms": 1}'},
        json=HELLO,
    )
    assert header.status_code == 400
    assert "latency_ms" in header.json()["error"]["message"]
