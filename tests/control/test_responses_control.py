"""The control plane on the Responses API: journal entries (the stream joined per output
item), stubs, faults (a stream cut after K events) and rate limits."""

from typing import Any

from fastapi.testclient import TestClient

from mockazure import Settings, create_app
from mockazure.clock import FrozenClock
from mockazure.tokens.tokenizers import get_tokenizer
from tests.api.responses_helpers import AUTH, V1_URL, WEATHER_TOOL, create, sse_events


def _stub(client: TestClient, rule: dict[str, Any]) -> None:
    assert client.post("/_mock/stubs", json=rule).status_code in (200, 201)


def test_journal_names_the_operation_and_the_body_deployment(client: TestClient) -> None:
    create(client, input="x")
    call = client.get("/_mock/journal").json()["calls"][0]
    assert (call["operation"], call["deployment"]) == ("responses_create", "gpt-4o")
    client.get(f"{V1_URL}/{call['response_body']['id']}", headers=AUTH)
    assert client.get("/_mock/journal").json()["calls"][-1]["operation"] == "responses_get"


def test_journal_joins_a_stream_per_output_item(client: TestClient) -> None:
    body = {"model": "gpt-4o", "input": "Tell me about owls", "stream": True}
    events = sse_events(client.post(V1_URL, headers=AUTH, json=body).text)
    final = events[-1][1]["response"]
    call = client.get("/_mock/journal").json()["calls"][0]
    joined = call["stream_joined"]
    assert joined["response"] == final
    assert joined["output"] == [
        {"output_index": 0, "text": final["output"][0]["content"][0]["text"]}
    ]
    assert len(call["stream_chunks"]) == len(events)


def test_stub_answers_content_for_matching_input(client: TestClient) -> None:
    _stub(
        client,
        {
            "match": {"operation": "responses_create", "contains": "pirate"},
            "response": {"content": "Arr, matey!"},
        },
    )
    body = create(client, input="Talk like a pirate")
    assert body["output"][0]["content"][0]["text"] == "Arr, matey!"
    assert body["usage"]["output_tokens"] == get_tokenizer("o200k_base").count("Arr, matey!")
    assert create(client, input="Talk normally")["output"][0]["content"][0]["text"] != "Arr, matey!"
    assert client.get("/_mock/journal").json()["calls"][0]["stub"]


def test_stub_answers_function_calls_and_matches_previous_response_id(
    client: TestClient,
) -> None:
    first = create(client, input="hello")
    _stub(
        client,
        {
            "match": {"json": {"$.previous_response_id": first["id"]}},
            "response": {"tool_calls": [{"name": "get_weather", "arguments": {"city": "Rome"}}]},
        },
    )
    body = create(client, input="weather?", previous_response_id=first["id"], tools=[WEATHER_TOOL])
    call = body["output"][0]
    assert (call["type"], call["name"], call["arguments"]) == (
        "function_call",
        "get_weather",
        '{"city":"Rome"}',
    )


def test_stub_error(client: TestClient) -> None:
    _stub(
        client,
        {
            "match": {"operation": "responses_create"},
            "response": {"error": {"status": 429, "code": "429", "message": "slow down"}},
        },
    )
    response = client.post(V1_URL, headers=AUTH, json={"model": "gpt-4o", "input": "x"})
    assert response.status_code == 429
    assert response.json()["error"]["message"] == "slow down"


def test_stubbed_stream_joins_to_the_stub_content(client: TestClient) -> None:
    _stub(client, {"match": {"contains": "pirate"}, "response": {"content": "Arr, matey!"}})
    body = {"model": "gpt-4o", "input": "pirate", "stream": True}
    events = sse_events(client.post(V1_URL, headers=AUTH, json=body).text)
    deltas = "".join(d["delta"] for n, d in events if n == "response.output_text.delta")
    assert deltas == "Arr, matey!"


def test_fault_cuts_the_stream_after_k_events(client: TestClient) -> None:
    body = {"model": "gpt-4o", "input": "Tell me about owls", "stream": True}
    response = client.post(V1_URL, headers={**AUTH, "x-mock-fault": "cut=3"}, json=body)
    events = sse_events(response.text)
    assert [n for n, _ in events] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
    ]


def test_rate_limit_answers_the_responses_429() -> None:
    app = create_app(Settings(rate_limits=True, rate_window_s=0.05), clock=FrozenClock())
    with TestClient(app) as client:
        create(client, input="x")
        refused = client.post(V1_URL, headers=AUTH, json={"model": "gpt-4o", "input": "x"})
        assert refused.status_code == 429
        message = refused.json()["error"]["message"]
        assert message.startswith("Requests to the createResponse Operation under Azure OpenAI")
        assert "API version v1 have exceeded call rate limit" in message
        assert refused.headers["retry-after"] == "1"
        # A refused request stores nothing: the journal's 200 is the only stored response.
        assert len(app.state.mock.store.keys("responses")) == 1


def test_stub_usage_and_length_make_an_incomplete_response(client: TestClient) -> None:
    _stub(
        client,
        {
            "match": {"contains": "cut"},
            "response": {
                "content": "Partial answer",
                "finish_reason": "length",
                "usage": {"prompt_tokens": 7, "completion_tokens": 3},
            },
        },
    )
    body = create(client, input="please cut here")
    assert body["status"] == "incomplete"
    assert body["incomplete_details"] == {"reason": "max_output_tokens"}
    assert body["usage"]["input_tokens"] == 7
    assert body["usage"]["output_tokens"] == 3
    assert body["usage"]["total_tokens"] == 10


def test_stub_content_filter_and_total_usage(client: TestClient) -> None:
    _stub(
        client,
        {
            "match": {"contains": "filtered"},
            "response": {
                "content": "Blocked",
                "finish_reason": "content_filter",
                "usage": {"total_tokens": 99},
            },
        },
    )
    body = create(client, input="this is filtered")
    assert body["incomplete_details"] == {"reason": "content_filter"}
    assert body["usage"]["total_tokens"] == 99


def test_stub_tool_call_keeps_its_id_and_reasoning(client: TestClient) -> None:
    _stub(
        client,
        {
            "match": {"contains": "plan"},
            "response": {
                "tool_calls": [{"id": "call_fixed", "name": "get_weather", "arguments": "{}"}]
            },
        },
    )
    body = create(client, model="o4-mini", input="plan it", tools=[WEATHER_TOOL])
    assert [i["type"] for i in body["output"]] == ["reasoning", "function_call"]
    assert body["output"][1]["call_id"] == "call_fixed"


def test_journal_joins_nothing_for_a_chat_stream(client: TestClient) -> None:
    from mockazure.journal.typed_streams import joined_stream

    assert joined_stream(['{"choices": []}', "[DONE]"]) is None
    assert joined_stream(["not json", '{"type": "response.output_text.delta", "delta": "a"}']) == {
        "output": [{"output_index": 0, "text": "a"}],
        "response": None,
    }
