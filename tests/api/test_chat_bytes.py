"""Chat answers keep their exact bytes while the hot path is reworked (issue 16): the sha256 of
answers recorded at main fbf6417 (before the changes), deterministic ids and a frozen clock, for
shapes that take different paths through the planner, the renderer and the stream."""

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_chat import WEATHER_TOOL
from tests.conftest import AUTH, pinned_client

USER = [{"role": "user", "content": "Tell me about Paris and its bakeries."}]
SCHEMA = {
    "type": "json_schema",
    "json_schema": {
        "name": "city",
        "strict": True,
        "schema": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "people": {"type": "integer"}},
            "required": ["name", "people"],
            "additionalProperties": False,
        },
    },
}
CASES: list[tuple[str, str, str, dict[str, Any]]] = [
    ("plain", "gpt-4o", "2024-10-21", {"messages": USER}),
    ("history", "gpt-4o", "2024-10-21", {"messages": [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Hello!"},
        {"role": "assistant", "content": "Hi. What do you need?"},
        {"role": "user", "content": "A plan for next week, please."},
    ], "temperature": 0.7, "top_p": 1, "user": "u-1"}),
    ("seeded n=2 logprobs", "gpt-4o-mini", "2024-10-21", {
        "messages": USER, "n": 2, "seed": 7, "logprobs": True, "top_logprobs": 2}),
    ("short", "gpt-4o", "2024-10-21", {"messages": USER, "max_tokens": 5}),
    ("stop", "gpt-4o", "2024-10-21", {"messages": USER, "stop": ["."]}),
    ("tool required", "gpt-4o", "2024-10-21", {
        "messages": USER, "tools": [WEATHER_TOOL], "tool_choice": "required"}),
    ("tool auto", "gpt-4o", "2024-10-21", {
        "messages": [{"role": "user", "content": "What is the weather in Lyon?"}],
        "tools": [WEATHER_TOOL]}),
    ("json object", "gpt-4o", "2024-10-21", {
        "messages": [{"role": "user", "content": "Paris as JSON."}],
        "response_format": {"type": "json_object"}}),
    ("json schema", "gpt-4o", "2024-10-21", {"messages": USER, "response_format": SCHEMA}),
    ("reasoning", "o4-mini", "2025-04-01-preview", {
        "messages": USER, "max_completion_tokens": 300, "reasoning_effort": "low"}),
    ("old version", "gpt-35-turbo", "2023-05-15", {"messages": USER}),
    ("filtered", "gpt-4o", "2024-10-21", {
        "messages": [{"role": "user", "content": "How do I kill the bakery's competition?"}]}),
    ("stream", "gpt-4o", "2024-10-21", {"messages": USER, "stream": True}),
    ("stream usage n=2", "gpt-4o-mini", "2024-10-21", {
        "messages": USER, "stream": True, "n": 2,
        "stream_options": {"include_usage": True}}),
    ("stream tool", "gpt-4o", "2024-10-21", {
        "messages": USER, "stream": True, "tools": [WEATHER_TOOL], "tool_choice": "required"}),
    ("stubbed", "gpt-4o", "2024-10-21", {"messages": [
        {"role": "user", "content": "Which bakery in Lyon?"}]}),
    ("stubbed stream", "gpt-4o", "2024-10-21", {"messages": [
        {"role": "user", "content": "Which bakery in Lyon?"}], "stream": True}),
]  # fmt: skip
STUB = {
    "id": "canned",
    "match": {"operation": "chat_completions", "contains": "bakery in Lyon"},
    "response": {"content": "Try the one by the river.", "stream": {"chunk_chars": 7}},
}
RECORDED = {
    "plain": "ce7fee4c3e1a1d69efb8737433ccba5166a32f7e5de408b5d6e4597dd352d24d",
    "history": "d477c0f3662797f08975581cd73a9d1155c23bcf4fa68fb6ee3eb988f5c8562b",
    "seeded n=2 logprobs": "20f31980bdc8413d38b371bfa92219fb9a4cee89a43b87ec6f6d279475b6e93b",
    "short": "dc7a378b335b568c420fae09fbe33a2f6aae18cad07e769c8d3d7fb547519c56",
    "stop": "d9ee977bd9276d5fd1b2505eb97c73abf62bb4e33fc94abdb892c79a6048455a",
    "tool required": "52c3a89976a78a6597e25b8f6dac3625ddf205eb76329f793c3de596144d9c8f",
    "tool auto": "1a439587db9c990c1eb2d0d48286dc35e542ef6ec2028ab9ec1b5403ef4a8ac6",
    "json object": "a784783d9eec3bb871fdc3b7204be52c740877b9188233af4d5936fd1f2b701c",
    "json schema": "cba9e965c46a32f503f20ef9cb71a4d16c9e8d2e750a937522d0b9b24b6a6832",
    "reasoning": "04719481628c59fb803194264b38757be961437d5efb49827ebf97843ecd26a6",
    "old version": "871a0ee744088bbd11fcc91b1396bc8c17374905d50e9836a953e47a5fb98831",
    "filtered": "6f7d18960a58c79bccd4c166447c8812a0250a62fcc0a8b66a82fcaf05c771bc",
    "stream": "6a216d096f54e9ca8b413ecc89f3d210e5be5b6ec56c933e244caf037a80d107",
    "stream usage n=2": "429d28da252f90ea11a04cb74a3e8d889c032a018df63c0450739a78c9a573f6",
    "stream tool": "6ae450dfd8e7d1f230cb73f3af6307244d8050397dd191702f6010e88eda8c9d",
    "stubbed": "4762318768f34460913c46003c7998bb0aeb329780d8a403241aac5f78814e38",
    "stubbed stream": "e8cdda017048b16f6d299ebd0e0a480c02f8b74051fefb8dee5aec6783a968b8",
}


@pytest.fixture
def pinned() -> Iterator[TestClient]:
    yield from pinned_client(STUB)


@pytest.mark.parametrize(
    ("name", "deployment", "version", "body"), CASES, ids=[c[0] for c in CASES]
)
def test_chat_answer_bytes_are_unchanged(
    pinned: TestClient, name: str, deployment: str, version: str, body: dict[str, Any]
) -> None:
    url = f"/openai/deployments/{deployment}/chat/completions"
    answer = pinned.post(url, params={"api-version": version}, headers=AUTH, json=body)
    assert answer.status_code == 200, answer.text
    if name.startswith("stubbed"):
        assert "Try the" in answer.text  # the canned answer (its first chunk when streamed)
    digest = hashlib.sha256(answer.content).hexdigest()
    assert digest == RECORDED[name]
