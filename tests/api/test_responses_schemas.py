"""`text.format` json_schema and function tool schemas on `/responses`: the jsonschema-rs check
chat's response_format has, then Structured Outputs' strict rules (protocol/responses_schemas.py)."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.responses_helpers import DATED, DATED_URL, WEATHER_TOOL, create, error_of

LOOSE: dict[str, Any] = {"type": "object", "properties": {"a": {"type": "string"}}}


def schema_format(schema: Any, strict: bool | None = True, name: str = "answer") -> Any:
    fmt: dict[str, Any] = {"type": "json_schema", "name": name, "schema": schema}
    if strict is not None:
        fmt["strict"] = strict
    return {"model": "gpt-4o", "input": "Give JSON", "text": {"format": fmt}}


def test_text_format_schema_that_is_no_json_schema_names_text_format_schema(
    client: TestClient,
) -> None:
    status, error = error_of(client, schema_format({"type": "object", "properties": []}, None))
    assert status == 400
    assert error["param"] == "text.format.schema"
    assert error["code"] == "invalid_json_schema"
    assert error["type"] == "invalid_request_error"
    assert error["message"] == (
        "Invalid schema for response_format 'answer': [] is not of type 'object'."
    )


def test_text_format_schema_with_a_bad_regex_is_refused(client: TestClient) -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string", "pattern": "(["}}}
    status, error = error_of(client, schema_format(schema, False))
    assert status == 400
    assert error["param"] == "text.format.schema"


def test_strict_schema_needs_additional_properties_false(client: TestClient) -> None:
    status, error = error_of(client, schema_format({**LOOSE, "required": ["a"]}))
    assert status == 400
    assert error["message"] == (
        "Invalid schema for response_format 'answer': In context=(), 'additionalProperties' "
        "is required to be supplied and to be false."
    )
    assert (error["param"], error["code"]) == ("text.format.schema", "invalid_json_schema")


def test_strict_schema_names_the_nested_object_in_context(client: TestClient) -> None:
    inner = {"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"]}
    schema = {
        "type": "object",
        "properties": {"items": {"type": "array", "items": inner}},
        "required": ["items"],
        "additionalProperties": False,
    }
    status, error = error_of(client, schema_format(schema))
    assert status == 400
    assert (
        "In context=('properties', 'items', 'items'), 'additionalProperties'" in (error["message"])
    )


def test_strict_schema_needs_every_property_required(client: TestClient) -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
        "required": ["a"],
        "additionalProperties": False,
    }
    status, error = error_of(
        client, schema_format(schema), url=DATED_URL + "?api-version=" + DATED["api-version"]
    )
    assert status == 400
    assert error["message"] == (
        "Invalid schema for response_format 'answer': In context=(), 'required' is required to "
        "be supplied and to be an array including every key in properties. Missing 'b'."
    )


def test_strict_defs_are_checked_too(client: TestClient) -> None:
    schema = {
        "type": "object",
        "properties": {"p": {"$ref": "#/$defs/P"}},
        "required": ["p"],
        "additionalProperties": False,
        "$defs": {"P": {"type": "object", "properties": {"n": {"type": "string"}}}},
    }
    status, error = error_of(client, schema_format(schema))
    assert status == 400
    assert "In context=('$defs', 'P')" in error["message"]


@pytest.mark.parametrize("strict", [False, None])
def test_loose_schema_is_fine_without_strict(client: TestClient, strict: bool | None) -> None:
    body = create(client, **schema_format(LOOSE, strict))
    assert body["status"] == "completed"


def test_strict_schema_that_obeys_the_rules_answers_conforming_json(client: TestClient) -> None:
    schema = {**LOOSE, "required": ["a"], "additionalProperties": False}
    body = create(client, **schema_format(schema))
    assert body["text"]["format"]["strict"] is True
    assert body["output"][-1]["content"][0]["text"].startswith("{")


def test_strict_function_tool_obeys_the_strict_rules(client: TestClient) -> None:
    tool = {**WEATHER_TOOL, "parameters": {**WEATHER_TOOL["parameters"]}}
    del tool["parameters"]["additionalProperties"]
    status, error = error_of(client, {"model": "gpt-4o", "input": "Weather?", "tools": [tool]})
    assert status == 400
    assert error["param"] == "tools[0].parameters"
    assert error["code"] == "invalid_function_parameters"
    assert error["message"] == (
        "Invalid schema for function 'get_weather': In context=(), 'additionalProperties' is "
        "required to be supplied and to be false."
    )


def test_function_tool_parameters_must_be_an_object_schema(client: TestClient) -> None:
    tools = [{"type": "web_search_preview"}, {**WEATHER_TOOL, "parameters": {"type": "array"}}]
    status, error = error_of(client, {"model": "gpt-4o", "input": "Weather?", "tools": tools})
    assert status == 400
    assert error["param"] == "tools[1].parameters"
    assert error["message"] == (
        "Invalid schema for function 'get_weather': schema must be a JSON Schema of "
        "'type: \"object\"', got 'type: \"array\"'."
    )
