from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS

TOOL = {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}


def post(client: TestClient, body: dict[str, Any]) -> Any:
    response = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    return error


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"temperature": 2.5}, "temperature"),
        ({"temperature": -0.1}, "temperature"),
        ({"top_p": 1.5}, "top_p"),
        ({"n": 0}, "n"),
        ({"n": 129}, "n"),
        ({"stop": ["a", "b", "c", "d", "e"]}, "stop"),
        ({"presence_penalty": 3}, "presence_penalty"),
        ({"frequency_penalty": -2.5}, "frequency_penalty"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"logit_bias": {"50256": 101}}, "logit_bias.50256"),
        ({"logprobs": True, "top_logprobs": 21}, "top_logprobs"),
        ({"top_logprobs": 2}, "top_logprobs"),
        ({"tool_choice": "required"}, "tool_choice"),
        (
            {"tools": [TOOL], "tool_choice": {"type": "function", "function": {"name": "g"}}},
            "tool_choice",
        ),
        (
            {"tools": [{"type": "function", "function": {"name": "bad name!"}}]},
            "tools[0].function.name",
        ),
        ({"response_format": {"type": "xml"}}, "response_format.type"),
        ({"temperature": "hot"}, "temperature"),
    ],
)
def test_chat_completion_rejects_bad_parameter(
    client: TestClient, extra: dict[str, Any], param: str
) -> None:
    error = post(client, {**HELLO, **extra})
    assert error["param"] == param
    assert error["message"]


def test_chat_completion_rejects_empty_messages(client: TestClient) -> None:
    error = post(client, {"messages": []})
    assert error["param"] == "messages"
    assert error["code"] == "empty_array"


def test_chat_completion_requires_messages(client: TestClient) -> None:
    error = post(client, {"temperature": 1})
    assert error["param"] == "messages"
    assert error["message"] == "Missing required parameter: 'messages'."


def test_chat_completion_rejects_unknown_role(client: TestClient) -> None:
    error = post(client, {"messages": [{"role": "robot", "content": "hi"}]})
    assert error["param"] == "messages[0].role"


def test_chat_completion_rejects_tool_message_without_call(client: TestClient) -> None:
    error = post(
        client,
        {
            "messages": [
                {"role": "user", "content": "hi"},
                {"role": "tool", "tool_call_id": "x", "content": "1"},
            ]
        },
    )
    assert error["param"] == "messages[1].role"
    assert "must be a response to a preceeding message with 'tool_calls'" in error["message"]


def test_chat_completion_rejects_unanswered_tool_call(client: TestClient) -> None:
    messages = [
        {"role": "user", "content": "hi"},
        {
            "role": "assistant",
            "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
            ],
        },
        {"role": "user", "content": "and?"},
    ]
    error = post(client, {"messages": messages})
    assert "c1" in error["message"]


def test_chat_completion_rejects_max_tokens_above_model_limit(client: TestClient) -> None:
    error = post(client, {**HELLO, "max_tokens": 20000})
    assert error["param"] == "max_tokens"
    assert error["message"] == (
        "max_tokens is too large: 20000. This model supports at most "
        "16384 completion tokens, whereas you provided 20000."
    )


def test_chat_completion_rejects_prompt_beyond_context_window(client: TestClient) -> None:
    long_text = "word " * 130_000
    error = post(client, {"messages": [{"role": "user", "content": long_text}]})
    assert error["code"] == "context_length_exceeded"
    assert error["param"] == "messages"
    assert error["message"].startswith(
        "This model's maximum context length is 128000 tokens. However, your messages resulted in "
    )


def test_chat_completion_context_counts_requested_completion(client: TestClient) -> None:
    text = "word " * 120_000
    error = post(client, {"messages": [{"role": "user", "content": text}], "max_tokens": 16000})
    assert "in the messages, 16000 in the completion" in error["message"]


def test_chat_completion_stream_options_need_stream(client: TestClient) -> None:
    body = {**HELLO, "stream_options": {"include_usage": True}}
    response = client.post(
        CHAT_URL, params={"api-version": "2024-09-01-preview"}, headers=AUTH, json=body
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "stream_options"


def test_chat_completion_rejects_field_the_version_lacks(client: TestClient) -> None:
    body = {**HELLO, "functions": [{"name": "f", "parameters": {"type": "object"}}]}
    response = client.post(CHAT_URL, params={"api-version": "2023-05-15"}, headers=AUTH, json=body)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "Unrecognized request argument supplied: functions"
    )


