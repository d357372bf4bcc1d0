import base64
import math
import struct
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.tokens.tokenizers import get_tokenizer
from tests.conftest import AUTH, PARAMS

SMALL = "/openai/deployments/text-embedding-3-small/embeddings"
LARGE = "/openai/deployments/text-embedding-3-large/embeddings"
ADA = "/openai/deployments/text-embedding-ada-002/embeddings"
TOKENIZER = get_tokenizer("cl100k_base")


def post(client: TestClient, url: str = SMALL, version: str | None = None, **body: Any) -> Any:
    params = {"api-version": version} if version else PARAMS
    return client.post(url, params=params, headers=AUTH, json=body)


def vectors(client: TestClient, texts: Any, url: str = SMALL, **body: Any) -> list[list[float]]:
    response = post(client, url, input=texts, **body)
    assert response.status_code == 200, response.text
    return [item["embedding"] for item in response.json()["data"]]


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_embeddings_shape_native_sizes_and_usage(client: TestClient) -> None:
    texts = ["hello world", "a second input"]
    response = post(client, input=texts)
    result = response.json()
    assert result["object"] == "list"
    assert result["model"] == "text-embedding-3-small"
    assert [d["index"] for d in result["data"]] == [0, 1]
    assert all(d["object"] == "embedding" for d in result["data"])
    assert len(result["data"][0]["embedding"]) == 1536
    tokens = sum(TOKENIZER.count(t) for t in texts)
    assert result["usage"] == {"prompt_tokens": tokens, "total_tokens": tokens}
    assert len(vectors(client, "x", LARGE)[0]) == 3072
    assert len(vectors(client, "x", ADA)[0]) == 1536


def test_embeddings_are_unit_length_and_deterministic(client: TestClient) -> None:
    first = vectors(client, ["alpha beta", "gamma"])
    assert first == vectors(client, ["alpha beta", "gamma"])
    for vector in first:
        assert math.isclose(math.sqrt(sum(x * x for x in vector)), 1.0, rel_tol=1e-9)


def test_embeddings_keep_input_order(client: TestClient) -> None:
    pair = vectors(client, ["first text", "second text"])
    assert vectors(client, ["second text", "first text"]) == pair[::-1]


def test_embeddings_token_ids_embed_like_text(client: TestClient) -> None:
    texts = ["hello world", "the quick brown fox"]
    as_tokens = [TOKENIZER.encode(t) for t in texts]
    response = post(client, input=as_tokens)
    assert [d["embedding"] for d in response.json()["data"]] == vectors(client, texts)
    assert response.json()["usage"]["prompt_tokens"] == sum(len(t) for t in as_tokens)
    assert vectors(client, as_tokens[0]) == vectors(client, texts[0])


def test_embeddings_similar_texts_are_closer_than_unrelated(client: TestClient) -> None:
    cat, cat_again, revenue = vectors(
        client,
        [
            "The cat sat on the mat.",
            "A cat was sitting on a mat.",
            "Quarterly revenue grew by ten percent.",
        ],
    )
    assert cosine(cat, cat_again) > 0.3
    assert abs(cosine(cat, revenue)) < 0.1
    assert cosine(cat, cat_again) > cosine(cat, revenue) + 0.25


def test_embeddings_reworded_query_retrieves_its_document(client: TestClient) -> None:
    docs = [
        "How to reset your account password in the settings page",
        "Baking sourdough bread at home with a starter",
        "Training neural networks with gradient descent",
        "The history of the Roman empire and its emperors",
    ]
    queries = [
        "reset my password settings",
        "home sourdough baking",
        "gradient descent for neural network training",
        "Roman emperors history",
    ]
    doc_vectors = vectors(client, docs)
    for expected, query_vector in enumerate(vectors(client, queries)):
        scores = [cosine(query_vector, doc) for doc in doc_vectors]
        assert scores.index(max(scores)) == expected


def test_embeddings_are_not_random(client: TestClient) -> None:
    """Fails if vectors stop depending on content: random unit vectors in 1536 dimensions
    have |cosine| around 0.03, far below what shared words give here."""
    a, b = vectors(client, ["solar panels convert sunlight", "solar panels convert light"])
    assert cosine(a, b) > 0.6


def test_embeddings_base64_is_little_endian_float32(client: TestClient) -> None:
    floats = vectors(client, "encode me")[0]
    encoded = vectors(client, "encode me", encoding_format="base64")[0]
    assert isinstance(encoded, str)
    raw = base64.b64decode(encoded)
    decoded = struct.unpack(f"<{len(raw) // 4}f", raw)
    assert len(decoded) == 1536
    assert all(math.isclose(x, y, abs_tol=1e-6) for x, y in zip(decoded, floats, strict=True))


def test_embeddings_dimensions_shortens_and_renormalises(client: TestClient) -> None:
    short = vectors(client, "some text", dimensions=256)[0]
    assert len(short) == 256
    assert math.isclose(sum(x * x for x in short), 1.0, rel_tol=1e-9)
    assert len(vectors(client, "some text", LARGE, dimensions=1024)[0]) == 1024


def test_embeddings_dimensions_rejected_for_ada(client: TestClient) -> None:
    response = post(client, ADA, input="x", dimensions=256)
    assert response.status_code == 400
    assert (
        response.json()["error"]["message"] == "This model does not support specifying dimensions."
    )


@pytest.mark.parametrize("dimensions", [0, 1537])
def test_embeddings_dimensions_out_of_range(client: TestClient, dimensions: int) -> None:
    response = post(client, input="x", dimensions=dimensions)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "dimensions"


def test_embeddings_format_and_dimensions_ignored_before_2024_03(client: TestClient) -> None:
    response = post(client, version="2023-05-15", input="x", encoding_format="base64", dimensions=8)
    assert response.status_code == 200
    embedding = response.json()["data"][0]["embedding"]
    assert isinstance(embedding, list)
    assert len(embedding) == 1536


@pytest.mark.parametrize("value", ["", [], ["ok", ""], [[]]])
def test_embeddings_reject_empty_input(client: TestClient, value: Any) -> None:
    response = post(client, input=value)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "input"


def test_embeddings_reject_too_many_tokens(client: TestClient) -> None:
    response = post(client, input=[[1] * 8192])
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "input"
    assert response.json()["error"]["code"] == "context_length_exceeded"


def test_embeddings_reject_more_than_2048_inputs(client: TestClient) -> None:
    response = post(client, input=["x"] * 2049)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "input"


def test_embeddings_per_deployment_input_limit(tmp_path: Path) -> None:
    catalogue = tmp_path / "deployments.json"
    catalogue.write_text(
        '{"deployments": [{"name": "ada16", "model": "text-embedding-ada-002", '
        '"capability": "embeddings", "dimensions": 1536, "max_inputs": 16, '
        '"context_window": 8191}]}'
    )
    with TestClient(create_app(Settings(config=catalogue))) as client:
        url = "/openai/deployments/ada16/embeddings"
        assert post(client, url, input=["x"] * 16).status_code == 200
        response = post(client, url, input=["x"] * 17)
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(
        "Too many inputs. The max number of inputs is 16."
    )


def test_embeddings_on_chat_deployment_is_not_supported(client: TestClient) -> None:
    response = post(client, "/openai/deployments/gpt-4o/embeddings", input="x")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "OperationNotSupported"
