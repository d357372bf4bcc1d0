"""Stubs on legacy completions: content per choice and prompt, echo, exact usage, overrides,
stream shape, errors; and faults on completions through the SDK."""

import json
from typing import Any

import openai
import pytest
from fastapi.testclient import TestClient
from openai import AzureOpenAI

from mockazure.journal.codec import decode_entry
from mockazure.stubs.rules import StubRule
from mockazure.testing import LiveServer
from mockazure.tokens.tokenizers import get_tokenizer
from tests.conftest import AUTH, PARAMS

INSTRUCT = "gpt-35-turbo-instruct"
URL = f"/openai/deployments/{INSTRUCT}/completions"
TOKENIZER = get_tokenizer("cl100k_base")


def stub(client: TestClient, response: dict[str, Any], **match: Any) -> None:
    rule = {"match": {"operation": "completions", **match}, "response": response}
    assert client.post("/_mock/stubs", json=rule).status_code == 201


def complete(client: TestClient, **body: Any) -> Any:
    return client.post(URL, params=PARAMS, headers=AUTH, json=body)


def events(text: str) -> list[dict[str, Any]]:
    return [json.loads(e[6:]) for e in text.split("\n\n") if e.startswith("data: {")]


def test_content_answers_every_choice_of_every_prompt(client: TestClient) -> None:
    stub(client, {"content": "Re: {{ prompt }} #{{ prompt_index }} on {{ deployment }}"})
    prompts = ["Roses are red", "Violets are blue"]
    result = complete(client, prompt=prompts, n=2, max_tokens=3, stop=["#"]).json()
    texts = [choice["text"] for choice in result["choices"]]
    expected = [f"Re: {p} #{i} on {INSTRUCT}" for i, p in enumerate(prompts)]
    # Prompt-major (azure-surface.md §4.1); `max_tokens` and `stop` do not cut a stub.
    assert texts == [expected[0], expected[0], expected[1], expected[1]]
    assert [c["index"] for c in result["choices"]] == [0, 1, 2, 3]
    assert {c["finish_reason"] for c in result["choices"]} == {"stop"}
    completion_tokens = 2 * sum(TOKENIZER.count(text) for text in expected)
    prompt_tokens = sum(TOKENIZER.count(p) for p in prompts)
    assert result["usage"] == {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }
    assert result["prompt_filter_results"][1]["prompt_index"] == 1
    assert result["choices"][0]["content_filter_results"]["hate"]["severity"] == "safe"


def test_echo_puts_the_prompt_first_and_logprobs_follow_the_new_text(client: TestClient) -> None:
    stub(client, {"content": " the stubbed end."})
    result = complete(client, prompt="Once upon a time", echo=True, logprobs=2).json()
    choice = result["choices"][0]
    assert choice["text"] == "Once upon a time the stubbed end."
    logprobs = choice["logprobs"]
    assert "".join(logprobs["tokens"]) == choice["text"]
    assert logprobs["token_logprobs"][0] is None  # the first echoed token is unscored
    assert logprobs["text_offset"][0] == 0
    # Echoed prompt tokens are not completion tokens.
    assert result["usage"]["completion_tokens"] == TOKENIZER.count(" the stubbed end.")


def test_suffix_is_not_part_of_the_stubbed_insertion(client: TestClient) -> None:
    stub(client, {"content": "middle"})
    result = complete(client, prompt="start ", suffix=" end").json()
    assert result["choices"][0]["text"] == "middle"
    assert result["usage"]["prompt_tokens"] == TOKENIZER.count("start ") + TOKENIZER.count(" end")


def test_best_of_bills_every_candidate(client: TestClient) -> None:
    stub(client, {"content": "four tokens here ok"})
    result = complete(client, prompt="x", best_of=3, n=1).json()
    assert len(result["choices"]) == 1
    assert result["usage"]["completion_tokens"] == 3 * TOKENIZER.count("four tokens here ok")


def test_finish_reason_usage_and_filter_overrides(client: TestClient) -> None:
    flagged = {"violence": {"filtered": True, "severity": "high"}}
    stub(
        client,
        {
            "content": "cut",
            "finish_reason": "content_filter",
            "usage": {"completion_tokens": 99},
            "content_filter_results": flagged,
        },
    )
    result = complete(client, prompt="Tell a story").json()
    choice = result["choices"][0]
    assert choice["finish_reason"] == "content_filter"
    assert choice["content_filter_results"] == flagged
    prompt_tokens = TOKENIZER.count("Tell a story")
    assert result["usage"] == {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": 99,
        "total_tokens": prompt_tokens + 99,
    }


