"""Chat answers in the format the prompt asks for (issue 15 items 2 and 3), over HTTP."""

import json

import jsonschema
from fastapi.testclient import TestClient

from tests.api.test_chat import chat
from tests.unit.test_prompt_formats import DSPY_SYSTEM, DSPY_USER, INSTRUCTOR, USER_SCHEMA


def test_chat_json_object_follows_the_schema_in_the_system_message(client: TestClient) -> None:
    messages = [{"role": "system", "content": INSTRUCTOR}, {"role": "user", "content": "Jason."}]
    for seed in range(4):
        data = chat(client, messages=messages, response_format={"type": "json_object"}, seed=seed)
        jsonschema.validate(json.loads(data["choices"][0]["message"]["content"]), USER_SCHEMA)


def test_chat_json_object_without_a_statement_keeps_the_generic_object(
    client: TestClient,
) -> None:
    data = chat(client, response_format={"type": "json_object"})
    assert set(json.loads(data["choices"][0]["message"]["content"])) == {"answer", "topics"}


def test_chat_dspy_prompt_is_answered_between_field_markers(client: TestClient) -> None:
    messages = [{"role": "system", "content": DSPY_SYSTEM}, {"role": "user", "content": DSPY_USER}]
    content = chat(client, messages=messages)["choices"][0]["message"]["content"]
    assert content.startswith("[[ ## reasoning ## ]]\n")
    assert content.endswith("[[ ## completed ## ]]")
