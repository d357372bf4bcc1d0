"""`match.json` of stub rules: RFC 9535 JSONPath (python-jsonpath); today's examples keep working."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import AUTH, CHAT_URL, PARAMS

BODY: dict[str, Any] = {
    "messages": [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": "ok"},
        {"role": "user", "content": [{"type": "text", "text": "second"}]},
    ],
    "temperature": 0,
    "user": "filter-me",
    "tools": [
        {
            "type": "function",
            "function": {
                "name": "f",
                "parameters": {"type": "object", "properties": {"team-name": {"type": "string"}}},
            },
        }
    ],
}


def _answer(client: TestClient, body: dict[str, Any]) -> str:
    reply = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=body)
    assert reply.status_code == 200, reply.text
    return str(reply.json()["choices"][0]["message"]["content"])


def _stub(client: TestClient, json_match: dict[str, Any]) -> None:
    rule = {"id": "p", "match": {"json": json_match}, "response": {"content": "stubbed"}}
    created = client.post("/_mock/stubs", json=rule)
    assert created.status_code == 201, created.text


@pytest.mark.parametrize(
    "json_match",
    [
        # The README's and fixtures' examples (the forms the hand-written subset took).
        {"$.messages[-1].role": "user", "$.temperature": 0},
        {"$.user": "filter-me"},
        {"$.messages[0].content": "be brief"},
        {"messages[1].content": "first"},  # without `$`
        {"$.tools[0].function.parameters.properties['team-name'].type": "string"},
        {"$.tools[0].function.parameters.properties.team-name.type": "string"},
        {"$.messages[-1].content[0].text": "second"},
        {"$.missing": None},  # a path that selects nothing compares as null
        # RFC 9535 beyond the old subset: filters, wildcards, descendants.
        {"$.messages[?@.role == 'assistant'].content": "ok"},
        {"$..text": "second"},
        {"$.messages[*].role": "system"},
    ],
)
def test_stub_json_path_matches(client: TestClient, json_match: dict[str, Any]) -> None:
    _stub(client, json_match)
    assert _answer(client, BODY) == "stubbed"


@pytest.mark.parametrize(
    "json_match",
    [
        {"$.messages[-1].role": "assistant"},
        {"$.temperature": False},  # JSON false is not 0
        {"$.missing": "x"},
        {"$.messages[?@.role == 'tool'].content": "ok"},
    ],
)
def test_stub_json_path_mismatch_falls_through(
    client: TestClient, json_match: dict[str, Any]
) -> None:
    _stub(client, json_match)
    assert _answer(client, BODY) != "stubbed"


@pytest.mark.parametrize("path", ["$[", "$.messages[0", "$.a[?@.b ==]", "$[?match(@, 'a+')]"])
def test_stub_invalid_json_path_is_a_400_when_added(client: TestClient, path: str) -> None:
    rule = {"match": {"json": {path: 1}}, "response": {"content": "x"}}
    reply = client.post("/_mock/stubs", json=rule)
    assert reply.status_code == 400, reply.text
    error = reply.json()["error"]
    assert "invalid JSONPath" in error["message"]
    assert error["param"].startswith("match")
    assert client.get("/_mock/stubs").json()["stubs"] == []  # nothing was added
