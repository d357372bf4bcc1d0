"""A stub's text in the completion filter, on chat and on Responses: the filter judges the text
that is sent, so a rule's content is screened as a generated text would be, and the generated
answer is never planned."""

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import mockazure.generators.chat_render as chat_render
import mockazure.generators.responses as responses_generator
from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.tokens.tokenizers import Tokenizer, get_tokenizer
from tests.api.test_content_filter import filtered_app, strict_chat
from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS

TEXT = "Ask Bluebird at the harbour about it."
CANNED: dict[str, Any] = {"id": "canned", "response": {"content": TEXT}}


def _stubbed(client: TestClient, *rules: dict[str, Any]) -> TestClient:
    assert client.post("/_mock/stubs", json=list(rules)).status_code == 201
    return client


def test_a_stubbed_text_with_a_blocklisted_term_is_cut_before_it(tmp_path: Path) -> None:
    with filtered_app(tmp_path, {"blocklists": {"codenames": ["Bluebird"]}}) as client:
        choice = strict_chat(_stubbed(client, CANNED), "Where is the ferry?").json()["choices"][0]
    assert choice["finish_reason"] == "content_filter"
    assert choice["message"]["content"] == "Ask"
    assert choice["content_filter_results"]["custom_blocklists"] == {
        "filtered": True,
        "details": [{"filtered": True, "id": "codenames"}],
    }


def test_a_stubbed_stream_with_a_blocklisted_term_flags_its_finish_chunk(tmp_path: Path) -> None:
    with filtered_app(tmp_path, {"blocklists": {"codenames": ["Bluebird"]}}) as client:
        streamed = strict_chat(_stubbed(client, CANNED), "Where is the ferry?", stream=True)
    blocks = streamed.text.split("\n\n")[:-1]
    chunks = [json.loads(b.removeprefix("data: ")) for b in blocks[:-1]]
    content = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    finish = [c["choices"][0] for c in chunks if c["choices"] and c["choices"][0]["finish_reason"]]
    assert content == "Ask"
    assert [f["finish_reason"] for f in finish] == ["content_filter"]
    assert finish[0]["content_filter_results"]["custom_blocklists"]["filtered"] is True


def test_an_output_marker_in_the_prompt_screens_the_stubbed_text() -> None:
    rule = {"id": "canned", "response": {"content": "one two three four five six"}}
    with TestClient(create_app(Settings())) as client:
        body = {"messages": [{"role": "user", "content": "Hi [[filter:output:violence:high]]"}]}
        answer = _stubbed(client, rule).post(CHAT_URL, params=PARAMS, headers=AUTH, json=body)
    choice = answer.json()["choices"][0]
    assert choice["finish_reason"] == "content_filter"
    assert choice["message"]["content"] == "one two three"  # the first half of its pieces
    assert choice["content_filter_results"]["violence"] == {"filtered": True, "severity": "high"}


def test_a_rules_finish_reason_still_wins_over_the_filter(tmp_path: Path) -> None:
    rule = {"id": "canned", "response": {"content": TEXT, "finish_reason": "length"}}
    with filtered_app(tmp_path, {"blocklists": {"codenames": ["Bluebird"]}}) as client:
        choice = strict_chat(_stubbed(client, rule), "Where is the ferry?").json()["choices"][0]
    assert choice["finish_reason"] == "length"
    assert choice["message"]["content"] == "Ask"


def test_a_stub_with_text_or_tools_plans_no_generated_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a generated choice was planned")

    tool_rule = {
        "id": "tool",
        "match": {"contains": "weather"},
        "response": {"tool_calls": [{"name": "get_weather", "arguments": {"city": "Lyon"}}]},
    }
    text_rule = {"id": "text", "match": {"contains": "bakery"}, "response": {"content": "Yes."}}
    with TestClient(create_app(Settings())) as client:
        _stubbed(client, tool_rule, text_rule)
        monkeypatch.setattr(chat_render, "plan_choice", refused)
        asked = [
            client.post(
                CHAT_URL,
                params=PARAMS,
                headers=AUTH,
                json={"messages": [{"role": "user", "content": text}], "n": 2},
            )
            for text in ("weather in Lyon?", "a bakery?")
        ]
    tools, text = (a.json()["choices"] for a in asked)
    assert [c["message"]["tool_calls"][0]["function"]["name"] for c in tools] == ["get_weather"] * 2
    assert [c["message"]["content"] for c in text] == ["Yes.", "Yes."]
    assert [c["content_filter_results"]["violence"]["filtered"] for c in text] == [False, False]


def _respond(client: TestClient, **body: Any) -> Any:
    answer = client.post("/openai/v1/responses", headers=AUTH, json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_stubbed_responses_text_with_a_blocklisted_term_is_cut(tmp_path: Path) -> None:
    rule = {**CANNED, "match": {"operation": "responses_create"}}
    with filtered_app(tmp_path, {"blocklists": {"codenames": ["Bluebird"]}}) as client:
        body = _respond(_stubbed(client, rule), model="strict", input="Where is the ferry?")
    assert (body["status"], body["incomplete_details"]) == (
        "incomplete",
        {"reason": "content_filter"},
    )
    [message] = body["output"]
    assert message["content"][0]["text"] == "Ask"
    completion = [f for f in body["content_filters"] if f["source_type"] == "completion"]
    assert [f["blocked"] for f in completion] == [True]
    assert completion[0]["content_filter_results"]["custom_blocklists"]["filtered"] is True


def test_a_stubbed_responses_answer_plans_no_generated_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a generated answer was planned")

    rules = [
        {"id": "text", "match": {"contains": "bakery"}, "response": {"content": "Yes."}},
        {
            "id": "tool",
            "match": {"contains": "weather"},
            "response": {"tool_calls": [{"name": "get_weather", "arguments": {"city": "Lyon"}}]},
        },
    ]
    with TestClient(create_app(Settings())) as client:
        _stubbed(client, *rules)
        monkeypatch.setattr(responses_generator, "_answer", refused)
        text = _respond(client, model="gpt-4o", input="a bakery?")
        tool = _respond(client, model="o4-mini", input="weather in Lyon?")
    assert [item["type"] for item in text["output"]] == ["message"]
    assert text["output"][0]["content"][0]["text"] == "Yes."
    assert [f["blocked"] for f in text["content_filters"]] == [False, False]
    assert [item["type"] for item in tool["output"]] == ["reasoning", "function_call"]
    assert [f["source_type"] for f in tool["content_filters"]] == ["prompt"]


def test_a_whole_stubbed_answer_is_not_cut_into_stream_pieces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rule = {"id": "canned", "response": {"content": TEXT}}
    with TestClient(create_app(Settings())) as client:
        _stubbed(client, rule)
        streamed = client.post(
            CHAT_URL, params=PARAMS, headers=AUTH, json={**HELLO, "stream": True}
        ).text
        monkeypatch.setattr(Tokenizer, "_pieces_with_sizes", _refused)
        whole = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=HELLO).json()
    assert whole["choices"][0]["message"]["content"] == TEXT
    assert whole["usage"]["completion_tokens"] == get_tokenizer("o200k_base").count(TEXT)
    assert streamed.count('"content":"') > 2  # the stream still goes piece by piece


def _refused(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the text was cut into pieces")
