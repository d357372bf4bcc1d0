"""LangChain's AzureOpenAIEmbeddings and AzureChatOpenAI against a live server (clients.md §4).

The embeddings client tokenizes with tiktoken and sends token-id arrays by default; the cache
is seeded from the bundled BPE files so that works offline (clients.md §8)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from mockazure.testing import LiveServer
from mockazure.tokens.tokenizers import seed_tiktoken_cache
from tests.conftest import API_VERSION

langchain_openai = pytest.importorskip("langchain_openai")


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


@pytest.fixture
def offline_tiktoken(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    cache = tmp_path_factory.mktemp("tiktoken")
    seed_tiktoken_cache(cache)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TIKTOKEN_CACHE_DIR", str(Path(cache)))
        yield


@pytest.mark.usefixtures("offline_tiktoken")
def test_langchain_embeddings_token_arrays_match_text(server: LiveServer) -> None:
    kwargs = {
        "azure_endpoint": server.url,
        "api_key": "test-key",
        "api_version": API_VERSION,
        "azure_deployment": "text-embedding-3-small",
        "model": "text-embedding-3-small",
        "max_retries": 0,
    }
    tokens = langchain_openai.AzureOpenAIEmbeddings(**kwargs)
    texts = langchain_openai.AzureOpenAIEmbeddings(**kwargs, check_embedding_ctx_length=False)
    docs = ["Paris is the capital of France.", "Bananas are rich in potassium."]
    by_tokens = tokens.embed_documents(docs)
    by_text = texts.embed_documents(docs)
    for a, b in zip(by_tokens, by_text, strict=True):
        assert len(a) == 1536
        assert cosine(a, b) == pytest.approx(1.0, abs=1e-5)
    query = tokens.embed_query("What is the capital of France?")
    assert cosine(query, by_tokens[0]) > cosine(query, by_tokens[1])


def make_chat(server: LiveServer) -> object:
    return langchain_openai.AzureChatOpenAI(
        azure_endpoint=server.url,
        api_key="test-key",
        api_version=API_VERSION,
        azure_deployment="gpt-4o",
        max_retries=0,
    )


def test_langchain_chat_invoke_and_stream(server: LiveServer) -> None:
    chat = make_chat(server)
    answer = chat.invoke("Tell me about Lisbon.")  # type: ignore[attr-defined]
    assert "Lisbon" in answer.content
    streamed = "".join(str(c.content) for c in chat.stream("Tell me about Lisbon."))  # type: ignore[attr-defined]
    assert streamed == answer.content


def test_langchain_chat_raises_on_content_filter_finish(server: LiveServer) -> None:
    chat = make_chat(server)
    with pytest.raises(ValueError, match="content filter"):
        chat.invoke("Tell me about Lisbon. [[filter:output:violence]]")  # type: ignore[attr-defined]


def test_langchain_chat_filtered_prompt_keeps_the_code(server: LiveServer) -> None:
    import openai

    chat = make_chat(server)
    with pytest.raises(openai.BadRequestError) as caught:
        chat.invoke("x [[filter:jailbreak]]")  # type: ignore[attr-defined]
    assert caught.value.code == "content_filter"
