"""LangChain's plain `ChatOpenAI` / `OpenAIEmbeddings` on the v1 API
(`base_url=<endpoint>/openai/v1/`, the deployment as `model`) against a live server."""

from typing import Any

import pytest
from pydantic import BaseModel

from mockazure.testing import LiveServer

langchain_openai = pytest.importorskip("langchain_openai")


class Weather(BaseModel):
    city: str
    celsius: int


def chat_model(server: LiveServer, **options: object) -> Any:
    return langchain_openai.ChatOpenAI(
        base_url=f"{server.url}/openai/v1/",
        api_key="test-key",
        model="gpt-4o",
        max_retries=0,
        **options,
    )


def test_langchain_chat_openai_invoke_and_stream(server: LiveServer) -> None:
    llm = chat_model(server)
    reply = llm.invoke("Explain photosynthesis briefly.")
    assert "photosynthesis" in reply.content.lower()
    assert reply.usage_metadata["total_tokens"] > 0
    streamed = "".join(chunk.content for chunk in llm.stream("Explain photosynthesis briefly."))
    assert streamed == reply.content


def test_langchain_chat_openai_structured_output(server: LiveServer) -> None:
    llm = chat_model(server).with_structured_output(Weather)
    result = llm.invoke("Weather in Lisbon?")
    assert isinstance(result, Weather)


def test_langchain_chat_openai_tools(server: LiveServer) -> None:
    def get_weather(city: str) -> str:
        """The weather in a city."""
        return f"Sunny in {city}"

    llm = chat_model(server).bind_tools([get_weather])
    reply = llm.invoke("What is the weather in Lisbon? Use the tool.")
    assert reply.tool_calls
    assert reply.tool_calls[0]["name"] == "get_weather"


def test_langchain_openai_embeddings_on_v1(server: LiveServer) -> None:
    embeddings = langchain_openai.OpenAIEmbeddings(
        base_url=f"{server.url}/openai/v1/",
        api_key="test-key",
        model="text-embedding-3-small",
        check_embedding_ctx_length=False,  # send text, not tiktoken ids (no download offline)
        max_retries=0,
    )
    vectors = embeddings.embed_documents(["Paris is in France.", "Bananas are yellow."])
    assert [len(v) for v in vectors] == [1536, 1536]
