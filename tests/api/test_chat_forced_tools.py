"""A forced `tool_choice` (or legacy `function_call`) is obeyed even after a tool result (issue 15
item 1): `required` means the model must call a tool, a named choice forces that tool (the
`chatCompletionToolChoiceOption` description, 2024-10-21 spec). `auto` still answers in text."""

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient

from mockazure import Settings, create_app
from tests.api.test_chat import TIME_TOOL, WEATHER_TOOL, chat
from tests.conftest import AUTH, HELLO, PARAMS
from tests.unit.test_schema_optional import ITERABLE

CALL = {
    "id": "call_1",
    "type": "function",
    "function": {"name": "get_weather", "arguments": '{"city":"Lisbon","unit":"celsius"}'},
}
AFTER_TOOL: list[dict[str, Any]] = [
    {"role": "user", "content": "Weather in Lisbon?"},
    {"role": "assistant", "content": None, "tool_calls": [CALL]},
    {"role": "tool", "tool_call_id": "call_1", "content": '{"temperature_c": 21}'},
]
AFTER_FUNCTION: list[dict[str, Any]] = [
    {"role": "user", "content": "Weather in Lisbon?"},
    {"role": "assistant", "content": None, "function_call": CALL["function"]},
    {"role": "function", "name": "get_weather", "content": '{"temperature_c": 21}'},
]
PARAMETERS = {"get_weather": WEATHER_TOOL, "get_time": TIME_TOOL}


def _valid(call: dict[str, Any]) -> None:
    schema = PARAMETERS[call["name"]]["function"]["parameters"]
    jsonschema.validate(json.loads(call["arguments"]), schema)


def test_chat_completion_required_after_tool_result_calls_a_tool(client: TestClient) -> None:
    data = chat(client, messages=AFTER_TOOL, tools=[WEATHER_TOOL], tool_choice="required")
    choice = data["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    assert choice["message"]["content"] is None
    for call in choice["message"]["tool_calls"]:
        _valid(call["function"])


@pytest.mark.parametrize("name", ["get_weather", "get_time"])
def test_chat_completion_named_choice_after_tool_result_calls_it(
    client: TestClient, name: str
) -> None:
    choice_param = {"type": "function", "function": {"name": name}}
    data = chat(
        client, messages=AFTER_TOOL, tools=[WEATHER_TOOL, TIME_TOOL], tool_choice=choice_param
    )
    choice = data["choices"][0]
    calls = choice["message"]["tool_calls"]
    assert [c["function"]["name"] for c in calls] == [name]
    assert choice["finish_reason"] == "stop"  # a named choice ends with stop, as OpenAI does
    _valid(calls[0]["function"])


def test_chat_completion_auto_after_tool_result_still_answers_in_text(client: TestClient) -> None:
    data = chat(client, messages=AFTER_TOOL, tools=[WEATHER_TOOL], tool_choice="auto")
    choice = data["choices"][0]
    assert choice["finish_reason"] == "stop"
    assert "21" in choice["message"]["content"]
    assert "tool_calls" not in choice["message"]


def test_chat_completion_named_function_call_after_function_result_calls_it(
    client: TestClient,
) -> None:
    data = chat(
        client,
        messages=AFTER_FUNCTION,
        functions=[WEATHER_TOOL["function"], TIME_TOOL["function"]],
        function_call={"name": "get_time"},
    )
    choice = data["choices"][0]
    assert choice["message"]["function_call"]["name"] == "get_time"
    _valid(choice["message"]["function_call"])


def test_chat_completion_auto_function_call_after_function_result_answers(
    client: TestClient,
) -> None:
    data = chat(client, messages=AFTER_FUNCTION, functions=[WEATHER_TOOL["function"]])
    choice = data["choices"][0]
    assert "function_call" not in choice["message"]
    assert "21" in choice["message"]["content"]


ITERABLE_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {"name": "IterableUser", "parameters": ITERABLE},
}


def _sparse_app(tmp_path: Path) -> TestClient:
    catalogue = tmp_path / "deployments.json"
    spec = {
        "name": "sparse",
        "model": "gpt-4o",
        "capability": "chat",
        "tokenizer": "o200k_base",
        "options": {"optional_properties": "sparse"},
    }
    catalogue.write_text(json.dumps({"deployments": [spec]}))
    return TestClient(create_app(Settings(config=catalogue)))


def test_chat_completion_tool_arguments_fill_the_only_optional_property(
    client: TestClient,
) -> None:
    for seed in range(6):
        data = chat(client, tools=[ITERABLE_TOOL], tool_choice="required", seed=seed)
        arguments = json.loads(
            data["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]
        )
        assert 1 <= len(arguments["tasks"]) <= 3


def test_chat_completion_sparse_deployment_may_omit_optional_properties(tmp_path: Path) -> None:
    url = "/openai/deployments/sparse/chat/completions"
    seen = set()
    with _sparse_app(tmp_path) as client:
        for seed in range(12):
            body = {**HELLO, "tools": [ITERABLE_TOOL], "tool_choice": "required", "seed": seed}
            response = client.post(url, params=PARAMS, headers=AUTH, json=body)
            call = response.json()["choices"][0]["message"]["tool_calls"][0]
            seen.add(len(json.loads(call["function"]["arguments"]).get("tasks", [])))
    assert 0 in seen
