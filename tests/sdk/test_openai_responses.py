"""openai-python's Responses client against a live server, on both path families:
`OpenAI(base_url=URL + "/openai/v1/")` and `AzureOpenAI(api_version="2025-04-01-preview")`
(which calls `/openai/responses?api-version=...`)."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from openai import AzureOpenAI, OpenAI
from pydantic import BaseModel

from mockazure import Settings, create_app
from mockazure.clock import FrozenClock
from mockazure.testing import LiveServer, live_server
from tests.api.responses_helpers import WEATHER_TOOL

TOOLS: Any = [WEATHER_TOOL]


def client_for(url: str, family: str) -> OpenAI:
    if family == "v1":
        return OpenAI(base_url=url + "/openai/v1/", api_key="test-key", max_retries=0)
    return AzureOpenAI(
        azure_endpoint=url, api_key="test-key", api_version="2025-04-01-preview", max_retries=0
    )


@pytest.fixture(params=["v1", "azure"])
def sdk(request: pytest.FixtureRequest, server: LiveServer) -> Iterator[OpenAI]:
    with client_for(server.url, request.param) as client:
        yield client


def test_sdk_responses_create(sdk: OpenAI) -> None:
    response = sdk.responses.create(model="gpt-4o", input="Tell me about lighthouses")
    assert response.status == "completed"
    assert response.output_text
    assert response.usage is not None
    assert response.usage.total_tokens == response.usage.input_tokens + response.usage.output_tokens


def test_sdk_responses_stream_true(sdk: OpenAI) -> None:
    events = list(sdk.responses.create(model="gpt-4o", input="Tell me about owls", stream=True))
    deltas = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    final = events[-1]
    assert final.type == "response.completed"
    assert deltas == final.response.output_text
    assert [e.sequence_number for e in events] == list(range(len(events)))


def test_sdk_responses_stream_helper(sdk: OpenAI) -> None:
    with sdk.responses.stream(model="gpt-4o", input="Tell me about owls") as stream:
        texts = [e.delta for e in stream if e.type == "response.output_text.delta"]
        final = stream.get_final_response()
    assert "".join(texts) == final.output_text


class Person(BaseModel):
    name: str
    age: int


def test_sdk_responses_parse_pydantic(sdk: OpenAI) -> None:
    parsed = sdk.responses.parse(model="gpt-4o", input="Invent a person", text_format=Person)
    assert isinstance(parsed.output_parsed, Person)


def _weather(arguments: str) -> str:
    return json.dumps({"city": json.loads(arguments)["city"], "temperature_c": 21})


def test_sdk_responses_tool_loop_with_previous_response_id(sdk: OpenAI) -> None:
    response = sdk.responses.create(model="gpt-4o", input="Weather in Lima?", tools=TOOLS)
    for _ in range(3):
        calls = [item for item in response.output if item.type == "function_call"]
        if not calls:
            break
        outputs: Any = [
            {"type": "function_call_output", "call_id": c.call_id, "output": _weather(c.arguments)}
            for c in calls
        ]
        response = sdk.responses.create(
            model="gpt-4o", previous_response_id=response.id, input=outputs, tools=TOOLS
        )
    assert "21" in response.output_text


def test_sdk_responses_tool_loop_with_manual_input(sdk: OpenAI) -> None:
    history: list[Any] = [{"role": "user", "content": "Weather in Lima?"}]
    response = sdk.responses.create(model="gpt-4o", input=history, tools=TOOLS, store=False)
    history += response.output
    for call in [item for item in response.output if item.type == "function_call"]:
        history.append(
            {
                "type": "function_call_output",
                "call_id": call.call_id,
                "output": _weather(call.arguments),
            }
        )
    final = sdk.responses.create(model="gpt-4o", input=history, tools=TOOLS, store=False)
    assert "21" in final.output_text


def test_sdk_responses_retrieve_input_items_delete(sdk: OpenAI) -> None:
    created = sdk.responses.create(model="gpt-4o", input="Remember this")
    assert sdk.responses.retrieve(created.id).output_text == created.output_text
    items = sdk.responses.input_items.list(created.id)
    assert [item.type for item in items.data] == ["message"]
    sdk.responses.delete(created.id)
    with pytest.raises(Exception, match="not found"):
        sdk.responses.retrieve(created.id)


def test_sdk_responses_reasoning_model(sdk: OpenAI) -> None:
    response = sdk.responses.create(
        model="o4-mini", input="Plan a picnic", reasoning={"effort": "low", "summary": "auto"}
    )
    assert response.output[0].type == "reasoning"
    assert response.usage is not None
    assert response.usage.output_tokens_details.reasoning_tokens >= 64


@pytest.fixture
def timed() -> Iterator[tuple[LiveServer, FrozenClock]]:
    clock = FrozenClock()
    app = create_app(Settings(responses_queued_s=1, responses_done_after_s=2), clock=clock)
    with live_server(app) as running:
        yield running, clock


@pytest.mark.parametrize("family", ["v1", "azure"])
def test_sdk_responses_background_polling_and_cancel(
    timed: tuple[LiveServer, FrozenClock], family: str
) -> None:
    running, clock = timed
    with client_for(running.url, family) as sdk:
        job = sdk.responses.create(model="gpt-4o", input="Write a poem", background=True)
        seen = [job.status]
        while job.status in ("queued", "in_progress"):
            clock.advance(1)
            job = sdk.responses.retrieve(job.id)
            seen.append(job.status)
        assert seen == ["queued", "in_progress", "completed"]
        assert job.output_text
        other = sdk.responses.create(model="gpt-4o", input="Another", background=True)
        cancelled = sdk.responses.cancel(other.id)
        assert cancelled.status == "cancelled"
        assert sdk.responses.cancel(other.id).status == "cancelled"
