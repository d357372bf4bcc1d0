"""LangChain AzureChatOpenAI streaming and structured output against a live mockazure
(clients.md §4.1). The basics (invoke, embeddings) are covered with issue 3; this file covers what
stresses the stream: `stream_options` always sent, and `with_structured_output`, whose streaming
path uses the SDK's `chat.completions.stream()` helper that needs `delta` on every chunk choice."""

import pytest
from langchain_core.messages import AIMessageChunk
from langchain_openai import AzureChatOpenAI
from pydantic import BaseModel

from mockazure.testing import LiveServer
from tests.clients.conftest import KEY

pytestmark = pytest.mark.clients

QUESTION = "Explain photosynthesis briefly."


class City(BaseModel):
    name: str
    population: int
    landmarks: list[str]


def chat_model(server: LiveServer, api_version: str = "2025-04-01-preview") -> AzureChatOpenAI:
    return AzureChatOpenAI(
        azure_endpoint=server.url,
        azure_deployment="gpt-4o",
        api_version=api_version,
        api_key=KEY,
        max_retries=0,
        seed=7,
    )


def test_stream_joins_to_the_invoke_answer_with_usage(server: LiveServer) -> None:
    model = chat_model(server)
    whole = model.invoke(QUESTION)
    joined: AIMessageChunk | None = None
    for chunk in model.stream(QUESTION):
        joined = chunk if joined is None else joined + chunk
    assert joined is not None
    assert joined.content == whole.content
    assert joined.response_metadata["finish_reason"] == "stop"
    # LangChain always asks for the usage chunk; 2025-04-01-preview defines stream_options.
    assert joined.usage_metadata is not None
    assert joined.usage_metadata["output_tokens"] == whole.usage_metadata["output_tokens"]  # type: ignore[index]


def test_stream_on_ga_version_is_tolerated(server: LiveServer) -> None:
    chunks = list(chat_model(server, "2024-10-21").stream(QUESTION))
    assert "".join(str(chunk.content) for chunk in chunks)


def test_structured_output_invoke_parses_schema_json(server: LiveServer) -> None:
    city = chat_model(server).with_structured_output(City).invoke("Describe Paris.")
    assert isinstance(city, City)
    assert isinstance(city.population, int)


# langchain-openai model_dump()s the SDK's ParsedChatCompletion, whose `parsed` is typed None in the
# generic; pydantic warns about that inside the client (not about anything mockazure sent).
@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings:UserWarning")
def test_structured_output_stream_goes_through_the_sdk_stream_helper(server: LiveServer) -> None:
    structured = chat_model(server).with_structured_output(City)
    parts = list(structured.stream("Describe Paris."))
    assert parts
    assert isinstance(parts[-1], City)
    assert parts[-1] == structured.invoke("Describe Paris.")