def test_finish_reason_alone_keeps_the_generated_text(client: TestClient) -> None:
    plain = complete(client, prompt="Autumn", max_tokens=5).json()
    stub(client, {"finish_reason": "length", "usage": {"total_tokens": 1}})
    stubbed = complete(client, prompt="Autumn", max_tokens=5).json()
    assert stubbed["choices"][0]["text"] == plain["choices"][0]["text"]
    assert stubbed["usage"]["total_tokens"] == 1
    assert stubbed["usage"]["completion_tokens"] == plain["usage"]["completion_tokens"]


def test_stream_shape_splits_every_n_characters(client: TestClient) -> None:
    stub(client, {"content": "abcdefghij", "stream": {"chunk_chars": 4}})
    reply = complete(client, prompt="Count", stream=True, logprobs=1)
    chunks = events(reply.text)
    assert chunks[0]["prompt_filter_results"][0]["prompt_index"] == 0
    texts = [c["choices"][0]["text"] for c in chunks if c["choices"]]
    assert [t for t in texts if t] == ["abcd", "efgh", "ij"]
    finish = [c["choices"][0]["finish_reason"] for c in chunks if c["choices"]]
    assert finish[-1] == "stop"
    # Reshaped chunks are not tokens, so they carry no logprobs.
    assert all(c["choices"][0].get("logprobs") is None for c in chunks if c["choices"])


def test_stream_shape_with_usage_chunk(client: TestClient) -> None:
    stub(client, {"content": "one two three", "stream": {"chunk_tokens": 2}})
    body = {"prompt": "Go", "stream": True, "stream_options": {"include_usage": True}}
    reply = client.post(URL, params={"api-version": "2025-04-01-preview"}, headers=AUTH, json=body)
    chunks = events(reply.text)
    texts = [c["choices"][0]["text"] for c in chunks if c["choices"]]
    assert [t for t in texts if t] == ["one two", " three"]
    assert chunks[-1]["usage"]["completion_tokens"] == TOKENIZER.count("one two three")


def test_stubbed_error_is_raised(client: TestClient) -> None:
    stub(
        client,
        {"error": {"status": 503, "code": "ServiceUnavailable", "message": "try later"}},
        contains="outage",
    )
    reply = complete(client, prompt="simulate an outage")
    assert reply.status_code == 503
    assert reply.json()["error"] == {"code": "ServiceUnavailable", "message": "try later"}
    assert complete(client, prompt="all good").status_code == 200


def test_sdk_sees_the_stub_whole_and_streamed(fresh: LiveServer, sdk: AzureOpenAI) -> None:
    content = "Stubbed for {{ model }}."
    rule = {"response": {"content": content, "stream": {"chunk_chars": 5}}}
    fresh.state.stubs.add(StubRule.model_validate(rule))
    whole = sdk.completions.create(model=INSTRUCT, prompt="Hi", n=2)
    assert [c.text for c in whole.choices] == ["Stubbed for gpt-35-turbo-instruct."] * 2
    assert whole.usage is not None
    assert whole.usage.completion_tokens == 2 * TOKENIZER.count(whole.choices[0].text)
    stream = sdk.completions.create(model=INSTRUCT, prompt="Hi", stream=True)
    pieces = [c.text for chunk in stream for c in chunk.choices if c.text]
    assert pieces[:3] == ["Stubb", "ed fo", "r gpt"]
    assert "".join(pieces) == whole.choices[0].text


def test_sdk_stream_cut_fault_on_completions(fresh: LiveServer, sdk: AzureOpenAI) -> None:
    stream = sdk.completions.create(
        model=INSTRUCT,
        prompt="A long story",
        max_tokens=40,
        stream=True,
        extra_headers={"x-mock-fault": "cut=3"},
    )
    received: list[Any] = []
    with pytest.raises(openai.APIConnectionError):
        received.extend(stream)
    assert len(received) == 3
    call = decode_entry(fresh.state.store.items("journal")[-1])
    assert call["operation"] == "completions"
    assert call["fault"] == "cut=3"
