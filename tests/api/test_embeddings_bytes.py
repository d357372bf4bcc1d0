"""Embeddings answers keep their exact bytes (issue 16: rendered from a cache instead of the
response model): the sha256 of answers recorded before the change, `render` against the
model's own dump for every shape, and a text embedded once however often it is asked for."""

import hashlib
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure.config import DeploymentSpec
from mockazure.errors import InvalidRequest
from mockazure.generators import embeddings, embeddings_vectors
from mockazure.protocol.embeddings import EmbeddingRequest
from mockazure.versions import get_api_version
from tests.conftest import AUTH

SMALL = "text-embedding-3-small"

ELEVEN = [
    "hello world", "a", "?", "!!! ... ---", "The cat sat on the mat.", "Ünïcödé — 漢字 テスト 😀",
    "Stock markets fell sharply today.",
    " ".join(["Training neural networks with gradient descent"] * 40),
    "x" * 3000, "the the the the", "running runs ran quickly quietly",
]  # fmt: skip
# Answers of main at 1596e3a (before the cache), with the default deployments.
RECORDED = [
    (SMALL, "2024-10-21", {"input": "hello world"},
     "5647f651b8b0efcc9c433f1294504fffc7914b101b0a6ca50b101cbdff8256b2"),
    (SMALL, "2024-10-21", {"input": [15339, 1917]},
     "5647f651b8b0efcc9c433f1294504fffc7914b101b0a6ca50b101cbdff8256b2"),
    (SMALL, "2024-10-21", {"input": "hello world", "encoding_format": "base64"},
     "8a76a71834852c3be69891f6d95a38b0d8a04ecde1525f7550fda24b63410ec1"),
    (SMALL, "2024-10-21", {"input": "hello world", "encoding_format": "float", "dimensions": 100},
     "b6775e41a7de05ff6118e00ade1429a0cbb9b7bd9081f93766e6721d44bfcd6c"),
    ("text-embedding-3-large", "2025-04-01-preview",
     {"input": "hello world", "encoding_format": "base64", "dimensions": 256},
     "60bd556cce639347663449708b9e736b741b07ec0a885eeb069ca247e6c93761"),
    ("text-embedding-ada-002", "2023-05-15",
     {"input": "hello world", "encoding_format": "base64", "dimensions": 64},
     "a4c86182f4a89a51e4139c3892c81f8e5bf02966dbf5df42f0e31eb16f388366"),
    (SMALL, "2024-10-21", {"input": [[15339, 1917], [40, 1093, 499]], "encoding_format": "base64"},
     "ebe0b75844b4aa88915f44c5edcf3ab146c9876412a3fae078202c883c484bfc"),
    (SMALL, "2024-10-21", {"input": ["dup", "dup", "dup"], "dimensions": 2},
     "15d5f073a1a8db940feaeecc0dcb98596e55f4a3688ebe8ef0ae4748815eeb09"),
    (SMALL, "2024-10-21", {"input": "Ünïcödé — 漢字 テスト 😀"},
     "3363d4597aa435f553fdd5a38f9969d9cb49034960127dde874b8d3c09f5fa20"),
    (SMALL, "2024-10-21", {"input": "running runs ran quickly quietly", "dimensions": 1},
     "c5bfb2ea36657facc3f738bf6879eda079896383d62e2cd05faa97580ee21c43"),
    (SMALL, "2024-10-21", {"input": ELEVEN, "encoding_format": "base64", "dimensions": 999},
     "b2c6192e4e219bc8018f4eded608ff608350dd169d5d0ebed67c048602b5e374"),
    (SMALL, "2024-10-21", {"input": "?"},
     "cf4debcd492feb3f3ef16f9acc1f3d460751181cdc1c9855ecfba8b7d16c80ef"),
    ("text-embedding-ada-002", "2024-10-21", {"input": "hello world", "dimensions": 64},
     "1f50e6e45cdc6e26ccd69460beced50e161a98629edc7bb6b36f014a39e0751f"),
]  # fmt: skip


def _fields(version: str) -> frozenset[str]:
    api_version = get_api_version(version)
    assert api_version is not None
    return api_version.spec("embeddings").fields


def _post(client: TestClient, deployment: str, version: str, body: dict[str, Any]) -> bytes:
    url = f"/openai/deployments/{deployment}/embeddings"
    return client.post(url, params={"api-version": version}, headers=AUTH, json=body).content


@pytest.mark.parametrize(("deployment", "version", "body", "digest"), RECORDED)
def test_embeddings_answer_bytes_are_unchanged(
    client: TestClient, deployment: str, version: str, body: dict[str, Any], digest: str
) -> None:
    embeddings.RENDERED.clear()
    first = _post(client, deployment, version, body)
    again = _post(client, deployment, version, body)  # from the cache this time
    assert hashlib.sha256(first).hexdigest() == digest
    assert again == first


TEXTS = ["hello world", "?", "Ünïcödé — 漢字 😀", " ".join(["gradient descent"] * 300)]
SHAPES = [
    {},
    {"encoding_format": "float"},
    {"encoding_format": "base64"},
    {"dimensions": 1},
    {"dimensions": 7, "encoding_format": "base64"},
    {"dimensions": 1000},
]


@pytest.mark.parametrize("version", ["2023-05-15", "2024-10-21"])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("native", [1536, 1000, 3])
def test_render_is_the_models_own_dump(version: str, shape: dict[str, Any], native: int) -> None:
    deployment = DeploymentSpec(
        name="e", model="text-embedding-3-small", capability="embeddings", dimensions=native
    )
    fields = _fields(version)
    body = EmbeddingRequest.model_validate({"input": TEXTS, **shape})
    embeddings.RENDERED.clear()
    if version != "2023-05-15" and shape.get("dimensions", 0) > native:
        for make in (embeddings.embed, embeddings.render):
            with pytest.raises(InvalidRequest, match="integer above maximum value"):
                make(body, deployment, fields)
        return
    model = embeddings.embed(body, deployment, fields).model_dump_json(exclude_unset=True)
    assert embeddings.render(body, deployment, fields) == model.encode()  # generated
    assert embeddings.render(body, deployment, fields) == model.encode()  # cached


@pytest.mark.parametrize("encoding", ["float", "base64"])
def test_render_of_a_stub_is_its_vector_unchanged(encoding: str) -> None:
    deployment = DeploymentSpec(name="e", model=SMALL, capability="embeddings", dimensions=4)
    fields = _fields("2024-10-21")
    body = EmbeddingRequest.model_validate({"input": ["a", "b"], "encoding_format": encoding})
    vector = [0.5, -0.25, 1e-7, 3.0e38]

    def fixed(size: int) -> list[float]:
        return list(vector)

    model = embeddings.embed(body, deployment, fields, fixed).model_dump_json(exclude_unset=True)
    assert embeddings.render(body, deployment, fields, fixed) == model.encode()
    if encoding == "float":
        assert json.loads(model)["data"][1]["embedding"] == vector


def test_a_text_is_embedded_once_however_often_it_is_asked(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real = embeddings_vectors.embed_text

    def counted(text: str, model: str, native: int) -> list[float]:
        made.append(text)
        return real(text, model, native)

    monkeypatch.setattr("mockazure.generators.embeddings.embed_text", counted)
    embeddings.RENDERED.clear()
    body = {"input": ["asked again and again", "asked again and again"]}
    answers = {_post(client, SMALL, "2024-10-21", body) for _ in range(3)}
    assert len(answers) == 1
    assert made == ["asked again and again"]
    _post(client, SMALL, "2024-10-21", {**body, "dimensions": 8})  # another shape: made again
    assert made == ["asked again and again"] * 2