def test_chat_completion_developer_role_needs_new_version(client: TestClient) -> None:
    body = {
        "messages": [
            {"role": "developer", "content": "be brief"},
            {"role": "user", "content": "hi"},
        ]
    }
    old = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=body)
    assert old.status_code == 400
    assert old.json()["error"]["param"] == "messages[0].role"
    new = client.post(
        CHAT_URL, params={"api-version": "2025-04-01-preview"}, headers=AUTH, json=body
    )
    assert new.status_code == 200


@pytest.mark.parametrize(("version", "maximum"), [("2024-06-01", 5), ("2024-10-21", 20)])
def test_chat_completion_top_logprobs_limit_by_version(
    client: TestClient, version: str, maximum: int
) -> None:
    url_params = {"api-version": version}
    ok = {**HELLO, "logprobs": True, "top_logprobs": maximum}
    assert client.post(CHAT_URL, params=url_params, headers=AUTH, json=ok).status_code == 200
    over = {**HELLO, "logprobs": True, "top_logprobs": maximum + 1}
    response = client.post(CHAT_URL, params=url_params, headers=AUTH, json=over)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "top_logprobs"


def test_chat_completion_tool_choice_required_needs_2024_06_01(client: TestClient) -> None:
    body = {**HELLO, "tools": [TOOL], "tool_choice": "required"}
    old = client.post(
        CHAT_URL, params={"api-version": "2024-05-01-preview"}, headers=AUTH, json=body
    )
    assert old.status_code == 400
    assert old.json()["error"]["param"] == "tool_choice"
    assert client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=body).status_code == 200


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"reasoning_effort": "extreme"}, "reasoning_effort"),
        ({"modalities": ["video"]}, "modalities[0]"),
        ({"metadata": {"k": 1}}, "metadata.k"),
        ({"prediction": {"type": "other", "content": "x"}}, "prediction.type"),
    ],
)
def test_chat_completion_2025_fields_are_validated(
    client: TestClient, extra: dict[str, Any], param: str
) -> None:
    response = client.post(
        CHAT_URL,
        params={"api-version": "2025-04-01-preview"},
        headers=AUTH,
        json={**HELLO, **extra},
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"]["param"] == param


def test_chat_completion_2025_fields_accepted(client: TestClient) -> None:
    body = {
        **HELLO,
        "store": True,
        "metadata": {"team": "qa"},
        "reasoning_effort": "low",
        "user_security_context": {"application_name": "app"},
    }
    response = client.post(
        CHAT_URL, params={"api-version": "2025-04-01-preview"}, headers=AUTH, json=body
    )
    assert response.status_code == 200, response.text


def _function(parameters: Any) -> dict[str, Any]:
    return {"type": "function", "function": {"name": "f", "parameters": parameters}}


@pytest.mark.parametrize(
    ("extra", "param", "code"),
    [
        (
            {"tools": [_function({"type": "string"})]},
            "tools[0].function.parameters",
            "invalid_function_parameters",
        ),
        (
            {"tools": [_function({"type": "object", "properties": {"a": {"type": "nonsense"}}})]},
            "tools[0].function.parameters",
            "invalid_function_parameters",
        ),
        (
            {
                "tools": [
                    _function(
                        {
                            "type": "object",
                            "required": ["a"],
                            "properties": {"a": {"type": "integer", "minimum": 5, "maximum": 1}},
                        }
                    )
                ]
            },
            "tools",
            "invalid_function_parameters",
        ),
        (
            {
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {"name": "x", "schema": {"type": "nonsense"}},
                }
            },
            "response_format.json_schema.schema",
            "invalid_value",
        ),
        (
            {
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {
                        "name": "x",
                        "schema": {"type": "integer", "minimum": 5, "maximum": 1},
                    },
                }
            },
            "response_format.json_schema.schema",
            "invalid_value",
        ),
    ],
)
def test_chat_completion_rejects_unusable_schemas(
    client: TestClient, extra: dict[str, Any], param: str, code: str
) -> None:
    error = post(client, {**HELLO, **extra})
    assert (error["param"], error["code"]) == (param, code)
    assert error["message"].startswith("Invalid schema for ")
