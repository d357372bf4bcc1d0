"""The plain `openai.OpenAI` client on the v1 API (`base_url=<endpoint>/openai/v1/`, Microsoft's
recommended configuration; azure-v1-and-responses.md §2) against a live mockazure."""

import base64
import io
import json
from collections.abc import Iterator

import openai
import pytest
from openai import OpenAI
from openai.types.chat import ChatCompletionMessageParam, ChatCompletionToolParam
from pydantic import BaseModel

from mockazure.journal.calls import Journal, journal_source
from mockazure.testing import LiveServer
from tests.api.test_chat import WEATHER_TOOL
from tests.audio_samples import make_wav

KEY = "test-key"
MESSAGES: list[ChatCompletionMessageParam] = [
    {"role": "user", "content": "Explain photosynthesis briefly."}
]
TOOL: ChatCompletionToolParam = WEATHER_TOOL  # type: ignore[assignment]


def v1_client(server: LiveServer, **options: object) -> OpenAI:
    return OpenAI(
        base_url=f"{server.url}/openai/v1/",
        api_key=options.pop("api_key", KEY),  # type: ignore[arg-type]
        max_retries=0,
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
def sdk(server: LiveServer) -> Iterator[OpenAI]:
    with v1_client(server) as client:
        yield client


def test_v1_sdk_chat(sdk: OpenAI, server: LiveServer) -> None:
    completion = sdk.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    assert completion.object == "chat.completion"
    assert "photosynthesis" in (completion.choices[0].message.content or "").lower()
    extra = completion.model_extra or {}
    assert extra["prompt_filter_results"][0]["prompt_index"] == 0
    last = Journal(journal_source(server.state.store)).last
    assert last is not None
    assert (last.path, last.operation, last.deployment) == (
        "/openai/v1/chat/completions",
        "chat_completions",
        "gpt-4o",
    )


def test_v1_sdk_stream_joins_to_the_same_answer_with_usage(sdk: OpenAI) -> None:
    whole = sdk.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    pieces: list[str] = []
    usage = None
    for chunk in sdk.chat.completions.create(
        model="gpt-4o", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
    ):
        pieces.extend(choice.delta.content or "" for choice in chunk.choices)
        usage = chunk.usage or usage
    assert "".join(pieces) == whole.choices[0].message.content
    assert usage is not None
    assert whole.usage is not None
    assert usage.completion_tokens == whole.usage.completion_tokens


def test_v1_sdk_tools_agent_loop(sdk: OpenAI) -> None:
    messages: list[ChatCompletionMessageParam] = [
        {"role": "user", "content": "What is the weather in Lisbon?"}
    ]
    first = sdk.chat.completions.create(model="gpt-4o", messages=messages, tools=[TOOL])
    calls = first.choices[0].message.tool_calls or []
    assert first.choices[0].finish_reason == "tool_calls"
    assert calls
    arguments = json.loads(calls[0].function.arguments)  # type: ignore[union-attr]
    assert set(arguments) >= {"city", "unit"}
    messages.append(first.choices[0].message.model_dump(exclude_none=True))  # type: ignore[arg-type]
    for call in calls:
        messages.append({"role": "tool", "tool_call_id": call.id, "content": '{"temp_c": 21}'})
    final = sdk.chat.completions.create(model="gpt-4o", messages=messages, tools=[TOOL])
    assert final.choices[0].finish_reason == "stop"
    assert final.choices[0].message.content


class Recipe(BaseModel):
    name: str
    minutes: int


def test_v1_sdk_parse_structured_output(sdk: OpenAI) -> None:
    completion = sdk.chat.completions.parse(
        model="gpt-4o",
        messages=[{"role": "user", "content": "A quick pasta recipe."}],
        response_format=Recipe,
    )
    assert isinstance(completion.choices[0].message.parsed, Recipe)


def test_v1_sdk_embeddings_default_base64(sdk: OpenAI) -> None:
    result = sdk.embeddings.create(model="text-embedding-3-small", input=["a cat", "a dog"])
    assert [item.index for item in result.data] == [0, 1]
    assert len(result.data[0].embedding) == 1536
    assert result.usage.prompt_tokens > 0


def test_v1_sdk_images_generate(sdk: OpenAI) -> None:
    image = sdk.images.generate(
        model="dall-e-3", prompt="A lighthouse at dusk", response_format="b64_json"
    )
    assert image.data
    assert base64.b64decode(image.data[0].b64_json or "")[:8] == b"\x89PNG\r\n\x1a\n"


def test_v1_sdk_audio_transcription_and_speech(sdk: OpenAI) -> None:
    text = sdk.audio.transcriptions.create(
        model="whisper", file=("hello.wav", io.BytesIO(make_wav()), "audio/wav")
    )
    assert text.text
    speech = sdk.audio.speech.create(model="tts", voice="alloy", input="Hello from the v1 API.")
    assert speech.content[:3] in (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")


def test_v1_sdk_models_list_and_retrieve(sdk: OpenAI) -> None:
    ids = [model.id for model in sdk.models.list()]
    assert "gpt-4o" in ids
    assert sdk.models.retrieve("gpt-4o").owned_by == "system"


def test_v1_sdk_errors_map_to_exception_classes(sdk: OpenAI, server: LiveServer) -> None:
    with pytest.raises(openai.NotFoundError) as missing:
        sdk.chat.completions.create(model="no-such-deployment", messages=MESSAGES)
    assert missing.value.code == "DeploymentNotFound"
    with pytest.raises(openai.BadRequestError) as bad:
        sdk.chat.completions.create(model="gpt-4o", messages=MESSAGES, temperature=3)
    assert bad.value.param == "temperature"
    with v1_client(server, api_key="wrong") as wrong, pytest.raises(openai.AuthenticationError):
        wrong.models.list()


def test_v1_sdk_token_provider_callable(server: LiveServer) -> None:
    calls: list[int] = []

    def token() -> str:
        calls.append(1)
        return KEY  # an API key as the bearer is valid on v1

    with v1_client(server, api_key=token) as client:
        assert client.chat.completions.create(model="gpt-4o", messages=MESSAGES).choices
    assert calls


def test_v1_sdk_default_query_preview(server: LiveServer) -> None:
    with v1_client(server, default_query={"api-version": "preview"}) as client:
        reply = client.chat.completions.with_raw_response.create(model="gpt-4o", messages=MESSAGES)
    assert "api-version=preview" in str(reply.http_request.url)
    assert reply.parse().choices[0].message.content


def test_v1_sdk_dated_version_is_refused(server: LiveServer) -> None:
    client = v1_client(server, default_query={"api-version": "2024-10-21"})
    with client, pytest.raises(openai.BadRequestError) as refused:
        client.models.list()
    assert refused.value.code == "BadRequest"
    assert "API version not supported" in str(refused.value)
