"""The control plane as a client sees it, through the official SDK against a live server:
retries on 429 (stubbed and real rate limits), dropped connections, cut and malformed streams,
a scripted tool-call conversation."""

import json
from collections.abc import Iterator
from typing import Any

import httpx2
import openai
import pytest
from openai import AzureOpenAI

from mockazure.app import create_app
from mockazure.clock import FrozenClock
from mockazure.config import Settings
from mockazure.journal.codec import decode_entry
from mockazure.testing import LiveServer, live_server

HELLO: list[Any] = [{"role": "user", "content": "Tell me about Paris."}]


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    with live_server(create_app(Settings())) as running:
        yield running


@pytest.fixture
def server(live: LiveServer) -> LiveServer:
    live.state.reset()
    return live


OPEN: list[AzureOpenAI] = []


@pytest.fixture(autouse=True)
def close_clients() -> Iterator[None]:
    yield
    while OPEN:
        OPEN.pop().close()


def sdk(server: LiveServer, **options: Any) -> AzureOpenAI:
    client = AzureOpenAI(
        azure_endpoint=server.url, api_key="k", api_version="2024-10-21", **options
    )
    OPEN.append(client)
    return client


def statuses(server: LiveServer) -> list[int]:
    return [decode_entry(item)["status"] for item in server.state.store.items("journal")]


def test_sdk_retries_a_stubbed_throttle_after_retry_after_ms(server: LiveServer) -> None:
    server.state.stubs.add(_rule({"times": 1, "fault": {"kind": "throttle", "retry_after_ms": 20}}))
    reply = sdk(server).chat.completions.create(model="gpt-4o", messages=HELLO)
    assert reply.choices[0].message.content
    assert statuses(server) == [429, 200]
    throttled = decode_entry(server.state.store.items("journal")[0])
    assert throttled["response_headers"]["retry-after-ms"] == "20"
    assert throttled["response_headers"]["retry-after"] == "1"
    assert "ChatCompletions_Create Operation" in throttled["response_body"]["error"]["message"]


def test_sdk_retries_through_real_rate_limits() -> None:
    """RPM per 10-second window (shrunk to 50 ms here): the second call in a window gets 429;
    the SDK waits `retry-after-ms`; the clock moves as much, and the retry succeeds."""
    clock = FrozenClock()
    settings = Settings(rate_limits=True, rate_window_s=0.05)
    waits: list[str] = []

    def time_passes(response: httpx2.Response) -> None:
        if response.status_code == 429:
            waits.append(response.headers["retry-after-ms"])
            clock.advance(float(response.headers["retry-after-ms"]) / 1000)

    with live_server(create_app(settings, clock=clock)) as server:
        http = openai.DefaultHttpxClient(event_hooks={"response": [time_passes]})
        client = sdk(server, http_client=http)
        first = client.chat.completions.with_raw_response.create(model="gpt-4o", messages=HELLO)
        assert first.headers["x-ratelimit-remaining-requests"] == "0"
        second = client.chat.completions.with_raw_response.create(model="gpt-4o", messages=HELLO)
        assert second.parse().choices[0].message.content
        assert statuses(server) == [200, 429, 200]
        assert waits == ["50"]
        throttled = decode_entry(server.state.store.items("journal")[1])
        assert throttled["response_headers"]["policy-id"] == "DeploymentRatelimit-Call"
        assert "call rate limit" in throttled["response_body"]["error"]["message"]
        # Without retries the client sees Azure's 429 itself.
        with pytest.raises(openai.RateLimitError) as refused:
            sdk(server, max_retries=0).chat.completions.create(model="gpt-4o", messages=HELLO)
        assert refused.value.response.headers["x-ratelimit-remaining-requests"] == "0"


