"""User schemas in tools / response_format are checked against the Draft 2020-12 meta-schema
(jsonschema-rs) and refused in the service's words; big enums cost linear work."""

import random
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure.jsonschema import validation as schema_validation
from mockazure.jsonschema.instances import instance_for
from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS


def _tools(parameters: Any) -> dict[str, Any]:
    return {"tools": [{"type": "function", "function": {"name": "f", "parameters": parameters}}]}


def _format(schema: Any) -> dict[str, Any]:
    return {
        "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": schema}}
    }


@pytest.mark.parametrize(
    ("parameters", "words"),
    [
        # The service's wording, as in FoundationAgents/OpenManus#1162 (a real 400 body).
        ({"type": "object", "properties": {"a": []}}, "[] is not of type 'object', 'boolean'"),
        ({"type": "object", "properties": []}, "[] is not of type 'object'"),
        ({"type": "object", "required": "a"}, "'a' is not of type 'array'"),
        ({"type": "object", "required": ["a", "a"]}, "['a', 'a'] has non-unique elements"),
        (
            {"type": "object", "properties": {"a": {"type": "wat"}}},
            "'wat' is not valid under any of the given schemas",
        ),
        (
            {"type": "object", "properties": {"a": {"minLength": -1}}},
            "-1 is less than the minimum of 0",
        ),
        ({"type": "object", "properties": {"a": {"pattern": "("}}}, "'(' is not a 'regex'"),
    ],
)
def test_chat_tool_schema_refused_in_service_words(
    client: TestClient, parameters: Any, words: str
) -> None:
    response = client.post(
        CHAT_URL, params=PARAMS, headers=AUTH, json={**HELLO, **_tools(parameters)}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == "tools[0].function.parameters"
    assert error["code"] == "invalid_function_parameters"
    assert error["message"] == f"Invalid schema for function 'f': {words}."
    assert words in error["message"]


def test_chat_response_format_schema_refused_in_service_words(client: TestClient) -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer", "maximum": "9"}}}
    response = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json={**HELLO, **_format(schema)})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == "response_format.json_schema.schema"
    assert (
        error["message"] == "Invalid schema for response_format 'x': '9' is not of type 'number'."
    )


def test_chat_remote_reference_is_never_fetched(client: TestClient) -> None:
    schema = {"type": "object", "properties": {"a": {"$ref": "http://127.0.0.1:9/schema.json"}}}
    response = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json={**HELLO, **_tools(schema)})
    assert response.status_code == 400
    assert "Retrieval is disabled" in response.json()["error"]["message"]


def test_chat_large_enum_filters_options_with_one_validator(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: the hand validator re-checked the whole enum for every option (quadratic: a
    4,000-value enum took 3.6 s, 100,000 ran for minutes). Now one validator serves every option."""
    compiled: list[Any] = []
    original = schema_validation.Checker.validator

    def counting(self: schema_validation.Checker, schema: Any) -> Any:
        compiled.append(schema)
        return original(self, schema)

    monkeypatch.setattr(schema_validation.Checker, "validator", counting)
    values = [f"v{i}" for i in range(20_000)]
    schema = {
        "type": "object",
        "properties": {"c": {"type": "string", "enum": values}},
        "required": ["c"],
    }
    value = instance_for(schema, random.Random(0))
    assert value["c"] in values
    assert len(compiled) <= 4  # before: one whole-enum check per option, 20,000 of them
    body = {**HELLO, **_format(schema)}
    response = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=body)
    assert response.status_code == 200, response.text


def test_chat_enum_intersection_keeps_json_equality() -> None:
    schema = {"allOf": [{"enum": [1, True, "a", 2.0]}, {"enum": [1.0, 2, "b"]}]}
    values = {repr(instance_for(schema, random.Random(seed))) for seed in range(20)}
    assert values <= {"1", "1.0", "2", "2.0"}
    assert "True" not in values
