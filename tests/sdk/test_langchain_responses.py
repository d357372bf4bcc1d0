"""LangChain's AzureChatOpenAI with `use_responses_api=True` against a live server: plain
invoke, stream, bound tools, structured output (reference §4: LangChain switches to Responses
with `use_responses_api=True`)."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from mockazure.testing import LiveServer

langchain_openai = pytest.importorskip("langchain_openai")


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    # One client the test closes: LangChain's own would be closed only when collected.
    with httpx.Client() as client:
        yield client


def chat(server: LiveServer, http: httpx.Client, **extra: Any) -> Any:
    return langchain_openai.AzureChatOpenAI(
        azure_endpoint=server.url,
        api_key="test-key",
        api_version="2025-04-01-preview",
        azure_deployment="gpt-4o",
        use_responses_api=True,
        max_retries=0,
        http_client=http,
        **extra,
    )


def test_langchain_responses_invoke(server: LiveServer, http: httpx.Client) -> None:
    reply = chat(server, http).invoke("Tell me about glaciers")
    assert "glaciers" in reply.text
    assert reply.response_metadata["id"].startswith("resp_")
    assert reply.usage_metadata["total_tokens"] > 0


def test_langchain_responses_stream_joins_to_invoke(server: LiveServer, http: httpx.Client) -> None:
    model = chat(server, http)
    joined = "".join(chunk.text for chunk in model.stream("Tell me about glaciers"))
    assert joined == model.invoke("Tell me about glaciers").text


def test_langchain_responses_tool_calls(server: LiveServer, http: httpx.Client) -> None:
    def get_weather(city: str) -> str:
        """Get the weather for a city."""
        return city

    reply = chat(server, http).bind_tools([get_weather]).invoke("Weather in Bern?")
    assert [call["name"] for call in reply.tool_calls] == ["get_weather"]
    assert isinstance(reply.tool_calls[0]["args"]["city"], str)


class Movie(BaseModel):
    title: str
    year: int


def test_langchain_responses_structured_output(server: LiveServer, http: httpx.Client) -> None:
    movie = chat(server, http).with_structured_output(Movie).invoke("Name a movie")
    assert isinstance(movie, Movie)