def test_token_limit_uses_prompt_plus_max_tokens() -> None:
    clock = FrozenClock()
    with live_server(create_app(Settings(), clock=clock)) as server:
        server.state.deployments["tight"] = server.state.deployments["gpt-4o"].model_copy(
            update={"name": "tight", "tpm": 200, "rpm": 600, "options": {"rate_limits": True}}
        )
        client = sdk(server, max_retries=0)
        client.chat.completions.create(model="tight", messages=HELLO, max_tokens=150)
        with pytest.raises(openai.RateLimitError) as refused:
            client.chat.completions.create(model="tight", messages=HELLO, max_tokens=150)
        headers = refused.value.response.headers
        assert headers["policy-id"] == "DeploymentRatelimit-Token"
        assert headers["retry-after"] == "60"
        assert "token rate limit" in refused.value.message


def test_dropped_connection_is_retried_by_the_sdk(server: LiveServer) -> None:
    with pytest.raises(openai.APIConnectionError):
        sdk(server, max_retries=0).chat.completions.create(
            model="gpt-4o", messages=HELLO, extra_headers={"x-mock-fault": "drop"}
        )
    server.state.stubs.add(_rule({"times": 1, "fault": {"kind": "drop"}}))
    reply = sdk(server).chat.completions.create(model="gpt-4o", messages=HELLO)
    assert reply.choices[0].message.content


def test_stream_cut_after_k_chunks(server: LiveServer) -> None:
    stream = sdk(server).chat.completions.create(
        model="gpt-4o", messages=HELLO, stream=True, extra_headers={"x-mock-fault": "cut=3"}
    )
    received: list[Any] = []

    def read_all() -> None:
        received.extend(stream)

    with pytest.raises(openai.APIConnectionError):
        read_all()
    assert len(received) == 3
    call = decode_entry(server.state.store.items("journal")[-1])
    assert call["fault"] == "cut=3"


def test_malformed_chunk(server: LiveServer) -> None:
    stream = sdk(server).chat.completions.create(
        model="gpt-4o", messages=HELLO, stream=True, extra_headers={"x-mock-fault": "malformed=2"}
    )
    with pytest.raises(json.JSONDecodeError):
        list(stream)


def test_global_error_fault_for_one_deployment(server: LiveServer) -> None:
    with httpx2.Client(base_url=server.url) as control:
        put = control.put(
            "/_mock/faults", json={"kind": "error", "status": 503, "deployment": "gpt-4o"}
        )
        assert put.status_code == 200
    with pytest.raises(openai.InternalServerError) as failed:
        sdk(server, max_retries=0).chat.completions.create(model="gpt-4o", messages=HELLO)
    assert failed.value.status_code == 503
    assert failed.value.body == {"code": "503", "message": "mockazure injected fault: HTTP 503."}
    other = sdk(server).chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    assert other.choices[0].message.content


def test_scripted_agent_conversation(server: LiveServer) -> None:
    server.state.stubs.add(
        _rule(
            {
                "match": {"contains": "order"},
                "responses": [
                    {
                        "tool_calls": [
                            {
                                "name": "lookup_order",
                                "arguments": {"id": "{{ last_user.split()[-1] }}"},
                            }
                        ]
                    },
                    {"content": "Order status: {{ tool_results[0] }}."},
                ],
            }
        )
    )
    client = sdk(server)
    tools: Any = [
        {"type": "function", "function": {"name": "lookup_order", "parameters": {"type": "object"}}}
    ]
    messages: list[Any] = [{"role": "user", "content": "Where is my order 42"}]
    for _ in range(5):  # an agent loop: call tools until the model answers in text
        reply = client.chat.completions.create(model="gpt-4o", messages=messages, tools=tools)
        message = reply.choices[0].message
        if not message.tool_calls:
            break
        messages.append(message.model_dump(exclude_none=True))
        for call in message.tool_calls:
            assert call.type == "function"
            assert json.loads(call.function.arguments) == {"id": "42"}
            messages.append({"role": "tool", "tool_call_id": call.id, "content": "shipped"})
    assert message.content == "Order status: shipped."
    assert len(messages) == 3


def _rule(data: dict[str, Any]) -> Any:
    from mockazure.stubs.rules import StubRule

    return StubRule.model_validate(data)
