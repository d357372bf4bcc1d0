"""Contract tests: the official openai SDK against a live server, completions and embeddings,
and the SDK exception for a filtered prompt."""

import math
from collections.abc import Iterator

import openai
import pytest
from openai import AzureOpenAI

from mockazure.testing import LiveServer
from tests.sdk.test_openai_chat import make_client

INSTRUCT = "gpt-35-turbo-instruct"


@pytest.fixture
def sdk(server: LiveServer) -> Iterator[AzureOpenAI]:
    with make_client(server) as client:
        yield client


def test_sdk_completion_with_logprobs_and_echo(sdk: AzureOpenAI) -> None:
    completion = sdk.completions.create(
        model=INSTRUCT, prompt="Rivers of Europe", max_tokens=10, logprobs=2, echo=True
    )
    assert completion.object == "text_completion"
    choice = completion.choices[0]
    assert choice.text.startswith("Rivers of Europe")
    assert choice.logprobs is not None
    assert "".join(choice.logprobs.tokens or []) == choice.text
    assert completion.usage is not None
    assert completion.usage.completion_tokens == 10


def test_sdk_completion_stream_joins_to_the_same_text(sdk: AzureOpenAI) -> None:
    whole = sdk.completions.create(model=INSTRUCT, prompt="Clouds", max_tokens=12)
    pieces = [
        choice.text
        for chunk in sdk.completions.create(
            model=INSTRUCT, prompt="Clouds", max_tokens=12, stream=True
        )
        for choice in chunk.choices
    ]
    assert "".join(pieces) == whole.choices[0].text


def test_sdk_embeddings_default_base64_equals_float(sdk: AzureOpenAI) -> None:
    texts = ["vector search", "semantic retrieval"]
    default = sdk.embeddings.create(model="text-embedding-3-small", input=texts)
    floats = sdk.embeddings.create(
        model="text-embedding-3-small", input=texts, encoding_format="float"
    )
    assert len(default.data) == 2
    for a, b in zip(default.data, floats.data, strict=True):
        assert len(a.embedding) == 1536
        assert all(
            math.isclose(x, y, abs_tol=1e-6) for x, y in zip(a.embedding, b.embedding, strict=True)
        )
    assert default.usage.prompt_tokens == floats.usage.prompt_tokens > 0


def test_sdk_embeddings_dimensions(sdk: AzureOpenAI) -> None:
    result = sdk.embeddings.create(model="text-embedding-3-large", input="hello", dimensions=256)
    vector = result.data[0].embedding
    assert len(vector) == 256
    assert math.isclose(sum(x * x for x in vector), 1.0, rel_tol=1e-5)


def test_sdk_embeddings_dimensions_on_ada_raises(sdk: AzureOpenAI) -> None:
    with pytest.raises(openai.BadRequestError, match="does not support specifying dimensions"):
        sdk.embeddings.create(model="text-embedding-ada-002", input="hello", dimensions=256)


def test_sdk_content_filter_raises_bad_request_with_code(sdk: AzureOpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        sdk.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "x [[filter:violence]]"}]
        )
    error = caught.value
    assert error.code == "content_filter"
    assert error.param == "prompt"
    body = error.body
    assert isinstance(body, dict)
    assert body["innererror"]["code"] == "ResponsibleAIPolicyViolation"


def test_sdk_completion_content_filter_finish(sdk: AzureOpenAI) -> None:
    completion = sdk.completions.create(
        model=INSTRUCT, prompt="A tale [[filter:output:hate]]", max_tokens=30
    )
    assert completion.choices[0].finish_reason == "content_filter"
