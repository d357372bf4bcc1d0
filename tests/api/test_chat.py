import json
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient

from mockazure.tokens.chat import count_chat_prompt_tokens
from mockazure.tokens.tokenizers import get_tokenizer
from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS

WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather in a city",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer", "minimum": 1, "maximum": 7},
            },
            "required": ["city", "unit"],
            "additionalProperties": False,
        },
    },
}
TIME_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_time",
        "description": "Current time in a timezone",
        "parameters": {
            "type": "object",
            "properties": {"tz": {"type": "string"}},
            "required": ["tz"],
        },
    },
}


def chat(client: TestClient, **body: Any) -> Any:
    response = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json={**HELLO, **body})
    assert response.status_code == 200, response.text
    return response.json()


def test_chat_completion_has_azure_shape(client: TestClient) -> None:
    data = chat(client)
    assert data["id"].startswith("chatcmpl-")
    assert data["object"] == "chat.completion"
    assert data["model"] == "gpt-4o-2024-08-06"
    assert isinstance(data["created"], int)
    assert data["system_fingerprint"].startswith("fp_")
    choice = data["choices"][0]
    assert choice["message"]["role"] == "assistant"
    assert choice["finish_reason"] == "stop"
    assert choice["content_filter_results"]["hate"] == {"filtered": False, "severity": "safe"}
    assert data["prompt_filter_results"][0]["prompt_index"] == 0


def test_chat_completion_usage_is_exact(client: TestClient) -> None:
    data = chat(client)
    tokenizer = get_tokenizer("o200k_base")
    content = data["choices"][0]["message"]["content"]
    usage = data["usage"]
    assert usage["completion_tokens"] == tokenizer.count(content)
    assert usage["prompt_tokens"] == count_chat_prompt_tokens(HELLO["messages"], tokenizer)
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_chat_completion_is_deterministic_and_refers_to_prompt(client: TestClient) -> None:
    first, second = chat(client), chat(client)
    content = first["choices"][0]["message"]["content"]
    assert content == second["choices"][0]["message"]["content"]
    assert "Paris" in content


def test_chat_completion_n_choices_differ(client: TestClient) -> None:
    data = chat(client, n=3)
    contents = [c["message"]["content"] for c in data["choices"]]
    assert [c["index"] for c in data["choices"]] == [0, 1, 2]
    assert len(set(contents)) == 3


def test_chat_completion_max_tokens_cuts_with_length(client: TestClient) -> None:
    data = chat(client, max_tokens=3)
    choice = data["choices"][0]
    assert choice["finish_reason"] == "length"
    assert get_tokenizer("o200k_base").count(choice["message"]["content"]) == 3
    assert data["usage"]["completion_tokens"] == 3


def test_chat_completion_stop_cuts_before_stop_text(client: TestClient) -> None:
    full = chat(client)["choices"][0]["message"]["content"]
    stop = full.split()[3]
    data = chat(client, stop=[stop])
    content = data["choices"][0]["message"]["content"]
    assert content == full[: full.find(stop)]
    assert data["choices"][0]["finish_reason"] == "stop"


