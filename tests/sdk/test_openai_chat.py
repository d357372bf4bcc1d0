"""Contract tests: the official openai SDK against a live mockazure server."""

import json
from collections.abc import Iterator

import openai
import pytest
from openai import AsyncAzureOpenAI, AzureOpenAI
from openai.types.chat import (
    ChatCompletionMessageFunctionToolCall,
    ChatCompletionMessageParam,
    ChatCompletionToolParam,
)
from pydantic import BaseModel

from mockazure.testing import LiveServer
from tests.api.test_chat import WEATHER_TOOL
from tests.conftest import API_VERSION

MESSAGES: list[ChatCompletionMessageParam] = [
    {"role": "user", "content": "Explain photosynthesis briefly."}
]
TOOL: ChatCompletionToolParam = WEATHER_TOOL  # type: ignore[assignment]


def make_client(
    server: LiveServer, key: str = "test-key", version: str = API_VERSION
) -> AzureOpenAI:
    return AzureOpenAI(azure_endpoint=server.url, api_key=key, api_version=version, max_retries=0)


@pytest.fixture
def sdk(server: LiveServer) -> Iterator[AzureOpenAI]:
    with make_client(server) as client:
        yield client


def test_sdk_chat_completion_round_trip(sdk: AzureOpenAI) -> None:
    completion = sdk.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    assert completion.object == "chat.completion"
    assert completion.choices[0].message.content
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None
    assert completion.usage.total_tokens > 0
    extra = completion.model_extra or {}
    assert extra["prompt_filter_results"][0]["prompt_index"] == 0


def test_sdk_chat_stream_joins_to_the_same_answer(sdk: AzureOpenAI) -> None:
    whole = sdk.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    pieces = []
    for chunk in sdk.chat.completions.create(
        model="gpt-4o",
        messages=MESSAGES,
        stream=True,
    ):
        for choice in chunk.choices:
            pieces.append(choice.delta.content or "")
    assert "".join(pieces) == whole.choices[0].message.content


def test_sdk_chat_stream_helper_accepts_azure_chunks(sdk: AzureOpenAI) -> None:
    with sdk.chat.completions.stream(model="gpt-4o", messages=MESSAGES) as stream:
        final = stream.get_final_completion()
    assert final.choices[0].message.content


def test_sdk_tool_call_arguments_parse(sdk: AzureOpenAI) -> None:
    completion = sdk.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": "Weather in Oslo?"}],
        tools=[TOOL],
    )
    calls = completion.choices[0].message.tool_calls or []
    assert calls
    call = calls[0]
    assert isinstance(call, ChatCompletionMessageFunctionToolCall)
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments)["unit"] in ("celsius", "fahrenheit")


class Recipe(BaseModel):
    title: str
    minutes: int
    ingredients: list[str]


def test_sdk_parse_with_pydantic_schema(sdk: AzureOpenAI) -> None:
    completion = sdk.chat.completions.parse(
        model="gpt-4o",
        messages=[{"role": "user", "content": "A pancake recipe"}],
        response_format=Recipe,
    )
    parsed = completion.choices[0].message.parsed
    assert isinstance(parsed, Recipe)


def test_sdk_errors_map_to_exception_classes(sdk: AzureOpenAI, server: LiveServer) -> None:
    with pytest.raises(openai.NotFoundError) as missing:
        sdk.chat.completions.create(model="nope", messages=MESSAGES)
    assert missing.value.code == "DeploymentNotFound"
    with (
        make_client(server, key="wrong") as bad_key,
        pytest.raises(openai.AuthenticationError) as denied,
    ):
        bad_key.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    assert denied.value.code == "401"
    with pytest.raises(openai.BadRequestError) as invalid:
        sdk.chat.completions.create(model="gpt-4o", messages=MESSAGES, temperature=5)
    assert invalid.value.code == "decimal_above_max_value"
    assert invalid.value.param == "temperature"
    with make_client(server, version="2021-01-01") as old, pytest.raises(openai.NotFoundError):
        old.chat.completions.create(model="gpt-4o", messages=MESSAGES)


@pytest.mark.anyio
async def test_async_sdk_chat_and_stream(server: LiveServer) -> None:
    async with AsyncAzureOpenAI(
        azure_endpoint=server.url, api_key="test-key", api_version=API_VERSION, max_retries=0
    ) as client:
        await _async_round_trip(client)


async def _async_round_trip(client: AsyncAzureOpenAI) -> None:
    completion = await client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    assert completion.choices[0].message.content
    stream = await client.chat.completions.create(
        model="gpt-4o-mini",
        messages=MESSAGES,
        stream=True,
    )
    text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert text == completion.choices[0].message.content
