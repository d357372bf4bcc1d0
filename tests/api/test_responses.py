"""POST /responses on both path families: addressing, versions, request checks, content."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.responses_helpers import (
    AUTH,
    DATED,
    DATED_URL,
    V1_URL,
    WEATHER_TOOL,
    create,
    error_of,
)


def test_responses_v1_answers_text_with_usage(client: TestClient) -> None:
    body = create(client, input="Tell me about the Apollo moon landing")
    assert body["object"] == "response"
    assert body["id"].startswith("resp_")
    assert isinstance(body["created_at"], float)
    assert body["status"] == "completed"
    message = body["output"][0]
    assert message["type"] == "message"
    assert message["role"] == "assistant"
    assert message["id"].startswith("msg_")
    part = message["content"][0]
    assert part["type"] == "output_text"
    assert part["annotations"] == []
    assert "moon" in part["text"].lower() or "apollo" in part["text"].lower()
    usage = body["usage"]
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    assert usage["input_tokens_details"] == {"cached_tokens": 0}
    assert usage["output_tokens_details"] == {"reasoning_tokens": 0}


def test_responses_counts_output_tokens_with_the_deployment_tokenizer(client: TestClient) -> None:
    from mockazure.tokens.tokenizers import get_tokenizer

    body = create(client, input="Explain tides")
    text = body["output"][0]["content"][0]["text"]
    assert body["usage"]["output_tokens"] == get_tokenizer("o200k_base").count(text)


def test_responses_dated_path_accepts_2025_versions(client: TestClient) -> None:
    for version in ("2025-03-01-preview", "2025-04-01-preview"):
        response = client.post(
            DATED_URL,
            params={"api-version": version},
            headers=AUTH,
            json={"model": "gpt-4o", "input": "hi"},
        )
        assert response.status_code == 200, response.text


def test_responses_dated_path_refuses_older_versions_with_the_service_message(
    client: TestClient,
) -> None:
    status, error = error_of(
        client, {"model": "gpt-4o", "input": "hi"}, DATED_URL + "?api-version=2024-10-21"
    )
    assert status == 400
    assert error["message"] == (
        "Azure OpenAI Responses API is enabled only for api-version 2025-03-01-preview and later"
    )


@pytest.mark.parametrize("query", ["", "?api-version=2099-01-01", "?api-version=nope"])
def test_responses_dated_path_without_a_known_version_is_not_found(
    client: TestClient, query: str
) -> None:
    status, error = error_of(client, {"model": "gpt-4o", "input": "hi"}, DATED_URL + query)
    assert (status, error["code"]) == (404, "404")


@pytest.mark.parametrize("version", ["v1", "preview", "latest"])
def test_responses_v1_path_accepts_v1_versions(client: TestClient, version: str) -> None:
    response = client.post(
        V1_URL,
        params={"api-version": version},
        headers=AUTH,
        json={"model": "gpt-4o", "input": "x"},
    )
    assert response.status_code == 200


def test_responses_v1_path_refuses_a_dated_version(client: TestClient) -> None:
    status, error = error_of(
        client, {"model": "gpt-4o", "input": "x"}, V1_URL + "?api-version=2025-04-01-preview"
    )
    assert status == 400
    assert error["message"] == "API version not supported"


def test_responses_check_order_version_then_key_then_deployment(client: TestClient) -> None:
    # A bad version wins over a missing key; a missing key over an unknown deployment.
    no_key = client.post(DATED_URL, json={"model": "nope", "input": "x", "bogus": 1})
    assert no_key.status_code == 404
    no_key = client.post(V1_URL, json={"model": "nope", "input": "x", "bogus": 1})
    assert no_key.status_code == 401
    status, error = error_of(client, {"model": "nope", "input": "x", "bogus": 1})
    assert (status, error["code"]) == (404, "DeploymentNotFound")
    status, error = error_of(client, {"model": "text-embedding-3-small", "input": "x", "bogus": 1})
    assert (status, error["code"]) == (400, "OperationNotSupported")
    status, error = error_of(
        client, {"model": "gpt-4o", "input": "x", "bogus": 1, "temperature": 9}
    )
    assert status == 400
    assert error["message"] == "Unrecognized request argument supplied: bogus"


def test_responses_missing_model_names_model(client: TestClient) -> None:
    status, error = error_of(client, {"input": "x"})
    assert (status, error["param"], error["code"]) == (400, "model", "missing_required_parameter")


@pytest.mark.parametrize(
    ("field", "value", "param"),
    [
        ("temperature", 2.5, "temperature"),
        ("top_p", -0.1, "top_p"),
        ("top_logprobs", 21, "top_logprobs"),
        ("max_output_tokens", 15, "max_output_tokens"),
        ("truncation", "sometimes", "truncation"),
        ("store", "yes", "store"),
        ("include", ["everything"], "include[0]"),
        ("metadata", {f"k{i}": "v" for i in range(17)}, "metadata"),
        ("metadata", {"k": "v" * 513}, "metadata.k"),
        ("previous_response_id", "resp bad!", "previous_response_id"),
        (
            "text",
            {"format": {"type": "json_schema", "name": "bad name", "schema": {}}},
            "text.format.name",
        ),
    ],
)
def test_responses_rejects_bad_values_naming_the_param(
    client: TestClient, field: str, value: Any, param: str
) -> None:
    status, error = error_of(client, {"model": "gpt-4o", "input": "x", field: value})
    assert status == 400, error
    assert error["param"] == param
    assert error["type"] == "invalid_request_error"


def test_responses_rejects_unknown_nested_keys(client: TestClient) -> None:
    body = {"model": "gpt-4o", "input": [{"role": "user", "content": "x", "colour": "red"}]}
    status, error = error_of(client, body)
    assert status == 400
    assert error["message"] == "Unknown parameter: 'input[0].colour'."
    assert error["code"] == "unknown_parameter"


def test_responses_background_needs_store(client: TestClient) -> None:
    status, error = error_of(
        client, {"model": "gpt-4o", "input": "x", "background": True, "store": False}
    )
    assert (status, error["param"]) == (400, "background")


def test_responses_named_tool_choice_must_be_in_tools(client: TestClient) -> None:
    body = {
        "model": "gpt-4o",
        "input": "x",
        "tools": [WEATHER_TOOL],
        "tool_choice": {"type": "function", "name": "other"},
    }
    status, error = error_of(client, body)
    assert (status, error["param"]) == (400, "tool_choice")


def test_responses_reasoning_models_refuse_temperature(client: TestClient) -> None:
    status, error = error_of(client, {"model": "o4-mini", "input": "x", "temperature": 0.2})
    assert (status, error["param"], error["code"]) == (400, "temperature", "unsupported_parameter")


def test_responses_minimal_effort_is_gpt5_only(client: TestClient) -> None:
    body = {"model": "o4-mini", "input": "x", "reasoning": {"effort": "minimal"}}
    status, error = error_of(client, body)
    assert (status, error["param"]) == (400, "reasoning.effort")
    create(client, model="gpt-5-mini", input="x", reasoning={"effort": "minimal"})


def test_responses_function_tool_call_validates_against_schema(client: TestClient) -> None:
    import jsonschema

    body = create(client, input="What is the weather in Paris?", tools=[WEATHER_TOOL])
    call = body["output"][0]
    assert call["type"] == "function_call"
    assert call["name"] == "get_weather"
    assert call["id"].startswith("fc_")
    assert call["call_id"].startswith("call_")
    jsonschema.validate(json.loads(call["arguments"]), WEATHER_TOOL["parameters"])


def _after_tool(client: TestClient, tool_choice: Any) -> Any:
    first = create(client, input="Weather in Paris?", tools=[WEATHER_TOOL])
    call = first["output"][0]
    extra = {} if tool_choice is None else {"tool_choice": tool_choice}
    return create(
        client,
        input=[
            {"role": "user", "content": "Weather in Paris?"},
            call,
            {"type": "function_call_output", "call_id": call["call_id"], "output": '{"temp": 21}'},
        ],
        tools=[WEATHER_TOOL],
        **extra,
    )


def test_responses_answers_text_after_function_call_output(client: TestClient) -> None:
    answer = _after_tool(client, None)
    message = answer["output"][0]
    assert message["type"] == "message"
    assert "21" in message["content"][0]["text"]


@pytest.mark.parametrize("choice", ["required", {"type": "function", "name": "get_weather"}])
def test_responses_forced_tool_choice_is_obeyed_after_tool_outputs(
    client: TestClient, choice: Any
) -> None:
    answer = _after_tool(client, choice)
    assert [item["type"] for item in answer["output"]] == ["function_call"]


def test_responses_tool_choice_none_answers_text(client: TestClient) -> None:
    body = create(client, input="Weather in Paris?", tools=[WEATHER_TOOL], tool_choice="none")
    assert body["output"][0]["type"] == "message"


def test_responses_json_schema_format_content_validates(client: TestClient) -> None:
    import jsonschema

    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
        "required": ["name", "age"],
        "additionalProperties": False,
    }
    fmt = {"type": "json_schema", "name": "person", "schema": schema, "strict": True}
    body = create(client, input="Describe a person", text={"format": fmt})
    jsonschema.validate(json.loads(body["output"][0]["content"][0]["text"]), schema)
    assert body["text"]["format"]["name"] == "person"


def test_responses_max_output_tokens_cuts_with_incomplete(client: TestClient) -> None:
    from mockazure.tokens.tokenizers import get_tokenizer

    body = create(client, input="Tell me everything about oceans", max_output_tokens=16)
    assert body["status"] == "incomplete"
    assert body["incomplete_details"] == {"reason": "max_output_tokens"}
    assert body["output"][0]["status"] == "incomplete"
    text = body["output"][0]["content"][0]["text"]
    assert get_tokenizer("o200k_base").count(text) <= 16
    assert body["usage"]["output_tokens"] <= 16


def test_responses_reasoning_deployment_emits_reasoning_with_summary_and_encrypted_content(
    client: TestClient,
) -> None:
    body = create(
        client,
        model="o4-mini",
        input="Plan a trip to Rome",
        reasoning={"effort": "high", "summary": "auto"},
        include=["reasoning.encrypted_content"],
    )
    reasoning, message = body["output"]
    assert reasoning["type"] == "reasoning"
    assert reasoning["id"].startswith("rs_")
    assert reasoning["summary"][0]["type"] == "summary_text"
    assert reasoning["summary"][0]["text"].startswith("**")
    assert reasoning["encrypted_content"].startswith("gAAAAA")
    assert message["type"] == "message"
    details = body["usage"]["output_tokens_details"]
    assert details["reasoning_tokens"] >= 768
    assert body["reasoning"] == {"effort": "high", "summary": "auto"}
    # Stateless reasoning: the item goes back in `input`, and is accepted.
    create(
        client,
        model="o4-mini",
        store=False,
        input=[{"role": "user", "content": "Plan a trip to Rome"}, reasoning, message],
    )


def test_responses_reasoning_budget_exhausted_is_incomplete_without_message(
    client: TestClient,
) -> None:
    body = create(
        client, model="o4-mini", input="x", reasoning={"effort": "high"}, max_output_tokens=100
    )
    assert body["status"] == "incomplete"
    assert [i["type"] for i in body["output"]] == ["reasoning"]
    assert body["usage"]["output_tokens_details"]["reasoning_tokens"] == 100


def test_responses_same_request_same_content(client: TestClient) -> None:
    first = create(client, input="Describe volcanoes", store=False)
    second = create(client, input="Describe volcanoes", store=False)
    assert first["output"][0]["content"] == second["output"][0]["content"]
    assert first["id"] != second["id"]


def test_responses_input_image_is_counted(client: TestClient) -> None:
    plain = create(
        client,
        input=[{"role": "user", "content": [{"type": "input_text", "text": "What is this?"}]}],
    )
    image = {"type": "input_image", "image_url": "https://example.com/cat.png", "detail": "low"}
    with_image = create(
        client,
        input=[
            {"role": "user", "content": [{"type": "input_text", "text": "What is this?"}, image]}
        ],
    )
    assert with_image["usage"]["input_tokens"] == plain["usage"]["input_tokens"] + 85


def test_responses_echoes_request_settings(client: TestClient) -> None:
    body = create(
        client,
        input="x",
        instructions="Be brief.",
        temperature=0.3,
        top_p=0.9,
        metadata={"run": "7"},
        user="u-1",
        parallel_tool_calls=False,
        truncation="auto",
    )
    assert body["instructions"] == "Be brief."
    assert (body["temperature"], body["top_p"]) == (0.3, 0.9)
    assert body["metadata"] == {"run": "7"}
    assert body["user"] == "u-1"
    assert body["parallel_tool_calls"] is False
    assert body["truncation"] == "auto"
    assert body["model"] == "gpt-4o-2024-08-06"


def test_responses_dated_and_v1_families_share_stored_responses(client: TestClient) -> None:
    body = create(client, input="x")
    got = client.get(f"{DATED_URL}/{body['id']}", params=DATED, headers=AUTH)
    assert got.status_code == 200
    assert got.json()["id"] == body["id"]


def test_responses_v1_unknown_deployment_has_the_openai_shaped_404(client: TestClient) -> None:
    status, error = error_of(client, {"model": "nope", "input": "x"})
    assert status == 404
    assert error == {
        "code": "DeploymentNotFound",
        "message": "The API deployment for this resource does not exist. If you created the "
        "deployment within the last 5 minutes, please wait a moment and try again.",
        "param": None,
        "type": "invalid_request_error",
    }


def test_responses_web_search_gives_a_call_and_a_cited_answer(client: TestClient) -> None:
    body = create(
        client, input="Latest news about Mars rovers", tools=[{"type": "web_search_preview"}]
    )
    search, message = body["output"]
    assert search["type"] == "web_search_call"
    assert search["action"]["type"] == "search"
    assert search["id"].startswith("ws_")
    part = message["content"][0]
    citation = part["annotations"][0]
    assert citation["type"] == "url_citation"
    assert part["text"][citation["start_index"] : citation["end_index"]] == citation["title"]


def test_responses_file_search_results_only_when_included(client: TestClient) -> None:
    tool = {"type": "file_search", "vector_store_ids": ["vs_1"]}
    plain = create(client, input="What does the contract say?", tools=[tool])
    assert plain["output"][0]["type"] == "file_search_call"
    assert plain["output"][0]["results"] is None
    full = create(
        client,
        input="What does the contract say?",
        tools=[tool],
        include=["file_search_call.results"],
    )
    results = full["output"][0]["results"]
    assert [r["file_id"][:10] for r in results] == ["assistant-", "assistant-"]


def test_responses_code_interpreter_named_by_tool_choice(client: TestClient) -> None:
    body = create(
        client,
        input="Add up some numbers",
        tools=[WEATHER_TOOL, {"type": "code_interpreter", "container": {"type": "auto"}}],
        tool_choice={"type": "code_interpreter"},
        include=["code_interpreter_call.outputs"],
    )
    call, message = body["output"]
    assert call["type"] == "code_interpreter_call"
    assert call["container_id"].startswith("cntr_")
    assert call["outputs"][0]["type"] == "logs"
    assert call["outputs"][0]["logs"].strip() in message["content"][0]["text"]


def test_responses_image_generation_needs_the_image_deployment_header(client: TestClient) -> None:
    body = {
        "model": "gpt-4o",
        "input": "Draw a lighthouse",
        "tools": [{"type": "image_generation"}],
    }
    status, error = error_of(client, body)
    assert status == 400
    assert error == {
        "code": "invalid_request_error",
        "message": "imagegen deployment must be provided through header: "
        "x-ms-oai-image-generation-deployment",
        "param": "tools",
        "type": "image_generation_user_error",
    }
    headers = {**AUTH, "x-ms-oai-image-generation-deployment": "nope"}
    refused = client.post(V1_URL, headers=headers, json=body)
    assert refused.json()["error"]["param"] == "model"


def test_responses_image_generation_draws_a_real_image(client: TestClient) -> None:
    import base64
    import io

    from PIL import Image

    headers = {**AUTH, "x-ms-oai-image-generation-deployment": "gpt-image-1"}
    tool = {"type": "image_generation", "size": "1024x1536", "output_format": "jpeg"}
    body = {"model": "gpt-4o", "input": "Draw a lighthouse", "tools": [tool]}
    reply = client.post(V1_URL, headers=headers, json=body).json()
    call = reply["output"][0]
    assert call["type"] == "image_generation_call"
    picture = Image.open(io.BytesIO(base64.b64decode(call["result"])))
    assert (picture.format, picture.size) == ("JPEG", (1024, 1536))
    assert reply["output"][1]["type"] == "message"