def test_chat_completion_calls_tool_with_schema_valid_arguments(client: TestClient) -> None:
    data = chat(
        client, messages=[{"role": "user", "content": "Weather in Lisbon?"}], tools=[WEATHER_TOOL]
    )
    choice = data["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    call = choice["message"]["tool_calls"][0]
    assert call["id"].startswith("call_")
    assert call["type"] == "function"
    assert call["function"]["name"] == "get_weather"
    arguments = json.loads(call["function"]["arguments"])
    jsonschema.validate(arguments, WEATHER_TOOL["function"]["parameters"])


@pytest.mark.parametrize("seed", range(8))
def test_chat_completion_tool_arguments_conform_for_many_seeds(
    client: TestClient, seed: int
) -> None:
    data = chat(client, tools=[WEATHER_TOOL, TIME_TOOL], seed=seed)
    for call in data["choices"][0]["message"]["tool_calls"]:
        tool = WEATHER_TOOL if call["function"]["name"] == "get_weather" else TIME_TOOL
        jsonschema.validate(
            json.loads(call["function"]["arguments"]), tool["function"]["parameters"]
        )


def test_chat_completion_named_tool_choice_is_obeyed(client: TestClient) -> None:
    data = chat(
        client,
        tools=[WEATHER_TOOL, TIME_TOOL],
        tool_choice={"type": "function", "function": {"name": "get_time"}},
    )
    calls = data["choices"][0]["message"]["tool_calls"]
    assert [c["function"]["name"] for c in calls] == ["get_time"]
    assert data["choices"][0]["finish_reason"] == "stop"


def test_chat_completion_tool_choice_none_answers_in_text(client: TestClient) -> None:
    data = chat(client, tools=[WEATHER_TOOL], tool_choice="none")
    assert data["choices"][0]["message"]["content"]
    assert "tool_calls" not in data["choices"][0]["message"]


def test_chat_completion_after_tool_result_answers_with_it(client: TestClient) -> None:
    messages = [
        {"role": "user", "content": "Weather in Lisbon?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city":"Lisbon"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": '{"temperature_c": 21}'},
    ]
    data = chat(client, messages=messages, tools=[WEATHER_TOOL])
    choice = data["choices"][0]
    assert choice["finish_reason"] == "stop"
    assert "21" in choice["message"]["content"]


def test_chat_completion_parallel_tool_calls_can_call_several(client: TestClient) -> None:
    counts = {
        len(
            chat(client, tools=[WEATHER_TOOL, TIME_TOOL], seed=seed)["choices"][0]["message"][
                "tool_calls"
            ]
        )
        for seed in range(12)
    }
    assert counts == {1, 2}
    single = {
        len(
            chat(client, tools=[WEATHER_TOOL, TIME_TOOL], seed=seed, parallel_tool_calls=False)[
                "choices"
            ][0]["message"]["tool_calls"]
        )
        for seed in range(12)
    }
    assert single == {1}


def test_chat_completion_legacy_functions_return_function_call(client: TestClient) -> None:
    data = chat(client, functions=[WEATHER_TOOL["function"]])
    choice = data["choices"][0]
    assert choice["finish_reason"] == "function_call"
    call = choice["message"]["function_call"]
    assert call["name"] == "get_weather"
    jsonschema.validate(json.loads(call["arguments"]), WEATHER_TOOL["function"]["parameters"])


def test_chat_completion_json_object_is_an_object(client: TestClient) -> None:
    data = chat(client, response_format={"type": "json_object"})
    assert isinstance(json.loads(data["choices"][0]["message"]["content"]), dict)


def test_chat_completion_json_schema_content_validates(client: TestClient) -> None:
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
        "required": ["name", "age"],
        "additionalProperties": False,
    }
    data = chat(
        client,
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "person", "schema": schema, "strict": True},
        },
    )
    jsonschema.validate(json.loads(data["choices"][0]["message"]["content"]), schema)


def test_chat_completion_logprobs_are_consistent(client: TestClient) -> None:
    data = chat(client, logprobs=True, top_logprobs=3)
    choice = data["choices"][0]
    entries = choice["logprobs"]["content"]
    assert "".join(e["token"] for e in entries) == choice["message"]["content"]
    for entry in entries:
        assert bytes(entry["bytes"]).decode() == entry["token"]
        assert entry["logprob"] <= 0
        tops = [t["logprob"] for t in entry["top_logprobs"]]
        assert len(tops) == 3
        assert tops == sorted(tops, reverse=True)


def test_chat_completion_on_your_data_adds_context(client: TestClient) -> None:
    data = chat(
        client,
        data_sources=[
            {
                "type": "azure_search",
                "parameters": {
                    "endpoint": "https://search.example",
                    "index_name": "docs",
                    "authentication": {"type": "api_key", "key": "k"},
                },
            }
        ],
    )
    context = data["choices"][0]["message"]["context"]
    assert len(context["citations"]) == 2
    assert json.loads(context["intent"]) == ["Tell me about Paris."]
    assert "[doc1]" in data["choices"][0]["message"]["content"]


def test_chat_completion_ignores_model_in_body(client: TestClient) -> None:
    assert chat(client, model=None)["choices"]
    assert chat(client, model="anything")["choices"]


def test_chat_completion_accepts_content_parts_and_images(client: TestClient) -> None:
    messages = [
        {"role": "system", "content": "Be brief."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is in this image?"},
                {
                    "type": "image_url",
                    "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"},
                },
            ],
        },
    ]
    assert chat(client, messages=messages)["choices"][0]["message"]["content"]
