"""Embeddings are dense like real ones (issue 15 item 5): almost no exact zeros, values centred on
zero with a spread of about 1/sqrt(n), no dominant coordinate, at every size and after
`dimensions` truncation; the semantics (tests/api/test_embeddings.py) are unchanged."""

import math
import statistics

import pytest
from fastapi.testclient import TestClient

from tests.api.test_embeddings import cosine, vectors

TEXTS = [
    "hi",
    "a",
    "?",
    "The cat sat on the mat.",
    "Stock markets fell sharply today.",
    "How to reset your account password in the settings page",
    " ".join(["Training neural networks with gradient descent"] * 40),
]


def _zero_share(vector: list[float]) -> float:
    return sum(1 for x in vector if x == 0.0) / len(vector)


@pytest.mark.parametrize(
    "deployment", ["text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002"]
)
def test_embeddings_have_at_most_one_percent_zeros(client: TestClient, deployment: str) -> None:
    for vector in vectors(client, TEXTS, f"/openai/deployments/{deployment}/embeddings"):
        assert _zero_share(vector) <= 0.01


@pytest.mark.parametrize("dimensions", [64, 100, 256, 512])
def test_shortened_embeddings_stay_dense_and_unit(client: TestClient, dimensions: int) -> None:
    for vector in vectors(client, TEXTS, dimensions=dimensions):
        assert _zero_share(vector) <= 0.01
        assert math.isclose(math.fsum(x * x for x in vector), 1.0, rel_tol=1e-9)


@pytest.mark.parametrize("deployment", ["text-embedding-3-small", "text-embedding-3-large"])
def test_embedding_values_are_distributed_like_real_embeddings(
    client: TestClient, deployment: str
) -> None:
    for vector in vectors(client, TEXTS, f"/openai/deployments/{deployment}/embeddings"):
        size = len(vector)
        spread = 1 / math.sqrt(size)  # the standard deviation of a random unit vector
        assert math.isclose(math.fsum(x * x for x in vector), 1.0, rel_tol=1e-9)
        assert abs(statistics.fmean(vector)) < 0.2 * spread
        assert 0.9 * spread < statistics.pstdev(vector) < 1.1 * spread
        assert max(abs(x) for x in vector) < 8 * spread  # no dominant coordinate
        # Most of the mass is not in a few coordinates: the top 1 % hold under 10 % of it.
        top = sorted((x * x for x in vector), reverse=True)[: size // 100]
        assert math.fsum(top) < 0.1


def test_dense_embeddings_keep_similarity_after_truncation(client: TestClient) -> None:
    cat, cat_again, revenue = vectors(
        client,
        ["The cat sat on the mat.", "A cat was sitting on a mat.", "Quarterly revenue grew."],
        dimensions=64,
    )
    assert cosine(cat, cat_again) > cosine(cat, revenue) + 0.2
