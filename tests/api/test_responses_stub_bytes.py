"""Stubbed Responses answers keep their exact bytes while the stub's place in the plan moves
(issue 16): the sha256 of answers recorded at main ce1de86, deterministic ids and a frozen
clock, for a rule's text, its tool calls, a reasoning model's kept reasoning item, a hosted
tool's call the rule drops, a rule's `finish_reason` and a stream."""

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.responses_helpers import AUTH, V1_URL, WEATHER_TOOL
from tests.conftest import pinned_client

RULES = [
    {"id": "text", "match": {"operation": "responses_create", "contains": "bakery in Lyon"},
     "response": {"content": "Try the one by the river."}},
    {"id": "tools", "match": {"operation": "responses_create", "contains": "weather in Lyon"},
     "response": {"tool_calls": [{"name": "get_weather",
                                  "arguments": {"city": "Lyon", "unit": "c"}}]}},
    {"id": "cut", "match": {"operation": "responses_create", "contains": "cut short"},
     "response": {"content": "Half of it", "finish_reason": "length"}},
]  # fmt: skip
CASES: list[tuple[str, dict[str, Any]]] = [
    ("text", {"model": "gpt-4o", "input": "Which bakery in Lyon?"}),
    ("text, reasoning model", {"model": "o4-mini", "input": "Which bakery in Lyon?",
                               "reasoning": {"effort": "low", "summary": "auto"}}),
    ("text, hosted tool", {"model": "gpt-4o", "input": "Which bakery in Lyon?",
                           "tools": [{"type": "web_search_preview"}]}),
    ("text, logprobs", {"model": "gpt-4o", "input": "Which bakery in Lyon?",
                        "include": ["message.output_text.logprobs"]}),
    ("tools", {"model": "gpt-4o", "input": "What is the weather in Lyon?",
               "tools": [WEATHER_TOOL]}),
    ("finish reason", {"model": "gpt-4o", "input": "Say it, cut short."}),
    ("text, stream", {"model": "gpt-4o", "input": "Which bakery in Lyon?", "stream": True}),
    ("tools, stream", {"model": "gpt-4o", "input": "What is the weather in Lyon?",
                       "tools": [WEATHER_TOOL], "stream": True}),
]  # fmt: skip
RECORDED = {
    "text": "2f1b30b08e8dcc29221dc0cf00f72f0614edbf6b951c6e6951c7ad92b662b710",
    "text, reasoning model": "ac61d8bf6be42ce115c53ccdc5999d5d292ad8e4a31649ceb6b27d0da61cc625",
    "text, hosted tool": "0276a29c0b85bca9572a9b682254fc856d266fb39bb9abbacbf6bfe0ba6ac221",
    "text, logprobs": "cf1707640e63d950696af90ffa4eb06a08df4c7689b158cf5e9c3183b99ea609",
    "tools": "ad1eff043aa5c9784cf1a7e33e0d0ddc4eb90a5e7f7c7d7f43024d0fcbcf3ef4",
    "finish reason": "c635ac79cb7b4540ef6e2598d67cb315527ed829472d1bbfdeb1547b33e99d3c",
    "text, stream": "155a32dfd0a1e92e07795153dde94992e1c0c9689a39f8bd5007c0ea66e9de44",
    "tools, stream": "6b0fdefae2b6e7e2b45d4b59dd403f8e66b624b6a2e9cdccc06d31e6a37f5af2",
}


@pytest.fixture
def pinned() -> Iterator[TestClient]:
    yield from pinned_client(RULES)


@pytest.mark.parametrize(("name", "body"), CASES, ids=[c[0] for c in CASES])
def test_stubbed_responses_bytes_are_unchanged(
    pinned: TestClient, name: str, body: dict[str, Any]
) -> None:
    answer = pinned.post(V1_URL, headers=AUTH, json=body)
    assert answer.status_code == 200, answer.text
    assert ("get_weather" if name.startswith("tools") else "Try the") in answer.text or (
        name == "finish reason" and "Half of it" in answer.text
    )
    assert hashlib.sha256(answer.content).hexdigest() == RECORDED[name]
