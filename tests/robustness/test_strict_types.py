"""Types are as strict as Azure's (issue 14 §2): booleans are not numbers, 0/1 are not
booleans, empty content arrays and over-long `stop` lists are named, a trailing slash is 404."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS

EMBED_URL = "/openai/deployments/text-embedding-3-small/embeddings"
COMPLETIONS_URL = "/openai/deployments/gpt-35-turbo-instruct/completions"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("temperature", True),
        ("n", True),
        ("max_tokens", True),
        ("top_p", False),
        ("presence_penalty", True),
        ("seed", False),
        ("stream", 0),
        ("stream", 1),
        ("logprobs", 1),
        ("store", 0),
        ("user", 5),
        ("temperature", "1"),
    ],
)
def test_chat_completion_rejects_values_of_the_wrong_json_type(
    client: TestClient, field: str, value: Any
) -> None:
    body = {**HELLO, field: value}
    reply = client.post(
        CHAT_URL, params={"api-version": "2025-01-01-preview"}, headers=AUTH, json=body
    )
    assert reply.status_code == 400, reply.text
    error = reply.json()["error"]
    assert error["param"] == field
    assert error["code"] == "invalid_type"
    assert error["message"].startswith(f"Invalid type for '{field}'")


def test_embeddings_reject_booleans_as_token_ids(client: TestClient) -> None:
    reply = client.post(EMBED_URL, params=PARAMS, headers=AUTH, json={"input": [False]})
    assert reply.status_code == 400, reply.text
    assert reply.json()["error"]["param"].startswith("input")


def test_completions_reject_boolean_max_tokens(client: TestClient) -> None:
    body = {"prompt": "hi", "max_tokens": True}
    reply = client.post(COMPLETIONS_URL, params=PARAMS, headers=AUTH, json=body)
    assert reply.status_code == 400, reply.text
    assert reply.json()["error"]["param"] == "max_tokens"


def test_integral_floats_and_ints_stay_accepted_for_numbers(client: TestClient) -> None:
    body = {**HELLO, "temperature": 1, "top_p": 1.0, "n": 1, "stream": False}
    assert client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=body).status_code == 200


@pytest.mark.parametrize("role", ["system", "user", "assistant", "tool"])
def test_chat_completion_rejects_empty_content_array(client: TestClient, role: str) -> None:
    message: dict[str, Any] = {"role": role, "content": []}
    if role == "tool":
        message["tool_call_id"] = "call_1"
    body = {"messages": [message, {"role": "user", "content": "hi"}]}
    reply = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=body)
    assert reply.status_code == 400, reply.text
    error = reply.json()["error"]
    assert error["param"] == "messages[0].content"
    assert error["code"] == "empty_array"
    assert "empty array" in error["message"]


def test_chat_completion_names_a_stop_list_that_is_too_long(client: TestClient) -> None:
    body = {**HELLO, "stop": [f"s{i}" for i in range(1000)]}
    reply = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=body)
    assert reply.status_code == 400, reply.text
    error = reply.json()["error"]
    assert error["param"] == "stop"
    assert error["code"] == "array_above_max_length"
    assert "array too long" in error["message"]
    assert "1000" in error["message"]


@pytest.mark.parametrize("path", [CHAT_URL + "/", EMBED_URL + "/", "/openai/deployments/"])
def test_trailing_slash_answers_azure_404_not_a_redirect(client: TestClient, path: str) -> None:
    reply = client.post(path, params=PARAMS, headers=AUTH, json=HELLO, follow_redirects=False)
    assert reply.status_code == 404
    assert reply.json() == {"error": {"code": "404", "message": "Resource not found"}}


@pytest.mark.parametrize(
    ("url", "version", "body", "param"),
    [
        (
            "/openai/deployments/dall-e-3/images/generations",
            "2024-10-21",
            {"prompt": "a cat", "n": True},
            "n",
        ),
        (
            "/openai/deployments/tts/audio/speech",
            "2025-03-01-preview",
            {"input": "hi", "voice": "alloy", "speed": True},
            "speed",
        ),
        (
            "/openai/deployments/gpt-35-turbo-instruct/completions",
            "2024-10-21",
            {"prompt": "hi", "echo": 1},
            "echo",
        ),
    ],
)
def test_every_family_refuses_booleans_for_numbers_and_numbers_for_booleans(
    client: TestClient, url: str, version: str, body: dict[str, Any], param: str
) -> None:
    reply = client.post(url, params={"api-version": version}, headers=AUTH, json=body)
    assert reply.status_code == 400, reply.text
    assert reply.json()["error"]["param"] == param
